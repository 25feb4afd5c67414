import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../context.js';
import { invalidRequest, noSuch, paramError, StripeApiError } from '../errors.js';
import { newId, nowSeconds } from '../ids.js';
import { formatForError } from '../money.js';
import { allowOnly, asParams, expandPaths, int, list, metadata, obj, requiredInt, requiredStr, str, type Params } from '../params.js';
import { requestContext } from '../request-context.js';
import { copy, expand, paginate } from '../store.js';
import { noRequest, type Account, type CheckoutSession, type LineItem, type ListObject, type PaymentIntentData, type RequestContext, type SetupIntentData } from '../types.js';
import { requireCustomer } from './customers.js';
import { allowedTypes } from './payment-methods.js';

export function lineItemsOf(emu: Emulator, sessionId: string): LineItem[] {
  return emu.checkout.get(sessionId)?.lineItems ?? [];
}

export function intentDataOf(emu: Emulator, sessionId: string): PaymentIntentData {
  const extras = emu.checkout.get(sessionId);
  if (!extras) throw noSuch('checkout.session', sessionId, 'session');
  if (!extras.intentData) throw invalidRequest('This Checkout Session is in setup mode: it saves a card and takes no payment.', { code: 'checkout_session_mode_mismatch' });
  return extras.intentData;
}

export function setupIntentDataOf(emu: Emulator, sessionId: string): SetupIntentData {
  const extras = emu.checkout.get(sessionId);
  if (!extras) throw noSuch('checkout.session', sessionId, 'session');
  if (!extras.setupIntentData) throw invalidRequest('This Checkout Session is in payment mode: it takes a payment, not a card to save.', { code: 'checkout_session_mode_mismatch' });
  return extras.setupIntentData;
}

function parseLineItem(raw: unknown, i: number, created: number): LineItem {
  const name = `line_items[${i}]`;
  const item = obj(raw, name, { required: true })!;
  allowOnly(item, ['price_data', 'quantity', 'price'], name);
  if (item.price !== undefined) {
    throw invalidRequest('The Stripe emulator supports only `price_data` line items, not saved prices.', { param: `${name}[price]` });
  }
  const priceData = obj(item.price_data, `${name}[price_data]`, { required: true })!;
  allowOnly(priceData, ['currency', 'unit_amount', 'product_data', 'tax_behavior'], `${name}[price_data]`);
  const currency = requiredStr(priceData.currency, `${name}[price_data][currency]`).toLowerCase();
  const unitAmount = requiredInt(priceData.unit_amount, `${name}[price_data][unit_amount]`, { min: 0 });
  const product = obj(priceData.product_data, `${name}[price_data][product_data]`, { required: true })!;
  allowOnly(product, ['name', 'description', 'metadata', 'images'], `${name}[price_data][product_data]`);
  const productName = requiredStr(product.name, `${name}[price_data][product_data][name]`);
  const description = str(product.description, `${name}[price_data][product_data][description]`) ?? null;
  const quantity = requiredInt(item.quantity, `${name}[quantity]`, { min: 1 });
  const productId = newId('product');
  return {
    id: newId('lineItem'),
    object: 'item',
    amount_discount: 0,
    amount_subtotal: unitAmount * quantity,
    amount_tax: 0,
    amount_total: unitAmount * quantity,
    currency,
    description: productName,
    price: {
      id: newId('price'),
      object: 'price',
      active: false,
      billing_scheme: 'per_unit',
      created,
      currency,
      livemode: false,
      metadata: {},
      product: productId,
      product_details: { name: productName, description, metadata: metadata(product.metadata, `${name}[price_data][product_data][metadata]`) },
      type: 'one_time',
      unit_amount: unitAmount,
      unit_amount_decimal: String(unitAmount),
    },
    quantity,
  };
}

/** A destination charge needs a connected account that exists and can receive transfers. */
export function requireTransferDestination(emu: Emulator, accountId: string, param: string): Account {
  const account = emu.store.get<Account>(accountId, 'account');
  if (!account) throw paramError('resource_missing', `No such destination: '${accountId}'`, param);
  if (!account.charges_enabled || account.capabilities.transfers !== 'active') {
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'insufficient_capabilities_for_transfer',
      message: 'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments',
      param,
    });
  }
  return account;
}

