import { DateTime } from 'luxon';

/**
 * Bookable start times, computed from a listing's availability in its own IANA time zone.
 *
 * Slots step through wall-clock time ("every 30 minutes from 08:00"), because that is how people
 * read a schedule. On the day clocks spring forward, times that do not exist (02:00–02:59 in
 * Montréal) are skipped rather than shifted; on the day they fall back, each wall time is offered
 * once (at its first occurrence). Durations and buffers are real elapsed minutes.
 */

export interface WeeklyRule {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** "HH:mm" local time; end after start, "24:00" allowed as end. */
  start: string;
  end: string;
}

export interface DateException {
  /** Local date "YYYY-MM-DD". */
  date: string;
  /** closed: no bookings that day (or only in start–end); extra: opening hours added that day. */
  kind: 'closed' | 'extra';
  start?: string;
  end?: string;
}

export interface Availability {
  timeZone: string;
  weekly: WeeklyRule[];
  exceptions: DateException[];
  slotIntervalMinutes: number;
  bufferMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  capacity: number;
}

/** A booking that holds one capacity unit from start to end (plus the listing's buffer after it). */
export interface BusyBooking {
  start: Date;
  end: Date;
  unit: number;
}

export interface Slot {
  start: Date;
  end: Date;
  /** How many more bookings this start time can take. */
  remaining: number;
}

export interface SlotQuery {
  from: Date;
  to: Date;
  now: Date;
  durationMinutes: number;
}

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
function windowEndInstant(date: DateTime, minute: number): number {
  const midnight = date.startOf('day');
  if (minute >= 24 * 60) return midnight.plus({ days: 1 }).toMillis();
  return midnight.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
}

/**
 * Converts wall-clock minutes of one local day to instants. Most days keep one UTC offset, and
 * then it is plain arithmetic; on the two days a year the offset changes, Luxon decides.
 */
function dayClock(date: DateTime) {
  const midnight = date.startOf('day');
  const next = midnight.plus({ days: 1 });
  const steady = midnight.offset === next.offset && next.toMillis() - midnight.toMillis() === 86_400_000;
  const base = midnight.toMillis();
  return {
    start: (minute: number) => (steady ? base + minute * MINUTE : (wallTime(date, minute)?.toMillis() ?? null)),
    end: (minute: number) => (steady ? base + minute * MINUTE : windowEndInstant(date, minute)),
  };
}

/**
 * Where a window really closes: one that runs to midnight goes on into the next day when that day
 * opens at 00:00 (a 24-hour service, a night shift), so a booking may run past midnight.
 */
function windowClose(av: Availability, date: DateTime, clock: ReturnType<typeof dayClock>, closingMinute: number): number {
  let end = clock.end(closingMinute);
  for (let day = date, closing = closingMinute, i = 0; closing >= 24 * 60 && i < 15; i++) {
    day = day.plus({ days: 1 });
    const next = windowsForDate(av, day).filter(([s]) => s === 0).reduce((latest, [, e]) => Math.max(latest, e), -1);
    if (next < 0) break;
    closing = next;
    end = dayClock(day).end(next);
  }
  return end;
}

/** Capacity units still free for [start, end) given the bookings and the buffer after each. */
export function freeUnits(av: Pick<Availability, 'capacity' | 'bufferMinutes'>, busy: BusyBooking[], start: Date, end: Date): number[] {
  return freeUnitsAt(av, busy, start.getTime(), end.getTime());
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

export function computeSlots(av: Availability, busy: BusyBooking[], q: SlotQuery): Slot[] {
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
  /** Index of the first booking that can still overlap a candidate starting at or after `t`. */
  const firstOverlapping = (t: number) => {
    let lo = 0;
    let hi = relevant.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (relevant[mid]!.start.getTime() + longest + buffer <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const slots: Slot[] = [];
  const seen = new Set<number>(); // overlapping windows (weekly + extra hours) offer a time once
  const lastDay = DateTime.fromMillis(latest, { zone }).startOf('day');
  for (let date = DateTime.fromMillis(earliest, { zone }).startOf('day'); date <= lastDay; date = date.plus({ days: 1 })) {
    const clock = dayClock(date);
    const windows = windowsForDate(av, date).sort((a, b) => a[0] - b[0]);
    for (const [ws, we] of windows) {
      const windowEnd = windowClose(av, date, clock, we);
      // Candidates rise within a window, so the scan start only moves forward from here.
      let firstRelevant = firstOverlapping(clock.end(ws));
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
export function isBookableStart(av: Availability, busy: BusyBooking[], start: Date, durationMinutes: number, now: Date): boolean {
  const slots = computeSlots(av, busy, { from: start, to: new Date(start.getTime() + 1), now, durationMinutes });
  return slots.some((s) => s.start.getTime() === start.getTime());
}
