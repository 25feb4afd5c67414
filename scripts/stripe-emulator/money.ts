/** Integer cents only. round(a / b) half up, for non-negative integers, without floating point. */
function divideRounded(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

export interface FeeSchedule {
  /** Percentage in basis points (2.9 % = 290). */
  basisPoints: number;
  fixedCents: number;
}

export function feeSchedule(percent: number, fixedCents: number): FeeSchedule {
  return { basisPoints: Math.round(percent * 100), fixedCents };
}

/** Stripe's card processing fee: round(percent × amount) + fixed. */
export function processingFee(amount: number, fees: FeeSchedule): number {
  return divideRounded(amount * fees.basisPoints, 10_000) + fees.fixedCents;
}

/**
 * The share of `total` that goes with refunding `refunding` of `paid`, when `alreadyReturned`
 * of it was given back by earlier refunds: the last refund takes the remainder so the parts
 * add up exactly.
 */
export function proportionalShare(total: number, paid: number, refunding: number, refundedBefore: number, alreadyReturned: number): number {
  if (refundedBefore + refunding >= paid) return total - alreadyReturned;
  const cumulative = divideRounded(total * (refundedBefore + refunding), paid);
  return Math.max(0, cumulative - alreadyReturned);
}

const cadFormats = new Map<string, Intl.NumberFormat>();

/** "12,50 $" (fr-CA) for display; amounts stay integer cents everywhere else. */
export function formatMoney(cents: number, currency: string, locale = 'fr-CA'): string {
  const key = `${locale}:${currency}`;
  let f = cadFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() });
    cadFormats.set(key, f);
  }
  return f.format(cents / 100);
}

/** "$25.00", as Stripe writes amounts in its error messages. */
export function formatForError(cents: number, currency: string): string {
  return formatMoney(cents, currency, 'en-CA');
}
