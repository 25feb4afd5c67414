import { describe, expect, it } from 'vitest';
import { prefixQuery, searchText } from './search-text.js';

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

  it('splits at characters that unaccent turns into tsquery syntax (½ -> " 1/2", ː -> ":")', () => {
    expect(prefixQuery('3½')).toBe('3:*');
    expect(prefixQuery('aːb ⑴')).toBe('a & b:*');
    expect(prefixQuery('ŉ')).toBeNull();
  });

  it('bounds the number and length of words', () => {
    expect(prefixQuery('a b c d e f g h i j')!.split('&')).toHaveLength(8);
    expect(prefixQuery('x'.repeat(80))).toBe(`${'x'.repeat(50)}:*`);
  });
});

describe('searchText', () => {
  it('sends the prefix form alone when it finds all the plain form would', () => {
    expect(searchText('menage')).toEqual({ websearch: null, prefix: 'menage:*' });
    expect(searchText("garde d'enf")).toEqual({ websearch: null, prefix: 'garde & d & enf:*' });
    expect(searchText('porte-fenêtre 3 chambres')).toEqual({ websearch: null, prefix: 'porte & fenêtre & 3 & chambres:*' });
  });

  it('keeps the plain form where the parser may keep one token whole', () => {
    for (const q of ['1.5', 'coop.ca', 'info@coop.ca', 'a/b', '2-3', 'web-2', '3½', 'ménage, vitres']) {
      expect(searchText(q), q).toEqual({ websearch: q, prefix: prefixQuery(q) });
    }
  });

  it('keeps the plain form alone when the person used websearch syntax', () => {
    expect(searchText('menage -vitres')).toEqual({ websearch: 'menage -vitres', prefix: null });
    expect(searchText('!!!')).toEqual({ websearch: '!!!', prefix: null });
  });
});
