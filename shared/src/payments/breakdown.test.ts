import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulDivRound, priceBreakdown, refundBreakdown } from './breakdown.js';

const both = { gst: true, qst: true };
const none = { gst: false, qst: false };

describe('price breakdown', () => {
  it('computes GST and QST per line, half up, and the 5 % fee on the service price', () => {
    // 135.00 $: GST 6.75, QST 13.46625 → 13.47, fee 6.75
    expect(priceBreakdown(13500, 500, both)).toEqual({
      serviceCents: 13500, gstCents: 675, qstCents: 1347, totalCents: 15522, feeRateBps: 500, platformFeeCents: 675, coopCents: 14847,
    });
  });
  it('rounds half up exactly at the half cent', () => {
    // 0.10 $ × 5 % = 0.5 ¢ → 1 ¢; 0.30 $ × 9.975 % = 2.9925 ¢ → 3 ¢
    expect(priceBreakdown(10, 500, both).gstCents).toBe(1);
    expect(priceBreakdown(30, 500, both).qstCents).toBe(3);
    expect(mulDivRound(1, 1, 2)).toBe(1);
    expect(mulDivRound(3, 1, 2)).toBe(2);
  });
  it('adds no tax for a co-op that is not registered', () => {
    expect(priceBreakdown(4500, 500, none)).toMatchObject({ gstCents: 0, qstCents: 0, totalCents: 4500, platformFeeCents: 225, coopCents: 4275 });
  });
});

describe('refund breakdown', () => {
  const paid = priceBreakdown(13500, 500, both);
  it('gives everything back on a full refund', () => {
    expect(refundBreakdown(paid, 0, both)).toEqual({
      serviceCents: 13500, gstCents: 675, qstCents: 1347, totalCents: 15522, platformFeeCents: 675, coopCents: 14847,
    });
  });
  it('keeps 50 % of the service after the free-cancellation deadline, taxes and fee in proportion', () => {
    // kept 67.50: GST 3.375→3.38, QST 6.733125→6.73, fee 3.375→3.38
    expect(refundBreakdown(paid, 6750, both)).toEqual({
      serviceCents: 6750, gstCents: 337, qstCents: 674, totalCents: 7761, platformFeeCents: 337, coopCents: 7424,
    });
  });
  it('kept + refunded = paid, line by line, for any amounts (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 2000 }), fc.boolean(), fc.boolean(), (price, pct, bps, gst, qst) => {
        const taxes = { gst, qst };
        const original = priceBreakdown(price, bps, taxes);
        const keptService = Math.floor((price * pct) / 100);
        const kept = priceBreakdown(keptService, bps, taxes);
        const r = refundBreakdown(original, keptService, taxes);
        expect(r.totalCents + kept.totalCents).toBe(original.totalCents);
        expect(r.serviceCents + r.gstCents + r.qstCents).toBe(r.totalCents);
        expect(r.platformFeeCents + r.coopCents).toBe(r.totalCents);
        expect(r.platformFeeCents).toBeGreaterThanOrEqual(0);
        expect(r.coopCents).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
