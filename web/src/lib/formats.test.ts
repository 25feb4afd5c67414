/**
 * Issue 10 item 23: one way to write times, durations, counts and deadlines per language, and
 * plurals through the message format. Needs the compiled messages (`pnpm --filter @tissu/web paraglide`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { elides, feeReasonText, shortened, formatCount, formatDate, formatDateTime, formatDuration } from './i18n';
import { formatDateTimeIn, formatDeadline, formatTime, formatTimeRange, oneFullStop, startOfLocalDay } from './time';

type Locale = 'fr' | 'en';
let current: Locale = 'fr';
beforeAll(() => overwriteGetLocale(() => current));
afterAll(() => overwriteGetLocale(() => 'fr'));

/** Intl's narrow and non-breaking spaces read as plain spaces, so expectations stay legible. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const inBoth = <T>(f: () => T): Record<Locale, T> => {
  const out = {} as Record<Locale, T>;
  for (const l of ['fr', 'en'] as const) {
    current = l;
    out[l] = f();
  }
  current = 'fr';
  return out;
};
const ZONE = 'America/Toronto';
// 9:05 and 18:00 in Montréal on 16 March 2026 (UTC-4 since the 8th).
const NINE = '2026-03-16T13:05:00Z';
const SIX_PM = '2026-03-16T22:00:00Z';

describe('times of day', () => {
  it('write the hour without a leading zero, in every place a time appears', () => {
    expect(inBoth(() => plain(formatTime(NINE, ZONE)))).toEqual({ fr: '9 h 05', en: '9:05 a.m.' });
    expect(inBoth(() => plain(formatTimeRange(NINE, SIX_PM, ZONE)))).toEqual({ fr: '9 h 05 – 18 h 00', en: '9:05 a.m. – 6:00 p.m.' });
    expect(inBoth(() => plain(formatDateTime(NINE)))).toEqual({ fr: '16 mars 2026 à 9 h 05', en: 'Mar 16, 2026 at 9:05 a.m.' });
  });

  it('read a deadline at midnight as the end of the day the steward picked, not "00 h 00"', () => {
    const midnight = startOfLocalDay('2026-12-21', ZONE); // 05:00 UTC
    expect(inBoth(() => plain(formatDeadline(midnight, ZONE)))).toEqual({
      fr: 'la fin du dimanche 20 décembre 2026',
      en: 'the end of Sunday, December 20, 2026',
    });
    // Any other instant keeps its time.
    expect(plain(formatDeadline(NINE, ZONE))).toBe('lundi 16 mars 2026 à 9 h 05');
  });
});

describe('durations and counts', () => {
  it('write hours and minutes with grouped hours, never decimal hours', () => {
    const minutes = 3136 * 60 + 45;
    expect(inBoth(() => plain(formatDuration(minutes)))).toEqual({ fr: '3 136 h 45', en: '3,136 h 45 min' });
    expect(inBoth(() => formatDuration(45))).toEqual({ fr: '45 min', en: '45 min' });
    expect(inBoth(() => formatDuration(180))).toEqual({ fr: '3 h', en: '3 h' });
    expect(inBoth(() => formatDuration(0))).toEqual({ fr: '0 h', en: '0 h' });
    expect(inBoth(() => formatDuration(2 * 24 * 60))).toEqual({ fr: '2 jours', en: '2 days' });
    expect(inBoth(() => formatDuration(24 * 60))).toEqual({ fr: '1 jour', en: '1 day' });
    expect(inBoth(() => plain(formatCount(12_611)))).toEqual({ fr: '12 611', en: '12,611' });
  });

  it('write a search count that stopped at its cap as "1 000+"', () => {
    const many = inBoth(() => plain(m.search_results_many({ count: formatCount(1000) })));
    expect(many).toEqual({ fr: '1 000+ services trouvés', en: '1,000+ services found' });
  });

  it('choose plurals through the message format: French counts 0 and 1 in the singular', () => {
    const turnout = (cast: number, eligible: number) => inBoth(() => m.assembly_turnout({ cast, eligible }));
    expect(turnout(0, 1)).toEqual({ fr: '0 vote sur 1 membre.', en: expect.stringMatching(/^0 votes .*1 member\b/) });
    expect(turnout(1, 26).fr).toBe('1 vote sur 26 membres.');
    expect(turnout(2, 26).fr).toBe('2 votes sur 26 membres.');
    expect(turnout(1, 26).en).toMatch(/^1 vote .*26 members/);
  });
});

describe('names and reasons', () => {
  it('shortens a long typed text at a word, and leaves a short one, emoji and all, as it is', () => {
    expect(shortened('ménage', 60)).toBe('ménage');
    expect(shortened('grand ménage de printemps avec lavage des fenêtres', 30)).toBe('grand ménage de printemps…');
    expect(shortened('x'.repeat(2_100), 60)).toBe(`${'x'.repeat(59)}…`);
    expect([...shortened('🧹'.repeat(100), 10)]).toHaveLength(10);
  });

  it("elides French 'de' before a vowel: Minutes d'Amina, de Sophie", () => {
    expect([elides('Amina'), elides('  Émile'), elides('Sophie'), elides('Yasmine')]).toEqual(['yes', 'yes', 'no', 'yes']);
    expect(m.coop_minutes_of({ name: 'Amina', elision: elides('Amina') })).toMatch(/d'Amina|d’Amina/);
    expect(m.coop_minutes_of({ name: 'Sophie', elision: elides('Sophie') })).toMatch(/de Sophie/);
  });

  it("gives the founding fee rate's reason in the reader's language; a steward's own reason as typed", () => {
    expect(inBoth(() => feeReasonText('Founding rate adopted by the members'))).toEqual({
      fr: 'Taux de fondation adopté par les membres',
      en: 'Founding rate adopted by the members',
    });
    expect(inBoth(() => feeReasonText('Baisse votée en AG'))).toEqual({ fr: 'Baisse votée en AG', en: 'Baisse votée en AG' });
  });
});

describe('a sentence ending on a time', () => {
  it('keeps one full stop after "a.m." in English, and French is untouched', () => {
    const said = inBoth(() => plain(oneFullStop(m.cancel_terms_deadline({ date: formatDateTimeIn(NINE, ZONE) }))));
    expect(said.en).toMatch(/9:05 a\.m\.$/);
    expect(said.fr).toMatch(/9 h 05\.$/);
    expect(oneFullStop('Fin à 9 h 05.')).toBe('Fin à 9 h 05.');
  });
});

describe('long dates', () => {
  // Issue 13 walk: a closed day on the availability page read "1 janvier 2027".
  it('write the first of a month "1er" in French, as every other date on the web does', () => {
    expect(inBoth(() => plain(formatDate('2027-01-01T12:00:00Z')))).toEqual({ fr: '1er janvier 2027', en: 'January 1, 2027' });
    expect(inBoth(() => plain(formatDate('2027-01-11T12:00:00Z')))).toEqual({ fr: '11 janvier 2027', en: 'January 11, 2027' });
  });
});
