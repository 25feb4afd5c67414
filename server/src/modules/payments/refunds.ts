import type { Breakdown, CancellationPolicy, RefundBreakdown, TaxRegistration } from '@tissu/shared';
import { cancellationOutcome, priceBreakdown } from '@tissu/shared';
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

/**
 * What is left of one payment, line by line: what it took minus what its refunds gave back. Read
 * from the amounts, not recomputed from the service, so a part priced otherwise than a purchase of
 * its service (a quote's balance: the agreed total minus the deposit) is refunded to the cent.
 */
async function remainingOf(tx: Tx, p: PaymentRow): Promise<Breakdown> {
  const rs = await repo.refundsOfPayments(tx, [p.id]);
  const sum = (f: (r: RefundRow) => number) => rs.reduce((s, r) => s + f(r), 0);
  const serviceCents = p.serviceCents - sum((r) => r.serviceCents);
  const gstCents = p.gstCents - sum((r) => r.gstCents);
  const qstCents = p.qstCents - sum((r) => r.qstCents);
  const platformFeeCents = p.platformFeeCents - sum((r) => r.platformFeeCents);
  const totalCents = serviceCents + gstCents + qstCents;
  return { serviceCents, gstCents, qstCents, totalCents, feeRateBps: p.feeRateBps, platformFeeCents, coopCents: totalCents - platformFeeCents };
}

/** Taxed as the payment was: a tax line on the payment means the co-op was registered then. */
const taxesOfPayment = (p: PaymentRow): TaxRegistration => ({ gst: p.gstCents > 0, qst: p.qstCents > 0 });

/**
 * A booking's settled parts (one, or a deposit and a balance), oldest first, each with what is left
 * of it. Locked when about to be refunded.
 */
async function partsLeft(tx: Tx, bookingId: string, lock = false) {
  const parts = await repo.settledPayments(tx, bookingId, lock);
  return Promise.all(parts.map(async (p) => ({ p, remaining: await remainingOf(tx, p) })));
}

/** The part of the service of a booking's payments (all its parts) not refunded yet, in cents. */
export async function remainingService(tx: Tx, bookingId: string): Promise<number> {
  return (await partsLeft(tx, bookingId)).reduce((s, x) => s + x.remaining.serviceCents, 0);
}

/**
 * How keeping `keptServiceCents` of a booking's service splits over its parts: what is refunded is
 * taken from the latest part first (the balance, then the deposit), so what is kept is the earliest
 * money. Each part keeps its share priced as a purchase of it (planOn).
 */
function planParts(parts: { p: PaymentRow; remaining: Breakdown }[], keptServiceCents: number) {
  let toRefund = Math.max(0, parts.reduce((s, x) => s + x.remaining.serviceCents, 0) - Math.max(0, keptServiceCents));
  const plans = [...parts].reverse().map(({ p, remaining }) => {
    const refundService = Math.min(toRefund, remaining.serviceCents);
    toRefund -= refundService;
    return { p, ...planOn(remaining, remaining.serviceCents - refundService, taxesOfPayment(p)) };
  });
  return plans;
}

/**
 * Refunds a paid booking in the caller's transaction, every settled part of it (a deposit and its
 * balance are two payments): each part refunded is its own refund row, ledger entries, Stripe
 * refund and transfer reversal, with its own keys (refundOf). If Stripe fails, the transaction rolls
 * back and nothing changed here; a retry sends the same keys. The rows written, newest part first.
 */
export async function refundPayment(tx: Tx, gateway: PaymentGateway, b: BookingRow, req: RefundRequest) {
  const parts = await partsLeft(tx, b.id, true);
  if (parts.length === 0) return null;
  const rows: RefundRow[] = [];
  for (const plan of planParts(parts, req.keptServiceCents)) {
    const row = await refundPlanned(tx, gateway, plan.p, plan.r, req);
    if (row) rows.push(row);
  }
  return rows;
}

/**
 * What refunding a payment but `keptServiceCents` of its service gives back, written nowhere: the
 * one computation behind a refund and behind the preview of one.
 */
async function refundPlan(tx: Tx, p: PaymentRow, keptServiceCents: number) {
  return planOn(await remainingOf(tx, p), keptServiceCents, taxesOfPayment(p));
}

