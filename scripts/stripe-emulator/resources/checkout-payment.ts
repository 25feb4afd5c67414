import type { Emulator } from '../context.js';
import { invalidRequest } from '../errors.js';
import { clientSecretFor, newId, nowSeconds } from '../ids.js';
import { processingFee } from '../money.js';
import {
  noRequest,
  type ApplicationFee,
  type BalanceTransaction,
  type Charge,
  type CheckoutSession,
  type PaymentIntent,
  type PaymentIntentData,
  type Transfer,
} from '../types.js';
import { intentDataOf, requireSession } from './checkout-sessions.js';

const TEST_EMAIL = 'client.test@example.com';

function requireOpen(emu: Emulator, sessionId: string): CheckoutSession {
  const session = requireSession(emu, sessionId);
  if (session.status === 'complete') throw invalidRequest('This Checkout Session is no longer active: it has already been paid.', { code: 'checkout_session_complete' });
  if (session.status === 'expired') throw invalidRequest('This Checkout Session is no longer active: it has expired.', { code: 'checkout_session_expired' });
  return session;
}

export function balanceTransaction(emu: Emulator, fields: { amount: number; fee?: number; currency: string; type: string; reporting_category: string; source: string; description?: string | null }): BalanceTransaction {
  const created = nowSeconds();
  const fee = fields.fee ?? 0;
  return emu.store.put<BalanceTransaction>({
    id: newId('balanceTransaction'),
    object: 'balance_transaction',
    amount: fields.amount,
    available_on: created + 2 * 86_400,
    balance_type: 'payments',
    created,
    currency: fields.currency,
    description: fields.description ?? null,
    exchange_rate: null,
    fee,
    fee_details: fee ? [{ amount: fee, application: null, currency: fields.currency, description: 'Stripe processing fees', type: 'stripe_fee' }] : [],
    net: fields.amount - fee,
    reporting_category: fields.reporting_category,
    source: fields.source,
    status: 'pending',
    type: fields.type,
  });
}

/** The PaymentIntent Checkout creates on the first attempt to pay; later attempts reuse it. */
function paymentIntentFor(emu: Emulator, session: CheckoutSession, data: PaymentIntentData): PaymentIntent {
  if (typeof session.payment_intent === 'string') return emu.store.require<PaymentIntent>(session.payment_intent, 'payment_intent');
  const id = newId('paymentIntent');
  const pi = emu.store.put<PaymentIntent>({
    id,
    object: 'payment_intent',
    amount: session.amount_total,
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
    currency: session.currency,
    customer: null,
    description: data.description,
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

/** The test card 4242 succeeds: charge, Stripe's fee, the platform's application fee and the transfer to the co-op. */
export function payCheckoutSession(emu: Emulator, sessionId: string) {
  const session = requireOpen(emu, sessionId);
  const data = intentDataOf(emu, session.id);
  const pi = paymentIntentFor(emu, session, data);
  const created = nowSeconds();
  const chargeId = newId('charge');
  const currency = pi.currency;
  const stripeFee = processingFee(pi.amount, emu.config.fees);
  const chargeTxn = balanceTransaction(emu, { amount: pi.amount, fee: stripeFee, currency, type: 'charge', reporting_category: 'charge', source: chargeId });
  const email = session.customer_email ?? TEST_EMAIL;

  let applicationFee: ApplicationFee | null = null;
  let transfer: Transfer | null = null;
  if (data.destination) {
    const transferId = newId('transfer');
    const transferAmount = pi.amount - (data.application_fee_amount ?? 0);
    transfer = emu.store.put<Transfer>({
      id: transferId,
      object: 'transfer',
      amount: transferAmount,
      amount_reversed: 0,
      balance_transaction: balanceTransaction(emu, { amount: -transferAmount, currency, type: 'transfer', reporting_category: 'transfer', source: transferId }).id,
      created,
      currency,
      description: null,
      destination: data.destination,
      destination_payment: newId('destinationPayment'),
      livemode: false,
      metadata: {},
      reversals: { object: 'list', data: [], has_more: false, url: `/v1/transfers/${transferId}/reversals` },
      reversed: false,
      source_transaction: chargeId,
      source_type: 'card',
      transfer_group: pi.transfer_group,
    });
    if (data.application_fee_amount !== null) {
      const feeId = newId('applicationFee');
      applicationFee = emu.store.put<ApplicationFee>({
        id: feeId,
        object: 'application_fee',
        account: data.destination,
        amount: data.application_fee_amount,
        amount_refunded: 0,
        application: 'ca_tissu_emulator',
        balance_transaction: balanceTransaction(emu, { amount: data.application_fee_amount, currency, type: 'application_fee', reporting_category: 'platform_earning', source: feeId }).id,
        charge: chargeId,
        created,
        currency,
        fee_source: { charge: chargeId, type: 'charge' },
        livemode: false,
        originating_transaction: null,
        refunded: false,
        refunds: { object: 'list', data: [], has_more: false, url: `/v1/application_fees/${feeId}/refunds` },
      });
    }
  }

  const charge = emu.store.put<Charge>({
    id: chargeId,
    object: 'charge',
    amount: pi.amount,
    amount_captured: pi.amount,
    amount_refunded: 0,
    application: null,
    application_fee: applicationFee?.id ?? null,
    application_fee_amount: data.application_fee_amount,
    balance_transaction: chargeTxn.id,
    billing_details: { address: { city: null, country: 'CA', line1: null, line2: null, postal_code: 'H2X 1Y4', state: null }, email, name: 'Client Test', phone: null },
    calculated_statement_descriptor: 'TISSU',
    captured: true,
    created,
    currency,
    customer: null,
    description: pi.description,
    destination: data.destination,
    disputed: false,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: { network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 20, seller_message: 'Payment complete.', type: 'authorized' },
    paid: true,
    payment_intent: pi.id,
    payment_method: newId('paymentMethod'),
    payment_method_details: cardDetails(),
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    source_transfer: null,
    statement_descriptor: null,
    status: 'succeeded',
    transfer: transfer?.id ?? null,
    transfer_data: data.destination ? { amount: null, destination: data.destination } : null,
    transfer_group: pi.transfer_group,
  });

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
