import type { FastifyInstance } from 'fastify';
import { cardError, type Decline } from '../cards.js';
import type { Emulator } from '../context.js';
import { invalidRequest } from '../errors.js';
import { clientSecretFor, newId, nowSeconds } from '../ids.js';
import { allowOnly, asParams, bool, expandPaths, metadata, str, type Params } from '../params.js';
import { requestContext } from '../request-context.js';
import { copy, expand, paginate } from '../store.js';
import type { PaymentMethod, RequestContext, SetupIntent } from '../types.js';
import { lastError } from './charges.js';
import { requireCustomer } from './customers.js';
import { allowedTypes, attachPaymentMethod, refuseDetached, resolvePaymentMethod, testCardOf } from './payment-methods.js';

export type SetupOutcome = 'succeeded' | 'requires_action' | Decline;

function unexpectedState(si: SetupIntent, doing: string): never {
  throw invalidRequest(`You cannot ${doing} this SetupIntent because it has a status of ${si.status}.`, { code: 'setup_intent_unexpected_state', setup_intent: copy(si) });
}

export function newSetupIntent(emu: Emulator, fields: { customer: string | null; usage: SetupIntent['usage']; metadata: Record<string, string>; description: string | null; allowed: string[] | null }, ctx: RequestContext): SetupIntent {
  const id = newId('setupIntent');
  const si = emu.store.put<SetupIntent>({
    id,
    object: 'setup_intent',
    allowed_payment_method_types: fields.allowed,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: clientSecretFor(id),
    created: nowSeconds(),
    customer: fields.customer,
    description: fields.description,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: fields.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: 'requires_payment_method',
    usage: fields.usage,
  });
  emu.events.emit('setup_intent.created', si, ctx);
  return si;
}

function succeed(emu: Emulator, si: SetupIntent, pm: PaymentMethod, ctx: RequestContext): void {
  if (typeof si.customer === 'string') attachPaymentMethod(emu, pm, requireCustomer(emu, si.customer), ctx);
  Object.assign(si, { status: 'succeeded', payment_method: pm.id, last_setup_error: null, next_action: null });
  emu.events.emit('setup_intent.succeeded', si, ctx);
}

function fail(emu: Emulator, si: SetupIntent, lastSetupError: Record<string, unknown>, ctx: RequestContext): void {
  Object.assign(si, { status: 'requires_payment_method', payment_method: null, last_setup_error: lastSetupError, next_action: null });
  emu.events.emit('setup_intent.setup_failed', si, ctx);
}

/**
 * Saves the card for later payments, checking it with the issuer as Stripe does. A card that
 * always asks for 3D Secure waits for authentication unless a person already did it (`authenticated`,
 * on the hosted page).
 */
export function attemptSetup(emu: Emulator, si: SetupIntent, pm: PaymentMethod, ctx: RequestContext, authenticated: boolean): SetupOutcome {
  if (si.status !== 'requires_payment_method' && si.status !== 'requires_confirmation') unexpectedState(si, 'confirm');
  refuseDetached(emu, pm);
  if (pm.customer && pm.customer !== si.customer) {
    throw invalidRequest('The provided PaymentMethod belongs to another Customer. Use a PaymentMethod attached to this SetupIntent\'s customer.', { code: 'payment_method_unexpected_state', param: 'payment_method' });
  }
  const atSetup = testCardOf(emu, pm).atSetup;
  if (atSetup === 'succeeds' || (atSetup === 'authentication_required' && authenticated)) {
    succeed(emu, si, pm, ctx);
    return 'succeeded';
  }
  if (atSetup === 'authentication_required') {
    Object.assign(si, {
      status: 'requires_action',
      payment_method: pm.id,
      next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: `${emu.config.publicUrl}/_emulator/setup_intents/${si.id}/authenticate` } },
    });
    emu.events.emit('setup_intent.requires_action', si, ctx);
    return 'requires_action';
  }
  fail(emu, si, lastError(atSetup, copy(pm), null), ctx);
  return atSetup;
}

/** The API's confirmation: a refused card is a 402 carrying the SetupIntent, as on Stripe. */
function confirmSetupIntent(emu: Emulator, si: SetupIntent, paymentMethodId: string | undefined, ctx: RequestContext): SetupIntent {
  if (si.status !== 'requires_payment_method' && si.status !== 'requires_confirmation') unexpectedState(si, 'confirm');
  const pmId = paymentMethodId ?? (typeof si.payment_method === 'string' ? si.payment_method : undefined);
  if (!pmId) {
    throw invalidRequest("You cannot confirm this SetupIntent because it's missing a payment method. Update the SetupIntent with a payment method and then confirm it again.", { code: 'setup_intent_unexpected_state', param: 'payment_method' });
  }
  const pm = resolvePaymentMethod(emu, pmId);
  const outcome = attemptSetup(emu, si, pm, ctx, false);
  if (outcome !== 'succeeded' && outcome !== 'requires_action') throw cardError(outcome, { setup_intent: copy(si), payment_method: copy(pm) });
  return si;
}

