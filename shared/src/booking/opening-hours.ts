import type { Availability, DateException } from './availability.js';

/**
 * Opening windows of each local day, as [startMinute, endMinute) of wall-clock time, with days
 * named by their number since 1970-01-01 (the local calendar, no time zone involved). The weekly
 * rules are sorted once per weekday; exceptions are kept in a map by day, so a day without one
 * costs a lookup.
 */

export type Window = readonly [number, number];

export interface DayWindows {
  /** Sorted by opening minute (stable), empty windows removed. */
  list: readonly Window[];
  /** Some window opens before an earlier one closes: the same start time can come twice. */
  overlapping: boolean;
  /** Latest closing minute of the windows that open at 00:00, or -1: how far a night carries on. */
  fromMidnight: number;
}

const DAY = 86_400_000;

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number; 1970-01-01 was a Thursday. */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Day number of a "YYYY-MM-DD" date; null if it is not one (it then matches no day). */
export function dayNumber(date: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const t = new Date(Date.UTC(y, m - 1, d));
  // 2026-02-30 is not a date (Date.UTC would roll it over to March), nor is year 0099 taken as 1999.
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? t.getTime() / DAY : null;
}

function describe(windows: Window[]): DayWindows {
  const list = windows.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  let overlapping = false;
  let fromMidnight = -1;
  for (let i = 0, reach = -Infinity; i < list.length; i++) {
    const [s, e] = list[i]!;
    if (s < reach) overlapping = true;
    reach = Math.max(reach, e);
    if (s === 0) fromMidnight = Math.max(fromMidnight, e);
  }
  return { list, overlapping, fromMidnight };
}

export class OpeningHours {
  private readonly weekly: Window[][] = [];
  private readonly byWeekday: DayWindows[] = [];
  private readonly exceptions = new Map<number, DateException[]>();
  private readonly exceptional = new Map<number, DayWindows>();

  constructor(av: Pick<Availability, 'weekly' | 'exceptions'>) {
    for (let wd = 1; wd <= 7; wd++) {
      this.weekly[wd] = av.weekly.filter((r) => r.weekday === wd).map((r): Window => [minutesOf(r.start), minutesOf(r.end)]);
      this.byWeekday[wd] = describe(this.weekly[wd]!);
    }
    for (const ex of av.exceptions) {
      const day = dayNumber(ex.date);
      if (day === null) continue;
      const list = this.exceptions.get(day);
      if (list) list.push(ex);
      else this.exceptions.set(day, [ex]);
    }
  }

  windows(day: number): DayWindows {
    if (this.exceptions.size > 0) {
      const known = this.exceptional.get(day);
      if (known) return known;
      const exceptions = this.exceptions.get(day);
      if (exceptions) {
        const computed = describe(this.withExceptions(this.weekly[isoWeekday(day)]!, exceptions));
        this.exceptional.set(day, computed);
        return computed;
      }
    }
    return this.byWeekday[isoWeekday(day)]!;
  }

  /** Extra hours are added, then each closure cuts its hours out (or the whole day). */
  private withExceptions(weekly: Window[], exceptions: DateException[]): Window[] {
    let windows: Window[] = [...weekly];
    for (const ex of exceptions) {
      if (ex.kind === 'extra' && ex.start && ex.end) windows.push([minutesOf(ex.start), minutesOf(ex.end)]);
    }
    for (const ex of exceptions) {
      if (ex.kind !== 'closed') continue;
      if (!ex.start || !ex.end) return [];
      const [cs, ce] = [minutesOf(ex.start), minutesOf(ex.end)];
      windows = windows.flatMap(([s, e]): Window[] => {
        if (ce <= s || cs >= e) return [[s, e]];
        const parts: Window[] = [];
        if (cs > s) parts.push([s, cs]);
        if (ce < e) parts.push([ce, e]);
        return parts;
      });
    }
    return windows;
  }
}