/**
 * Refunding all of `remaining` but `keptServiceCents` of its service: the refund, and the part kept,
 * line by line. The kept part is priced as a purchase of it (refundBreakdown), never more than what
 * is left on a line; keeping all the service keeps everything, keeping none refunds everything.
 */
function planOn(remaining: Breakdown, keptServiceCents: number, taxes: TaxRegistration) {
  const keptService = Math.min(Math.max(0, keptServiceCents), remaining.serviceCents);
  const priced = keptService === remaining.serviceCents ? remaining : priceBreakdown(keptService, remaining.feeRateBps, taxes);
  const k = {
    serviceCents: keptService,
    gstCents: Math.min(priced.gstCents, remaining.gstCents),
    qstCents: Math.min(priced.qstCents, remaining.qstCents),
    platformFeeCents: Math.min(priced.platformFeeCents, remaining.platformFeeCents),
  };
  const keptTotal = k.serviceCents + k.gstCents + k.qstCents;
  const r: RefundBreakdown = {
    serviceCents: remaining.serviceCents - k.serviceCents,
    gstCents: remaining.gstCents - k.gstCents,
    qstCents: remaining.qstCents - k.qstCents,
    totalCents: remaining.totalCents - keptTotal,
    platformFeeCents: remaining.platformFeeCents - k.platformFeeCents,
    coopCents: remaining.coopCents - (keptTotal - k.platformFeeCents),
  };
  const kept = { serviceCents: k.serviceCents, gstCents: k.gstCents, qstCents: k.qstCents, totalCents: keptTotal };
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
 * can redo: kept + refunded = what is left of the payments, summed over the booking's parts.
 */
export async function refundPreviewParts(tx: Tx, bookingId: string, keptServiceCents: number) {
  const parts = await partsLeft(tx, bookingId);
  if (parts.length === 0) return null;
  const plans = planParts(parts, keptServiceCents);
  const sum = (f: (x: (typeof plans)[number]) => number) => plans.reduce((s, x) => s + f(x), 0);
  return {
    paidCents: sum((x) => x.remaining.totalCents),
    refundCents: sum((x) => x.r.totalCents),
    kept: { serviceCents: sum((x) => x.kept.serviceCents), gstCents: sum((x) => x.kept.gstCents), qstCents: sum((x) => x.kept.qstCents), totalCents: sum((x) => x.kept.totalCents) },
  };
}

/**
 * Refunds one payment, locked by the caller: a booking's settled payment, or money paid late for it
 * (`to_return`, which becomes `returned` once refunded in full). Same rows, entries and keys either way.
 */
export async function refundOf(tx: Tx, gateway: PaymentGateway, p: PaymentRow, req: RefundRequest) {
  const { r } = await refundPlan(tx, p, req.keptServiceCents);
  return refundPlanned(tx, gateway, p, r, req);
}

/**
 * Writes one payment's refund (row, status, ledger entries), then asks Stripe. The idempotency keys
 * name the payment, what it had refunded before and the amount, not the new row's random id: when
 * Stripe succeeded but our transaction rolled back (the reversal failed, the commit failed), the
 * retry sends the same keys and gets the same refund back instead of refunding twice.
 */
async function refundPlanned(tx: Tx, gateway: PaymentGateway, p: PaymentRow, r: RefundBreakdown, req: RefundRequest) {
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

/**
 * What a no-show keeps under the booking's own policy: its share of the whole price, rounded half
 * up to the cent. As a late cancellation: the refund caps it at the service paid so far (a deposit),
 * and a balance not charged yet is no longer owed.
 */
export const keptOnNoShow = (b: BookingRow): number => Math.floor((b.priceCents * b.noShowPercent + 50) / 100);

/**
 * What a cancellation keeps of the service under the booking's own policy: the policy's share of the
 * whole price, whether paid at once or in two parts. The refund caps it at the service paid so far
 * (with a deposit, at most the deposit's service); a balance not charged yet is no longer owed.
 */
export function keptOnCancellation(b: BookingRow, by: 'client' | 'coop', at: Date, coopAcceptedAt: Date | null): number {
  const policy: CancellationPolicy = { freeCancellationHours: b.freeCancellationHours, lateCancellationPercent: b.lateCancellationPercent };
  const answer = { requestedAt: b.createdAt, acceptedAt: coopAcceptedAt };
  return cancellationOutcome(policy, { startsAt: b.startsAt, cancelledAt: at, priceCents: b.priceCents, by, answer }).chargeCents;
}
