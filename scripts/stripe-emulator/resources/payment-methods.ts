import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { cardById, cardError, last4, type TestCard } from '../cards.js';
import type { Emulator } from '../context.js';
import { invalidRequest, paramError, StripeApiError } from '../errors.js';
import { newId, nowSeconds } from '../ids.js';
import { allowOnly, asParams, expandPaths, list, metadata, obj, requiredStr, str, type Params } from '../params.js';
import { requestContext } from '../request-context.js';
import { copy, expand, paginate } from '../store.js';
import type { Customer, PaymentMethod, RequestContext } from '../types.js';
import { paymentMethodsOf, requireCustomer, updateCustomer } from './customers.js';

const NO_ADDRESS = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

/**
 * `allowed_payment_method_types` (this API version's name; `payment_method_types` before it) as
 * given, or null. Only cards are emulated.
 */
export function allowedTypes(p: Params): string[] | null {
  const param = p.allowed_payment_method_types !== undefined ? 'allowed_payment_method_types' : 'payment_method_types';
  const raw = list(p[param], param);
  if (!raw) return null;
  const types = raw.map((t, i) => requiredStr(t, `${param}[${i}]`));
  if (types.some((t) => t !== 'card')) throw invalidRequest('The Stripe emulator supports only card payment methods.', { param });
  return types;
}

/** The same card gives the same fingerprint, as on Stripe, so duplicates can be spotted. */
function fingerprint(card: TestCard): string {
  return createHash('sha256').update(card.number).digest('base64url').slice(0, 16);
}

/** A new card PaymentMethod for a test card (what Stripe does with `pm_card_visa`, `tok_visa` or a typed number). */
export function paymentMethodForCard(emu: Emulator, card: TestCard, billing: { email?: string | null; name?: string | null } = {}): PaymentMethod {
  const pm = emu.store.put<PaymentMethod>({
    id: newId('paymentMethod'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: { ...NO_ADDRESS }, email: billing.email ?? null, name: billing.name ?? null, phone: null, tax_id: null },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: 'US',
      display_brand: card.brand,
      exp_month: 12,
      exp_year: new Date().getFullYear() + 3,
      fingerprint: fingerprint(card),
      funding: card.funding,
      generated_from: null,
      last4: last4(card),
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: nowSeconds(),
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  });
  emu.cards.set(pm.id, card);
  return pm;
}

