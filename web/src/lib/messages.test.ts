/**
 * The message files: a key written twice silently keeps only one of the texts (JSON keeps the
 * last), which once showed a refund sentence where "Remboursé : …" belonged. Every key once, and
 * the same keys in both languages.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const topLevelKeys = (lang: string) =>
  [...readFileSync(new URL(`../../messages/${lang}.json`, import.meta.url), 'utf8').matchAll(/^ {2}"([^"]+)":/gm)].map((m) => m[1]!);

describe('the message files', () => {
  it.each(['fr', 'en'])('%s.json has every key once', (lang) => {
    const keys = topLevelKeys(lang);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('French and English have the same keys', () => {
    const [fr, en] = [new Set(topLevelKeys('fr')), new Set(topLevelKeys('en'))];
    expect([...fr].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !fr.has(k))).toEqual([]);
  });
});
