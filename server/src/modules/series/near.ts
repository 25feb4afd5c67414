import { DateTime } from 'luxon';
import { computeSlots, type Availability } from '@tissu/shared';

/** A visit moved from its rule's time stays within a day of it, either way: the rule of the free times the pages offer. */
export { nearEnough } from '../bookings/index.js';

/**
 * Whether the listing offers any time on a local date, bookings aside, as for a later visit (no
 * notice, no horizon): a time refused on such a day is between its times, not on a closed day.
 */
export function openOn(av: Availability, date: string, zone: string, durationMinutes: number, now: Date): boolean {
  const day = DateTime.fromISO(date, { zone });
  const rules = { ...av, minNoticeMinutes: 0, horizonDays: 3660 };
  return computeSlots(rules, [], { from: day.toJSDate(), to: day.plus({ days: 1 }).toJSDate(), now, durationMinutes }).length > 0;
}
