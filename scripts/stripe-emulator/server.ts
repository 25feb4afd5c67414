import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import qs from 'qs';
import type { Emulator } from './context.js';
import { authenticationError, StripeApiError, type StripeErrorBody } from './errors.js';
import { registerIdempotency } from './idempotency.js';
import { registerCheckoutPage } from './pages/checkout-page.js';
import { registerOnboardingPage } from './pages/onboarding-page.js';
import { markNotSavedForIdempotency, requestContext, startRequestContext } from './request-context.js';
import { registerAccountRoutes } from './resources/accounts.js';
import { registerCheckoutSessionRoutes } from './resources/checkout-sessions.js';
import { registerCustomerRoutes } from './resources/customers.js';
import { registerEmulatorRoutes } from './resources/emulator-control.js';
import { registerEventRoutes } from './resources/events.js';
import { registerPaymentIntentRoutes } from './resources/payment-intents.js';
import { registerPaymentMethodRoutes } from './resources/payment-methods.js';
import { registerPaymentRoutes } from './resources/payments.js';
import { registerRefundRoutes } from './resources/refunds.js';
import { registerSetupIntentRoutes } from './resources/setup-intents.js';
import { registerTransferRoutes } from './resources/transfers.js';

/** Stripe's bracket notation: `line_items[0][price_data][currency]=cad`, `expand[0]=latest_charge`. */
const parseForm = (s: string) => qs.parse(s, { arrayLimit: 100, depth: 8, parameterLimit: 2000, allowPrototypes: false });

function sendError(reply: FastifyReply, statusCode: number, error: StripeErrorBody) {
  return reply.code(statusCode).type('application/json; charset=utf-8').send({ error });
}

function authenticate(req: FastifyRequest): void {
  const header = req.headers.authorization ?? '';
  let key = '';
  if (header.startsWith('Bearer ')) key = header.slice(7).trim();
  else if (header.startsWith('Basic ')) key = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0] ?? '';
  if (!key) {
    throw authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  if (!/^(sk|rk)_test_\w+/.test(key)) {
    throw authenticationError(`Invalid API Key provided: ${key.slice(0, 8)}****. The Stripe emulator accepts only test keys (sk_test_…).`);
  }
}

export function buildServer(emu: Emulator, logger = false): FastifyInstance {
  const app = Fastify({ logger, routerOptions: { querystringParser: parseForm } });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1_048_576 }, (_req, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    const ctx = startRequestContext(req);
    if (!req.url.startsWith('/v1/')) return;
    reply.header('Request-Id', ctx.requestId);
    reply.header('Stripe-Version', req.headers['stripe-version'] ?? emu.config.apiVersion);
    if (ctx.idempotencyKey) reply.header('Idempotency-Key', ctx.idempotencyKey);
    authenticate(req);
    const fault = emu.faults.find((f) => f.remaining > 0 && f.method === req.method && req.url.startsWith(f.pathPrefix));
    if (fault) {
      fault.remaining -= 1;
      markNotSavedForIdempotency(req);
      return sendError(reply, fault.status, { type: 'api_error', message: 'The emulator was told to fail this request.' });
    }
  });

  registerIdempotency(app);

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof StripeApiError) {
      if (!err.savedForIdempotency) markNotSavedForIdempotency(req);
      return sendError(reply, err.statusCode, err.body);
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      markNotSavedForIdempotency(req);
      return sendError(reply, 400, { type: 'invalid_request_error', message: (err as Error).message });
    }
    req.log.error({ err, requestId: requestContext(req).requestId }, 'stripe emulator error');
    if (!logger) console.error('[stripe-emulator]', err);
    return sendError(reply, 500, { type: 'api_error', message: 'Internal Server Error' });
  });

  app.setNotFoundHandler((req, reply) =>
    sendError(reply, 404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${req.method}: ${req.url.split('?')[0]}). The Tissu Stripe emulator implements only the endpoints Tissu uses (see scripts/stripe-emulator/README.md).`,
    }),
  );

  registerAccountRoutes(app, emu);
  registerCheckoutSessionRoutes(app, emu);
  registerCustomerRoutes(app, emu);
  registerPaymentMethodRoutes(app, emu);
  registerSetupIntentRoutes(app, emu);
  registerPaymentIntentRoutes(app, emu);
  registerPaymentRoutes(app, emu);
  registerRefundRoutes(app, emu);
  registerTransferRoutes(app, emu);
  registerEventRoutes(app, emu);
  registerEmulatorRoutes(app, emu);
  registerCheckoutPage(app, emu);
  registerOnboardingPage(app, emu);
  return app;
}
