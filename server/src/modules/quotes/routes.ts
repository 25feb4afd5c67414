import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AcceptQuoteBody, CreateOfferBody, CreateQuoteBody, ErrorBody, IdParams, IdempotencyHeaders, OptionalReasonBody, Quote, QuoteList, QuoteListQuery, ReasonBody,
} from '@tissu/shared';
import { idempotent } from '../../idempotency.js';
import { createQuoteBookings } from '../../flows/quote-bookings.js';
import type { Config } from '../../plugins/env.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const tags = ['quotes'];
const security = [{ bearer: [] }];

export const quotesRoutes: FastifyPluginAsyncZod<{ config: Config; now?: () => Date; wake?: () => void }> = async (app, opts) => {
  const quotes = createQuoteBookings({ db: app.db, paymentWindowHours: opts.config.paymentWindowHours, now: opts.now, wake: opts.wake });
  // Each of these emails someone: per person (not per address, as conversations do), per route.
  const emails = {
    rateLimit: { max: opts.config.quoteRateLimitPerMinute, timeWindow: '1 minute', keyGenerator: (req: { actor?: { userId: string } | null; ip: string }) => req.actor?.userId ?? req.ip },
  };

  app.post('/quotes', {
    config: emails,
    schema: { tags, security, summary: 'A client asks a co-op for a quote on one of its listings', headers: IdempotencyHeaders, body: CreateQuoteBody, response: { 201: Quote, ...errors } },
  }, async (req, reply) => idempotent(app.db, req, reply, 201, () => quotes.create(req.actor, req.body)));

  app.get('/quotes', {
    schema: { tags, security, summary: "The person's quote requests (as=client) or her co-ops' (as=coop, admins)", querystring: QuoteListQuery, response: { 200: QuoteList, ...errors } },
  }, async (req) => quotes.list(req.actor, req.query));

  app.get('/quotes/:id', {
    schema: { tags, security, params: IdParams, response: { 200: Quote, ...errors } },
  }, async (req) => quotes.get(req.actor, req.params.id));

  app.post('/quotes/:id/offers', {
    config: emails,
    schema: { tags, security, summary: "The co-op's offer, or a new version of it", params: IdParams, body: CreateOfferBody, response: { 201: Quote, ...errors } },
  }, async (req, reply) => reply.code(201).send(await quotes.offer(req.actor, req.params.id, req.body)));

  app.post('/quotes/:id/accept', {
    config: emails,
    schema: { tags, security, summary: 'The client accepts the current offer at one of its times: the booking is made, to pay', params: IdParams, body: AcceptQuoteBody, response: { 200: Quote, ...errors } },
  }, async (req) => quotes.accept(req.actor, req.params.id, req.body));

  app.post('/quotes/:id/decline', {
    config: emails,
    schema: { tags, security, params: IdParams, body: OptionalReasonBody, response: { 200: Quote, ...errors } },
  }, async (req) => quotes.act(req.actor, req.params.id, 'decline', req.body?.reason));

  app.post('/quotes/:id/request-changes', {
    config: emails,
    schema: { tags, security, params: IdParams, body: ReasonBody, response: { 200: Quote, ...errors } },
  }, async (req) => quotes.act(req.actor, req.params.id, 'request_changes', req.body.reason));

  app.post('/quotes/:id/withdraw', {
    config: emails,
    schema: { tags, security, params: IdParams, body: OptionalReasonBody, response: { 200: Quote, ...errors } },
  }, async (req) => quotes.act(req.actor, req.params.id, 'withdraw', req.body?.reason));

  app.post('/quotes/:id/refuse', {
    config: emails,
    schema: { tags, security, params: IdParams, body: ReasonBody, response: { 200: Quote, ...errors } },
  }, async (req) => quotes.act(req.actor, req.params.id, 'refuse', req.body.reason));
};
