import { outsidersAnswer404 } from '../bookings/index.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CheckoutResult, Earnings, EarningsQuery, ErrorBody, FeeSchedule, IdParams, LedgerCheckResult, OnboardingLink,
  PaymentAccount, PaymentSummary, ReconciliationResult, SetFeeRateBody, StewardRefundBody, TaxSettingsBody,
  SavedCardResult, SetupCardBody, SetupCardResult, ConfirmCardBody, ConfirmedCardResult,
  IdempotencyHeaders, MoneyToReturn,
} from '@tissu/shared';
import { idempotent } from '../../idempotency.js';
import type { Config } from '../../plugins/env.js';
import { createCheckoutService } from './checkout.js';
import { createPaymentReports } from './reports.js';
import { createPaymentSettings } from './settings.js';
import { createStewardRefunds } from './steward.js';
import { createSavedCards } from './saved-cards.js';
import { createLatePayments } from './late-payments.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody };
const security = [{ bearer: [] }];
const tags = ['payments'];

export const paymentsRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  const deps = { db: app.db, gateway: app.payments, webOrigin: config.webOrigin, log: app.log };
  const settings = createPaymentSettings(deps);
  const checkout = createCheckoutService(deps);
  const reports = createPaymentReports({ database: app.database, gateway: app.payments });
  const cards = createSavedCards({ ...deps, checkout, wake: () => app.jobs.wake() });
  const late = createLatePayments({ ...deps, wake: () => app.jobs.wake() });
  const stewardRefunds = createStewardRefunds({ db: app.db, gateway: app.payments, wake: () => app.jobs.wake() });

  // A card saved once for regular visits: each visit is charged to it without the person present.
  app.get('/me/card', { schema: { tags, security, response: { 200: SavedCardResult, ...errors } } }, async (req) => cards.card(req.actor));
  // Each call opens a Stripe session: limited like signing in (AUTH_RATE_LIMIT_PER_MINUTE, 10 by default).
  app.post('/me/card/setup', { config: { rateLimit: { max: config.authRateLimitPerMinute, timeWindow: '1 minute' } }, schema: { tags, security, summary: 'Stripe Checkout (setup mode) to save or replace the card', body: SetupCardBody, response: { 200: SetupCardResult, ...errors } } },
    async (req) => cards.setup(req.actor, req.body.returnTo));
  app.post('/me/card/confirm', { config: { rateLimit: { max: config.authRateLimitPerMinute, timeWindow: '1 minute' } }, schema: { tags, security, summary: 'Back from Stripe: record the card the setup session saved, now rather than when its webhook comes', body: ConfirmCardBody, response: { 200: ConfirmedCardResult, ...errors } } },
    async (req) => cards.confirmSetup(req.actor, req.body.sessionId));
  app.delete('/me/card', { schema: { tags, security, summary: 'Remove the saved card: no visit is charged to it again', response: { 200: SavedCardResult, ...errors } } },
    async (req) => cards.remove(req.actor));

  app.get('/platform/fee', { schema: { tags, response: { 200: FeeSchedule } } }, async () => settings.feeSchedule());
  app.post('/platform/fee-rates', { schema: { tags, security, headers: IdempotencyHeaders, body: SetFeeRateBody, response: { 201: FeeSchedule, ...errors } } },
    async (req, reply) => idempotent(app.db, req, reply, 201, () => settings.setFeeRate(req.actor, req.body)));

  app.get('/coops/:id/payments/account', { schema: { tags, security, params: IdParams, querystring: z.object({ refresh: z.enum(['1', 'true']).optional() }), response: { 200: PaymentAccount, ...errors } } },
    async (req) => (req.query.refresh ? settings.refreshAccount(req.actor, req.params.id) : settings.account(req.actor, req.params.id)));
  app.post('/coops/:id/payments/onboarding', { schema: { tags, security, params: IdParams, response: { 200: OnboardingLink, ...errors } } },
    async (req) => settings.startOnboarding(req.actor, req.params.id));
  app.put('/coops/:id/payments/taxes', { schema: { tags, security, params: IdParams, body: TaxSettingsBody, response: { 200: PaymentAccount, ...errors } } },
    async (req) => settings.setTaxes(req.actor, req.params.id, req.body));
  app.get('/coops/:id/earnings', { schema: { tags, security, params: IdParams, querystring: EarningsQuery, response: { 200: Earnings, ...errors } } },
    async (req) => reports.earnings(req.actor, req.params.id, req.query.year));

  app.get('/bookings/:id/payment', { schema: { tags, security, params: IdParams, response: { 200: PaymentSummary, ...errors } } },
    async (req) => checkout.summary(req.actor, req.params.id));
  app.post('/bookings/:id/checkout', { schema: { tags, security, params: IdParams, response: { 200: CheckoutResult, ...errors } } },
    async (req) => checkout.checkout(req.actor, req.params.id));
  app.post('/bookings/:id/refunds', { preValidation: outsidersAnswer404(app.db), schema: { tags, security, params: IdParams, body: StewardRefundBody, response: { 201: PaymentSummary, ...errors } } },
    async (req, reply) => {
      await stewardRefunds.refund(req.actor, req.params.id, req.body.serviceCents, req.body.reason);
      return reply.code(201).send(await checkout.summary(req.actor, req.params.id));
    });

  app.get('/steward/ledger/check', { schema: { tags, security, response: { 200: LedgerCheckResult, ...errors } } },
    async (req) => reports.ledgerCheck(req.actor));
  app.get('/steward/money-to-return', { schema: { tags, security, summary: 'Money paid for bookings no longer waiting for it, not refunded yet (the job retries)', response: { 200: MoneyToReturn, ...errors } } },
    async (req) => late.toReturn(req.actor));
  app.get('/steward/reconciliation', { schema: { tags, security, querystring: z.object({ days: z.coerce.number().int().min(1).max(400).default(90) }), response: { 200: ReconciliationResult, ...errors } } },
    async (req) => reports.reconcile(req.actor, req.query.days));
};
