import { describe, expect, it } from 'vitest';
import type { Availability, BusyBooking } from '@tissu/shared';
import { nearEnough, nearbyFreeTimes } from './visits.js';

/** Open every day 08:00–18:00 in Montréal, a visit an hour long on the hour. */
const av: Availability = {
  timeZone: 'America/Toronto',
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })),
  exceptions: [{ date: '2027-06-16', kind: 'closed' }],
  slotIntervalMinutes: 60,
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 365,
  capacity: 1,
};
const now = new Date('2027-06-01T12:00:00Z');
// Wednesday 16 June 2027 at 10:00 in Toronto (UTC-4): a closed day.
const missed = new Date('2027-06-16T14:00:00Z');
const local = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/Toronto', dateStyle: 'short', timeStyle: 'short' }).format(d);

describe('free times near a visit that cannot be made', () => {
  it('are up to three before and three after it, nearest of each side, in time order: not the three nearest, all the day before', () => {
    expect(nearbyFreeTimes(av, [], missed, 60, now).map(local)).toEqual([
      '2027-06-15 15:00', '2027-06-15 16:00', '2027-06-15 17:00',
      '2027-06-17 08:00', '2027-06-17 09:00', '2027-06-17 10:00',
    ]);
  });

  it('stay within the span a move accepts, both ends included, and a side with nothing free leaves the other', () => {
    // The day after is closed too: only the day before is left, still three at most.
    const closedAfter: Availability = { ...av, exceptions: [...av.exceptions, { date: '2027-06-17', kind: 'closed' }] };
    const times = nearbyFreeTimes(closedAfter, [], missed, 60, now);
    expect(times.map(local)).toEqual(['2027-06-15 15:00', '2027-06-15 16:00', '2027-06-15 17:00']);
    for (const t of nearbyFreeTimes(av, [], missed, 60, now)) expect(nearEnough(t, missed, av.timeZone)).toBe(true);
    // 10:00 the day after, exactly a day later, is offered and accepted alike.
    expect(nearEnough(new Date('2027-06-17T14:00:00Z'), missed, av.timeZone)).toBe(true);
    expect(nearEnough(new Date('2027-06-17T15:00:00Z'), missed, av.timeZone)).toBe(false);
  });

  it("leave out what the listing's notice or a booking holds", () => {
    const busy: BusyBooking[] = [{ start: new Date('2027-06-17T12:00:00Z'), end: new Date('2027-06-17T13:00:00Z'), unit: 0 }];
    expect(nearbyFreeTimes(av, busy, missed, 60, now).map(local).slice(3)).toEqual(['2027-06-17 09:00', '2027-06-17 10:00']);
    const soon = new Date('2027-06-15T17:30:00Z'); // 13:30 the day before, with two hours' notice
    expect(nearbyFreeTimes({ ...av, minNoticeMinutes: 120 }, [], missed, 60, soon).map(local).slice(0, 2)).toEqual(['2027-06-15 16:00', '2027-06-15 17:00']);
  });

  it('across the autumn clock change, still reach the same time the day before (25 hours earlier) and no later than the day after (found by an attack)', () => {
    const sunday: Availability = { ...av, exceptions: [{ date: '2027-11-07', kind: 'closed' }] };
    // Sunday 7 November 2027 at 17:00 in Toronto (UTC-5 since 02:00): closed.
    const closed = new Date('2027-11-07T22:00:00Z');
    const times = nearbyFreeTimes(sunday, [], closed, 60, now).map(local);
    // Saturday's 17:00 is the only one of that day within a day on the clock; it was refused (25 hours).
    expect(times).toEqual(['2027-11-06 17:00', '2027-11-08 08:00', '2027-11-08 09:00', '2027-11-08 10:00']);
    expect(nearEnough(new Date('2027-11-06T21:00:00Z'), closed, av.timeZone)).toBe(true); // Saturday 17:00, UTC-4
    expect(nearEnough(new Date('2027-11-06T20:00:00Z'), closed, av.timeZone)).toBe(false); // Saturday 16:00
    expect(nearEnough(new Date('2027-11-08T23:00:00Z'), closed, av.timeZone)).toBe(false); // Monday 18:00
  });
});
