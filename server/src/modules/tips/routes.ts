import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EarningsQuery, ErrorBody, IdParams, Tip, TipBody, TipOptions, TipsByWorker } from '@tissu/shared';
import type { Config } from '../../plugins/env.js';
import { createTipsService } from './service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody };
const security = [{ bearer: [] }];
const tags = ['tips'];

export const tipsRoutes: FastifyPluginAsyncZod<{ config: Config; now?: () => Date }> = async (app, { config, now }) => {
  const tips = createTipsService({ db: app.db, gateway: app.payments, webOrigin: config.webOrigin, now });

  app.get('/bookings/:id/tip', { schema: { tags, security, summary: "The booking's tip, and whether and how one may be given", params: IdParams, response: { 200: TipOptions, ...errors } } },
    async (req) => tips.options(req.actor, req.params.id));
  // Each call may open a Stripe session or charge a card: limited like the saved card's setup.
  app.post('/bookings/:id/tip', {
    config: { rateLimit: { max: config.authRateLimitPerMinute, timeWindow: '1 minute' } },
    schema: { tags, security, summary: 'Give a tip on a completed visit: the saved card is charged, else a Checkout to pay it', params: IdParams, body: TipBody, response: { 200: Tip, ...errors } },
  }, async (req) => tips.give(req.actor, req.params.id, req.body.amountCents));
  app.get('/coops/:id/tips', { schema: { tags, security, summary: "A year's tips per worker (a worker-member sees her own)", params: IdParams, querystring: EarningsQuery, response: { 200: TipsByWorker, ...errors } } },
    async (req) => tips.byWorker(req.actor, req.params.id, req.query.year));
};
