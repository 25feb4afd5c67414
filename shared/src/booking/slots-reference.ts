import { DateTime } from 'luxon';
import type { Availability, BusyBooking, Slot, SlotQuery } from './slots.js';

/**
 * The slot computation as it was before it stepped through integer days (issue 11): every day and
 * every wall time through Luxon. Slow (about 30 ms for a year) but plainly written, so it stays as
 * the oracle the property test (slots.property.test.ts) compares the fast one with. Not exported
 * from the package: nothing but tests and the benchmark's comparison use it.
 *
 * `midnightGaps` mends what it got wrong where clocks skip midnight (America/Havana,
 * America/Santiago, Asia/Beirut, Africa/Cairo: 00:00 becomes 01:00). There the start of the day is
 * 01:00, and the day after it, reached by adding a day, was taken at 01:00 too: with the flag off,
 * that day's times came out an hour late and its window closing at 24:00 ran to 01:00 the next
 * day; the days after it stayed at 01:00, so the last day of the range (whose start is 00:00) was
 * left out. With the flag on, each next day is taken at its own start of day (three places, marked
 * below). Everywhere midnight exists, both give the same.
 */

/** The start of the next day, taken as the old code did or at that day's own start (see above). */
const nextDay = (d: DateTime, midnightGaps: boolean): DateTime => (midnightGaps ? d.plus({ days: 1 }).startOf('day') : d.plus({ days: 1 }));

const MINUTE = 60_000;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** Opening windows of one local date, as [startMinute, endMinute) of wall-clock time. */
function windowsForDate(av: Availability, date: DateTime): Array<[number, number]> {
  const iso = date.toISODate()!;
  let windows: Array<[number, number]> = av.weekly
    .filter((r) => r.weekday === date.weekday)
    .map((r) => [minutesOf(r.start), minutesOf(r.end)]);
  for (const ex of av.exceptions.filter((e) => e.date === iso)) {
    if (ex.kind === 'extra' && ex.start && ex.end) windows.push([minutesOf(ex.start), minutesOf(ex.end)]);
  }
  for (const ex of av.exceptions.filter((e) => e.date === iso && e.kind === 'closed')) {
    if (!ex.start || !ex.end) return [];
    const [cs, ce] = [minutesOf(ex.start), minutesOf(ex.end)];
    windows = windows.flatMap(([s, e]): Array<[number, number]> => {
      if (ce <= s || cs >= e) return [[s, e]];
      const parts: Array<[number, number]> = [];
      if (cs > s) parts.push([s, cs]);
      if (ce < e) parts.push([ce, e]);
      return parts;
    });
  }
  return windows.filter(([s, e]) => e > s);
}

/** The instant of local wall time `minute` minutes after midnight of `date`; null if the clocks skip it. */
function wallTime(date: DateTime, minute: number): DateTime | null {
  const midnight = date.startOf('day');
  if (minute >= 24 * 60) return midnight.plus({ days: 1 }).set({ hour: 0, minute: minute - 24 * 60 });
  const hour = Math.floor(minute / 60);
  const t = midnight.set({ hour, minute: minute % 60 });
  // Luxon moves a time that does not exist forward by the gap; such a time is not offered.
  return t.hour === hour && t.minute === minute % 60 ? t : null;
}

/** Where a window ends: a closing time inside a spring-forward gap ends at the gap's end. */
function windowEndInstant(date: DateTime, minute: number, midnightGaps: boolean): number {
  const midnight = date.startOf('day');
  if (minute >= 24 * 60) return nextDay(midnight, midnightGaps).toMillis(); // midnightGaps
  return midnight.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
}

/**
 * Converts wall-clock minutes of one local day to instants. Most days keep one UTC offset, and
 * then it is plain arithmetic; on the two days a year the offset changes, Luxon decides.
 */
function dayClock(date: DateTime, midnightGaps: boolean) {
  const midnight = date.startOf('day');
  const next = nextDay(midnight, midnightGaps); // midnightGaps
  const steady = midnight.offset === next.offset && next.toMillis() - midnight.toMillis() === 86_400_000;
  const base = midnight.toMillis();
  return {
    start: (minute: number) => (steady ? base + minute * MINUTE : (wallTime(date, minute)?.toMillis() ?? null)),
    end: (minute: number) => (steady ? base + minute * MINUTE : windowEndInstant(date, minute, midnightGaps)),
  };
}

