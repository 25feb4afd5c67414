/**
 * What an offer costs, line by line, and how a deposit splits it in two payments.
 *
 * Invariants (integer cents, checked by the unit tests):
 * - a line's amount is quantity × unit price rounded half up to the cent (quantity has at most two
 *   decimals, so the product is computed in hundredths, exactly); without a quantity it is the unit price;
 * - the service subtotal is the sum of the lines; taxes and the platform fee come from priceBreakdown
 *   on that subtotal, exactly as for any booking;
 * - deposit + balance = the whole, part by part (service, GST, QST, total, platform fee): the deposit's
 *   total is round-half-up(total × percent / 100), split across service/GST/QST by largest remainder.
 */
import { mulDivRound, priceBreakdown, type Breakdown, type TaxRegistration } from '../payments/breakdown.js';

/** Amounts above this (1 000 000 $) are typos or probes: refused. */
export const MAX_OFFER_CENTS = 100_000_000;
/** Stripe cannot charge less than 0.50 $; a job offered below 1 $ is a typo. */
export const MIN_OFFER_CENTS = 100;
export const MAX_OFFER_LINES = 50;
export const MAX_LINE_QUANTITY = 10_000;
export const MAX_PROPOSED_TIMES = 5;
/** Versions of an offer per request: past ten, the co-op and the client had better talk (in the conversation) or start over. */
export const MAX_OFFER_VERSIONS = 10;

export interface OfferLineInput {
  label: string;
  /** Absent: a fixed amount (the unit price is the line's amount). At most two decimals. */
  quantity?: number | null;
  unitPriceCents: number;
}

/** A quantity in hundredths (1.5 → 150), or null if it has more than two decimals. */
export function quantityHundredths(quantity: number): number | null {
  const h = Math.round(quantity * 100);
  return Math.abs(quantity * 100 - h) < 1e-6 ? h : null;
}

export function lineAmountCents(line: OfferLineInput): number {
  if (line.quantity == null) return line.unitPriceCents;
  const h = quantityHundredths(line.quantity);
  if (h === null) throw new RangeError('quantity has more than two decimals');
  return mulDivRound(line.unitPriceCents, h, 100);
}

export interface PaymentPart {
  serviceCents: number;
  gstCents: number;
  qstCents: number;
  totalCents: number;
  platformFeeCents: number;
}

export interface OfferPrice extends Breakdown {
  lineAmountsCents: number[];
  depositPercent: number;
  /** What the client pays at acceptance (everything when the percent is 0 or 100). */
  deposit: PaymentPart;
  /** What is charged when the work is completed (all zeros without a deposit). */
  balance: PaymentPart;
}

/** Largest remainder in exact integers: parts of `total` proportional to `weights`, adding up to it. */
function splitExact(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  if (sum === 0) return weights.map(() => 0);
  const T = BigInt(total);
  const S = BigInt(sum);
  const parts = weights.map((w) => (T * BigInt(w)) / S);
  const rems = weights.map((w, i) => ({ i, rem: (T * BigInt(w)) % S, w }));
  let left = total - parts.reduce((a, p) => a + Number(p), 0);
  rems.sort((a, b) => (b.rem > a.rem ? 1 : b.rem < a.rem ? -1 : b.w - a.w || a.i - b.i));
  const out = parts.map(Number);
  for (const { i } of rems) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return out;
}

/**
 * The deposit share of a payment. A percent of 0 means no deposit: everything is paid at
 * acceptance (the deposit is the whole, the balance zero), as with 100.
 */
export function depositSplit(whole: Breakdown, depositPercent: number): { deposit: PaymentPart; balance: PaymentPart } {
  if (!Number.isInteger(depositPercent) || depositPercent < 0 || depositPercent > 100) throw new RangeError('percent 0..100');
  const pct = depositPercent === 0 ? 100 : depositPercent;
  const totalCents = mulDivRound(whole.totalCents, pct, 100);
  const [serviceCents, gstCents, qstCents] = splitExact(totalCents, [whole.serviceCents, whole.gstCents, whole.qstCents]) as [number, number, number];
  const platformFeeCents = whole.serviceCents === 0 ? 0 : Number((BigInt(whole.platformFeeCents) * BigInt(serviceCents) * 2n + BigInt(whole.serviceCents)) / (2n * BigInt(whole.serviceCents)));
  const deposit = { serviceCents, gstCents, qstCents, totalCents, platformFeeCents };
  const balance = {
    serviceCents: whole.serviceCents - serviceCents,
    gstCents: whole.gstCents - gstCents,
    qstCents: whole.qstCents - qstCents,
    totalCents: whole.totalCents - totalCents,
    platformFeeCents: whole.platformFeeCents - platformFeeCents,
  };
  return { deposit, balance };
}

export function offerPrice(lines: readonly OfferLineInput[], feeRateBps: number, taxes: TaxRegistration, depositPercent: number): OfferPrice {
  const lineAmountsCents = lines.map(lineAmountCents);
  const whole = priceBreakdown(lineAmountsCents.reduce((a, c) => a + c, 0), feeRateBps, taxes);
  return { ...whole, lineAmountsCents, depositPercent, ...depositSplit(whole, depositPercent) };
}
