/** Money is integer cents (CAD) everywhere; these helpers are the only place it becomes text. */

export type Locale = 'fr' | 'en';

const formatters = new Map<string, Intl.NumberFormat>();

export function formatMoney(cents: number, locale: Locale, currency = 'CAD'): string {
  const key = `${locale}:${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { style: 'currency', currency });
    formatters.set(key, f);
  }
  return f.format(cents / 100);
}

/** Parses a user-typed amount ("12,50", "12.5", "1 200 $") into cents; null when it is not one. */
export function parseMoneyToCents(input: string): number | null {
  const cleaned = input.replace(/[\s\u00a0\u202f$]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, frac = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/**
 * Splits `total` cents into parts proportional to `weights` so that the parts add up exactly
 * (largest-remainder method). Ties go to the larger weight, then to the lower index, so the
 * result is deterministic.
 */
export function splitByWeights(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total)) throw new RangeError('total must be integer cents');
  const sum = weights.reduce((a, w) => a + w, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map((x) => Math.floor(x));
  let left = total - parts.reduce((a, p) => a + p, 0);
  const order = exact
    .map((x, i) => ({ i, rem: x - Math.floor(x), w: weights[i]! }))
    .sort((a, b) => b.rem - a.rem || b.w - a.w || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}
