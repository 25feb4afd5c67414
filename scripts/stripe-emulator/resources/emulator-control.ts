import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../context.js';
import { invalidRequest } from '../errors.js';
import { asParams, list, requiredStr, str } from '../params.js';
import { copy } from '../store.js';
import { noRequest, type StripeEvent } from '../types.js';
import type { ReleaseOrder } from '../webhooks.js';
import { finishOnboarding } from './accounts.js';
import { declineCheckoutSession, payCheckoutSession } from './checkout-payment.js';
import { setUpCheckoutSession } from './checkout-setup.js';
import { authenticatePaymentIntent } from './payment-intents.js';
import { authenticateSetupIntent } from './setup-intents.js';

/**
 * Test controls that Stripe does not have: what a browser would do on the test pages, and the
 * webhook plumbing (endpoints, resend, hold and release in a chosen order). No API key needed.
 */
export function registerEmulatorRoutes(app: FastifyInstance, emu: Emulator): void {
  app.get('/_emulator/health', async () => ({ ok: true, url: emu.config.publicUrl }));

  app.get('/_emulator/webhook_endpoints', async () => emu.webhooks.endpoints.map((e) => ({ id: e.id, url: e.url })));

  app.post('/_emulator/webhook_endpoints', async (req) => {
    const p = asParams(req.body);
    try {
      const e = emu.webhooks.addEndpoint(requiredStr(p.url, 'url'), requiredStr(p.secret, 'secret'));
      return { id: e.id, url: e.url };
    } catch (err) {
      if (err instanceof Error && !('statusCode' in err)) throw invalidRequest(err.message, { param: 'url' });
      throw err;
    }
  });

  // Paid on the payment page: `{ card?: '5555 5555 5555 4444' }` (4242 by default), a card a charge accepts.
  app.post<{ Params: { id: string } }>('/_emulator/checkout/:id/pay', async (req) => {
    const card = str(asParams(req.body).card, 'card');
    const { session, paymentIntent, charge } = payCheckoutSession(emu, req.params.id, card ?? undefined);
    return copy({ session, payment_intent: paymentIntent, charge });
  });

  app.post<{ Params: { id: string } }>('/_emulator/checkout/:id/decline', async (req) => {
    const { session, paymentIntent } = declineCheckoutSession(emu, req.params.id);
    return copy({ session, payment_intent: paymentIntent });
  });

  // A card typed on a setup-mode Checkout page: `{ card?: '4000 0000 0000 0002' }` (4242 by default).
  app.post<{ Params: { id: string } }>('/_emulator/checkout/:id/setup', async (req) => {
    const card = str(asParams(req.body).card, 'card') ?? '4242424242424242';
    const { session, setupIntent, paymentMethod, decline } = setUpCheckoutSession(emu, req.params.id, card);
    return copy({ session, setup_intent: setupIntent, payment_method: paymentMethod, decline_code: decline });
  });

  // The 3D Secure challenge of a SetupIntent or an on-session PaymentIntent: `{ outcome: 'complete' | 'fail' }`.
  const outcomeOf = (body: unknown) => (str(asParams(body).outcome, 'outcome', { oneOf: ['complete', 'fail'] }) ?? 'complete') as 'complete' | 'fail';
  app.post<{ Params: { id: string } }>('/_emulator/setup_intents/:id/authenticate', async (req) => copy(authenticateSetupIntent(emu, req.params.id, outcomeOf(req.body), noRequest)));
  app.post<{ Params: { id: string } }>('/_emulator/payment_intents/:id/authenticate', async (req) => copy(authenticatePaymentIntent(emu, req.params.id, outcomeOf(req.body), noRequest)));

  app.post<{ Params: { id: string } }>('/_emulator/accounts/:id/onboard', async (req) => {
    const outcome = str(asParams(req.body).outcome, 'outcome', { oneOf: ['complete', 'incomplete'] }) ?? 'complete';
    return copy(finishOnboarding(emu, req.params.id, outcome as 'complete' | 'incomplete'));
  });

  app.post<{ Params: { id: string } }>('/_emulator/events/:id/resend', async (req) => {
    const event = emu.store.require<StripeEvent>(req.params.id, 'event', 'id');
    const endpoint = str(asParams(req.body).endpoint, 'endpoint');
    return { resent: emu.webhooks.resend(copy(event), endpoint), event: event.id };
  });

  // An outage of part of the API: `{ method, path_prefix, status?, times? }`.
  app.post('/_emulator/faults', async (req) => {
    const p = asParams(req.body);
    const fault = {
      method: requiredStr(p.method, 'method', { oneOf: ['GET', 'POST', 'DELETE'] }),
      pathPrefix: requiredStr(p.path_prefix, 'path_prefix'),
      status: Number(p.status ?? 500),
      remaining: Number(p.times ?? 1),
    };
    if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) throw invalidRequest('status must be an HTTP error status', { param: 'status' });
    if (!Number.isInteger(fault.remaining) || fault.remaining < 1) throw invalidRequest('times must be a positive integer', { param: 'times' });
    emu.faults.push(fault);
    return fault;
  });

  app.get('/_emulator/faults', async () => emu.faults);

  app.delete('/_emulator/faults', async () => {
    emu.faults.length = 0;
    return { cleared: true };
  });

  app.get('/_emulator/webhooks', async () => ({ ...emu.webhooks.status(), attempts: emu.webhooks.attempts }));

  app.post('/_emulator/webhooks/pause', async () => {
    emu.webhooks.pause();
    return emu.webhooks.status();
  });

  app.post('/_emulator/webhooks/release', async (req) => {
    const raw = asParams(req.body).order;
    let order: ReleaseOrder = 'forward';
    if (Array.isArray(raw) || (raw && typeof raw === 'object')) {
      order = (list(raw, 'order') ?? []).map(String);
    } else if (raw !== undefined) {
      order = requiredStr(raw, 'order', { oneOf: ['forward', 'reverse'] }) as ReleaseOrder;
    }
    const released = emu.webhooks.release(order);
    return { released, ...emu.webhooks.status() };
  });

  app.get('/_emulator/webhooks/idle', async () => {
    await emu.webhooks.idle();
    return { idle: true };
  });
}
