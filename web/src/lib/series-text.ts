/**
 * Regular visits in words: how often, the rule as a sentence, the state and the discount. The
 * server computes every date; this only writes them ("Chaque semaine, le lundi à 9 h 00, à partir
 * du 4 janvier 2027").
 */
import { dateTimeFormat, firstOfMonth, reasonIn, type Series, type SeriesFrequency, type SeriesState } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { intlLocale, locale, money, percentFromBps } from '$lib/i18n';
import { formatDay, formatTime, localDate } from '$lib/time';

const FREQUENCIES: Record<SeriesFrequency, () => string> = {
  weekly: m.series_freq_weekly,
  every_2_weeks: m.series_freq_every_2_weeks,
  every_4_weeks: m.series_freq_every_4_weeks,
  weekdays: m.series_freq_weekdays,
};

/** "Chaque semaine", "Toutes les deux semaines", "Toutes les quatre semaines", "Du lundi au vendredi". */
export const frequencyLabel = (f: SeriesFrequency): string => FREQUENCIES[f]?.() ?? f;

const STATES: Record<SeriesState, () => string> = {
  requested: m.series_state_requested,
  active: m.series_state_active,
  paused: m.series_state_paused,
  ended: m.series_state_ended,
  declined: m.series_state_declined,
};

export const seriesStateLabel = (s: SeriesState): string => STATES[s]?.() ?? s;

/** A colour family for the state's badge, as bookings have. */
export function seriesStateTone(s: SeriesState): 'waiting' | 'ok' | 'todo' | 'off' {
  if (s === 'requested') return 'waiting';
  if (s === 'active') return 'ok';
  if (s === 'paused') return 'todo';
  return 'off';
}

const noon = (date: string) => new Date(`${date}T12:00:00Z`);

/** A time never breaks across lines ("9 h" / "00" on a phone reads as two things). */
export const unbroken = (text: string): string => text.replace(/ /g, '\u00a0');

/** A wall-clock "HH:mm" as Tissu writes times: "9 h 00" / "9:00 a.m.", kept on one line. */
export function wallTime(hhmm: string): string {
  return unbroken(formatTime(`1970-01-01T${hhmm}:00Z`, 'UTC'));
}