/** What the 3D Secure challenge does when the person completes or fails it (test control). */
export function authenticateSetupIntent(emu: Emulator, id: string, outcome: 'complete' | 'fail', ctx: RequestContext): SetupIntent {
  const si = emu.store.require<SetupIntent>(id, 'setup_intent', 'intent');
  if (si.status !== 'requires_action') unexpectedState(si, 'authenticate');
  const pm = emu.store.require<PaymentMethod>(si.payment_method as string, 'payment_method');
  if (outcome === 'complete') succeed(emu, si, pm, ctx);
  else {
    fail(emu, si, {
      code: 'setup_intent_authentication_failure',
      doc_url: 'https://stripe.com/docs/error-codes/setup-intent-authentication-failure',
      message: 'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
      payment_method: copy(pm),
      type: 'invalid_request_error',
    }, ctx);
  }
  return si;
}

function createSetupIntent(emu: Emulator, p: Params, ctx: RequestContext): SetupIntent {
  allowOnly(p, ['customer', 'usage', 'allowed_payment_method_types', 'payment_method_types', 'payment_method', 'confirm', 'metadata', 'description', 'return_url', 'use_stripe_sdk']);
  const customer = str(p.customer, 'customer');
  if (customer) requireCustomer(emu, customer, 'customer');
  const allowed = allowedTypes(p);
  const usage = (str(p.usage, 'usage', { oneOf: ['off_session', 'on_session'] }) ?? 'off_session') as SetupIntent['usage'];
  const pmId = str(p.payment_method, 'payment_method');
  const pm = pmId ? resolvePaymentMethod(emu, pmId) : null;
  const si = newSetupIntent(emu, { customer: customer ?? null, usage, metadata: metadata(p.metadata), description: str(p.description, 'description') ?? null, allowed }, ctx);
  if (pm) Object.assign(si, { payment_method: pm.id, status: 'requires_confirmation' });
  if (bool(p.confirm, 'confirm')) return confirmSetupIntent(emu, si, pm?.id, ctx);
  return si;
}

export function registerSetupIntentRoutes(app: FastifyInstance, emu: Emulator): void {
  const find = (id: string) => emu.store.require<SetupIntent>(id, 'setup_intent', 'intent');

  app.post('/v1/setup_intents', async (req) => {
    const p = asParams(req.body);
    return expand(createSetupIntent(emu, p, requestContext(req)), expandPaths(p), emu.store);
  });

  app.get<{ Params: { id: string } }>('/v1/setup_intents/:id', async (req) => expand(find(req.params.id), expandPaths(asParams(req.query)), emu.store));

  app.get('/v1/setup_intents', async (req) => {
    const q = asParams(req.query);
    const customer = str(q.customer, 'customer');
    const pm = str(q.payment_method, 'payment_method');
    const intents = emu.store.all<SetupIntent>('setup_intent').filter((si) => (!customer || si.customer === customer) && (!pm || si.payment_method === pm));
    return paginate(intents, q, '/v1/setup_intents');
  });

  app.post<{ Params: { id: string } }>('/v1/setup_intents/:id/confirm', async (req) => {
    const p = asParams(req.body);
    allowOnly(p, ['payment_method', 'return_url', 'use_stripe_sdk']);
    const si = confirmSetupIntent(emu, find(req.params.id), str(p.payment_method, 'payment_method'), requestContext(req));
    return expand(si, expandPaths(p), emu.store);
  });

  app.post<{ Params: { id: string } }>('/v1/setup_intents/:id/cancel', async (req) => {
    const p = asParams(req.body);
    allowOnly(p, ['cancellation_reason']);
    const si = find(req.params.id);
    if (si.status === 'succeeded' || si.status === 'canceled') unexpectedState(si, 'cancel');
    Object.assign(si, { status: 'canceled', next_action: null, cancellation_reason: str(p.cancellation_reason, 'cancellation_reason', { oneOf: ['abandoned', 'requested_by_customer', 'duplicate'] }) ?? null });
    emu.events.emit('setup_intent.canceled', si, requestContext(req));
    return expand(si, expandPaths(p), emu.store);
  });
}
