import { DateTime } from 'luxon';

/** Calendar arithmetic on "YYYY-MM-DD" dates (in UTC, where no offset change can bite). */
export function addCalendarDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

export function addCalendarMonths(date: string, months: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ months }).toISODate()!;
}

/** A fiscal year of twelve months from `startsOn`; `endsOn` is its last day. */
export function yearFrom(startsOn: string): { startsOn: string; endsOn: string; label: string } {
  const endsOn = addCalendarDays(addCalendarMonths(startsOn, 12), -1);
  const [y1, y2] = [startsOn.slice(0, 4), endsOn.slice(0, 4)];
  return { startsOn, endsOn, label: y1 === y2 ? y1 : `${y1}–${y2}` };
}

/** ITA s.135(1): patronage refunds of a year are deductible when paid within 12 months after it. */
export function patronagePaymentDeadline(endsOn: string): string {
  return addCalendarMonths(endsOn, 12);
}
