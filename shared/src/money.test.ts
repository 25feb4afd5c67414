import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoneyToCents, splitByWeights } from './money.js';

describe('money', () => {
  it('formats cents for fr-CA and en-CA', () => {
    expect(formatMoney(1250, 'fr').replace(/\s/g, ' ')).toBe('12,50 $');
    expect(formatMoney(1250, 'en')).toBe('$12.50');
    expect(formatMoney(123456, 'fr').replace(/\s/g, ' ')).toBe('1 234,56 $');
  });
  it('parses what people type', () => {
    expect(parseMoneyToCents('12,50')).toBe(1250);
    expect(parseMoneyToCents('12.5')).toBe(1250);
    expect(parseMoneyToCents('1 200 $')).toBe(120000);
    expect(parseMoneyToCents('12.345')).toBeNull();
    expect(parseMoneyToCents('abc')).toBeNull();
    expect(parseMoneyToCents('-5')).toBeNull();
  });
  it('splits an amount so the parts add up exactly (largest remainder)', () => {
    expect(splitByWeights(10000, [1, 1, 1])).toEqual([3334, 3333, 3333]);
    expect(splitByWeights(100, [0, 0])).toEqual([0, 0]);
    expect(splitByWeights(7, [2, 1])).toEqual([5, 2]);
    expect(splitByWeights(1, [1, 3])).toEqual([0, 1]);
  });
});
