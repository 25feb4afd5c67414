import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../plugins/env.js';
import { createShareFees } from '../membership/index.js';
import { createCheckoutService } from './checkout.js';
import { handleEvent, readEvent } from './events.js';
import { createLatePayments } from './late-payments.js';
import { createSavedCards } from './saved-cards.js';
import { createTipFees, createTipsService } from '../tips/index.js';

/**
 * POST /webhooks/stripe. Its own scope reads the body raw: the signature covers the exact bytes,
 * and it is verified before anything else (400, nothing changed, when it does not match).
 * Then an event without a usable id is refused (400: it could not be deduplicated), and a signed
 * event of a shape we cannot use is acknowledged without effect and logged (Stripe would retry
 * anything else for days, and a retry would say the same).
 */
export const stripeWebhookRoute: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  const checkout = createCheckoutService({ db: app.db, gateway: app.payments, webOrigin: config.webOrigin, log: app.log });
  const shareFees = createShareFees({ db: app.db, gateway: app.payments });
  const cards = createSavedCards({ db: app.db, gateway: app.payments, webOrigin: config.webOrigin, checkout, log: app.log });
  const late = createLatePayments({ db: app.db, gateway: app.payments, log: app.log, wake: () => app.jobs.wake() });
  const tips = createTipsService({ db: app.db, gateway: app.payments, webOrigin: config.webOrigin });
  const tipFees = createTipFees({ db: app.db, gateway: app.payments });
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.post('/webhooks/stripe', { schema: { tags: ['payments'], summary: 'Stripe events (signed)', hide: false } }, async (req, reply) => {
    const signature = req.headers['stripe-signature'];
    let event;
    try {
      if (typeof signature !== 'string' || !Buffer.isBuffer(req.body)) throw new Error('missing signature or body');
      event = app.payments.verifyEvent(req.body, signature);
    } catch {
      return reply.code(400).send({ error: { code: 'invalid_signature', message: 'The Stripe signature does not match this body' } });
    }
    const read = readEvent(event);
    if (!read.ok) {
      const eventType = typeof event.type === 'string' ? event.type.slice(0, 255) : null;
      if (read.problem === 'no_id') {
        req.log.warn({ eventType, reason: read.reason }, 'Stripe event refused: no usable id');
        return reply.code(400).send({ error: { code: 'invalid_event', message: 'The event has no usable id' } });
      }
      req.log.warn({ eventId: event.id, eventType, reason: read.reason }, 'Stripe event ignored: malformed');
      return { received: true, ignored: 'malformed' };
    }
    const result = await handleEvent(app.db, checkout, read.event, cards, tips);
    if (result.settledPaymentId) {
      // Stripe's fee and the transfer id are read after the commit; the job worker retries (fillMissingChargeDetails).
      checkout.recordChargeDetails(result.settledPaymentId).catch((err) => req.log.warn({ err }, 'could not read charge details yet'));
    }
    if (result.returnPaymentId) {
      // Refunded at once, after the commit; when Stripe does not answer, the job retries (returnDue).
      const id = result.returnPaymentId;
      void late.returnPayment(id);
    }
    if (result.settledShareId) {
      shareFees.record(result.settledShareId).catch((err) => req.log.warn({ err }, 'could not read the share payment’s fee yet'));
    }
    if (result.settledTipId) {
      tipFees.record(result.settledTipId).catch((err) => req.log.warn({ err }, 'could not read the tip’s fee yet'));
    }
    if (result.refusedShareId) req.log.error({ applicationId: result.refusedShareId, eventId: read.event.id }, 'share payment event refused: its amount or currency is not the share’s');
    if (result.unappliedShareId) req.log.error({ applicationId: result.unappliedShareId }, 'qualifying share paid by a holder who was already a member or is no longer eligible: refund it');
    if (result.wake) app.jobs.wake();
    return { received: true, duplicate: result.duplicate };
  });
};
