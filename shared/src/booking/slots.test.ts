import { describe, expect, it } from 'vitest';
import { computeSlots, freeUnits, isBookableStart, type Availability, type BusyBooking } from './slots.js';

const base: Availability = {
  timeZone: 'America/Toronto',
  weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })),
  exceptions: [],
  slotIntervalMinutes: 60,
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 365,
  capacity: 1,
};
const now = new Date('2026-01-01T00:00:00Z');
const iso = (d: Date) => d.toISOString();
const starts = (av: Availability, from: string, to: string, busy: BusyBooking[] = [], duration = 60, at = now) =>
  computeSlots(av, busy, { from: new Date(from), to: new Date(to), now: at, durationMinutes: duration }).map((s) => iso(s.start));

describe('weekly rules', () => {
  it('offers each interval of the opening hours, in the listing zone', () => {
    // Monday 2026-03-02, Toronto is UTC-5 in winter.
    expect(starts(base, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).toEqual([
      '2026-03-02T14:00:00.000Z', '2026-03-02T15:00:00.000Z', '2026-03-02T16:00:00.000Z',
    ]);
  });
  it('only offers starts whose whole duration fits before closing', () => {
    expect(starts(base, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z', [], 150)).toEqual(['2026-03-02T14:00:00.000Z']);
  });
  it('lets a booking run past midnight when the next day opens at 00:00, not when it is closed', () => {
    // Monday to Friday open 24 hours; Friday night runs into a closed Saturday.
    const allDay: Availability = { ...base, weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })) };
    // Monday 2026-03-02 23:00 Toronto = 2026-03-03T04:00Z, 90 minutes into Tuesday.
    expect(starts(allDay, '2026-03-03T03:00:00Z', '2026-03-03T05:00:00Z', [], 90)).toEqual(['2026-03-03T03:00:00.000Z', '2026-03-03T04:00:00.000Z']);
    // Friday 2026-03-06 23:00 Toronto would end on Saturday, which is closed.
    expect(starts(allDay, '2026-03-07T03:00:00Z', '2026-03-07T05:00:00Z', [], 90)).toEqual(['2026-03-07T03:00:00.000Z']);
  });
  it('offers nothing on days without rules', () => {
    expect(starts(base, '2026-03-07T00:00:00Z', '2026-03-09T05:00:00Z')).toEqual([]);
  });
});

describe('daylight-saving transitions (America/Toronto)', () => {
  const everyDay = (start: string, end: string): Availability => ({
    ...base,
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end })),
  });
  it('keeps 09:00 at 09:00 local across the March change', () => {
    const av = everyDay('09:00', '10:00');
    expect(starts(av, '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual([
      '2026-03-07T14:00:00.000Z', // Saturday, EST (UTC-5)
      '2026-03-08T13:00:00.000Z', // Sunday 8 March, EDT (UTC-4) from 02:00
      '2026-03-09T13:00:00.000Z',
    ]);
  });
  it('keeps 09:00 at 09:00 local across the November change', () => {
    const av = everyDay('09:00', '10:00');
    expect(starts(av, '2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z')).toEqual([
      '2026-10-31T13:00:00.000Z', // Saturday, EDT
      '2026-11-01T14:00:00.000Z', // Sunday 1 November, EST from 02:00
      '2026-11-02T14:00:00.000Z',
    ]);
  });
  it('skips the hour that does not exist in March, without shifting the others', () => {
    const av = everyDay('00:00', '05:00');
    const got = starts(av, '2026-03-08T05:00:00Z', '2026-03-08T12:00:00Z');
    // 00:00 and 01:00 EST, then 03:00 and 04:00 EDT; 02:00 does not exist that night.
    expect(got).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-08T06:00:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-08T08:00:00.000Z']);
  });
  it('offers each wall time once in November, with real one-hour durations', () => {
    const av = everyDay('00:00', '04:00');
    const slots = computeSlots(av, [], { from: new Date('2026-11-01T04:00:00Z'), to: new Date('2026-11-01T10:00:00Z'), now, durationMinutes: 60 });
    expect(slots.map((s) => iso(s.start))).toEqual([
      '2026-11-01T04:00:00.000Z', // 00:00 EDT
      '2026-11-01T05:00:00.000Z', // 01:00 EDT (first of the two 01:00s)
      '2026-11-01T07:00:00.000Z', // 02:00 EST
      '2026-11-01T08:00:00.000Z', // 03:00 EST, ends 04:00 EST
    ]);
    for (const s of slots) expect(s.end.getTime() - s.start.getTime()).toBe(3_600_000);
    expect(new Set(slots.map((s) => s.start.getTime())).size).toBe(slots.length);
  });
});

describe('clocks that skip midnight (America/Havana, 8 March 2026: 00:00 becomes 01:00)', () => {
  const havana: Availability = { ...base, timeZone: 'America/Havana' };
  it('starts the day at 01:00 and keeps every other time where it is', () => {
    const av = { ...havana, weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '03:45' })) };
    // 00:00 does not exist; 01:00 and 02:00 EDT (UTC-4) fit before 03:45, 03:00 does not.
    expect(starts(av, '2026-03-08T04:00:00Z', '2026-03-08T12:00:00Z')).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-08T06:00:00.000Z']);
  });
  it('ends that day at the next midnight, not at 01:00', () => {
    // Open Sunday around the clock, closed Monday: the last hour-long booking starts at 23:00.
    const av = { ...havana, slotIntervalMinutes: 30, weekly: [{ weekday: 7, start: '00:00', end: '24:00' }] };
    expect(starts(av, '2026-03-09T02:00:00Z', '2026-03-09T05:00:00Z')).toEqual(['2026-03-09T02:00:00.000Z', '2026-03-09T02:30:00.000Z', '2026-03-09T03:00:00.000Z']);
  });
  it('still offers the last day of a range that starts on it', () => {
    const av = { ...havana, weekly: [{ weekday: 1, start: '09:00', end: '10:00' }] };
    expect(starts(av, '2026-03-08T05:00:00Z', '2026-03-09T16:00:00Z')).toEqual(['2026-03-09T13:00:00.000Z']);
  });
});