function parsePaymentIntentData(emu: Emulator, p: Params, amountTotal: number, currency: string): PaymentIntentData {
  const pid = obj(p.payment_intent_data, 'payment_intent_data') ?? {};
  allowOnly(pid, ['application_fee_amount', 'transfer_data', 'metadata', 'description', 'transfer_group', 'receipt_email', 'statement_descriptor', 'setup_future_usage'], 'payment_intent_data');
  const transferData = obj(pid.transfer_data, 'payment_intent_data[transfer_data]');
  if (transferData) allowOnly(transferData, ['destination'], 'payment_intent_data[transfer_data]');
  const destParam = 'payment_intent_data[transfer_data][destination]';
  const destination = transferData ? requiredStr(transferData.destination, destParam) : null;
  if (destination) requireTransferDestination(emu, destination, destParam);
  const fee = int(pid.application_fee_amount, 'payment_intent_data[application_fee_amount]', { min: 0 }) ?? null;
  if (fee !== null && !destination) {
    throw invalidRequest('Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).', { param: 'payment_intent_data[application_fee_amount]' });
  }
  if (fee !== null && fee > amountTotal) {
    throw invalidRequest(`The application fee amount (${formatForError(fee, currency)}) cannot be greater than the total amount (${formatForError(amountTotal, currency)}).`, { param: 'payment_intent_data[application_fee_amount]' });
  }
  return {
    application_fee_amount: fee,
    destination,
    metadata: metadata(pid.metadata, 'payment_intent_data[metadata]'),
    description: str(pid.description, 'payment_intent_data[description]') ?? null,
    transfer_group: str(pid.transfer_group, 'payment_intent_data[transfer_group]') ?? null,
    setup_future_usage: (str(pid.setup_future_usage, 'payment_intent_data[setup_future_usage]', { oneOf: ['off_session', 'on_session'] }) ?? null) as PaymentIntentData['setup_future_usage'],
  };
}

/** Line items, amounts and PaymentIntent terms of a payment-mode session. */
function paymentTerms(emu: Emulator, p: Params, created: number) {
  const rawItems = list(p.line_items, 'line_items', { required: true })!;
  if (rawItems.length === 0) throw paramError('parameter_missing', 'Missing required param: line_items.', 'line_items');
  const items = rawItems.map((raw, i) => parseLineItem(raw, i, created));
  const currency = items[0]!.currency;
  if (items.some((i) => i.currency !== currency)) throw invalidRequest('All line items must use the same currency.', { param: 'line_items' });
  const amount = items.reduce((sum, i) => sum + i.amount_total, 0);
  return { items, currency, amount, intentData: parsePaymentIntentData(emu, p, amount, currency) };
}

/** A setup-mode session saves a card for later; it takes no line items and moves no money. */
function setupTerms(p: Params): SetupIntentData {
  if (p.line_items !== undefined) throw invalidRequest('You cannot pass `line_items` in `setup` mode.', { param: 'line_items' });
  if (p.payment_intent_data !== undefined) throw invalidRequest('You cannot pass `payment_intent_data` in `setup` mode.', { param: 'payment_intent_data' });
  const data = obj(p.setup_intent_data, 'setup_intent_data') ?? {};
  allowOnly(data, ['metadata', 'description', 'on_behalf_of'], 'setup_intent_data');
  return { metadata: metadata(data.metadata, 'setup_intent_data[metadata]'), description: str(data.description, 'setup_intent_data[description]') ?? null };
}

