import type { FastifyInstance } from 'fastify';
import { cardError, type Decline } from '../cards.js';
import type { Emulator } from '../context.js';
import { invalidRequest, paramError } from '../errors.js';
import { clientSecretFor, newId, nowSeconds } from '../ids.js';
import { formatForError } from '../money.js';
import { allowOnly, asParams, bool, expandPaths, int, metadata, obj, requiredInt, requiredStr, str, type Params } from '../params.js';
import { requestContext } from '../request-context.js';
import { copy, expand } from '../store.js';
import type { PaymentIntent, PaymentMethod, RequestContext } from '../types.js';
import { chargedCard, lastError, recordFailedCharge, recordSucceededCharge } from './charges.js';
import { requireTransferDestination } from './checkout-sessions.js';
import { requireCustomer } from './customers.js';
import { allowedTypes, refuseDetached, resolvePaymentMethod, testCardOf } from './payment-methods.js';

/** Stripe's minimum charge in CAD (and most currencies): 50 cents. */
const MINIMUM_AMOUNT = 50;

function unexpectedState(pi: PaymentIntent, doing: string): never {
  throw invalidRequest(`You cannot ${doing} this PaymentIntent because it has a status of ${pi.status}.`, { code: 'payment_intent_unexpected_state', payment_intent: copy(pi) });
}

/** `off_session` is true/false or, as Stripe also accepts, 'one_off' / 'recurring'. */
function offSessionParam(v: unknown): boolean {
  if (v === 'one_off' || v === 'recurring') return true;
  return bool(v, 'off_session') ?? false;
}

function destinationTerms(emu: Emulator, p: Params, amount: number, currency: string) {
  const transferData = obj(p.transfer_data, 'transfer_data');
  if (transferData) allowOnly(transferData, ['destination'], 'transfer_data');
  const destination = transferData ? requiredStr(transferData.destination, 'transfer_data[destination]') : null;
  if (destination) requireTransferDestination(emu, destination, 'transfer_data[destination]');
  const fee = int(p.application_fee_amount, 'application_fee_amount', { min: 0 }) ?? null;
  if (fee !== null && !destination) {
    throw invalidRequest('Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).', { param: 'application_fee_amount' });
  }
  if (fee !== null && fee > amount) {
    throw invalidRequest(`The application fee amount (${formatForError(fee, currency)}) cannot be greater than the total amount (${formatForError(amount, currency)}).`, { param: 'application_fee_amount' });
  }
  return { destination, fee };
}

function succeed(emu: Emulator, pi: PaymentIntent, pm: PaymentMethod, ctx: RequestContext): void {
  const { charge } = recordSucceededCharge(emu, pi, chargedCard(pm));
  Object.assign(pi, { status: 'succeeded', amount_received: pi.amount, latest_charge: charge.id, last_payment_error: null, next_action: null, payment_method: pm.id });
  emu.events.emit('payment_intent.succeeded', pi, ctx);
  emu.events.emit('charge.succeeded', charge, ctx);
}

/** A decline: a failed charge, the intent back to requires_payment_method, and the 402 Stripe answers. */
function decline(emu: Emulator, pi: PaymentIntent, pm: PaymentMethod, outcome: Decline, ctx: RequestContext): never {
  const charge = recordFailedCharge(emu, pi, chargedCard(pm), outcome);
  Object.assign(pi, { status: 'requires_payment_method', latest_charge: charge.id, last_payment_error: lastError(outcome, copy(pm), charge.id), next_action: null, payment_method: null });
  emu.events.emit('charge.failed', charge, ctx);
  emu.events.emit('payment_intent.payment_failed', pi, ctx);
  throw cardError(outcome, { charge: charge.id, payment_intent: copy(pi), payment_method: copy(pm) });
}

function missingPaymentMethod(): never {
  throw invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.", { code: 'payment_intent_unexpected_state', param: 'payment_method' });
}

/** A saved card is used only with its own customer, and a detached one not at all. */
function requireUsable(emu: Emulator, customer: string | null, pm: PaymentMethod): void {
  refuseDetached(emu, pm);
  if (!pm.customer || pm.customer === customer) return;
  if (!customer) {
    throw invalidRequest(`The PaymentMethod ${pm.id} belongs to the Customer ${String(pm.customer)}. Please include the Customer in the \`customer\` parameter on the PaymentIntent.`, { param: 'payment_method' });
  }
  throw invalidRequest(`The PaymentMethod ${pm.id} does not belong to the Customer ${customer}.`, { param: 'payment_method' });
}

/**
 * Charges the card. Off-session (a saved card, nobody there), a card that asks for 3D Secure
 * is declined with authentication_required; on-session it waits in requires_action.
 */
export function confirmPaymentIntent(emu: Emulator, pi: PaymentIntent, opts: { paymentMethod?: string; offSession: boolean }, ctx: RequestContext): PaymentIntent {
  if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation') unexpectedState(pi, 'confirm');
  const pmId = opts.paymentMethod ?? (typeof pi.payment_method === 'string' ? pi.payment_method : undefined);
  if (!pmId) missingPaymentMethod();
  const pm = resolvePaymentMethod(emu, pmId);
  requireUsable(emu, typeof pi.customer === 'string' ? pi.customer : null, pm);
  pi.payment_method = pm.id;
  const atCharge = testCardOf(emu, pm).atCharge;
  if (atCharge === 'succeeds') succeed(emu, pi, pm, ctx);
  else if (atCharge === 'authentication_required' && !opts.offSession) {
    Object.assign(pi, {
      status: 'requires_action',
      next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: `${emu.config.publicUrl}/_emulator/payment_intents/${pi.id}/authenticate` } },
    });
    emu.events.emit('payment_intent.requires_action', pi, ctx);
  } else decline(emu, pi, pm, atCharge, ctx);
  return pi;
}

