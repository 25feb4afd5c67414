import { describe, expect, it } from 'vitest';
import { TipBody, tipMaxCents, tipPresetCents, TIP_MIN_CENTS } from './tips.js';

describe('tip presets and bounds', () => {
  it('a preset is its percentage of the service, rounded half up to the cent, never under 1 $', () => {
    expect(tipPresetCents(13_500, 15)).toBe(2_025);
    expect(tipPresetCents(14_400, 15)).toBe(2_160);
    expect(tipPresetCents(3_333, 15)).toBe(500); // 499.95 → 500
    expect(tipPresetCents(3_330, 15)).toBe(500); // 499.5 → 500 (half up)
    expect(tipPresetCents(500, 10)).toBe(TIP_MIN_CENTS);
  });

  it('caps a tip at the larger of 500 $ and the booking’s price', () => {
    expect(tipMaxCents(13_500)).toBe(50_000);
    expect(tipMaxCents(120_000)).toBe(120_000);
  });

  it('refuses amounts that are not whole cents of at least 1 $', () => {
    for (const amountCents of [99, 0, -100, 12.5, '1000', null, Number.NaN]) expect(TipBody.safeParse({ amountCents }).success, String(amountCents)).toBe(false);
    expect(TipBody.safeParse({ amountCents: 100 }).success).toBe(true);
  });
});
