import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AddressBody, ErrorBody, IdParams, OkBody, SavedAddress, SavedAddressList, UpdateAddressBody } from '@tissu/shared';
import { createAddressesService } from './service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

export const addressesRoutes: FastifyPluginAsyncZod<{ now: () => Date }> = async (app, { now }) => {
  const addresses = createAddressesService({ db: app.db, now });
  const tags = ['addresses'];
  const security = [{ bearer: [] }];

  app.get('/me/addresses', {
    schema: { tags, security, summary: 'Her saved addresses, the last used first', response: { 200: SavedAddressList, 401: ErrorBody } },
  }, async (req) => addresses.list(req.actor));

  app.post('/me/addresses', {
    schema: { tags, security, summary: 'Save an address with its entry notes', body: AddressBody, response: { 201: SavedAddress, 409: ErrorBody, ...errors } },
  }, async (req, reply) => reply.code(201).send(await addresses.create(req.actor, req.body)));

  app.patch('/me/addresses/:id', {
    schema: { tags, security, summary: 'Change a saved address; bookings already made keep the address they were made with', params: IdParams, body: UpdateAddressBody, response: { 200: SavedAddress, ...errors } },
  }, async (req) => addresses.update(req.actor, req.params.id, req.body));

  app.delete('/me/addresses/:id', {
    schema: { tags, security, summary: 'Remove a saved address; bookings keep their own copy', params: IdParams, response: { 200: OkBody, ...errors } },
  }, async (req) => {
    await addresses.remove(req.actor, req.params.id);
    return { ok: true as const };
  });
};
