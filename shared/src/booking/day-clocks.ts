import type { ZoneOffsets } from './zone-offsets.js';

/**
 * Converts wall-clock minutes of consecutive local days to instants.
 *
 * A day that keeps one UTC offset from its midnight to the next (all but about two a year) is
 * plain arithmetic: midnight plus minutes. On a changeover day each wall time goes through the
 * zone's offset table the way Luxon resolves it: a time the clocks skip does not exist, a time
 * they repeat is its first occurrence, and a closing time inside the gap ends after it.
 *
 * Days are numbered from the first one (index 0) and computed in order, because each day's
 * midnight is resolved from the offset of the day before (as Luxon's `plus({ days: 1 })` does).
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const DAY_MINUTES = 24 * 60;

export class DayClocks {
  /** The day's first instant (its midnight, or the end of a gap at midnight). */
  readonly midnight: number[] = [];
  /** The offset at that instant, in minutes. */
  private readonly offset: number[] = [];
  /** The next day's first instant. */
  private readonly next: number[] = [];
  /** One offset from this midnight to the next, and 24 hours between them. */
  readonly steady: boolean[] = [];

  /**
   * @param firstDay day number (days since 1970-01-01 on the local calendar) of index 0
   * @param firstGuess offset at an instant of that day (where the computation starts)
   */
  constructor(
    private readonly zone: ZoneOffsets,
    readonly firstDay: number,
    private readonly firstGuess: number,
  ) {}

  /** Makes days 0…i known. */
  ensure(i: number): void {
    for (let j = this.midnight.length; j <= i; j++) this.compute(j);
  }

  private compute(i: number): void {
    const z = this.zone;
    const local = (this.firstDay + i) * DAY;
    // The day as reached from the previous one (or from the first instant), then its start of day.
    z.localToInstant(local, i === 0 ? this.firstGuess : this.offset[i - 1]!);
    const midnight = z.localToInstant(local, z.lastOffset);
    const offset = z.lastOffset;
    const next = z.localToInstant(local + DAY, offset);
    this.midnight[i] = midnight;
    this.offset[i] = offset;
    this.next[i] = next;
    this.steady[i] = z.lastOffset === offset && next - midnight === DAY;
  }

  /** Instant of wall time `minute` of day i; NaN if the clocks skip it that day. Day i must be known. */
  start(i: number, minute: number): number {
    const midnight = this.midnight[i]!;
    if (this.steady[i]) return midnight + minute * MINUTE;
    const z = this.zone;
    const wall = (this.firstDay + i) * DAY + minute * MINUTE;
    const t = z.localToInstant(wall, this.offset[i]!);
    // A time in a gap comes back moved forward by the gap: it does not exist.
    return t + z.lastOffset * MINUTE === wall ? t : NaN;
  }

  /** Instant at which a window closing at `minute` of day i closes. Day i must be known. */
  end(i: number, minute: number): number {
    if (this.steady[i]) return this.midnight[i]! + minute * MINUTE;
    if (minute >= DAY_MINUTES) return this.next[i]!;
    return this.zone.localToInstant((this.firstDay + i) * DAY + minute * MINUTE, this.offset[i]!);
  }
}
