import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitByWeights } from '../money.js';
import { compareIds, gcd, largestRemainder, mulDivCeil, mulDivFloor, mulDivHalfUp, mulDivMod } from './arithmetic.js';

/** The textbook largest remainder in BigInt with one full sort: the reference the fast one must match. */
function referenceSplit(total: number, units: number[], tieBreak: (a: number, b: number) => number): number[] {
  const sum = units.reduce((s, u) => s + BigInt(u), 0n);
  if (sum === 0n) return units.map(() => 0);
  const exact = units.map((u) => BigInt(total) * BigInt(u));
  const parts = exact.map((e) => e / sum);
  let left = BigInt(total) - parts.reduce((s, p) => s + p, 0n);
  const order = units.map((_, i) => i).sort((a, b) => {
    const ra = exact[a]! % sum;
    const rb = exact[b]! % sum;
    return ra > rb ? -1 : ra < rb ? 1 : units[b]! - units[a]! || tieBreak(a, b);
  });
  for (const i of order) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

const big = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

describe('integer mul-div', () => {
  it('is exact on both sides of 2^53 (doubles below, BigInt above)', () => {
    // 1 000 000 000.00 $ × 9 000 / 10 000 fits; 10^12 cents × 123 456 789 units does not (checked in Python).
    expect(mulDivMod(100_000_000_000, 9_000, 10_000)).toEqual([90_000_000_000, 0]);
    expect(mulDivMod(1_000_000_000_000, 123_456_789, 1_000_000_007)).toEqual([123_456_788_135, 802_483_055]);
    expect(mulDivFloor(7, 1, 2)).toBe(3);
    expect(mulDivCeil(7, 1, 2)).toBe(4);
    expect(mulDivHalfUp(7, 1, 2)).toBe(4);
    expect(mulDivHalfUp(5, 1, 3)).toBe(2);
    expect(mulDivHalfUp(4, 1, 3)).toBe(1);
    expect(() => mulDivMod(1, 1, 0)).toThrow(RangeError);
    expect(() => mulDivMod(Number.MAX_SAFE_INTEGER, 3, 1)).toThrow(RangeError);
  });
  it('matches BigInt for any safe operands (property)', () => {
    fc.assert(
      fc.property(big, fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (a, b, c) => {
        const q = (BigInt(a) * BigInt(b)) / BigInt(c);
        fc.pre(q <= BigInt(Number.MAX_SAFE_INTEGER));
        const r = (BigInt(a) * BigInt(b)) % BigInt(c);
        expect(mulDivMod(a, b, c)).toEqual([Number(q), Number(r)]);
        expect(mulDivCeil(a, b, c)).toBe(Number(r > 0n ? q + 1n : q));
        expect(mulDivHalfUp(a, b, c)).toBe(Number(2n * r >= BigInt(c) ? q + 1n : q));
      }),
      { numRuns: 500 },
    );
  });
  it('reduces fractions and orders ids by code unit', () => {
    expect(gcd(180_000, 66_000)).toBe(6_000);
    expect(gcd(0, 7)).toBe(7);
    expect(['b', 'B', 'a', 'é'].sort(compareIds)).toEqual(['B', 'a', 'b', 'é']);
  });
});

describe('largest remainder', () => {
  it('gives the cent left over to the lower id on a perfect tie', () => {
    expect(largestRemainder(10_000, [1, 1, 1], (a, b) => a - b)).toEqual([3334, 3333, 3333]);
    expect(largestRemainder(10_000, [1, 1, 1], (a, b) => b - a)).toEqual([3333, 3333, 3334]);
  });
  it('gives equal remainders to the larger units first', () => {
    // 10 × 3/6 = 5, 10 × 2/6 = 3.33…, 10 × 1/6 = 1.66…: remainders 0, 2/6, 4/6 → the third gets the cent.
    expect(largestRemainder(10, [3, 2, 1], (a, b) => a - b)).toEqual([5, 3, 2]);
    // 5 × 2/4 = 2.5 and 5 × 1/4 = 1.25 twice: the 2.5 goes first, then the cent stops.
    expect(largestRemainder(5, [2, 1, 1], (a, b) => a - b)).toEqual([3, 1, 1]);
  });
  it('gives nothing when nobody has units, and refuses fractions of a cent', () => {
    expect(largestRemainder(100, [0, 0], (a, b) => a - b)).toEqual([0, 0]);
    expect(largestRemainder(0, [3, 4], (a, b) => a - b)).toEqual([0, 0]);
    expect(() => largestRemainder(1.5, [1], (a, b) => a - b)).toThrow(RangeError);
    expect(() => largestRemainder(1, [-1, 2], (a, b) => a - b)).toThrow(RangeError);
  });
  it('agrees with splitByWeights on the class weights of a plan', () => {
    for (const w of [[4_000, 4_000, 2_000], [3_333, 3_333, 3_334], [5_000, 0, 5_000], [10_000, 0, 0]]) {
      for (const total of [1, 2, 7, 10_000, 99_999, 123_456_789]) {
        expect(largestRemainder(total, w, (a, b) => a - b)).toEqual(splitByWeights(total, w));
      }
    }
  });
  it('matches the BigInt reference, beyond 2^53 products too (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1e9 })), { minLength: 1, maxLength: 60 }),
        (total, units) => {
          const byIndex = (a: number, b: number) => a - b;
          const parts = largestRemainder(total, units, byIndex);
          expect(parts).toEqual(referenceSplit(total, units, byIndex));
          if (units.some((u) => u > 0)) expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
        },
      ),
      { numRuns: 400 },
    );
  });
});
