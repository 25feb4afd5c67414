import { DateTime } from 'luxon';
import * as rruleModule from 'rrule';

// rrule ships CommonJS and ESM builds: as ESM its classes are named exports, loaded as CommonJS
// (drizzle-kit, some test runners) they sit under `default`.
const { RRule } = ('RRule' in rruleModule ? rruleModule : (rruleModule as unknown as { default: typeof rruleModule }).default) as typeof rruleModule;

import { MAX_SERIES_DAYS, type SeriesFrequency } from './series.js';
import { zoneOffsets } from './zone-offsets.js';

/**
 * One rule of a series: from `startsOn` at `time` (the listing's wall clock), every week, two
 * weeks, four weeks or weekday, until `until` (inclusive) or for ever. Wall-clock times are what
 * the rule keeps, so 09:00 stays 09:00 in the zone through both daylight-saving changes.
 */
export interface SeriesRule {
  frequency: SeriesFrequency;
  /** YYYY-MM-DD, the first visit's local date. */
  startsOn: string;
  /** HH:mm, local. */
  time: string;
  /** YYYY-MM-DD, the last day a visit may fall on; null: no end. */
  until: string | null;
}

export interface Occurrence {
  /** The local date the rule puts the visit on: its identity within the series. */
  date: string;
  startsAt: Date;
}

const WEEKDAYS = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR];

function options(rule: SeriesRule) {
  const interval = rule.frequency === 'every_2_weeks' ? 2 : rule.frequency === 'every_4_weeks' ? 4 : 1;
  return {
    freq: RRule.WEEKLY,
    interval,
    byweekday: rule.frequency === 'weekdays' ? WEEKDAYS : undefined,
    wkst: RRule.MO,
  };
}

/** The rule as iCalendar writes it (RRULE value, no DTSTART): FREQ=WEEKLY;INTERVAL=2;UNTIL=… */
export function rruleText(rule: SeriesRule, timeZone: string): string {
  const parts = ['FREQ=WEEKLY'];
  const o = options(rule);
  if (o.interval > 1) parts.push(`INTERVAL=${o.interval}`);
  if (rule.frequency === 'weekdays') parts.push('BYDAY=MO,TU,WE,TH,FR');
  if (rule.until) {
    // UNTIL is the end of the last day, in UTC as RFC 5545 requires with a zoned DTSTART.
    const end = DateTime.fromISO(`${rule.until}T23:59:59`, { zone: timeZone }).toUTC();
    parts.push(`UNTIL=${end.toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
  }
  return parts.join(';');
}

/** Wall-clock date and time as a "floating" Date (its UTC fields are the local ones): rrule's own way. */
const floating = (date: string, time: string) => {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi));
};
const localDate = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toISODate()!;

/**
 * The visits of one rule whose local date lies in [fromDate, toDate] (inclusive, YYYY-MM-DD), in
 * order, each at the rule's wall-clock time in `timeZone`. A time that a spring change skips
 * (02:30) moves forward by the gap, as clocks do.
 */
export function occurrencesOn(rule: SeriesRule, timeZone: string, fromDate: string, toDate: string): Occurrence[] {
  const last = rule.until && rule.until < toDate ? rule.until : toDate;
  const first = rule.startsOn > fromDate ? rule.startsOn : fromDate;
  if (first > last) return [];
  const r = new RRule({ ...options(rule), dtstart: floating(rule.startsOn, rule.time) });
  const dates = r.between(floating(first, '00:00'), floating(last, '23:59'), true);
  // Wall time to instant as Luxon does it (fixOffset), through the zone's offsets found once (a
  // horizon of 80,000 visits spent seconds in Luxon's per-date parsing otherwise), guessing the
  // offset of the day before: a time the autumn change repeats is its first occurrence, as slots
  // offer it, and one the spring change skips moves forward by the gap.
  const zone = zoneOffsets(timeZone);
  return dates.map((d) => {
    const date = d.toISOString().slice(0, 10);
    const local = d.getTime();
    const startsAt = zone ? new Date(zone.localToInstant(local, zone.offsetAt(local - 86_400_000))) : DateTime.fromISO(`${date}T${rule.time}`, { zone: timeZone }).toJSDate();
    return { date, startsAt };
  });
}

/** The first `n` visits of a rule on or after the local date of `after`. */
export function nextOccurrences(rule: SeriesRule, timeZone: string, after: Date, n: number): Occurrence[] {
  const from = localDate(after, timeZone);
  const out: Occurrence[] = [];
  // Weekdays give five a week, every four weeks one a month: widen the window until there are enough.
  for (let days = 7 * Math.max(2, n); out.length < n; days *= 2) {
    const to = DateTime.fromISO(from).plus({ days }).toISODate()!;
    const found = occurrencesOn(rule, timeZone, from, to).filter((o) => o.startsAt.getTime() > after.getTime());
    out.splice(0, out.length, ...found.slice(0, n));
    if (rule.until && to >= rule.until) break;
    if (days > MAX_SERIES_DAYS * 2) break;
  }
  return out;
}

/** The date of the `count`th visit (count ≥ 1): a series booked "for 10 visits" keeps that as its end date. */
export function untilForCount(rule: Omit<SeriesRule, 'until'>, timeZone: string, count: number): string {
  const all = occurrencesOn({ ...rule, until: null }, timeZone, rule.startsOn, DateTime.fromISO(rule.startsOn).plus({ days: count * 28 + 7 }).toISODate()!);
  return all[Math.min(count, all.length) - 1]!.date;
}

/** Whether a local date is a day this frequency may start on (weekdays: Monday to Friday). */
export function startsOnAllowed(frequency: SeriesFrequency, date: string): boolean {
  return frequency !== 'weekdays' || DateTime.fromISO(date).weekday <= 5;
}