describe('exceptions', () => {
  it('closes a whole day', () => {
    const av = { ...base, exceptions: [{ date: '2026-03-02', kind: 'closed' as const }] };
    expect(starts(av, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).toEqual([]);
  });
  it('closes part of a day', () => {
    const av = { ...base, exceptions: [{ date: '2026-03-02', kind: 'closed' as const, start: '10:00', end: '11:00' }] };
    expect(starts(av, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).toEqual(['2026-03-02T14:00:00.000Z', '2026-03-02T16:00:00.000Z']);
  });
  it('adds extra hours, even on a day without rules, and offers overlapping times once', () => {
    const av = {
      ...base,
      exceptions: [
        { date: '2026-03-07', kind: 'extra' as const, start: '13:00', end: '15:00' },
        { date: '2026-03-02', kind: 'extra' as const, start: '11:00', end: '13:00' },
      ],
    };
    expect(starts(av, '2026-03-07T00:00:00Z', '2026-03-08T00:00:00Z')).toEqual(['2026-03-07T18:00:00.000Z', '2026-03-07T19:00:00.000Z']);
    expect(starts(av, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).toEqual([
      '2026-03-02T14:00:00.000Z', '2026-03-02T15:00:00.000Z', '2026-03-02T16:00:00.000Z', '2026-03-02T17:00:00.000Z',
    ]);
  });
});

describe('bookings, buffers and capacity', () => {
  const half = { ...base, slotIntervalMinutes: 30 };
  const booking = (start: string, end: string, unit = 0): BusyBooking => ({ start: new Date(start), end: new Date(end), unit });

  it('removes times that overlap a booking and the buffer after it', () => {
    const av = { ...half, bufferMinutes: 30, weekly: [{ weekday: 1, start: '09:00', end: '13:00' }] };
    const busy = [booking('2026-03-02T15:00:00Z', '2026-03-02T16:00:00Z')]; // 10:00–11:00 local
    expect(starts(av, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z', busy)).toEqual([
      // 09:00 would end at 10:00 but needs 30 minutes of buffer before the next booking.
      '2026-03-02T16:30:00.000Z', // 11:30 local: 11:00 is still inside the buffer
      '2026-03-02T17:00:00.000Z',
    ]);
  });
  it('counts free units with capacity', () => {
    const av = { ...base, capacity: 2 };
    const one = [booking('2026-03-02T14:00:00Z', '2026-03-02T15:00:00Z', 0)];
    const slots = computeSlots(av, one, { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-03T00:00:00Z'), now, durationMinutes: 60 });
    expect(slots.map((s) => [iso(s.start), s.remaining])).toEqual([
      ['2026-03-02T14:00:00.000Z', 1], ['2026-03-02T15:00:00.000Z', 2], ['2026-03-02T16:00:00.000Z', 2],
    ]);
    const two = [...one, booking('2026-03-02T14:00:00Z', '2026-03-02T15:00:00Z', 1)];
    expect(starts(av, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z', two)).toEqual(['2026-03-02T15:00:00.000Z', '2026-03-02T16:00:00.000Z']);
  });
  it('respects the minimum notice and the booking horizon', () => {
    const at = new Date('2026-03-02T14:30:00Z'); // 09:30 local
    const av = { ...base, minNoticeMinutes: 60, horizonDays: 2 };
    expect(starts(av, '2026-03-02T00:00:00Z', '2026-03-10T00:00:00Z', [], 60, at)).toEqual([
      '2026-03-02T16:00:00.000Z', // 11:00: 10:00 is within the hour of notice
      '2026-03-03T14:00:00.000Z', '2026-03-03T15:00:00.000Z', '2026-03-03T16:00:00.000Z',
      '2026-03-04T14:00:00.000Z', // horizon ends 2026-03-04T14:30Z
    ]);
  });
  it('finds the free units whatever the order of the bookings', () => {
    const av = { capacity: 3, bufferMinutes: 0 };
    const later = booking('2026-03-02T18:00:00Z', '2026-03-02T19:00:00Z', 2);
    const overlapping = booking('2026-03-02T14:30:00Z', '2026-03-02T15:30:00Z', 0);
    expect(freeUnits(av, [later, overlapping], new Date('2026-03-02T14:00:00Z'), new Date('2026-03-02T15:00:00Z'))).toEqual([1, 2]);
  });
  it('tells whether a given start is bookable', () => {
    expect(isBookableStart(base, [], new Date('2026-03-02T14:00:00Z'), 60, now)).toBe(true);
    expect(isBookableStart(base, [], new Date('2026-03-02T14:15:00Z'), 60, now)).toBe(false);
    expect(isBookableStart(base, [booking('2026-03-02T14:00:00Z', '2026-03-02T15:00:00Z')], new Date('2026-03-02T14:00:00Z'), 60, now)).toBe(false);
  });
});

describe('a listing in another zone than the client', () => {
  it('computes in the listing zone (Vancouver), whatever zone the client is in', () => {
    const av = { ...base, timeZone: 'America/Vancouver' };
    expect(starts(av, '2026-03-02T00:00:00Z', '2026-03-03T12:00:00Z')[0]).toBe('2026-03-02T17:00:00.000Z'); // 09:00 PST
  });
});
