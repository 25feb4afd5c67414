import type { Emulator } from '../context.js';
import { invalidRequest } from '../errors.js';
import { clientSecretFor, newId, nowSeconds } from '../ids.js';
import { cardByNumber, type TestCard } from '../cards.js';
import { incorrectNumber } from './checkout-setup.js';
import { noRequest, type CheckoutSession, type Customer, type PaymentIntent, type PaymentIntentData, type PaymentMethod } from '../types.js';
import { chargedCard, recordSucceededCharge } from './charges.js';
import { createCustomer, requireCustomer } from './customers.js';
import { attachPaymentMethod, paymentMethodForCard } from './payment-methods.js';
import { intentDataOf, requireSession } from './checkout-sessions.js';

const TEST_EMAIL = 'client.test@example.com';

export function requireOpen(emu: Emulator, sessionId: string): CheckoutSession {
  const session = requireSession(emu, sessionId);
  if (session.status === 'complete') throw invalidRequest('This Checkout Session is no longer active: it has already been completed.', { code: 'checkout_session_complete' });
  if (session.status === 'expired') throw invalidRequest('This Checkout Session is no longer active: it has expired.', { code: 'checkout_session_expired' });
  return session;
}

/** The PaymentIntent Checkout creates on the first attempt to pay; later attempts reuse it. */
function paymentIntentFor(emu: Emulator, session: CheckoutSession, data: PaymentIntentData): PaymentIntent {
  if (typeof session.payment_intent === 'string') return emu.store.require<PaymentIntent>(session.payment_intent, 'payment_intent');
  const id = newId('paymentIntent');
  const pi = emu.store.put<PaymentIntent>({
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: session.amount_total ?? 0,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: data.application_fee_amount,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: clientSecretFor(id),
    confirmation_method: 'automatic',
    created: nowSeconds(),
    currency: session.currency ?? 'cad',
    customer: typeof session.customer === 'string' ? session.customer : null,
    description: data.description,
    excluded_payment_method_types: null,
    setup_future_usage: data.setup_future_usage,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: { ...data.metadata },
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_types: ['card'],
    receipt_email: session.customer_email,
    status: 'requires_payment_method',
    transfer_data: data.destination ? { destination: data.destination } : null,
    transfer_group: data.destination ? (data.transfer_group ?? `group_${id}`) : data.transfer_group,
  });
  session.payment_intent = pi.id;
  return pi;
}

function cardDetails() {
  return {
    card: { brand: 'visa', country: 'US', exp_month: 12, exp_year: new Date().getFullYear() + 3, funding: 'credit', last4: '4242', network: 'visa' },
    type: 'card',
  };
}

/**
 * `setup_future_usage`: the card paid with is saved on the session's customer (one is created
 * when the session has none, as Checkout does), so later visits can be charged off-session.
 */
function saveCardForLater(emu: Emulator, session: CheckoutSession, pi: PaymentIntent, email: string, card: TestCard): PaymentMethod {
  const customer = typeof session.customer === 'string'
    ? requireCustomer(emu, session.customer)
    : createCustomer(emu, { email, name: 'Client Test' }, noRequest);
  const pm = paymentMethodForCard(emu, card, { email: customer.email ?? email, name: customer.name ?? 'Client Test' });
  attachPaymentMethod(emu, pm, customer, noRequest);
  session.customer = customer.id;
  pi.customer = customer.id;
  return pm;
}

/** The cards the test page can pay with: those a charge accepts (a 3D Secure card once the person has authenticated there). */
function payingCard(typed: string): TestCard {
  const card = cardByNumber(typed);
  if (!card) throw incorrectNumber();
  if (card.atCharge !== 'succeeds' && card.atCharge !== 'authentication_required') {
    throw invalidRequest(`The test card ${typed} is declined: use /_emulator/checkout/:id/decline for a refused payment.`, { param: 'card' });
  }
  return card;
}

/**
 * The client pays with a test card (4242 by default): charge, Stripe's fee, the platform's
 * application fee and the transfer to the co-op.
 */
export function payCheckoutSession(emu: Emulator, sessionId: string, typed = '4242424242424242') {
  const card = payingCard(typed);
  const session = requireOpen(emu, sessionId);
  const data = intentDataOf(emu, session.id);
  const pi = paymentIntentFor(emu, session, data);
  const email = session.customer_email ?? (typeof session.customer === 'string' ? emu.store.get<Customer>(session.customer, 'customer')?.email : null) ?? TEST_EMAIL;
  const paid = chargedCard(data.setup_future_usage
    ? saveCardForLater(emu, session, pi, email, card)
    : paymentMethodForCard(emu, card, { email, name: 'Client Test' }));
  const { charge, applicationFee, transfer } = recordSucceededCharge(emu, pi, paid);

  Object.assign(pi, { status: 'succeeded', amount_received: pi.amount, latest_charge: charge.id, last_payment_error: null, payment_method: charge.payment_method });
  Object.assign(session, {
    status: 'complete',
    payment_status: 'paid',
    payment_intent: pi.id,
    url: null,
    customer_details: { address: { city: null, country: 'CA', line1: null, line2: null, postal_code: 'H2X 1Y4', state: null }, email, name: 'Client Test', phone: null, tax_exempt: 'none', tax_ids: [] },
  });

  emu.events.emit('payment_intent.succeeded', pi, noRequest);
  emu.events.emit('charge.succeeded', charge, noRequest);
  emu.events.emit('checkout.session.completed', session, noRequest);
  return { session, paymentIntent: pi, charge, applicationFee, transfer };
}

/** The declined test card: the PaymentIntent waits for another payment method; the session stays open. */
export function declineCheckoutSession(emu: Emulator, sessionId: string) {
  const session = requireOpen(emu, sessionId);
  const pi = paymentIntentFor(emu, session, intentDataOf(emu, session.id));
  const paymentMethod = newId('paymentMethod');
  pi.status = 'requires_payment_method';
  pi.payment_method = null;
  pi.last_payment_error = {
    charge: null,
    code: 'card_declined',
    decline_code: 'generic_decline',
    doc_url: 'https://stripe.com/docs/error-codes/card-declined',
    message: 'Your card was declined.',
    payment_method: { id: paymentMethod, object: 'payment_method', card: { ...cardDetails().card, last4: '0002' }, type: 'card' },
    type: 'card_error',
  };
  emu.events.emit('payment_intent.payment_failed', pi, noRequest);
  return { session, paymentIntent: pi };
}
