/**
 * The free-cancellation deadline under the terms. A booking made after its deadline read "Soit
 * jusqu'au vendredi 4 décembre 2026…", a date already past, while the cancel form said it had passed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { freeCancellationDeadlineText } from './cancellation-text';

let current: 'fr' | 'en' = 'fr';
beforeAll(() => overwriteGetLocale(() => current));
afterAll(() => overwriteGetLocale(() => 'fr'));
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

// Friday 4 December 2026 at 9:00 in Toronto (UTC-5).
const deadline = '2026-12-04T14:00:00Z';
const text = (now: string, over: { extended?: boolean; coop?: boolean } = {}) =>
  plain(freeCancellationDeadlineText({ deadline, timeZone: 'America/Toronto', extended: false, coop: false, now, ...over }));

describe('the free-cancellation deadline', () => {
  it('is said to have passed once it has, with when it ended', () => {
    expect(text('2026-12-05T15:00:00Z')).toBe("Le délai d'annulation gratuite est passé (il se terminait le vendredi 4 décembre 2026 à 9 h 00).");
    expect(text('2026-12-04T14:00:00Z', { extended: true, coop: true })).toMatch(/^Le délai d'annulation gratuite est passé/);
    current = 'en';
    try {
      expect(text('2026-12-05T15:00:00Z')).toBe('The free cancellation period has passed (it ended on Friday, December 4, 2026 at 9:00 a.m.).');
    } finally {
      current = 'fr';
    }
  });

  it('is said as the date to come before then, moved or not', () => {
    expect(text('2026-12-01T15:00:00Z')).toBe("Soit jusqu'au vendredi 4 décembre 2026 à 9 h 00.");
    expect(text('2026-12-01T15:00:00Z', { extended: true })).toMatch(/^La coopérative ayant accepté après cette limite : jusqu'au vendredi 4 décembre 2026/);
  });
});
