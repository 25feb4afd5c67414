/**
 * Integer arithmetic for patronage money. Amounts are integer cents; products such as
 * pool × patronage units (a 1 M$ pool × 100,000 members' cents) leave the range where a double is
 * exact (2^53), so every a × b / c below is exact: in doubles while the product is a safe
 * integer, in BigInt beyond. No result ever goes through a fraction of a cent.
 */

const SAFE = Number.MAX_SAFE_INTEGER;

function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative safe integer`);
}

/**
 * Quotient and remainder of a × b / c for non-negative integers (c > 0). The quotient must be
 * a safe integer (callers only use it for shares of an amount that is one); the remainder is
 * < c, so it is one too.
 */
export function mulDivMod(a: number, b: number, c: number): [quotient: number, remainder: number] {
  if (!(c > 0)) throw new RangeError('divisor must be positive');
  const p = a * b;
  // When the exact product is ≤ 2^53 − 1 the double product is exact (and ≥ 2^53 otherwise),
  // and % then / on exact integers are exact too.
  if (p <= SAFE) {
    const r = p % c;
    return [(p - r) / c, r];
  }
  const big = BigInt(a) * BigInt(b);
  const bc = BigInt(c);
  const q = big / bc;
  if (q > BigInt(SAFE)) throw new RangeError('result exceeds the safe integer range');
  return [Number(q), Number(big % bc)];
}

// The three roundings below repeat mulDivMod's fast path so that the per-member work of a
// 100,000-member allocation does not allocate a tuple for every cent computed.

/** floor(a × b / c). */
export function mulDivFloor(a: number, b: number, c: number): number {
  const p = a * b;
  if (p <= SAFE && c > 0) return (p - (p % c)) / c;
  return mulDivMod(a, b, c)[0];
}

/** ceil(a × b / c). */
export function mulDivCeil(a: number, b: number, c: number): number {
  const p = a * b;
  if (p <= SAFE && c > 0) {
    const r = p % c;
    return (p - r) / c + (r > 0 ? 1 : 0);
  }
  const [q, r] = mulDivMod(a, b, c);
  return r > 0 ? q + 1 : q;
}

/** round(a × b / c), half up — the same rounding as payments' mulDivRound, without its 2^53 limit. */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  const p = a * b;
  if (p <= SAFE && c > 0) {
    const r = p % c;
    return (p - r) / c + (2 * r >= c ? 1 : 0);
  }
  const [q, r] = mulDivMod(a, b, c);
  return 2 * r >= c ? q + 1 : q;
}

/** Greatest common divisor, to state a rate as a reduced fraction. */
export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/**
 * Splits `total` cents proportionally to `units` so the parts add up exactly (largest
 * remainder): everyone first gets the floor of their exact share, then the cents left over
 * (fewer than the number of sharers) go one by one to the largest remainders; equal remainders
 * go to the larger units, then by `tieBreak` on the indexes. The semantics of splitByWeights in
 * money.ts, but with remainders compared as exact integers (all over the same denominator,
 * Σ units) rather than as doubles, so ties are real ties and the result is reproducible.
 *
 * Each part is floor(exact) or floor(exact) + 1: within one cent of the exact share. More units
 * never get fewer cents (larger units have a larger floor, or the same floor and a larger
 * remainder, so they come first in the queue for leftover cents).
 */
export function largestRemainder(total: number, units: ArrayLike<number>, tieBreak: (a: number, b: number) => number): number[] {
  assertCount(total, 'total');
  const n = units.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    assertCount(units[i]!, 'units');
    sum += units[i]!;
  }
  assertCount(sum, 'the sum of units');
  const parts = new Array<number>(n).fill(0);
  if (sum === 0 || total === 0) return parts;

  const remainders = new Float64Array(n); // each < sum ≤ 2^53, so exact
  const withRemainder: number[] = [];
  let given = 0;
  for (let i = 0; i < n; i++) {
    // mulDivMod inlined on its fast path: this loop runs once per member (100,000 of them).
    const p = total * units[i]!;
    let q: number;
    let r: number;
    if (p <= SAFE) {
      r = p % sum;
      q = (p - r) / sum;
    } else [q, r] = mulDivMod(total, units[i]!, sum);
    parts[i] = q;
    given += q;
    if (r > 0) {
      remainders[i] = r;
      withRemainder.push(i);
    }
  }
  const left = total - given; // Σ remainders / sum: an integer < number of non-zero remainders
  if (left <= 0) return parts;
  // The `left` largest remainders, without sorting 100,000 indexes through a comparator: find
  // the cut-off remainder with a native numeric sort, give a cent to everyone above it, and
  // order only those exactly at it by the tie-breaks.
  const sorted = new Float64Array(withRemainder.length);
  withRemainder.forEach((i, k) => (sorted[k] = remainders[i]!));
  sorted.sort();
  const cut = sorted[sorted.length - left]!;
  const atCut: number[] = [];
  let stillLeft = left;
  for (const i of withRemainder) {
    if (remainders[i]! > cut) {
      parts[i]! += 1;
      stillLeft -= 1;
    } else if (remainders[i] === cut) atCut.push(i);
  }
  atCut.sort((a, b) => units[b]! - units[a]! || tieBreak(a, b));
  for (let k = 0; k < stillLeft; k++) parts[atCut[k]!]! += 1;
  return parts;
}

/** Code-unit order ("<" on strings): the same everywhere, unlike localeCompare. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
