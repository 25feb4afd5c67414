/**
 * Dates and times of bookings, always in the listing's own time zone (a booking's `timeZone`,
 * a schedule's `timeZone`), never the server's or the browser's. Local dates are "YYYY-MM-DD"
 * strings; calendar arithmetic on them is done at UTC noon, where no offset change can bite.
 */
import { dateTimeFormat, firstOfMonth } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { intlLocale } from '$lib/i18n';

/** The zone people on Tissu read times in unless told otherwise. */
export const HOME_ZONE = 'America/Toronto';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isLocalDate(value: string | null | undefined): value is string {
  if (!value || !DATE_RE.test(value)) return false;
  const d = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The local date ("YYYY-MM-DD") of an instant in a zone. */
export function localDate(instant: string | Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  );
}

const noon = (date: string) => new Date(`${date}T12:00:00Z`);

export function addDays(date: string, days: number): string {
  const d = noon(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return ((noon(date).getUTCDay() + 6) % 7) + 1;
}

export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

/** A span of instants that surely covers the local dates [first, last + 1 day) in any zone. */
export function instantsAround(first: string, daysCount: number): { from: string; to: string } {
  const from = new Date(`${first}T00:00:00Z`).getTime() - 15 * 3_600_000;
  const to = new Date(`${addDays(first, daysCount)}T00:00:00Z`).getTime() + 15 * 3_600_000;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/**
 * The one way Tissu writes a time of day: "9 h 00" / "9:00 a.m." (never "09 h 00"). Every date
 * with a time below is built from it, so a time reads the same in a slot, a booking and a vote.
 */
export function formatTime(instant: string | Date, timeZone: string): string {
  return dateTimeFormat(intlLocale(), { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(instant));
}

/** A sentence that ends on an English time ("…until 9:00 a.m.") keeps one full stop, not two. */
export function oneFullStop(sentence: string): string {
  return sentence.replace(/\.\.$/, '.');
}

/** "9 h 00 – 12 h 00" / "9:00 a.m. – 12:00 p.m." */
export function formatTimeRange(start: string | Date, end: string | Date, timeZone: string): string {
  return `${formatTime(start, timeZone)} – ${formatTime(end, timeZone)}`;
}

/** "23 – 29 novembre 2026" for two local dates. */
export function formatDateRange(first: string, last: string): string {
  return dateTimeFormat(intlLocale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).formatRange(
    noon(first),
    noon(last),
  );
}

/** A date's text with French's "1er" (shared's firstOfMonth) in the active locale. */
const withFirst = (text: string) => firstOfMonth(text, intlLocale() === 'fr-CA');

/** "lundi 16 mars" (and "vendredi 1er janvier") for a local date. */
export function formatDay(date: string, opts: { year?: boolean } = {}): string {
  return withFirst(dateTimeFormat(intlLocale(), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: opts.year ? 'numeric' : undefined,
    timeZone: 'UTC',
  }).format(noon(date)));
}

/** "lun." and "16 mars", for the narrow columns of a week view. */
export function formatDayShort(date: string): { weekday: string; day: string } {
  const d = noon(date);
  return {
    weekday: dateTimeFormat(intlLocale(), { weekday: 'short', timeZone: 'UTC' }).format(d),
    day: dateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d),
  };
}

/** "lundi 16 mars 2026 à 9 h 00" / "Monday, March 16, 2026 at 9:00 a.m." in the zone. */
export function formatDateTimeIn(instant: string | Date, timeZone: string): string {
  return m.date_at_time({ date: formatDay(localDate(instant, timeZone), { year: true }), time: formatTime(instant, timeZone) });
}

/** "16 mars 2026" / "Mar 16, 2026": the day of an instant in the zone, for narrow columns. */
export function formatShortDateIn(instant: string | Date, timeZone: string): string {
  return dateTimeFormat(intlLocale(), { dateStyle: 'medium', timeZone }).format(new Date(instant));
}

/** "16 mars 2026 à 9 h 00" / "Mar 16, 2026 at 9:00 a.m." in the zone, for narrow columns. */
export function formatShortDateTimeIn(instant: string | Date, timeZone: string): string {
  return m.date_at_time({ date: formatShortDateIn(instant, timeZone), time: formatTime(instant, timeZone) });
}

/**
 * A deadline that falls at midnight is the end of the day before: the day a person picked ("the
 * vote's last day"), as a local date. Null when the instant is not a midnight in the zone.
 */
export function lastDayEndingAt(instant: string | Date, timeZone: string): string | null {
  const at = new Date(instant);
  const day = localDate(new Date(at.getTime() - 1), timeZone);
  return startOfLocalDay(addDays(day, 1), timeZone).getTime() === at.getTime() ? day : null;
}

/** "la fin du dimanche 20 décembre 2026" for a midnight deadline, else the date and time. */
export function formatDeadline(instant: string | Date, timeZone: string): string {
  const day = lastDayEndingAt(instant, timeZone);
  return day ? m.end_of_day({ day: formatDay(day, { year: true }) }) : formatDateTimeIn(instant, timeZone);
}

/** "lundi 16 mars 2026 à 9 h 00 – 12 h 00" (the end's date too when it is another day). */
export function formatSpan(start: string, end: string, timeZone: string): string {
  const sameDay = localDate(start, timeZone) === localDate(end, timeZone);
  const endText = sameDay ? formatTime(end, timeZone) : formatDateTimeIn(end, timeZone);
  return `${formatDateTimeIn(start, timeZone)} – ${endText}`;
}

/** "heure du Pacifique", said only when the zone is not Montréal's. */
export function zoneNote(timeZone: string): string | null {
  if (timeZone === HOME_ZONE) return null;
  const part = dateTimeFormat(intlLocale(), { timeZone, timeZoneName: 'longGeneric' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName');
  return m.time_zone_note({ zone: part?.value ?? timeZone, id: timeZone });
}

/** The instant a wall-clock date and time ("2027-03-14", "10:30") is in a zone. */
export function instantOfWallClock(date: string, hhmm: string, timeZone: string): Date {
  const wall = new Date(`${date}T${hhmm}:00Z`).getTime();
  const offsetAt = (t: number) => {
    const parts = dateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(t));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - t;
  };
  // Twice, so a day whose offset differs from the guess's (clocks changing) still lands right.
  let t = wall - offsetAt(wall);
  t = wall - offsetAt(t);
  return new Date(t);
}

/** The instant a local date begins in a zone ("2027-01-01" in Montréal → 05:00 UTC). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  return instantOfWallClock(date, '00:00', timeZone);
}
