import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { referenceIsBookableStart, referenceSlots } from './slots-reference.js';
import { computeSlots, isBookableStart, type Availability, type BusyBooking, type DateException, type Slot, type WeeklyRule } from './slots.js';

/**
 * The fast slot computation against the previous one, kept as a plainly written oracle
 * (slots-reference.ts, Luxon day by day): random schedules, bookings and queries, mostly within a
 * few days of a daylight-saving change, must give the same slots, and the same answer to "is this
 * start bookable?".
 *
 * In zones whose clocks never skip midnight the oracle is the previous code exactly. Where they do
 * skip it, the previous code was wrong on those days (see slots-reference.ts); there the oracle is
 * that code with its three places mended.
 */

/** Toronto; Paris; Lord Howe, whose clocks move 30 minutes; Chatham, at 02:45; no change at all. */
const ZONES = ['America/Toronto', 'Europe/Paris', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'] as const;
/**
 * Clocks that skip midnight (Havana, Santiago, Beirut, Cairo) or repeat the hour before it
 * (Santiago in April), move back in winter (Dublin), by two hours (Troll), on half-hour offsets
 * (St John's, Adelaide), or twice around Ramadan (Casablanca).
 */
const MORE_ZONES = ['America/Havana', 'America/Santiago', 'Asia/Beirut', 'Africa/Cairo', 'Europe/Dublin', 'Antarctica/Troll', 'America/St_Johns', 'Australia/Adelaide', 'Africa/Casablanca'] as const;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Local dates on which the zone's offset changes, 2026–2028 (found with Luxon, day by day). */
function changeDays(zone: string): DateTime[] {
  const days: DateTime[] = [];
  let prev = DateTime.fromObject({ year: 2026, month: 1, day: 1, hour: 12 }, { zone });
  for (let i = 1; i < 3 * 366; i++) {
    const d = prev.plus({ days: 1 });
    if (d.offset !== prev.offset) days.push(d.startOf('day'));
    prev = d;
  }
  return days;
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Opening or closing minutes, most of them near the hours that clocks skip or repeat (1:00–4:00). */
const minuteArb = fc.oneof(
  fc.integer({ min: 0, max: 96 }).map((q) => q * 15),
  fc.integer({ min: 4, max: 16 }).map((q) => q * 15),
  fc.constantFrom(0, 1440, 1425, 30, 165, 225),
);
const windowArb = fc
  .tuple(minuteArb, minuteArb)
  .filter(([a, b]) => a !== b && Math.min(a, b) < 1440)
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

const weeklyArb: fc.Arbitrary<WeeklyRule[]> = fc.oneof(
  // Open around the clock on some days: windows that cross midnight.
  fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }).map((days) => days.map((weekday) => ({ weekday, start: '00:00', end: '24:00' }))),
  fc.array(
    fc.record({ weekday: fc.integer({ min: 1, max: 7 }), w: windowArb }).map(({ weekday, w }) => ({ weekday, start: hhmm(w[0]), end: hhmm(w[1]) })),
    { maxLength: 8 },
  ),
  // The same hours every day.
  fc.array(windowArb, { minLength: 1, maxLength: 2 }).map((ws) => [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => ws.map((w) => ({ weekday, start: hhmm(w[0]), end: hhmm(w[1]) })))),
);

function exceptionArb(around: DateTime): fc.Arbitrary<DateException[]> {
  const date = fc.integer({ min: -3, max: 4 }).map((d) => around.plus({ days: d }).toISODate()!);
  return fc.array(
    fc.oneof(
      fc.record({ date, kind: fc.constant('closed' as const) }),
      fc.record({ date, kind: fc.constant('closed' as const), w: windowArb }).map(({ date, kind, w }) => ({ date, kind, start: hhmm(w[0]), end: hhmm(w[1]) })),
      fc.record({ date, kind: fc.constant('extra' as const), w: windowArb }).map(({ date, kind, w }) => ({ date, kind, start: hhmm(w[0]), end: hhmm(w[1]) })),
    ),
    { maxLength: 4 },
  );
}