/**
 * Where a window really closes: one that runs to midnight goes on into the next day when that day
 * opens at 00:00 (a 24-hour service, a night shift), so a booking may run past midnight.
 */
function windowClose(av: Availability, date: DateTime, clock: ReturnType<typeof dayClock>, closingMinute: number, midnightGaps: boolean): number {
  let end = clock.end(closingMinute);
  for (let day = date, closing = closingMinute, i = 0; closing >= 24 * 60 && i < 15; i++) {
    day = day.plus({ days: 1 });
    const next = windowsForDate(av, day).filter(([s]) => s === 0).reduce((latest, [, e]) => Math.max(latest, e), -1);
    if (next < 0) break;
    closing = next;
    end = dayClock(day, midnightGaps).end(next);
  }
  return end;
}

function freeUnitsAt(av: Pick<Availability, 'capacity' | 'bufferMinutes'>, busy: readonly BusyBooking[], s: number, e: number, from = 0): number[] {
  const buffer = av.bufferMinutes * MINUTE;
  const taken = new Set<number>();
  for (let i = from; i < busy.length; i++) {
    const b = busy[i]!;
    if (b.start.getTime() >= e + buffer) break; // sorted by start: nothing later can overlap
    if (s < b.end.getTime() + buffer) taken.add(b.unit);
  }
  const free: number[] = [];
  for (let u = 0; u < av.capacity; u++) if (!taken.has(u)) free.push(u);
  return free;
}

export function referenceSlots(av: Availability, busy: BusyBooking[], q: SlotQuery, midnightGaps = false): Slot[] {
  const zone = av.timeZone;
  const earliest = Math.max(q.from.getTime(), q.now.getTime() + av.minNoticeMinutes * MINUTE);
  const latest = Math.min(q.to.getTime(), q.now.getTime() + av.horizonDays * 86_400_000);
  if (latest <= earliest) return [];
  const duration = q.durationMinutes * MINUTE;
  // Only bookings that can touch the range matter; sorted for a stable result.
  const buffer = av.bufferMinutes * MINUTE;
  // Only bookings that can touch the range matter, sorted by start for the scan below.
  const relevant = busy
    .filter((b) => b.end.getTime() + buffer > earliest - duration && b.start.getTime() < latest + duration + buffer)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const longest = relevant.reduce((m, b) => Math.max(m, b.end.getTime() - b.start.getTime()), 0);
  const slots: Slot[] = [];
  const seen = new Set<number>(); // overlapping windows (weekly + extra hours) offer a time once
  const lastDay = DateTime.fromMillis(latest, { zone }).startOf('day');
  for (let date: DateTime = DateTime.fromMillis(earliest, { zone }).startOf('day'); date <= lastDay; date = nextDay(date, midnightGaps)) { // midnightGaps
    const clock = dayClock(date, midnightGaps);
    const windows = windowsForDate(av, date).sort((a, b) => a[0] - b[0]);
    for (const [ws, we] of windows) {
      const windowEnd = windowClose(av, date, clock, we, midnightGaps);
      // Candidates rise within a window, so the scan start only moves forward from here.
      // Mended: the scan began at clock.end(ws), which on a day whose opening time the clocks skip
      // lies after the first start there is, and so missed a booking overlapping it. The loop below
      // moves it forward from the first candidate on.
      let firstRelevant = 0;
      for (let m = ws; m < we; m += av.slotIntervalMinutes) {
        const s = clock.start(m);
        if (s === null) continue;
        const e = s + duration;
        if (e > windowEnd) break;
        if (s < earliest || s >= latest || seen.has(s)) continue;
        seen.add(s);
        // Skip bookings that end (with buffer) before any later candidate could start.
        while (firstRelevant < relevant.length && relevant[firstRelevant]!.start.getTime() + longest + buffer <= s) firstRelevant++;
        const free = freeUnitsAt(av, relevant, s, e, firstRelevant);
        if (free.length > 0) slots.push({ start: new Date(s), end: new Date(e), remaining: free.length });
      }
    }
  }
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Is `start` one of the listing's slots right now? The bookings service asks before inserting. */
export function referenceIsBookableStart(av: Availability, busy: BusyBooking[], start: Date, durationMinutes: number, now: Date, midnightGaps = false): boolean {
  const slots = referenceSlots(av, busy, { from: start, to: new Date(start.getTime() + 1), now, durationMinutes }, midnightGaps);
  return slots.some((s) => s.start.getTime() === start.getTime());
}
