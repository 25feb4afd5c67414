import { DayClocks } from './day-clocks.js';
import { OpeningHours } from './opening-hours.js';
import { zoneOffsets } from './zone-offsets.js';

/**
 * Bookable start times, computed from a listing's availability in its own IANA time zone.
 *
 * Slots step through wall-clock time ("every 30 minutes from 08:00"), because that is how people
 * read a schedule. On the day clocks spring forward, times that do not exist (02:00–02:59 in
 * Montréal) are skipped rather than shifted; on the day they fall back, each wall time is offered
 * once (at its first occurrence). Durations and buffers are real elapsed minutes.
 *
 * How it stays fast (a year of slots in about a millisecond): days are integers on the local
 * calendar, and most days keep one UTC offset, so a wall time is midnight plus minutes; the zone's
 * offset changes are found once per process (zone-offsets.ts) and only a day on which the offset
 * changes goes through the full resolution, wall time by wall time (day-clocks.ts). Weekly rules are grouped by weekday once and date
 * exceptions kept in a map by day (opening-hours.ts). Bookings are scanned from a pointer that
 * only moves forward, and taken capacity units are counted in a reused array, so a candidate time
 * allocates nothing. The previous implementation, through Luxon day by day, is kept as the
 * oracle of the property test (slots-reference.ts).
 */

export type { Availability, DateException, WeeklyRule } from './availability.js';
import type { Availability, DateException } from './availability.js';

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
const DAY = 86_400_000;
const DAY_MINUTES = 24 * 60;
/** A window closing at 24:00 carries on into following days that open at 00:00, this many at most. */
const MAX_CARRY_DAYS = 15;

/** Capacity units still free for [start, end) given the bookings and the buffer after each. */
export function freeUnits(av: Pick<Availability, 'capacity' | 'bufferMinutes'>, busy: BusyBooking[], start: Date, end: Date): number[] {
  const buffer = av.bufferMinutes * MINUTE;
  const s = start.getTime();
  const e = end.getTime();
  const taken = new Set<number>();
  // Every booking is looked at: the list need not be sorted.
  for (const b of busy) if (b.start.getTime() < e + buffer && s < b.end.getTime() + buffer) taken.add(b.unit);
  const free: number[] = [];
  for (let u = 0; u < av.capacity; u++) if (!taken.has(u)) free.push(u);
  return free;
}

/** The bookings that can touch a range, as arrays sorted by start, and the free units at a time. */
class Occupancy {
  private readonly starts: Float64Array;
  /** End plus buffer. */
  private readonly ends: Float64Array;
  /** Running maximum of `ends`: no booking before index i is still busy at a time >= reach[i - 1]. */
  private readonly reach: Float64Array;
  /** The unit, or -1 for a unit outside 0…capacity-1 (it takes nothing away). */
  private readonly units: Int32Array;
  private readonly marks: Int32Array;
  private stamp = 0;
  private readonly capacityUnits: number;

  constructor(busy: readonly BusyBooking[], capacity: number, private readonly buffer: number, from: number, to: number) {
    // Units 0, 1, … below capacity, as freeUnits counts them.
    this.capacityUnits = capacity > 0 ? Math.ceil(capacity) : 0;
    const relevant = busy.filter((b) => b.end.getTime() + buffer > from && b.start.getTime() < to);
    let sorted = true;
    for (let i = 1; i < relevant.length && sorted; i++) sorted = relevant[i - 1]!.start.getTime() <= relevant[i]!.start.getTime();
    if (!sorted) relevant.sort((a, b) => a.start.getTime() - b.start.getTime());
    const n = relevant.length;
    this.starts = new Float64Array(n);
    this.ends = new Float64Array(n);
    this.reach = new Float64Array(n);
    this.units = new Int32Array(n);
    for (let i = 0, reach = -Infinity; i < n; i++) {
      const b = relevant[i]!;
      this.starts[i] = b.start.getTime();
      this.ends[i] = b.end.getTime() + buffer;
      reach = Math.max(reach, this.ends[i]!);
      this.reach[i] = reach;
      this.units[i] = Number.isInteger(b.unit) && b.unit >= 0 && b.unit < this.capacityUnits ? b.unit : -1;
    }
    this.marks = new Int32Array(this.capacityUnits);
  }

  /** Index of the first booking that can still be busy at `s` or later. */
  firstFrom(s: number): number {
    let lo = 0;
    let hi = this.reach.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.reach[mid]! <= s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Moves `first` (from firstFrom) forward for a later `s`. */
  advance(first: number, s: number): number {
    while (first < this.reach.length && this.reach[first]! <= s) first++;
    return first;
  }

  /** Units free for [s, e) and the buffer around it, scanning from `first`. */
  free(s: number, e: number, first: number): number {
    const stamp = ++this.stamp;
    const limit = e + this.buffer;
    let taken = 0;
    for (let i = first; i < this.starts.length && this.starts[i]! < limit; i++) {
      if (s >= this.ends[i]!) continue;
      const u = this.units[i]!;
      if (u >= 0 && this.marks[u] !== stamp) {
        this.marks[u] = stamp;
        taken++;
      }
    }
    return this.capacityUnits - taken;
  }
}

/**
 * Where a window really closes: one that runs to midnight goes on into the next day when that day
 * opens at 00:00 (a 24-hour service, a night shift), so a booking may run past midnight. The
 * following days are only looked at when a booking needs them (at most MAX_CARRY_DAYS): closing
 * instants only grow from one day to the next, so stopping early changes no answer.
 */
class WindowClose {
  /** Closing instant found so far. */
  at = 0;
  private closing = 0;
  private day = 0;
  private carried = 0;
  private done = false;

