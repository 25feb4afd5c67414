/** Regular visits in words, in French and English. Needs the compiled messages (`pnpm --filter @tissu/web paraglide`). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import type { Series } from '@tissu/shared';
import { discountMath, discountText, frequencyLabel, gapReasonText, laterRuleText, seriesEventTitle, seriesRuleText, visitPriceText, wallTime } from './series-text';
import { formatDateTimeIn, formatDay } from './time';

type Locale = 'fr' | 'en';
let current: Locale = 'fr';
beforeAll(() => overwriteGetLocale(() => current));
afterAll(() => overwriteGetLocale(() => 'fr'));

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const inBoth = (f: () => string): Record<Locale, string> => {
  const out = {} as Record<Locale, string>;
  for (const l of ['fr', 'en'] as const) {
    current = l;
    out[l] = plain(f());
  }
  current = 'fr';
  return out;
};

describe('a rule in words', () => {
  it('says how often, the weekday, the time and the first date', () => {
    expect(inBoth(() => seriesRuleText({ startsOn: '2027-01-04', frequency: 'weekly', time: '09:00', until: null }))).toEqual({
      fr: 'Chaque semaine, le lundi à 9 h 00, à partir du 4 janvier 2027',
      en: 'Every week, on Monday at 9:00 a.m., starting January 4, 2027',
    });
  });

  it('says the last date when there is one, and weekdays without a weekday', () => {
    expect(inBoth(() => seriesRuleText({ startsOn: '2027-03-09', frequency: 'every_2_weeks', time: '14:30', until: '2027-06-01' }))).toEqual({
      fr: 'Toutes les deux semaines, le mardi à 14 h 30, du 9 mars 2027 au 1er juin 2027',
      en: 'Every two weeks, on Tuesday at 2:30 p.m., from March 9, 2027 to June 1, 2027',
    });
    expect(inBoth(() => seriesRuleText({ startsOn: '2027-01-04', frequency: 'weekdays', time: '08:00', until: null }))).toEqual({
      fr: 'Du lundi au vendredi à 8 h 00, à partir du 4 janvier 2027',
      en: 'Monday to Friday at 8:00 a.m., starting January 4, 2027',
    });
  });

  it('writes every frequency and a wall-clock time as Tissu writes times', () => {
    expect(inBoth(() => frequencyLabel('every_4_weeks'))).toEqual({ fr: 'Toutes les quatre semaines', en: 'Every four weeks' });
    expect(inBoth(() => wallTime('00:05'))).toEqual({ fr: '0 h 05', en: '12:05 a.m.' });
  });
});

describe('the price of a visit', () => {
  it('shows the discount and the regular price beside it', () => {
    expect(inBoth(() => discountText(1_000) ?? '')).toEqual({ fr: '10 % de rabais sur chaque visite', en: '10% off every visit' });
    expect(discountText(0)).toBeNull();
    // A worker on the team reads no discount: the API gives her none.
    expect(discountText(null)).toBeNull();
    expect(inBoth(() => visitPriceText(10_800, 12_000))).toEqual({ fr: '108,00 $ par visite (au lieu de 120,00 $)', en: '$108.00 per visit (instead of $120.00)' });
    expect(inBoth(() => visitPriceText(12_000, 12_000))).toEqual({ fr: '120,00 $ par visite', en: '$120.00 per visit' });
    expect(inBoth(() => discountMath(12_150, 13_500, 1_000) ?? '')).toEqual({ fr: '135,00 $ − 10 % (13,50 $) = 121,50 $', en: '$135.00 − 10% ($13.50) = $121.50' });
    expect(discountMath(12_000, 12_000, 0)).toBeNull();
    // With add-ons the discount is on the service alone: 120,00 $ less 10 %, and the fridge at 25,00 $.
    expect(inBoth(() => discountMath(13_300, 14_500, 1_000, 2_500) ?? '')).toEqual({ fr: '120,00 $ − 10 % (12,00 $) + options 25,00 $ = 133,00 $', en: '$120.00 − 10% ($12.00) + add-ons $25.00 = $133.00' });
  });
});

describe('the first day of a month', () => {
  it('is "1er" in French wherever a day is written, "1" in English', () => {
    // The preview wrote "vendredi 1 janvier" while the rule beside it wrote "1er février".
    expect(inBoth(() => formatDay('2027-01-01'))).toEqual({ fr: 'vendredi 1er janvier', en: 'Friday, January 1' });
    expect(inBoth(() => formatDay('2027-01-11'))).toEqual({ fr: 'lundi 11 janvier', en: 'Monday, January 11' });
    expect(inBoth(() => formatDateTimeIn('2027-02-01T14:00:00Z', 'America/Toronto')).fr).toBe('lundi 1er février 2027 à 9 h 00');
  });
});

describe('a rule that never ran', () => {
  it('says no dates rather than an end before its start', () => {
    // A series ended from its first day read "du 11 décembre 2026 au 10 décembre 2026".
    expect(inBoth(() => seriesRuleText({ startsOn: '2026-12-11', frequency: 'weekly', time: '10:00', until: '2026-12-10' })).fr).toBe('Chaque semaine, le vendredi à 10 h 00');
  });
});

describe("the rules still to come, on a list's line", () => {
  it('say from when (and to when) each one runs, briefly, in lower case after the colon but for an English weekday', () => {
    expect(inBoth(() => laterRuleText({ startsOn: '2027-01-05', frequency: 'weekly', time: '09:00', until: '2027-01-18' }))).toEqual({
      fr: 'puis du 5 janv. au 18 janv. : chaque semaine, le mardi à 9 h 00',
      en: 'then Jan 5 to Jan 18: every week, on Tuesday at 9:00 a.m.',
    });
    expect(inBoth(() => laterRuleText({ startsOn: '2027-02-01', frequency: 'weekdays', time: '13:00', until: null }))).toEqual({
      fr: 'puis dès le 1er févr. : du lundi au vendredi à 13 h 00',
      en: 'then from Feb 1: Monday to Friday at 1:00 p.m.',
    });
  });
});

describe("a single visit in the series' history", () => {
  const event = (over: Partial<Series['history'][number]>): Series['history'][number] => ({
    at: '2026-12-05T15:00:00Z', kind: 'visit_cancelled', actorRole: 'client', actorName: 'Claire', from: '2026-12-24', time: null, frequency: null, team: null,
    startsAt: null, movedFrom: null, reason: null, ...over,
  });

  it('says which visit was cancelled, and where a moved one was and went, in the series zone', () => {
    expect(inBoth(() => seriesEventTitle(event({ startsAt: '2026-12-24T14:00:00Z' }), 'America/Toronto'))).toEqual({
      fr: 'Visite du jeudi 24 décembre 2026 à 9 h 00 annulée',
      en: 'Visit of Thursday, December 24, 2026 at 9:00 a.m. cancelled',
    });
    expect(inBoth(() => seriesEventTitle(event({ kind: 'visit_moved', movedFrom: '2026-12-24T14:00:00Z', startsAt: '2027-01-02T14:00:00Z' }), 'America/Toronto'))).toEqual({
      fr: 'Visite déplacée du jeudi 24 décembre 2026 à 9 h 00 au samedi 2 janvier 2027 à 9 h 00',
      en: 'Visit moved from Thursday, December 24, 2026 at 9:00 a.m. to Saturday, January 2, 2027 at 9:00 a.m.',
    });
  });
});

// The gap badge of a visit closed hours took said "Fermé ce jour-là" beside 14:00 offered that same day.
describe("a gap's reason", () => {
  it('says closed at that time, not that day, and the other reasons as before', () => {
    expect(inBoth(() => gapReasonText('closed'))).toEqual({ fr: 'Fermé à cette heure-là', en: 'Closed at that time' });
    expect(inBoth(() => gapReasonText('taken')).fr).toBe('Déjà pris');
    expect(inBoth(() => gapReasonText('client')).fr).toBe('Sautée');
  });
});
