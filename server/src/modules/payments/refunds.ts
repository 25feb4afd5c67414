import type { Breakdown, CancellationPolicy, TaxRegistration } from '@tissu/shared';
import { cancellationOutcome, mulDivRound, priceBreakdown, refundBreakdown } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import { HttpError } from '../../errors.js';
import type { PaymentGateway } from '../../plugins/stripe.js';
import type { BookingRow } from '../bookings/index.js';
import { bookRefund } from './ledger-entries.js';
import * as repo from './repository.js';
import type { PaymentRow, RefundRow } from './repository.js';
import { gatewayDown } from '../../lib/gateway.js';

export interface RefundRequest {
  kind: RefundRow['kind'];
  /** The part of the service price the co-op keeps; everything else is refunded. */
  keptServiceCents: number;
  reason: string;
  actorId: string | null;
}

/** The service refunded so far on one payment (a booking's refunds may also return money paid late on another). */
const refundedServiceOf = async (tx: Tx, paymentId: string) => (await repo.refundsOfPayments(tx, [paymentId])).reduce((s, r) => s + r.serviceCents, 0);

/** The part of the service of a booking's payment not refunded yet, in cents. */
export async function remainingService(tx: Tx, bookingId: string): Promise<number> {
  const p = await repo.settledPayment(tx, bookingId);
  if (!p) return 0;
  return p.serviceCents - (await refundedServiceOf(tx, p.id));
}

/**
 * Refunds a paid booking in the caller's transaction: the refund row and its ledger entries are
 * written, then Stripe is asked. If Stripe fails, the transaction rolls back and nothing changed
 * here. The idempotency keys name the payment, what it had refunded before and the amount, not
 * the new row's random id: when Stripe succeeded but our transaction rolled back (the reversal
 * failed, the commit failed), the retry sends the same keys and gets the same refund back
 * instead of refunding twice.
 */
export async function refundPayment(tx: Tx, gateway: PaymentGateway, b: BookingRow, req: RefundRequest) {
  const p = await repo.settledPayment(tx, b.id, true);
  if (!p) return null;
  return refundOf(tx, gateway, p, req);
}

/**
 * What refunding a payment but `keptServiceCents` of its service gives back, written nowhere: the
 * one computation behind a refund and behind the preview of one.
 */
async function refundPlan(tx: Tx, p: PaymentRow, keptServiceCents: number) {
  // Taxed as the payment was: a tax line on the payment means the co-op was registered then.
  const taxes = { gst: p.gstCents > 0, qst: p.qstCents > 0 };
  // Every refund keeps a part priced exactly as a purchase of it, so what remains after earlier
  // refunds is the breakdown of the service amount not yet refunded.
  const refundedService = await refundedServiceOf(tx, p.id);
  const remaining = priceBreakdown(p.serviceCents - refundedService, p.feeRateBps, taxes);
  return planOn(remaining, keptServiceCents, taxes);
}

/** Refunding all of `remaining` but `keptServiceCents` of its service: the refund, and the part kept, line by line. */
function planOn(remaining: Breakdown, keptServiceCents: number, taxes: TaxRegistration) {
  const r = refundBreakdown(remaining, Math.min(keptServiceCents, remaining.serviceCents), taxes);
  // The kept part is priced as a purchase of it (refundBreakdown): line by line, kept + refund = what is left.
  const kept = { serviceCents: remaining.serviceCents - r.serviceCents, gstCents: remaining.gstCents - r.gstCents, qstCents: remaining.qstCents - r.qstCents, totalCents: remaining.totalCents - r.totalCents };
  return { remaining, r, kept };
}

/** What a refund keeping `keptServiceCents` would keep of a booking not paid yet, priced as it would be paid. */
export const keptBeforePayment = (price: Breakdown, keptServiceCents: number, taxes: TaxRegistration) => planOn(price, keptServiceCents, taxes).kept;

/**
 * What cancelling a paid booking now would refund and keep, as `refundPayment` would with the
 * same kept part (null: nothing settled on it). Cents, taxes included.
 */
