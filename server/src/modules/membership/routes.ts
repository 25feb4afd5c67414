import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CoopSettings, CreateMembershipBody, EndMembershipBody, ErrorBody, IdParams, MemberRegister, Membership, MembershipCheckoutBody,
  MembershipCheckoutResult, MyMemberships, UpdateCoopSettingsBody,
  IdempotencyHeaders,
} from '@tissu/shared';
import { idempotent } from '../../idempotency.js';
import { createMembershipService } from './service.js';
import { createSettingsService } from './settings.js';
import { createShareCheckoutService } from './share-checkout.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody };
const security = [{ bearer: [] }];
const tags = ['membership'];

export const membershipRoutes: FastifyPluginAsyncZod<{ now: () => Date; webOrigin: string }> = async (app, { now, webOrigin }) => {
  const members = createMembershipService({ db: app.db, now });
  const shares = createShareCheckoutService({ db: app.db, gateway: app.payments, webOrigin, now });
  const settings = createSettingsService(app.db);

  app.post('/steward/memberships', { schema: { tags, security, headers: IdempotencyHeaders, body: CreateMembershipBody, response: { 201: Membership, ...errors } } },
    async (req, reply) => idempotent(app.db, req, reply, 201, () => members.join(req.actor, req.body)));
  app.post('/steward/memberships/:id/end', { schema: { tags, security, params: IdParams, body: EndMembershipBody, response: { 200: Membership, ...errors } } },
    async (req) => members.end(req.actor, req.params.id, req.body.endedOn));
  app.get('/steward/members', { schema: { tags, security, response: { 200: MemberRegister, ...errors } } },
    async (req) => members.register(req.actor));
  app.get('/membership', { schema: { tags, security, response: { 200: MyMemberships, ...errors } } },
    async (req) => members.mine(req.actor));
  app.post('/membership/checkout', { schema: { tags, security, summary: 'Join by paying the qualifying share (Stripe Checkout)', body: MembershipCheckoutBody, response: { 200: MembershipCheckoutResult, ...errors } } },
    async (req) => shares.start(req.actor, req.body));

  app.get('/steward/settings', { schema: { tags, security, response: { 200: CoopSettings, ...errors } } },
    async (req) => settings.get(req.actor));
  app.put('/steward/settings', { schema: { tags, security, body: UpdateCoopSettingsBody, response: { 200: CoopSettings, ...errors } } },
    async (req) => settings.update(req.actor, req.body));
};
