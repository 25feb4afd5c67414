import { declineDetails, type Decline } from '../cards.js';
import type { Emulator } from '../context.js';
import { newId, nowSeconds } from '../ids.js';
import { processingFee } from '../money.js';
import type { ApiObject, ApplicationFee, Charge, PaymentIntent, PaymentMethod, Transfer } from '../types.js';
import { balanceTransaction } from './balance-transactions.js';

/** The card a charge was made with, as the charge shows it. */
export interface ChargedCard {
  paymentMethodId: string;
  /** `payment_method_details.card`. */
  card: Record<string, unknown>;
  billingDetails: Record<string, unknown>;
}

/** How a charge shows a saved or test card PaymentMethod. */
export function chargedCard(pm: PaymentMethod): ChargedCard {
  const { brand, checks, country, exp_month, exp_year, fingerprint, funding, last4 } = pm.card;
  return {
    paymentMethodId: pm.id,
    card: { amount_authorized: null, brand, checks, country, exp_month, exp_year, fingerprint, funding, last4, mandate: null, network: brand, three_d_secure: null, wallet: null },
    billingDetails: structuredClone(pm.billing_details as Record<string, unknown>),
  };
}

function chargeShell(pi: PaymentIntent, id: string, paid: ChargedCard, created: number) {
  const destination = pi.transfer_data?.destination ?? null;
  return {
    id,
    object: 'charge' as const,
    amount: pi.amount,
    amount_refunded: 0,
    application: null,
    application_fee_amount: pi.application_fee_amount,
    billing_details: paid.billingDetails,
    calculated_statement_descriptor: 'TISSU',
    created,
    currency: pi.currency,
    customer: typeof pi.customer === 'string' ? pi.customer : (pi.customer?.id ?? null),
    description: (pi.description as string | null) ?? null,
    destination,
    disputed: false,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    payment_intent: pi.id,
    payment_method: paid.paymentMethodId,
    payment_method_details: { card: paid.card, type: 'card' },
    receipt_email: (pi.receipt_email as string | null) ?? null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    source_transfer: null,
    statement_descriptor: null,
    transfer_data: destination ? { amount: null, destination } : null,
    transfer_group: pi.transfer_group,
  };
}

/**
 * A successful card charge for the PaymentIntent: Stripe's fee on its balance transaction and,
 * for a destination charge, the platform's application fee and the transfer of the rest to the co-op.
 */
export function recordSucceededCharge(emu: Emulator, pi: PaymentIntent, paid: ChargedCard): { charge: Charge; applicationFee: ApplicationFee | null; transfer: Transfer | null } {
  const created = nowSeconds();
  const chargeId = newId('charge');
  const currency = pi.currency;
  const destination = pi.transfer_data?.destination ?? null;
  const feeAmount = pi.application_fee_amount;
  const chargeTxn = balanceTransaction(emu, { amount: pi.amount, fee: processingFee(pi.amount, emu.config.fees), currency, type: 'charge', reporting_category: 'charge', source: chargeId });

  let applicationFee: ApplicationFee | null = null;
  let transfer: Transfer | null = null;
  if (destination) {
    const transferId = newId('transfer');
    const transferAmount = pi.amount - (feeAmount ?? 0);
    transfer = emu.store.put<Transfer>({
      id: transferId,
      object: 'transfer',
      amount: transferAmount,
      amount_reversed: 0,
      balance_transaction: balanceTransaction(emu, { amount: -transferAmount, currency, type: 'transfer', reporting_category: 'transfer', source: transferId }).id,
      created,
      currency,
      description: null,
      destination,
      destination_payment: newId('destinationPayment'),
      livemode: false,
      metadata: {},
      reversals: { object: 'list', data: [], has_more: false, url: `/v1/transfers/${transferId}/reversals` },
      reversed: false,
      source_transaction: chargeId,
      source_type: 'card',
      transfer_group: pi.transfer_group,
    });
    if (feeAmount !== null) {
      const feeId = newId('applicationFee');
      applicationFee = emu.store.put<ApplicationFee>({
        id: feeId,
        object: 'application_fee',
        account: destination,
        amount: feeAmount,
        amount_refunded: 0,
        application: 'ca_tissu_emulator',
        balance_transaction: balanceTransaction(emu, { amount: feeAmount, currency, type: 'application_fee', reporting_category: 'platform_earning', source: feeId }).id,
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
    ...chargeShell(pi, chargeId, paid, created),
    amount_captured: pi.amount,
    application_fee: applicationFee?.id ?? null,
    balance_transaction: chargeTxn.id,
    captured: true,
    failure_code: null,
    failure_message: null,
    outcome: { network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 20, seller_message: 'Payment complete.', type: 'authorized' },
    paid: true,
    status: 'succeeded',
    transfer: transfer?.id ?? null,
  });
  return { charge, applicationFee, transfer };
}

/** A declined attempt: a failed charge with no money moved, as Stripe records one. */
export function recordFailedCharge(emu: Emulator, pi: PaymentIntent, paid: ChargedCard, decline: Decline): Charge {
  const details = declineDetails(decline);
  return emu.store.put<Charge>({
    ...chargeShell(pi, newId('charge'), paid, nowSeconds()),
    amount_captured: 0,
    application_fee: null,
    balance_transaction: null,
    captured: false,
    failure_balance_transaction: null,
    failure_code: details.code,
    failure_message: details.message,
    outcome: {
      network_status: 'declined_by_network',
      reason: details.decline_code,
      risk_level: 'normal',
      risk_score: 20,
      seller_message: decline === 'authentication_required' ? 'The bank returned the decline code `authentication_required`.' : 'The bank did not return any further details with this decline.',
      type: 'issuer_declined',
    },
    paid: false,
    status: 'failed',
    transfer: null,
  });
}

/** `last_payment_error` / `last_setup_error` of an intent after a decline. */
export function lastError(decline: Decline, paymentMethod: ApiObject, charge: string | null): Record<string, unknown> {
  const { code, decline_code, doc_url, message, param } = declineDetails(decline);
  return { ...(charge ? { charge } : {}), code, decline_code, doc_url, message, ...(param ? { param } : {}), payment_method: paymentMethod, type: 'card_error' };
}
