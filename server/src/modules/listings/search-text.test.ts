import { describe, expect, it } from 'vitest';
import { prefixQuery } from './search-text.js';

describe('prefixQuery', () => {
  it('ANDs the words and lets the last one be unfinished', () => {
    expect(prefixQuery('garde enf')).toBe('garde & enf:*');
    expect(prefixQuery("garde d'enf")).toBe('garde & d & enf:*');
    expect(prefixQuery('Ménage')).toBe('Ménage:*');
  });

  it('keeps only letters and digits, so no tsquery operator gets through', () => {
    expect(prefixQuery("a & b | !c :* ( ) ' \\")).toBe('a & b & c:*');
    expect(prefixQuery('!!! ::: ()')).toBeNull();
    expect(prefixQuery('')).toBeNull();
  });

  it('steps aside when the person used websearch syntax', () => {
    expect(prefixQuery('menage -vitres')).toBeNull();
    expect(prefixQuery('"grand ménage"')).toBeNull();
    expect(prefixQuery('jardin or potager')).toBeNull();
    expect(prefixQuery('porte-fenêtre')).toBe('porte & fenêtre:*');
  });

  it('bounds the number and length of words', () => {
    expect(prefixQuery('a b c d e f g h i j')!.split('&')).toHaveLength(8);
    expect(prefixQuery('x'.repeat(80))).toBe(`${'x'.repeat(50)}:*`);
  });
});
