/**
 * The exact values behind a statement's rounded amounts, so that a member can redo every step
 * with a calculator: a × b ÷ c in cents as a decimal (truncated, never rounded, so a "…" is
 * honest), and which way the shown cent was rounded. Pure integers, like the allocation itself.
 */
import { mulDivMod } from './arithmetic.js';

/** a × b ÷ c cents, exactly: whole cents plus remainder / divisor of a cent. */
export interface ExactCents {
  cents: number;
  remainder: number;
  divisor: number;
}

export function exactCents(a: number, b: number, c: number): ExactCents {
  const [cents, remainder] = mulDivMod(a, b, c);
  return { cents, remainder, divisor: c };
}

/**
 * The exact amount in dollars as a plain decimal string ("815.678146"): the two digits of the
 * cent, then up to `extraDigits` more, truncated; `truncated` says digits were left out.
 */
export function exactDollars(x: ExactCents, extraDigits = 4): { decimal: string; truncated: boolean } {
  const whole = Math.floor(x.cents / 100);
  let digits = String(x.cents % 100).padStart(2, '0');
  let r = x.remainder;
  for (let i = 0; i < extraDigits && r > 0; i++) {
    // r < divisor ≤ 2^53 / 10 for any figure a statement holds, so 10 × r stays exact.
    const [d, rest] = mulDivMod(r, 10, x.divisor);
    digits += String(d);
    r = rest;
  }
  return { decimal: `${whole}.${digits}`, truncated: r > 0 };
}

/** How the shown cents relate to the exact value: equal, the cent below, or the cent above. */
export function roundingOf(shownCents: number, x: ExactCents): 'exact' | 'down' | 'up' | 'other' {
  if (x.remainder === 0) return shownCents === x.cents ? 'exact' : 'other';
  if (shownCents === x.cents) return 'down';
  if (shownCents === x.cents + 1) return 'up';
  return 'other';
}