/** A PaymentMethod by id; a test id (`pm_card_visa`, `tok_visa`) makes a new one each time, as on Stripe. */
export function resolvePaymentMethod(emu: Emulator, id: string, param = 'payment_method'): PaymentMethod {
  const card = cardById(id);
  if (card) return paymentMethodForCard(emu, card);
  const pm = emu.store.get<PaymentMethod>(id, 'payment_method');
  if (!pm) throw new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such PaymentMethod: '${id}'`, param });
  return pm;
}

export function testCardOf(emu: Emulator, pm: PaymentMethod): TestCard {
  const card = emu.cards.get(pm.id);
  if (!card) throw new Error(`no test card behind ${pm.id}`);
  return card;
}

/** Stripe refuses to use a detached PaymentMethod again. */
export function refuseDetached(emu: Emulator, pm: PaymentMethod, param = 'payment_method'): void {
  if (emu.detachedPaymentMethods.has(pm.id)) {
    throw invalidRequest('This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.', { code: 'payment_method_unexpected_state', param });
  }
}

/** Saves the card on the customer; a card the issuer refuses to verify cannot be saved (402). */
export function attachPaymentMethod(emu: Emulator, pm: PaymentMethod, customer: Customer, ctx: RequestContext): PaymentMethod {
  if (pm.customer === customer.id) return pm;
  if (pm.customer) throw invalidRequest('The payment method you provided has already been attached to a customer.', { code: 'payment_method_unexpected_state', param: 'payment_method' });
  refuseDetached(emu, pm);
  const atSetup = testCardOf(emu, pm).atSetup;
  // Attaching checks the card with the issuer but never asks for 3D Secure.
  if (atSetup !== 'succeeds' && atSetup !== 'authentication_required') throw cardError(atSetup, { payment_method: copy(pm) });
  pm.customer = customer.id;
  emu.events.emit('payment_method.attached', pm, ctx);
  return pm;
}

function detachPaymentMethod(emu: Emulator, pm: PaymentMethod, ctx: RequestContext): PaymentMethod {
  if (!pm.customer) throw invalidRequest('The payment method you provided is not attached to a customer so detachment is impossible.', { code: 'payment_method_unexpected_state' });
  const customer = requireCustomer(emu, pm.customer as string);
  if (customer.invoice_settings.default_payment_method === pm.id) updateCustomer(emu, customer, { invoice_settings: { default_payment_method: '' } }, ctx);
  const previous = { customer: pm.customer };
  pm.customer = null;
  emu.detachedPaymentMethods.add(pm.id);
  emu.events.emit('payment_method.detached', pm, ctx, previous);
  return pm;
}

function createPaymentMethod(emu: Emulator, p: Params): PaymentMethod {
  allowOnly(p, ['type', 'card', 'billing_details', 'metadata']);
  requiredStr(p.type, 'type', { oneOf: ['card'] });
  const cardParams = obj(p.card, 'card', { required: true })!;
  allowOnly(cardParams, ['token', 'number', 'exp_month', 'exp_year', 'cvc'], 'card');
  if (cardParams.number !== undefined) {
    throw invalidRequest("Sending credit card numbers directly to the Stripe API is generally unsafe. To continue processing use Stripe's test tokens (card[token]=tok_visa) or PaymentMethods (pm_card_visa).", { param: 'card[number]' });
  }
  const token = requiredStr(cardParams.token, 'card[token]');
  const card = cardById(token);
  if (!card || !token.startsWith('tok_')) throw paramError('resource_missing', `No such token: '${token}'`, 'card[token]');
  const billing = obj(p.billing_details, 'billing_details') ?? {};
  allowOnly(billing, ['email', 'name', 'phone', 'address'], 'billing_details');
  const pm = paymentMethodForCard(emu, card, { email: str(billing.email, 'billing_details[email]'), name: str(billing.name, 'billing_details[name]') });
  pm.metadata = metadata(p.metadata);
  return pm;
}

export function registerPaymentMethodRoutes(app: FastifyInstance, emu: Emulator): void {
  app.post('/v1/payment_methods', async (req) => {
    const p = asParams(req.body);
    return expand(createPaymentMethod(emu, p), expandPaths(p), emu.store);
  });

  app.get<{ Params: { id: string } }>('/v1/payment_methods/:id', async (req) => expand(resolvePaymentMethod(emu, req.params.id, 'payment_method'), expandPaths(asParams(req.query)), emu.store));

  app.get('/v1/payment_methods', async (req) => {
    const q = asParams(req.query);
    str(q.type, 'type', { oneOf: ['card'] });
    const customer = str(q.customer, 'customer');
    if (customer) requireCustomer(emu, customer, 'customer');
    const pms = customer ? paymentMethodsOf(emu, customer) : emu.store.all<PaymentMethod>('payment_method');
    return paginate(pms, q, '/v1/payment_methods');
  });

  app.post<{ Params: { id: string } }>('/v1/payment_methods/:id/attach', async (req) => {
    const p = asParams(req.body);
    allowOnly(p, ['customer']);
    const customer = requireCustomer(emu, requiredStr(p.customer, 'customer'), 'customer');
    const pm = resolvePaymentMethod(emu, req.params.id, 'payment_method');
    return expand(attachPaymentMethod(emu, pm, customer, requestContext(req)), expandPaths(p), emu.store);
  });

  app.post<{ Params: { id: string } }>('/v1/payment_methods/:id/detach', async (req) => {
    const p = asParams(req.body);
    allowOnly(p, []);
    const pm = resolvePaymentMethod(emu, req.params.id, 'payment_method');
    return expand(detachPaymentMethod(emu, pm, requestContext(req)), expandPaths(p), emu.store);
  });
}