interface Case {
  av: Availability;
  busy: BusyBooking[];
  from: Date;
  to: Date;
  now: Date;
  duration: number;
  probes: Date[];
}

function caseArb(zone: string, anchors: DateTime[]): fc.Arbitrary<Case> {
  // Around a change of offset, or anywhere in 2026–2028.
  const anchorArb = anchors.length
    ? fc.oneof(fc.constantFrom(...anchors), fc.integer({ min: 0, max: 3 * 365 }).map((d) => DateTime.fromObject({ year: 2026, month: 1, day: 1 }, { zone }).plus({ days: d })))
    : fc.integer({ min: 0, max: 3 * 365 }).map((d) => DateTime.fromObject({ year: 2026, month: 1, day: 1 }, { zone }).plus({ days: d }));
  return anchorArb.chain((anchor) => {
    const at = anchor.toMillis();
    return fc
      .record({
        weekly: weeklyArb,
        exceptions: exceptionArb(anchor),
        slotIntervalMinutes: fc.constantFrom(5, 15, 20, 30, 45, 60, 90, 120, 1440),
        bufferMinutes: fc.constantFrom(0, 0, 10, 15, 30, 60, 120),
        minNoticeMinutes: fc.constantFrom(0, 0, 30, 60, 120, 1440, 3000),
        horizonDays: fc.integer({ min: 1, max: 20 }),
        capacity: fc.integer({ min: 1, max: 4 }),
        duration: fc.constantFrom(15, 30, 45, 60, 90, 120, 180, 600, 1500),
        // The clock, the range asked for, and the bookings, around the anchor.
        nowOffset: fc.integer({ min: -4 * 24 * 4, max: 2 * 24 * 4 }).map((q) => q * 15 * MINUTE),
        fromOffset: fc.integer({ min: -24 * 60, max: 4 * 24 * 60 }).map((m) => m * MINUTE),
        length: fc.oneof(fc.integer({ min: 1, max: 5 * 24 * 60 }).map((m) => m * MINUTE), fc.constant(1)),
        bookings: fc.array(
          fc.record({
            start: fc.integer({ min: -3 * 24 * 4, max: 6 * 24 * 4 }).map((q) => q * 15 * MINUTE),
            length: fc.integer({ min: 1, max: 24 }).map((q) => q * 15 * MINUTE),
            unit: fc.integer({ min: 0, max: 4 }),
          }),
          { maxLength: 12 },
        ),
        probes: fc.array(fc.integer({ min: -2 * 24 * 4, max: 5 * 24 * 4 }).map((q) => q * 15 * MINUTE), { maxLength: 6 }),
      })
      .map((r): Case => {
        const from = new Date(at + r.fromOffset);
        return {
          av: {
            timeZone: zone,
            weekly: r.weekly,
            exceptions: r.exceptions,
            slotIntervalMinutes: r.slotIntervalMinutes,
            bufferMinutes: r.bufferMinutes,
            minNoticeMinutes: r.minNoticeMinutes,
            horizonDays: r.horizonDays,
            capacity: r.capacity,
          },
          busy: r.bookings.map((b) => ({ start: new Date(at + b.start), end: new Date(at + b.start + b.length), unit: b.unit })),
          from,
          to: new Date(from.getTime() + r.length),
          now: new Date(at + r.nowOffset),
          duration: r.duration,
          probes: r.probes.map((p) => new Date(at + p)),
        };
      });
  });
}

const show = (slots: Slot[]) => slots.map((s) => `${s.start.toISOString()} ${s.end.toISOString()} ${s.remaining}`);