/** What the 3D Secure challenge of an on-session payment does (test control). */
export function authenticatePaymentIntent(emu: Emulator, id: string, outcome: 'complete' | 'fail', ctx: RequestContext): PaymentIntent {
  const pi = emu.store.require<PaymentIntent>(id, 'payment_intent', 'intent');
  if (pi.status !== 'requires_action') unexpectedState(pi, 'authenticate');
  const pm = emu.store.require<PaymentMethod>(pi.payment_method as string, 'payment_method');
  if (outcome === 'complete') succeed(emu, pi, pm, ctx);
  else {
    Object.assign(pi, {
      status: 'requires_payment_method',
      next_action: null,
      payment_method: null,
      last_payment_error: {
        code: 'payment_intent_authentication_failure',
        doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
        message: 'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
        payment_method: copy(pm),
        type: 'invalid_request_error',
      },
    });
    emu.events.emit('payment_intent.payment_failed', pi, ctx);
  }
  return pi;
}

function createPaymentIntent(emu: Emulator, p: Params, ctx: RequestContext): PaymentIntent {
  allowOnly(p, ['amount', 'currency', 'customer', 'payment_method', 'allowed_payment_method_types', 'payment_method_types', 'off_session', 'confirm', 'application_fee_amount', 'transfer_data', 'transfer_group', 'metadata', 'description', 'receipt_email', 'statement_descriptor_suffix']);
  const amount = requiredInt(p.amount, 'amount');
  const currency = requiredStr(p.currency, 'currency').toLowerCase();
  if (amount < MINIMUM_AMOUNT) throw paramError('amount_too_small', `Amount must be at least ${formatForError(MINIMUM_AMOUNT, currency)} ${currency}`, 'amount');
  const allowed = allowedTypes(p);
  const confirm = bool(p.confirm, 'confirm') ?? false;
  const offSession = offSessionParam(p.off_session);
  if (p.off_session !== undefined && !confirm) throw invalidRequest('off_session can only be used when confirm=true.', { param: 'off_session' });
  const customer = str(p.customer, 'customer') ?? null;
  if (customer) requireCustomer(emu, customer, 'customer');
  const { destination, fee } = destinationTerms(emu, p, amount, currency);
  const pmId = str(p.payment_method, 'payment_method');
  const pm = pmId ? resolvePaymentMethod(emu, pmId) : null;
  // Checked before anything is created: a request refused for its parameters leaves no intent behind.
  if (pm) requireUsable(emu, customer, pm);
  if (confirm && !pm) missingPaymentMethod();
  const id = newId('paymentIntent');
  const transferGroup = str(p.transfer_group, 'transfer_group') ?? null;
  const pi = emu.store.put<PaymentIntent>({
    id,
    object: 'payment_intent',
    allowed_payment_method_types: allowed,
    amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: fee,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: clientSecretFor(id),
    confirmation_method: 'automatic',
    created: nowSeconds(),
    currency,
    customer,
    description: str(p.description, 'description') ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: metadata(p.metadata),
    next_action: null,
    on_behalf_of: null,
    payment_method: pm?.id ?? null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    processing: null,
    receipt_email: str(p.receipt_email, 'receipt_email') ?? null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: str(p.statement_descriptor_suffix, 'statement_descriptor_suffix') ?? null,
    status: pm ? 'requires_confirmation' : 'requires_payment_method',
    transfer_data: destination ? { destination } : null,
    transfer_group: destination ? (transferGroup ?? `group_${id}`) : transferGroup,
  });
  emu.events.emit('payment_intent.created', pi, ctx);
  return confirm ? confirmPaymentIntent(emu, pi, { paymentMethod: pm?.id, offSession }, ctx) : pi;
}

export function registerPaymentIntentRoutes(app: FastifyInstance, emu: Emulator): void {
  const find = (id: string) => emu.store.require<PaymentIntent>(id, 'payment_intent', 'intent');

  app.post('/v1/payment_intents', async (req) => {
    const p = asParams(req.body);
    return expand(createPaymentIntent(emu, p, requestContext(req)), expandPaths(p), emu.store);
  });

  app.post<{ Params: { id: string } }>('/v1/payment_intents/:id/confirm', async (req) => {
    const p = asParams(req.body);
    allowOnly(p, ['payment_method', 'off_session', 'return_url', 'use_stripe_sdk']);
    const pi = confirmPaymentIntent(emu, find(req.params.id), { paymentMethod: str(p.payment_method, 'payment_method'), offSession: offSessionParam(p.off_session) }, requestContext(req));
    return expand(pi, expandPaths(p), emu.store);
  });

  app.post<{ Params: { id: string } }>('/v1/payment_intents/:id/cancel', async (req) => {
    const p = asParams(req.body);
    allowOnly(p, ['cancellation_reason']);
    const pi = find(req.params.id);
    if (pi.status === 'succeeded' || pi.status === 'canceled') unexpectedState(pi, 'cancel');
    const reason = str(p.cancellation_reason, 'cancellation_reason', { oneOf: ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] }) ?? null;
    Object.assign(pi, { status: 'canceled', canceled_at: nowSeconds(), cancellation_reason: reason, next_action: null });
    emu.events.emit('payment_intent.canceled', pi, requestContext(req));
    return expand(pi, expandPaths(p), emu.store);
  });
}
