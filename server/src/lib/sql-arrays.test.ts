import { describe, expect, it } from 'vitest';
import { arrayLiteral } from './sql-arrays.js';

describe('arrayLiteral', () => {
  it('quotes every string, so commas, braces, quotes and backslashes stay inside their element', () => {
    expect(arrayLiteral(['a', 'b,c', '{d}', 'e"f', 'g\\h', ''])).toBe('{"a","b,c","{d}","e\\"f","g\\\\h",""}');
    expect(arrayLiteral(['NULL'])).toBe('{"NULL"}');
    // A line break or a tab is kept as it is inside the quotes (JSON would write \n, which PostgreSQL reads as n).
    expect(arrayLiteral(['a\nb', 'c\td', 'e'])).toBe('{"a\nb","c\td","e"}');
    expect(arrayLiteral(['x', 1, 'y'])).toBe('{"x",1,"y"}');
  });

  it('writes whole numbers as they are and refuses anything else', () => {
    expect(arrayLiteral([0, -12, 9_007_199_254_740_991])).toBe('{0,-12,9007199254740991}');
    expect(arrayLiteral([])).toBe('{}');
    expect(() => arrayLiteral([1.5])).toThrow(/whole number/);
    expect(() => arrayLiteral([Number.NaN])).toThrow(/whole number/);
    expect(() => arrayLiteral([1e21])).toThrow(/whole number/);
  });
});