function sameAsReference(zone: string, midnightGaps: boolean, numRuns: number) {
  const anchors = changeDays(zone);
  it(`in ${zone} (${anchors.length} changes of offset in 2026–2028)`, () => {
    if (zone !== 'UTC') expect(anchors.length).toBeGreaterThanOrEqual(6);
    fc.assert(
      fc.property(caseArb(zone, anchors), (c) => {
        const q = { from: c.from, to: c.to, now: c.now, durationMinutes: c.duration };
        const expected = referenceSlots(c.av, c.busy, q, midnightGaps);
        expect(show(computeSlots(c.av, c.busy, q))).toEqual(show(expected));
        // A few of the slots found, and other times, get the same answer from isBookableStart.
        const some = expected.filter((_, i) => i === 0 || i === expected.length - 1 || i % 37 === 5).map((s) => s.start);
        for (const start of [...some, ...c.probes]) {
          expect(isBookableStart(c.av, c.busy, start, c.duration, c.now)).toBe(referenceIsBookableStart(c.av, c.busy, start, c.duration, c.now, midnightGaps));
        }
      }),
      { numRuns },
    );
  }, 60_000);
}

describe('a case the property found (the oracle was wrong, the fast code right)', () => {
  it('Paris, opening at 02:15 on the day 02:00–03:00 is skipped: a booking from 01:00 to 03:15 local leaves no slot at 03:00', () => {
    const av: Availability = {
      timeZone: 'Europe/Paris', weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '02:15', end: '24:00' })), exceptions: [],
      slotIntervalMinutes: 5, bufferMinutes: 0, minNoticeMinutes: 0, horizonDays: 1, capacity: 1,
    } as Availability;
    const busy: BusyBooking[] = [{ start: new Date('2027-03-28T00:00:00.000Z'), end: new Date('2027-03-28T01:15:00.000Z'), unit: 0 }];
    const q = { from: new Date('2027-03-27T23:00:00.000Z'), to: new Date('2027-03-28T01:01:00.000Z'), now: new Date('2027-03-27T23:00:00.000Z'), durationMinutes: 15 };
    expect(computeSlots(av, busy, q)).toEqual([]);
    expect(referenceSlots(av, busy, q)).toEqual([]);
    expect(computeSlots(av, [], q).map((s) => s.start.toISOString())).toEqual(['2027-03-28T01:00:00.000Z']);
  });
});

describe('computeSlots finds the same slots as the reference implementation', () => {
  for (const zone of ZONES) sameAsReference(zone, false, 250);

  it('over a whole year with bookings, in each zone', () => {
    for (const zone of ZONES) {
      const now = DateTime.fromObject({ year: 2027, month: 1, day: 3, hour: 22 }, { zone }).toJSDate();
      const av: Availability = {
        timeZone: zone,
        weekly: [
          ...[1, 2, 3, 4, 5].flatMap((weekday) => [{ weekday, start: '01:30', end: '03:15' }, { weekday, start: '08:00', end: '20:00' }]),
          { weekday: 6, start: '00:00', end: '24:00' },
          { weekday: 7, start: '00:00', end: '24:00' },
        ],
        exceptions: [{ date: '2027-03-14', kind: 'extra', start: '02:00', end: '04:00' }, { date: '2027-07-01', kind: 'closed' }],
        slotIntervalMinutes: 15,
        bufferMinutes: 10,
        minNoticeMinutes: 60,
        horizonDays: 366,
        capacity: 2,
      };
      const busy: BusyBooking[] = Array.from({ length: 300 }, (_, i) => {
        const start = new Date(now.getTime() + DAY + i * 29 * HOUR);
        return { start, end: new Date(start.getTime() + 90 * MINUTE), unit: i % 2 };
      });
      const q = { from: now, to: new Date(now.getTime() + 366 * DAY), now, durationMinutes: 75 };
      expect(show(computeSlots(av, busy, q))).toEqual(show(referenceSlots(av, busy, q)));
    }
  });
});

describe('computeSlots finds the same slots as the mended reference, in more zones', () => {
  for (const zone of MORE_ZONES) sameAsReference(zone, true, 80);
});
