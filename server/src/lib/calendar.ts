import { DateTime } from 'luxon';
import { addCalendarDays } from '@tissu/shared';

/** The platform co-op keeps its books in Montréal time: a fiscal day is a Toronto calendar day. */
export const BOOKS_ZONE = 'America/Toronto';

/** The Toronto calendar date (YYYY-MM-DD) of an instant. */
export function booksDate(at: Date): string {
  return DateTime.fromJSDate(at, { zone: BOOKS_ZONE }).toISODate()!;
}

/** The instant a Toronto calendar day starts (04:00 or 05:00 UTC, by daylight saving). */
export function startOfBooksDay(date: string): Date {
  return DateTime.fromISO(date, { zone: BOOKS_ZONE }).startOf('day').toJSDate();
}

// Calendar arithmetic and the fiscal year's shape live in shared/, where the web reads them too.
export { addCalendarDays as addDays, addCalendarMonths as addMonths, patronagePaymentDeadline, yearFrom } from '@tissu/shared';

/** The instants [from, to) a fiscal year covers. */
export function yearBounds(y: { startsOn: string; endsOn: string }): { from: Date; to: Date } {
  return { from: startOfBooksDay(y.startsOn), to: startOfBooksDay(addCalendarDays(y.endsOn, 1)) };
}