export function createCheckoutSession(emu: Emulator, p: Params): CheckoutSession {
  allowOnly(p, ['mode', 'line_items', 'payment_intent_data', 'setup_intent_data', 'customer', 'currency', 'metadata', 'client_reference_id', 'customer_email', 'success_url', 'cancel_url', 'expires_at', 'allowed_payment_method_types', 'payment_method_types', 'locale', 'submit_type']);
  const mode = requiredStr(p.mode, 'mode', { oneOf: ['payment', 'setup', 'subscription'] });
  if (mode === 'subscription') throw invalidRequest('The Stripe emulator supports only `mode=payment` and `mode=setup` Checkout Sessions.', { param: 'mode' });
  const created = nowSeconds();
  const customerId = str(p.customer, 'customer') ?? null;
  const customerEmail = str(p.customer_email, 'customer_email') ?? null;
  if (customerId && customerEmail) throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', { param: 'customer_email' });
  if (customerId) requireCustomer(emu, customerId, 'customer');
  const payment = mode === 'payment' ? paymentTerms(emu, p, created) : null;
  const setupIntentData = mode === 'setup' ? setupTerms(p) : null;
  const allowed = allowedTypes(p);
  if (setupIntentData && !allowed && p.currency === undefined) {
    throw paramError('parameter_missing', 'Missing required param: currency. It is required in `setup` mode when `allowed_payment_method_types` is not set.', 'currency');
  }
  const successUrl = requiredStr(p.success_url, 'success_url');
  const expiresAt = int(p.expires_at, 'expires_at') ?? created + 24 * 3600;
  if (expiresAt < created + 30 * 60 || expiresAt > created + 24 * 3600) {
    throw invalidRequest('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', { param: 'expires_at' });
  }
  const id = newId('checkoutSession');
  const session: CheckoutSession = {
    id,
    object: 'checkout.session',
    after_expiration: null,
    allowed_payment_method_types: allowed,
    allow_promotion_codes: null,
    amount_subtotal: payment?.amount ?? null,
    amount_total: payment?.amount ?? null,
    automatic_tax: { enabled: false, liability: null, status: null },
    billing_address_collection: null,
    cancel_url: str(p.cancel_url, 'cancel_url') ?? null,
    client_reference_id: str(p.client_reference_id, 'client_reference_id') ?? null,
    client_secret: null,
    created,
    currency: payment?.currency ?? str(p.currency, 'currency')?.toLowerCase() ?? null,
    customer: customerId,
    customer_creation: customerId ? null : 'if_required',
    customer_details: null,
    customer_email: customerEmail,
    expires_at: expiresAt,
    invoice: null,
    livemode: false,
    locale: str(p.locale, 'locale') ?? null,
    metadata: metadata(p.metadata),
    mode: mode as CheckoutSession['mode'],
    payment_intent: null,
    payment_link: null,
    payment_method_types: ['card'],
    payment_status: payment ? 'unpaid' : 'no_payment_required',
    setup_intent: null,
    status: 'open',
    submit_type: str(p.submit_type, 'submit_type') ?? null,
    success_url: successUrl,
    total_details: payment ? { amount_discount: 0, amount_shipping: 0, amount_tax: 0 } : null,
    ui_mode: 'hosted',
    url: `${emu.config.publicUrl}/checkout/${id}`,
  };
  emu.checkout.set(id, { lineItems: payment?.items ?? [], intentData: payment?.intentData ?? null, setupIntentData });
  return emu.store.put(session);
}

export function expireSession(emu: Emulator, session: CheckoutSession, ctx: RequestContext): void {
  session.status = 'expired';
  session.url = null;
  emu.events.emit('checkout.session.expired', session, ctx);
}

/** Sessions past their expires_at expire, with their webhook, as on Stripe (checked on access and by a timer). */
export function expireDueSessions(emu: Emulator): void {
  const now = nowSeconds();
  for (const s of emu.store.all<CheckoutSession>('checkout.session').reverse()) {
    if (s.status === 'open' && s.expires_at <= now) expireSession(emu, s, noRequest);
  }
}

export function requireSession(emu: Emulator, id: string): CheckoutSession {
  expireDueSessions(emu);
  return emu.store.require<CheckoutSession>(id, 'checkout.session', 'session');
}

function lineItemsList(emu: Emulator, sessionId: string, query: Params = {}): ListObject<LineItem> {
  return paginate([...lineItemsOf(emu, sessionId)].reverse(), query, `/v1/checkout/sessions/${sessionId}/line_items`) as ListObject<LineItem>;
}

function render(emu: Emulator, session: CheckoutSession, query: Params): CheckoutSession {
  const paths = expandPaths(query);
  const out = expand(session, paths.filter((x) => !x.startsWith('line_items')), emu.store);
  if (paths.includes('line_items')) {
    const items = lineItemsOf(emu, session.id).map(copy);
    out.line_items = { object: 'list', data: items, has_more: false, url: `/v1/checkout/sessions/${session.id}/line_items` };
  }
  return out;
}

export function registerCheckoutSessionRoutes(app: FastifyInstance, emu: Emulator): void {
  app.post('/v1/checkout/sessions', async (req) => {
    const p = asParams(req.body);
    return render(emu, createCheckoutSession(emu, p), p);
  });

  app.get('/v1/checkout/sessions', async (req) => {
    const q = asParams(req.query);
    const pi = str(q.payment_intent, 'payment_intent');
    const customer = str(q.customer, 'customer');
    const sessions = emu.store.all<CheckoutSession>('checkout.session').filter((s) => (!pi || s.payment_intent === pi) && (!customer || s.customer === customer));
    return paginate(sessions, q, '/v1/checkout/sessions');
  });

  app.get<{ Params: { id: string } }>('/v1/checkout/sessions/:id', async (req) => render(emu, requireSession(emu, req.params.id), asParams(req.query)));

  app.get<{ Params: { id: string } }>('/v1/checkout/sessions/:id/line_items', async (req) => {
    requireSession(emu, req.params.id);
    return lineItemsList(emu, req.params.id, asParams(req.query));
  });

  app.post<{ Params: { id: string } }>('/v1/checkout/sessions/:id/expire', async (req) => {
    const session = requireSession(emu, req.params.id);
    if (session.status !== 'open') {
      throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
    }
    expireSession(emu, session, requestContext(req));
    return render(emu, session, asParams(req.body));
  });
}
