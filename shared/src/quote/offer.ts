/**
 * What an offer costs, line by line, and how a deposit splits it in two payments.
 *
 * Invariants (integer cents, checked by the unit tests):
 * - a line's amount is quantity × unit price rounded half up to the cent (quantity has at most two
 *   decimals, so the product is computed in hundredths, exactly); without a quantity it is the unit price;
 * - the service subtotal is the sum of the lines; taxes and the platform fee come from priceBreakdown
 *   on that subtotal, exactly as for any booking;
 * - deposit + balance = the whole, part by part (service, GST, QST, total, platform fee): the deposit
 *   is priced as a purchase of round-half-up(service × percent / 100) (priceBreakdown), the balance is
 *   the rest, line by line (see depositSplit for why).
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

/**
 * The deposit share of a payment. A percent of 0 means no deposit: everything is paid at
 * acceptance (the deposit is the whole, the balance zero), as with 100.
 *
 * The deposit is taxed as its own purchase: its service is round-half-up(service × percent / 100),
 * its GST, QST and platform fee are priceBreakdown's of that service, so its receipt shows exactly
 * its service × each rate, as any booking's does. The balance is the agreed whole minus the deposit,
 * line by line, so together they are what the client accepted to the cent (the balance's taxes may
 * be a cent off its own service × rate: it is the rest of a price already agreed, not a new sale).
 * Taxes apply as they do on the whole: a tax line on it means the co-op charges that tax.
 */
export function depositSplit(whole: Breakdown, depositPercent: number): { deposit: PaymentPart; balance: PaymentPart } {
  if (!Number.isInteger(depositPercent) || depositPercent < 0 || depositPercent > 100) throw new RangeError('percent 0..100');
  const pct = depositPercent === 0 ? 100 : depositPercent;
  const part = priceBreakdown(mulDivRound(whole.serviceCents, pct, 100), whole.feeRateBps, { gst: whole.gstCents > 0, qst: whole.qstCents > 0 });
  // Never more on a line than the whole has (a tax line rounding up past the whole's at 100 % cannot, but the guard is cheap).
  const gstCents = Math.min(part.gstCents, whole.gstCents);
  const qstCents = Math.min(part.qstCents, whole.qstCents);
  const platformFeeCents = Math.min(part.platformFeeCents, whole.platformFeeCents);
  const deposit = { serviceCents: part.serviceCents, gstCents, qstCents, totalCents: part.serviceCents + gstCents + qstCents, platformFeeCents };
  const balance = {
    serviceCents: whole.serviceCents - deposit.serviceCents,
    gstCents: whole.gstCents - gstCents,
    qstCents: whole.qstCents - qstCents,
    totalCents: whole.totalCents - deposit.totalCents,
    platformFeeCents: whole.platformFeeCents - platformFeeCents,
  };
  return { deposit, balance };
}

export function offerPrice(lines: readonly OfferLineInput[], feeRateBps: number, taxes: TaxRegistration, depositPercent: number): OfferPrice {
  const lineAmountsCents = lines.map(lineAmountCents);
  const whole = priceBreakdown(lineAmountsCents.reduce((a, c) => a + c, 0), feeRateBps, taxes);
  return { ...whole, lineAmountsCents, depositPercent, ...depositSplit(whole, depositPercent) };
}