/** "4 janvier 2027" / "January 4, 2027" for a local date; French writes the first "1er". */
export function calendarDay(date: string): string {
  return firstOfMonth(dateTimeFormat(intlLocale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(noon(date)), intlLocale() === 'fr-CA');
}

function weekdayName(date: string): string {
  return dateTimeFormat(intlLocale(), { weekday: 'long', timeZone: 'UTC' }).format(noon(date));
}

export interface RuleWords {
  startsOn: string;
  frequency: SeriesFrequency;
  time: string;
  until: string | null;
}

/**
 * "Chaque semaine, le lundi à 9 h 00, à partir du 4 janvier 2027" (with "jusqu'au …" when it
 * ends); "Du lundi au vendredi à 8 h 00, …" for weekday visits.
 */
export function seriesRuleText(rule: RuleWords): string {
  const time = wallTime(rule.time);
  const when =
    rule.frequency === 'weekdays'
      ? m.series_rule_weekdays({ time })
      : m.series_rule_on_day({ frequency: frequencyLabel(rule.frequency), weekday: weekdayName(rule.startsOn), time });
  // A rule that never ran (the series ended before its first date) says no dates, not "from the 11th to the 10th".
  if (rule.until && rule.until < rule.startsOn) return when;
  return rule.until
    ? m.series_rule_from_until({ rule: when, from: calendarDay(rule.startsOn), until: calendarDay(rule.until) })
    : m.series_rule_from({ rule: when, from: calendarDay(rule.startsOn) });
}

/** "12 janv." / "Jan 12": a date in a list's narrow line (the year is the reader's to infer). */
function shortDay(date: string): string {
  return firstOfMonth(dateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(noon(date)), intlLocale() === 'fr-CA');
}

/**
 * A rule still to come, for a list's line under the one in force: "puis dès le 12 janv. : chaque
 * semaine, le mardi à 13 h 00" ("puis du 12 janv. au 2 févr. : …" when it ends).
 */
export function laterRuleText(rule: RuleWords): string {
  const said = rule.frequency === 'weekdays'
    ? m.series_rule_weekdays({ time: wallTime(rule.time) })
    : m.series_rule_on_day({ frequency: frequencyLabel(rule.frequency), weekday: weekdayName(rule.startsOn), time: wallTime(rule.time) });
  // Mid-sentence after the colon: lower case, except an English weekday name ("Monday to Friday").
  const lower = locale() === 'fr' || rule.frequency !== 'weekdays';
  const words = lower ? said.charAt(0).toLowerCase() + said.slice(1) : said;
  return rule.until && rule.until >= rule.startsOn
    ? m.series_line_then_from_until({ from: shortDay(rule.startsOn), until: shortDay(rule.until), rule: words })
    : m.series_line_then_from({ from: shortDay(rule.startsOn), rule: words });
}

/** "10 % de rabais sur chaque visite"; null without a discount, or to a worker, who reads none (null). */
export function discountText(discountBps: number | null): string | null {
  return discountBps !== null && discountBps > 0 ? m.series_discount({ percent: percentFromBps(discountBps) }) : null;
}

/** "120,00 $ − 10 % (12,00 $) = 108,00 $": the discount redone by hand; null without one. */
export function discountMath(priceCents: number, regularPriceCents: number, discountBps: number | null, addonCents = 0): string | null {
  if (discountBps === null || discountBps <= 0 || priceCents >= regularPriceCents) return null;
  const discount = money(regularPriceCents - priceCents);
  // The discount is on the service alone: with add-ons, "120,00 $ − 10 % (12,00 $) + options 25,00 $ = 133,00 $".
  if (addonCents > 0) {
    return m.series_price_math_addons({ regular: money(regularPriceCents - addonCents), percent: percentFromBps(discountBps), discount, addons: money(addonCents), price: money(priceCents) });
  }
  return m.series_price_math({ regular: money(regularPriceCents), percent: percentFromBps(discountBps), discount, price: money(priceCents) });
}

/** "108,00 $ par visite (au lieu de 120,00 $)", or the price alone without a discount. */
export function visitPriceText(priceCents: number, regularPriceCents: number): string {
  return priceCents < regularPriceCents
    ? m.series_price_per_visit_discounted({ price: money(priceCents), regular: money(regularPriceCents) })
    : m.series_price_per_visit({ price: money(priceCents) });
}

type SeriesEvent = Series['history'][number];

/** Why a date has no visit: closed at that time (a closed day or closed hours alike), already taken, or skipped. */
export function gapReasonText(reason: string): string {
  return reason === 'closed' ? m.series_visit_closed() : reason === 'taken' ? m.series_visit_taken() : m.series_gap_client();
}

/** "mardi 8 décembre 2026 à 9 h 00" in the series' zone, the time kept on one line. */
const visitWhen = (instant: string, timeZone: string) =>
  m.date_at_time({ date: formatDay(localDate(instant, timeZone), { year: true }), time: unbroken(formatTime(instant, timeZone)) });

/** A line of the series' history, in a few words: what, from which date, and what changed. */
export function seriesEventTitle(e: SeriesEvent, timeZone: string): string {
  const from = e.from ? calendarDay(e.from) : '';
  switch (e.kind) {
    case 'requested':
      return m.series_event_requested();
    case 'booked':
      return m.series_event_booked();
    case 'accepted':
      return m.series_event_accepted();
    case 'declined':
      return m.series_event_declined();
    case 'team':
      return e.team?.length ? m.series_event_team({ names: e.team.join(', ') }) : m.series_event_team_none();
    case 'changed':
      return m.series_event_changed({ date: from });
    case 'paused':
      return m.series_event_paused({ date: from });
    case 'resumed':
      return m.series_event_resumed({ date: from });
    case 'ended':
      return m.series_event_ended({ date: from });
    case 'lapsed':
      return m.series_event_lapsed();
    case 'gap_skipped':
      return m.series_event_gap_skipped({ date: from });
    case 'gap_moved':
      return e.startsAt
        ? m.series_event_gap_moved({ date: from, when: visitWhen(e.startsAt, timeZone) })
        : m.series_event_gap_skipped({ date: from });
    case 'visit_cancelled':
      return m.series_event_visit_cancelled({ when: e.startsAt ? visitWhen(e.startsAt, timeZone) : from });
    case 'visit_closed':
      return m.series_event_visit_closed({ when: e.startsAt ? visitWhen(e.startsAt, timeZone) : from });
    case 'visit_moved':
      return e.startsAt && e.movedFrom
        ? m.series_event_visit_moved({ before: visitWhen(e.movedFrom, timeZone), after: visitWhen(e.startsAt, timeZone) })
        : m.series_event_visit_cancelled({ when: from });
  }
  return e.kind;
}

/** The rule a change or a booking set ("Chaque semaine, à 9 h 00"), or the reason given (Tissu's own in the reader's words). */
export function seriesEventDetail(e: SeriesEvent): string | null {
  const rule = e.frequency && e.time ? m.series_event_rule({ frequency: frequencyLabel(e.frequency), time: wallTime(e.time) }) : null;
  return [rule, e.reason ? reasonIn(e.reason, locale()) : null].filter(Boolean).join('\n') || null;
}
