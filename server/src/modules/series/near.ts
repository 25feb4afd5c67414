import { DateTime } from 'luxon';
import { SERIES_MOVE_HOURS, computeSlots, type Availability } from '@tissu/shared';

/** A visit moved from its rule's time stays within a day of it, either way (the free times the pages offer). */
export const nearEnough = (to: Date, from: Date) => Math.abs(to.getTime() - from.getTime()) <= SERIES_MOVE_HOURS * 3_600_000;

/**
 * Whether the listing offers any time on a local date, bookings aside, as for a later visit (no
 * notice, no horizon): a time refused on such a day is between its times, not on a closed day.
 */
export function openOn(av: Availability, date: string, zone: string, durationMinutes: number, now: Date): boolean {
  const day = DateTime.fromISO(date, { zone });
  const rules = { ...av, minNoticeMinutes: 0, horizonDays: 3660 };
  return computeSlots(rules, [], { from: day.toJSDate(), to: day.plus({ days: 1 }).toJSDate(), now, durationMinutes }).length > 0;
}