  constructor(
    private readonly opening: OpeningHours,
    private readonly clocks: DayClocks,
  ) {}

  /** A window of (local) day number `day` closing at minute `closing`. */
  reset(day: number, closing: number): void {
    this.day = day;
    this.closing = closing;
    this.carried = 0;
    this.done = false;
    this.at = this.clocks.end(day - this.clocks.firstDay, closing);
  }

  /** Does a booking ending at `e` end before the window closes? */
  fits(e: number): boolean {
    while (e > this.at && !this.done) {
      if (this.closing < DAY_MINUTES || this.carried >= MAX_CARRY_DAYS) {
        this.done = true;
        break;
      }
      this.carried++;
      this.day++;
      const next = this.opening.windows(this.day).fromMidnight;
      if (next < 0) {
        this.done = true;
        break;
      }
      this.closing = next;
      const i = this.day - this.clocks.firstDay;
      this.clocks.ensure(i);
      this.at = this.clocks.end(i, next);
    }
    return e <= this.at;
  }
}

/**
 * Calls `emit` with each bookable start (and its end and free units) in the range, day by day;
 * within a day, overlapping windows can make the starts come out of order.
 */
function eachSlot(av: Availability, busy: readonly BusyBooking[], q: { from: number; to: number; now: number; durationMinutes: number }, emit: (s: number, e: number, free: number) => void): void {
  const earliest = Math.max(q.from, q.now + av.minNoticeMinutes * MINUTE);
  const latest = Math.min(q.to, q.now + av.horizonDays * DAY);
  const step = av.slotIntervalMinutes;
  if (!(latest > earliest) || !(step > 0)) return;
  const zone = zoneOffsets(av.timeZone);
  if (!zone) return;
  const duration = q.durationMinutes * MINUTE;
  const buffer = av.bufferMinutes * MINUTE;
  // Only bookings that can touch the range matter.
  const occupancy = new Occupancy(busy, av.capacity, buffer, earliest - duration, latest + duration + buffer);
  const opening = new OpeningHours(av);

  const firstGuess = zone.offsetAt(earliest);
  const firstDay = Math.floor((earliest + firstGuess * MINUTE) / DAY);
  const lastDay = Math.floor((latest + zone.offsetAt(latest) * MINUTE) / DAY);
  const clocks = new DayClocks(zone, firstDay, firstGuess);
  const close = new WindowClose(opening, clocks);
  const seen = new Set<number>(); // overlapping windows (weekly + extra hours) offer a time once

  for (let day = firstDay; day <= lastDay; day++) {
    const today = opening.windows(day);
    if (today.list.length === 0) continue;
    const i = day - firstDay;
    clocks.ensure(i);
    const steady = clocks.steady[i]!;
    if (today.overlapping) seen.clear();
    for (const [ws, we] of today.list) {
      close.reset(day, we);
      if (steady) {
        // Midnight plus minutes; starts rise with m, so skip straight to the first one in range.
        const midnight = clocks.midnight[i]!;
        let m = ws;
        if (midnight + m * MINUTE < earliest) m += Math.max(0, Math.floor((earliest - midnight - m * MINUTE) / (step * MINUTE)) - 1) * step;
        while (m < we && midnight + m * MINUTE < earliest) m += step;
        let first = occupancy.firstFrom(midnight + m * MINUTE);
        for (; m < we; m += step) {
          const s = midnight + m * MINUTE;
          const e = s + duration;
          if (e > close.at && !close.fits(e)) break;
          if (s >= latest) break;
          if (today.overlapping) {
            if (seen.has(s)) continue;
            seen.add(s);
          }
          first = occupancy.advance(first, s);
          const free = occupancy.free(s, e, first);
          if (free > 0) emit(s, e, free);
        }
      } else {
        // A changeover day: each wall time resolved on its own.
        for (let m = ws; m < we; m += step) {
          const s = clocks.start(i, m);
          if (Number.isNaN(s)) continue;
          const e = s + duration;
          if (e > close.at && !close.fits(e)) break;
          if (s < earliest || s >= latest) continue;
          if (today.overlapping) {
            if (seen.has(s)) continue;
            seen.add(s);
          }
          const free = occupancy.free(s, e, occupancy.firstFrom(s));
          if (free > 0) emit(s, e, free);
        }
      }
    }
  }
}

export function computeSlots(av: Availability, busy: BusyBooking[], q: SlotQuery): Slot[] {
  const slots: Slot[] = [];
  let last = -Infinity;
  let ordered = true;
  eachSlot(av, busy, { from: q.from.getTime(), to: q.to.getTime(), now: q.now.getTime(), durationMinutes: q.durationMinutes }, (s, e, remaining) => {
    if (s < last) ordered = false;
    last = s;
    slots.push({ start: new Date(s), end: new Date(e), remaining });
  });
  return ordered ? slots : slots.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/**
 * Is `start` one of the listing's slots right now? The bookings service asks before inserting.
 * Only the day of `start` is looked at, and the days after it only as far as the booking runs.
 */
export function isBookableStart(av: Availability, busy: BusyBooking[], start: Date, durationMinutes: number, now: Date): boolean {
  const t = start.getTime();
  let found = false;
  eachSlot(av, busy, { from: t, to: t + 1, now: now.getTime(), durationMinutes }, (s) => {
    if (s === t) found = true;
  });
  return found;
}
