import { describe, expect, it } from 'vitest';
import { exactCents, exactDollars, roundingOf } from './explain.js';

describe('exact values behind a statement', () => {
  it("redoes Amina's 2025 share: 38 040 min ÷ 188 205 min × 4 035,61 $ = 815,677… $, shown 815,68 $ (a cent up)", () => {
    const x = exactCents(38_040, 403_561, 188_205);
    expect(x.cents).toBe(81_567);
    expect(exactDollars(x)).toEqual({ decimal: '815.677608', truncated: true });
    expect(roundingOf(81_568, x)).toBe('up');
    expect(roundingOf(81_567, x)).toBe('down');
    expect(roundingOf(81_569, x)).toBe('other');
  });

  it('writes an exact product without a trailing "…"', () => {
    const reserve = exactCents(1_261_131, 2_000, 10_000); // 20 % × 12 611,31 $ = 2 522,262 $
    expect(exactDollars(reserve)).toEqual({ decimal: '2522.262', truncated: false });
    expect(roundingOf(252_227, reserve)).toBe('up');
    const even = exactCents(10_000, 2_000, 10_000);
    expect(exactDollars(even)).toEqual({ decimal: '20.00', truncated: false });
    expect(roundingOf(2_000, even)).toBe('exact');
  });
});
