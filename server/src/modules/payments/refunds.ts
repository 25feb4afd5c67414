import type { CancellationPolicy } from '@tissu/shared';
import { cancellationOutcome, priceBreakdown, refundBreakdown } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import { HttpError } from '../../errors.js';
import type { PaymentGateway } from '../../plugins/stripe.js';
import type { BookingRow } from '../bookings/repository.js';
import { bookRefund } from './ledger-entries.js';
import * as repo from './repository.js';
import { gatewayDown } from './settings.js';

export interface RefundRequest {
  kind: 'client_cancellation' | 'coop_cancellation' | 'steward';
  /** The part of the service price the co-op keeps; everything else is refunded. */
  keptServiceCents: number;
  reason: string;
  actorId: string | null;
}

/**
 * Refunds a paid booking in the caller's transaction: the refund row and its ledger entries are
 * written, then Stripe is asked with idempotency keys derived from the refund's id. If Stripe
 * fails, the transaction rolls back and nothing changed; if our commit fails after Stripe
 * succeeded, a retry with the same ids gets the same refund back from Stripe.
 */
export async function remainingService(tx: Tx, bookingId: string): Promise<number> {
  const p = await repo.settledPayment(tx, bookingId);
  if (!p) return 0;
  return p.serviceCents - (await repo.refundsOfBooking(tx, bookingId)).reduce((s, r) => s + r.serviceCents, 0);
}

export async function refundPayment(tx: Tx, gateway: PaymentGateway, b: BookingRow, req: RefundRequest) {
  const p = await repo.settledPayment(tx, b.id, true);
  if (!p) return null;
  // Taxed as the payment was: a tax line on the payment means the co-op was registered then.
  const taxes = { gst: p.gstCents > 0, qst: p.qstCents > 0 };
  // Every refund keeps a part priced exactly as a purchase of it, so what remains after earlier
  // refunds is the breakdown of the service amount not yet refunded.
  const refundedService = (await repo.refundsOfBooking(tx, b.id)).reduce((s, r) => s + r.serviceCents, 0);
  const remaining = priceBreakdown(p.serviceCents - refundedService, p.feeRateBps, taxes);
  const kept = Math.min(req.keptServiceCents, remaining.serviceCents);
  const r = refundBreakdown(remaining, kept, taxes);
  if (r.totalCents <= 0) return null;
  if (r.totalCents > p.totalCents - p.refundedCents) throw new HttpError(409, 'refund_too_large', 'This is more than what is left to refund');
  const row = await repo.insertRefund(tx, {
    paymentId: p.id, bookingId: b.id, kind: req.kind, reason: req.reason, createdBy: req.actorId,
    serviceCents: r.serviceCents, gstCents: r.gstCents, qstCents: r.qstCents, totalCents: r.totalCents, platformFeeCents: r.platformFeeCents, coopCents: r.coopCents,
  });
  const refunded = p.refundedCents + r.totalCents;
  await repo.updatePayment(tx, p.id, { refundedCents: refunded, status: refunded >= p.totalCents ? 'refunded' : 'partially_refunded' });
  await bookRefund(tx, p, row);
  try {
    const stripeRefund = await gateway.refund({ paymentIntentId: p.paymentIntentId!, amountCents: r.totalCents, idempotencyKey: `refund:${row.id}`, reason: req.reason, bookingId: b.id });
    if (p.transferId && r.coopCents > 0) {
      await gateway.reverseTransfer({ transferId: p.transferId, amountCents: r.coopCents, idempotencyKey: `reversal:${row.id}` });
    }
    await repo.updateRefund(tx, row.id, { stripeRefundId: stripeRefund.id });
  } catch (err) {
    throw gatewayDown(err);
  }
  return row;
}

/** What a cancellation refunds under the booking's own policy. */
export function keptOnCancellation(b: BookingRow, by: 'client' | 'coop', at: Date): number {
  const policy: CancellationPolicy = { freeCancellationHours: b.freeCancellationHours, lateCancellationPercent: b.lateCancellationPercent };
  return cancellationOutcome(policy, { startsAt: b.startsAt, cancelledAt: at, priceCents: b.priceCents, by }).chargeCents;
}