export async function refundPreview(tx: Tx, bookingId: string, keptServiceCents: number) {
  const parts = await refundPreviewParts(tx, bookingId, keptServiceCents);
  return parts && { paidCents: parts.paidCents, refundCents: parts.refundCents, keptCents: parts.kept.totalCents };
}

/**
 * The same preview with what is kept in parts (service, GST, QST), so a page can show a sum anyone
 * can redo: kept + refunded = what is left of the payment.
 */
export async function refundPreviewParts(tx: Tx, bookingId: string, keptServiceCents: number) {
  const p = await repo.settledPayment(tx, bookingId);
  if (!p) return null;
  const { remaining, r, kept } = await refundPlan(tx, p, keptServiceCents);
  return { paidCents: remaining.totalCents, refundCents: r.totalCents, kept };
}

/**
 * Refunds one payment, locked by the caller: a booking's settled payment, or money paid late for it
 * (`to_return`, which becomes `returned` once refunded in full). Same rows, entries and keys either way.
 */
export async function refundOf(tx: Tx, gateway: PaymentGateway, p: PaymentRow, req: RefundRequest) {
  const { r } = await refundPlan(tx, p, req.keptServiceCents);
  if (r.totalCents <= 0) return null;
  if (r.totalCents > p.totalCents - p.refundedCents) throw new HttpError(409, 'refund_too_large', 'This is more than what is left to refund');
  const row = await repo.insertRefund(tx, {
    paymentId: p.id, bookingId: p.bookingId, kind: req.kind, reason: req.reason, createdBy: req.actorId,
    serviceCents: r.serviceCents, gstCents: r.gstCents, qstCents: r.qstCents, totalCents: r.totalCents, platformFeeCents: r.platformFeeCents, coopCents: r.coopCents,
  });
  const refunded = p.refundedCents + r.totalCents;
  const status = p.status === 'to_return' ? (refunded >= p.totalCents ? 'returned' : 'to_return') : refunded >= p.totalCents ? 'refunded' : 'partially_refunded';
  await repo.updatePayment(tx, p.id, { refundedCents: refunded, status });
  await bookRefund(tx, p, row);
  const key = `${p.id}:${p.refundedCents}:${r.totalCents}`;
  try {
    // The transfer id is read after the payment's webhook, which can fail; the ledger books the reversal, so it must happen.
    const transferId = p.transferId ?? (await gateway.chargeDetails(p.paymentIntentId!)).transferId;
    if (transferId && !p.transferId) await repo.updatePayment(tx, p.id, { transferId });
    // Stripe replays a key only with the same parameters: the free-text reason (which a retry may word
    // differently) stays in Tissu; Stripe is told the kind.
    const stripeRefund = await gateway.refund({ paymentIntentId: p.paymentIntentId!, amountCents: r.totalCents, idempotencyKey: `refund:${key}`, reason: req.kind, bookingId: p.bookingId });
    if (transferId && r.coopCents > 0) {
      await gateway.reverseTransfer({ transferId, amountCents: r.coopCents, idempotencyKey: `reversal:${key}` });
    }
    await repo.updateRefund(tx, row.id, { stripeRefundId: stripeRefund.id });
  } catch (err) {
    throw gatewayDown(err);
  }
  return row;
}

/** What a cancellation refunds under the booking's own policy. */
export function keptOnCancellation(b: BookingRow, by: 'client' | 'coop', at: Date, coopAcceptedAt: Date | null): number {
  const policy: CancellationPolicy = { freeCancellationHours: b.freeCancellationHours, lateCancellationPercent: b.lateCancellationPercent };
  const answer = { requestedAt: b.createdAt, acceptedAt: coopAcceptedAt };
  // Paid in two parts and cancelled before the work: the policy applies to what was paid, the deposit's service.
  const priceCents = b.depositPercent > 0 ? mulDivRound(b.priceCents, b.depositPercent, 100) : b.priceCents;
  return cancellationOutcome(policy, { startsAt: b.startsAt, cancelledAt: at, priceCents, by, answer }).chargeCents;
}
