/** Absences and why someone cannot take a visit, as the co-op's admin reads them in French. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { absenceText, unavailableText } from './team-text';

beforeAll(() => overwriteGetLocale(() => 'fr'));
afterAll(() => overwriteGetLocale(() => 'fr'));

const squeeze = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');
const TZ = 'America/Toronto';

describe('absenceText', () => {
  it('says whole days as days, the last one included, across the November clock change', () => {
    // 1 to 2 November 2026 in Montréal: 1 November has 25 hours.
    expect(squeeze(absenceText({ startsAt: '2026-11-01T04:00:00Z', endsAt: '2026-11-03T05:00:00Z', allDay: true }, TZ))).toBe('1–2 novembre 2026');
    expect(squeeze(absenceText({ startsAt: '2026-12-08T05:00:00Z', endsAt: '2026-12-09T05:00:00Z', allDay: true }, TZ))).toBe('8 décembre 2026');
  });

  it('says hours on the co-op clock', () => {
    expect(squeeze(absenceText({ startsAt: '2026-07-03T17:30:00Z', endsAt: '2026-07-03T21:00:00Z', allDay: false }, TZ))).toContain('13 h 30 – 17 h 00');
  });
});

describe('unavailableText', () => {
  it('reads a midnight-to-midnight absence as its days, and a busy visit with its hours', () => {
    expect(squeeze(unavailableText({ kind: 'away', startsAt: '2026-12-08T05:00:00Z', endsAt: '2026-12-09T05:00:00Z' }, TZ))).toBe('Absente : 8 décembre 2026');
    expect(squeeze(unavailableText({ kind: 'busy', startsAt: '2026-12-08T14:00:00Z', endsAt: '2026-12-08T15:30:00Z' }, TZ))).toMatch(/^Sur une autre visite : mardi 8 décembre 2026 à 9 h 00 – 10 h 30$/);
    // Busy at another co-op: no times are given, and none are made up.
    expect(unavailableText({ kind: 'busy', startsAt: null, endsAt: null }, TZ)).toBe('Sur une visite à une autre coopérative à ce moment');
  });
});
