import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cashPart, memberPayout, withholdingFor } from './payout.js';

describe('withholding (ITA s.135(3))', () => {
  it('withholds 22.50 $ on a single 250 $ payment: 15 % × (250 − 100)', () => {
    expect(withholdingFor(0, 25_000, 0)).toBe(2_250);
  });
  it('withholds 0.00, 7.50, 37.50 on 80 $, 70 $, 250 $ paid in one year', () => {
    // 80: under 100 $ → 0. 80 + 70 = 150: 15 % × 50 = 7.50. 150 + 250 = 400: 15 % × 300 = 45.00 − 7.50 = 37.50.
    expect(withholdingFor(0, 8_000, 0)).toBe(0);
    expect(withholdingFor(8_000, 7_000, 0)).toBe(750);
    expect(withholdingFor(15_000, 25_000, 750)).toBe(3_750);
  });
  it('withholds nothing up to 100 $ in the year, and rounds the cumulative amount half up', () => {
    expect(withholdingFor(0, 10_000, 0)).toBe(0);
    expect(withholdingFor(0, 10_003, 0)).toBe(0); // 0.45 ¢ → 0
    expect(withholdingFor(0, 10_004, 0)).toBe(1); // 0.60 ¢ → 1
    expect(withholdingFor(10_003, 1, 0)).toBe(1); // cumulative 0.60 ¢ → 1, capped at ceil(0.15 ¢) = 1
  });
  it('does not give back an earlier over-withholding nor catch up on an under-withholding', () => {
    expect(withholdingFor(50_000, 1_000, 9_999)).toBe(0);
    // 15 % × (500 + 10 − 100) = 61.50 due for the year, nothing withheld before: only 15 % of 10 $.
    expect(withholdingFor(50_000, 1_000, 0)).toBe(150);
  });
  const payments = fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 1, maxLength: 12 });
  it('is never negative, never more than 15 % of the payment (to the cent, up), and adds up over a year (property)', () => {
    fc.assert(
      fc.property(payments, (ps) => {
        let ytd = 0;
        let withheld = 0;
        for (const p of ps) {
          const w = withholdingFor(ytd, p, withheld);
          expect(w).toBeGreaterThanOrEqual(0);
          expect(w).toBeLessThanOrEqual(p);
          expect(w * 10_000).toBeLessThan(p * 1_500 + 10_000); // w ≤ ceil(15 % × p)
          ytd += p;
          withheld += w;
          // Cumulatively, exactly 15 % of the year's total beyond 100 $, half up: no drift.
          const beyond = Math.max(0, ytd - 10_000);
          expect(withheld).toBe(Math.floor((beyond * 1_500 * 2 + 10_000) / 20_000));
        }
      }),
      { numRuns: 300 },
    );
  });
  it('is never more than 15 % of the payment even with an inconsistent history (property)', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000_000), fc.nat(2_000_000), (ytd, p, before) => {
        const w = withholdingFor(ytd, p, before);
        expect(w).toBeGreaterThanOrEqual(0);
        expect(w * 10_000).toBeLessThan(p * 1_500 + 10_000);
      }),
      { numRuns: 300 },
    );
  });
});

describe('cash part', () => {
  it('rounds the cash part up, the retained part is the rest', () => {
    // 33.33 $ × 20 % = 6.666 $ → 6.67 cash, 26.66 retained.
    expect(cashPart(3_333, 2_000)).toEqual({ cashPartCents: 667, retainedPartCents: 2_666 });
    expect(cashPart(3_335, 2_000)).toEqual({ cashPartCents: 667, retainedPartCents: 2_668 });
    expect(cashPart(1, 2_000)).toEqual({ cashPartCents: 1, retainedPartCents: 0 });
    expect(cashPart(0, 2_000)).toEqual({ cashPartCents: 0, retainedPartCents: 0 });
    expect(cashPart(5_000, 10_000)).toEqual({ cashPartCents: 5_000, retainedPartCents: 0 });
  });
});

describe('member payout', () => {
  const base = { memberId: 'm1', memberClass: 'user' as const, patronageUnits: 1 };
  it('carries cash below the threshold forward, with what was carried in', () => {
    // 10.00 $ allocated, 20 % → 2.00 $ cash + 4.00 $ carried in = 6.00 $ < 25.00 $: carried on.
    expect(memberPayout({ ...base, carriedInCents: 400 }, 1_000, 2_000, 2_500, true)).toMatchObject({
      cashPartCents: 200, retainedPartCents: 800, paidCents: 0, carryForwardCents: 600, withholdingCents: 0, netPaidCents: 0,
    });
  });
  it('pays at exactly the threshold, carried amount included', () => {
    expect(memberPayout({ ...base, carriedInCents: 2_300 }, 1_000, 2_000, 2_500, true)).toMatchObject({ paidCents: 2_500, carryForwardCents: 0 });
  });
  it('settles a departed member\'s carry-forward below the threshold', () => {
    expect(memberPayout({ ...base, carriedInCents: 300, settleCarryForward: true }, 1_000, 2_000, 2_500, true)).toMatchObject({ paidCents: 500, carryForwardCents: 0 });
  });
  it('pays nothing and keeps what was carried in, in a year without a pay run', () => {
    expect(memberPayout({ ...base, carriedInCents: 9_000 }, 0, 2_000, 2_500, false)).toMatchObject({ paidCents: 0, carryForwardCents: 9_000 });
  });
  it('withholds on the amount paid, after earlier payments in the calendar year', () => {
    // 350 $ allocated, 20 % → 70 $ paid; 80 $ paid earlier this year: 15 % × 50 $ = 7.50 $.
    const line = memberPayout({ ...base, withholdingApplies: true, ytdPaidCents: 8_000 }, 35_000, 2_000, 2_500, true);
    expect(line).toMatchObject({ paidCents: 7_000, withholdingCents: 750, netPaidCents: 6_250 });
    // A co-op (no withholding) paid the same.
    expect(memberPayout({ ...base, ytdPaidCents: 8_000 }, 35_000, 2_000, 2_500, true).withholdingCents).toBe(0);
  });
});
