/**
 * What a client pays for a booking and where each cent goes.
 *
 * Taxes are computed per line on the service price, each rounded half up to the cent (Revenu
 * Québec computes GST and QST separately on the same base): GST 5 %, QST 9.975 %, only when the
 * co-op is registered for them. Taxes belong to the co-op, which remits them. The platform fee
 * is a rate on the service price (before taxes), kept by the platform as Stripe's
 * application_fee_amount; everything else goes to the co-op.
 */

export const GST_RATE_BPS = 500; // 5 %
export const QST_RATE_PER_100K = 9_975; // 9.975 %

export interface TaxRegistration {
  gst: boolean;
  qst: boolean;
}

export interface Breakdown {
  serviceCents: number;
  gstCents: number;
  qstCents: number;
  totalCents: number;
  /** Platform fee rate in basis points (500 = 5 %). */
  feeRateBps: number;
  platformFeeCents: number;
  /** Service + taxes − platform fee: what reaches the co-op before the processor's own fee. */
  coopCents: number;
}

/** round(amount × num / den), half up, in integers (no floating point on money). */
export function mulDivRound(amount: number, num: number, den: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError('amount must be non-negative integer cents');
  return Math.floor((amount * num * 2 + den) / (2 * den));
}

export function priceBreakdown(serviceCents: number, feeRateBps: number, taxes: TaxRegistration): Breakdown {
  const gstCents = taxes.gst ? mulDivRound(serviceCents, GST_RATE_BPS, 10_000) : 0;
  const qstCents = taxes.qst ? mulDivRound(serviceCents, QST_RATE_PER_100K, 100_000) : 0;
  const platformFeeCents = mulDivRound(serviceCents, feeRateBps, 10_000);
  const totalCents = serviceCents + gstCents + qstCents;
  return { serviceCents, gstCents, qstCents, totalCents, feeRateBps, platformFeeCents, coopCents: totalCents - platformFeeCents };
}

export interface RefundBreakdown {
  /** Each part of the original payment given back; they add up to `totalCents`. */
  serviceCents: number;
  gstCents: number;
  qstCents: number;
  totalCents: number;
  /** The share of the platform fee returned (Stripe's refund_application_fee). */
  platformFeeCents: number;
  /** Taken back from the co-op's transfer. */
  coopCents: number;
}

/**
 * Refunding all but `keptServiceCents` of the service: what is kept is priced exactly as a
 * purchase of that amount would be (same rounding), and the refund is the difference, so the
 * kept part and the refund always add up to the original payment, line by line.
 */
export function refundBreakdown(original: Breakdown, keptServiceCents: number, taxes: TaxRegistration): RefundBreakdown {
  if (keptServiceCents < 0 || keptServiceCents > original.serviceCents) throw new RangeError('kept amount out of range');
  const kept = priceBreakdown(keptServiceCents, original.feeRateBps, taxes);
  return {
    serviceCents: original.serviceCents - kept.serviceCents,
    gstCents: original.gstCents - kept.gstCents,
    qstCents: original.qstCents - kept.qstCents,
    totalCents: original.totalCents - kept.totalCents,
    platformFeeCents: original.platformFeeCents - kept.platformFeeCents,
    coopCents: original.coopCents - kept.coopCents,
  };
}
