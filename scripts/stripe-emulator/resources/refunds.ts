import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../context.js';
import { invalidRequest, paramError } from '../errors.js';
import { newId, nowSeconds } from '../ids.js';
import { formatForError, proportionalShare } from '../money.js';
import { allowOnly, asParams, bool, expandPaths, int, metadata, str, type Params } from '../params.js';
import { requestContext } from '../request-context.js';
import { expand, paginate } from '../store.js';
import type { ApiObject, ApplicationFee, Charge, PaymentIntent, Refund, RequestContext, Transfer } from '../types.js';
import { balanceTransaction } from './balance-transactions.js';
import { createTransferReversal } from './transfers.js';

function chargeToRefund(emu: Emulator, p: Params): Charge {
  const chargeId = str(p.charge, 'charge');
  const intentId = str(p.payment_intent, 'payment_intent');
  if (!chargeId && !intentId) {
    throw paramError('parameter_missing', 'One of the following params should be provided for this request: payment_intent or charge.', 'charge');
  }
  if (chargeId) return emu.store.require<Charge>(chargeId, 'charge', 'charge');
  const pi = emu.store.require<PaymentIntent>(intentId!, 'payment_intent', 'payment_intent');
  if (pi.status !== 'succeeded' || typeof pi.latest_charge !== 'string') {
    throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { param: 'payment_intent' });
  }
  return emu.store.require<Charge>(pi.latest_charge, 'charge', 'charge');
}

/**
 * A refund of a destination charge. Like Stripe, the application fee and the transfer to the
 * co-op are given back only when asked (refund_application_fee, reverse_transfer), in proportion.
 */
export function createRefund(emu: Emulator, p: Params, ctx: RequestContext): Refund {
  allowOnly(p, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'refund_application_fee', 'reverse_transfer', 'instructions_email']);
  const charge = chargeToRefund(emu, p);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining === 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
  }
  const amount = int(p.amount, 'amount', { min: 1 }) ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatForError(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatForError(remaining, charge.currency)})`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }
  const reason = str(p.reason, 'reason', { oneOf: ['duplicate', 'fraudulent', 'requested_by_customer'] }) ?? null;
  const refundFee = bool(p.refund_application_fee, 'refund_application_fee') ?? false;
  const reverseTransfer = bool(p.reverse_transfer, 'reverse_transfer') ?? false;
  if (reverseTransfer && !charge.transfer) {
    throw invalidRequest('You cannot reverse the transfer of a charge that has no transfer.', { param: 'reverse_transfer' });
  }
  if (refundFee && !charge.application_fee) {
    throw invalidRequest('You cannot refund the application fee of a charge that has none.', { param: 'refund_application_fee' });
  }

  const refundedBefore = charge.amount_refunded;
  const id = newId('refund');
  const created = nowSeconds();
  const refund = emu.store.put<Refund>({
    id,
    object: 'refund',
    amount,
    balance_transaction: balanceTransaction(emu, { amount: -amount, currency: charge.currency, type: 'refund', reporting_category: 'refund', source: id }).id,
    charge: charge.id,
    created,
    currency: charge.currency,
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: metadata(p.metadata),
    payment_intent: charge.payment_intent,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  });

  if (refundFee) returnApplicationFee(emu, charge, amount, refundedBefore, created);
  if (reverseTransfer) refund.transfer_reversal = reverseTransferFor(emu, charge, refund, refundedBefore, ctx).id;

  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;

  emu.events.emit('charge.refunded', charge, ctx, { amount_refunded: refundedBefore, refunded: false });
  emu.events.emit('refund.created', refund, ctx);
  return refund;
}

function returnApplicationFee(emu: Emulator, charge: Charge, amount: number, refundedBefore: number, created: number): void {
  const fee = emu.store.require<ApplicationFee>(charge.application_fee!, 'application_fee', 'application_fee');
  const share = proportionalShare(fee.amount, charge.amount, amount, refundedBefore, fee.amount_refunded);
  const feeRefundId = newId('applicationFeeRefund');
  const feeRefund = {
    id: feeRefundId,
    object: 'fee_refund',
    amount: share,
    balance_transaction: balanceTransaction(emu, { amount: -share, currency: charge.currency, type: 'application_fee_refund', reporting_category: 'platform_earning_refund', source: feeRefundId }).id,
    created,
    currency: charge.currency,
    fee: fee.id,
    metadata: {},
  };
  fee.amount_refunded += share;
  fee.refunded = fee.amount_refunded === fee.amount;
  const refunds = fee.refunds as { data: unknown[] };
  refunds.data.unshift(feeRefund);
}

function reverseTransferFor(emu: Emulator, charge: Charge, refund: Refund, refundedBefore: number, ctx: RequestContext): ApiObject {
  const transfer = emu.store.require<Transfer>(charge.transfer!, 'transfer', 'transfer');
  const share = proportionalShare(transfer.amount, charge.amount, refund.amount, refundedBefore, transfer.amount_reversed);
  return createTransferReversal(emu, transfer, share, { sourceRefund: refund.id }, ctx);
}

export function registerRefundRoutes(app: FastifyInstance, emu: Emulator): void {
  app.post('/v1/refunds', async (req) => {
    const p = asParams(req.body);
    return expand(createRefund(emu, p, requestContext(req)), expandPaths(p), emu.store);
  });

  app.get<{ Params: { id: string } }>('/v1/refunds/:id', async (req) =>
    expand(emu.store.require<Refund>(req.params.id, 'refund', 'refund'), expandPaths(asParams(req.query)), emu.store),
  );

  app.get('/v1/refunds', async (req) => {
    const q = asParams(req.query);
    const charge = str(q.charge, 'charge');
    const pi = str(q.payment_intent, 'payment_intent');
    const refunds = emu.store.all<Refund>('refund').filter((r) => (!charge || r.charge === charge) && (!pi || r.payment_intent === pi));
    return paginate(refunds, q, '/v1/refunds');
  });
}
