import { DateTime } from 'luxon';

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

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

export function addMonths(date: string, months: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ months }).toISODate()!;
}

/** A fiscal year of twelve months from `startsOn`; `endsOn` is its last day. */
export function yearFrom(startsOn: string): { startsOn: string; endsOn: string; label: string } {
  const endsOn = addDays(addMonths(startsOn, 12), -1);
  const [y1, y2] = [startsOn.slice(0, 4), endsOn.slice(0, 4)];
  return { startsOn, endsOn, label: y1 === y2 ? y1 : `${y1}–${y2}` };
}

/** The instants [from, to) a fiscal year covers. */
export function yearBounds(y: { startsOn: string; endsOn: string }): { from: Date; to: Date } {
  return { from: startOfBooksDay(y.startsOn), to: startOfBooksDay(addDays(y.endsOn, 1)) };
}

/** ITA s.135(1): patronage refunds of a year are deductible when paid within 12 months after it. */
export function patronagePaymentDeadline(endsOn: string): string {
  return addMonths(endsOn, 12);
}
