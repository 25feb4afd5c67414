import type { Availability, BookingState, BusyBooking } from '@tissu/shared';
import { SERIES_MOVE_HOURS, computeSlots, freeUnits, isBookableStart, wallClockMs } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import * as repo from './repository.js';
import { freeTeams } from '../team/index.js';
import { copyVisitAddons } from './addons.js';

/**
 * Visits of a series are ordinary bookings: the same lock, the same reading of the busy times
 * under it, the same exclusion constraint. What differs is who asked (the series, once) and that
 * a visit weeks ahead is judged against opening hours and bookings only, not the listing's notice
 * and horizon for single bookings.
 */
export type VisitFit = 'free' | 'closed' | 'taken';

const DAY = 86_400_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** For visits after the first: open days and free units only. */
const laterVisit = (av: Availability): Availability => ({ ...av, minNoticeMinutes: 0, horizonDays: 3660 });

export function visitFit(av: Availability, busy: BusyBooking[], start: Date, durationMinutes: number, now: Date, first: boolean): VisitFit {
  const rules = first ? av : laterVisit(av);
  if (!isBookableStart(rules, [], start, durationMinutes, now)) return 'closed';
  return isBookableStart(rules, busy, start, durationMinutes, now) ? 'free' : 'taken';
}

/**
 * How far a visit of a series moves from its rule's time, either way: the day before to the day
 * after. One rule for the free times the pages offer (nearbyFreeTimes: the booking preview, a
 * gap's alternatives) and the times a move accepts (resolveGap, the booking's choices).
 */
// On the listing's clock: the day before a visit on the autumn change is 25 hours before it (an attack found Saturday refused).
export const nearEnough = (to: Date, from: Date, timeZone: string) =>
  Math.abs(wallClockMs(to.getTime(), timeZone) - wallClockMs(from.getTime(), timeZone)) <= SERIES_MOVE_HOURS * HOUR;

/** A time far enough ahead for the listing's notice: the pages offer no sooner one, and a move takes none. */
export const pastNotice = (av: Availability, at: Date, now: Date) => at.getTime() > now.getTime() + av.minNoticeMinutes * MINUTE;

/**
 * Free times near `start` for a visit that cannot be made there: up to `each` before it and `each`
 * after it within nearEnough, the nearest of each side, in time order. A fair choice: the nearest
 * few alone often all fall the day before (the evening is nearer a morning visit than the next
 * morning is).
 */
export function nearbyFreeTimes(av: Availability, busy: BusyBooking[], start: Date, durationMinutes: number, now: Date, each = 3): Date[] {
  // An hour more either way for a clock change; nearEnough then keeps the day before to the day after
  // on the listing's clock (computeSlots ends before `to`: the time exactly a day after is included).
  const span = (SERIES_MOVE_HOURS + 1) * HOUR;
  const slots = computeSlots(laterVisit(av), busy, { from: new Date(start.getTime() - span), to: new Date(start.getTime() + span + 1), now, durationMinutes })
    .filter((s) => pastNotice(av, s.start, now) && nearEnough(s.start, start, av.timeZone))
    .map((s) => s.start);
  const t = start.getTime();
  return [...slots.filter((s) => s.getTime() < t).slice(-each), ...slots.filter((s) => s.getTime() >= t).slice(0, each)];
}

/** The busy times of a listing around a span, for judging many visits with one query. */
export function busyAround(tx: Tx, listingId: string, from: Date, to: Date) {
  return repo.busyBookings(tx, listingId, new Date(from.getTime() - 2 * DAY), new Date(to.getTime() + 2 * DAY));
}

/** What every visit of a series copies from it. */
export type VisitTerms = repo.VisitTermsRow;

/**
 * Makes one visit, in the caller's transaction: locks its time, reads the busy times under the
 * lock and inserts the booking with its history row and team. Answers why not when it cannot be
 * made, or null when the visit of that date already exists (the job ran twice).
 */
export async function placeVisit(
  tx: Tx,
  terms: VisitTerms,
  av: Availability,
  visit: { date: string; startsAt: Date },
  opts: { state: BookingState; expiresAt: Date | null; now: Date; first: boolean; team: string[]; actor: { id: string | null; role: 'client' | 'system' } },
): Promise<repo.BookingRow | Exclude<VisitFit, 'free'> | null> {
  const endsAt = new Date(visit.startsAt.getTime() + terms.durationMinutes * MINUTE);
  const blockedUntil = new Date(endsAt.getTime() + av.bufferMinutes * MINUTE);
  await repo.lockBookingTimes(tx, terms.listingId, visit.startsAt, blockedUntil);
  const busy = await repo.busyBookings(tx, terms.listingId, new Date(visit.startsAt.getTime() - DAY), new Date(endsAt.getTime() + DAY));
  const fit = visitFit(av, busy, visit.startsAt, terms.durationMinutes, opts.now, opts.first);
  if (fit !== 'free') return fit;
  const [unit] = freeUnits(av, busy, visit.startsAt, endsAt);
  if (unit === undefined) return 'taken';
  const { seriesId, addons, ...booking } = terms;
  const row = await repo.insertVisit(tx, {
    ...booking,
    seriesId,
    seriesDate: visit.date,
    state: opts.state,
    startsAt: visit.startsAt,
    endsAt,
    blockedUntil,
    unit,
    solidarityRequested: false,
    expiresAt: opts.expiresAt,
  });
  if (!row) return null;
  // The series' team but whoever is away or on another visit then (that visit waits for the admins).
  const [team] = opts.team.length ? await freeTeams(tx, terms.coopId, [{ startsAt: visit.startsAt, endsAt, team: opts.team, except: row.id }]) : [[]];
  await Promise.all([
    repo.insertEvent(tx, { bookingId: row.id, actorId: opts.actor.id, actorRole: opts.actor.role, kind: 'created', fromState: null, toState: opts.state }),
    team!.length ? repo.replaceWorkers(tx, row.id, team!) : Promise.resolve(),
    copyVisitAddons(tx, row.id, addons),
  ]);
  return row;
}

export interface VisitRequest {
  terms: VisitTerms;
  date: string;
  startsAt: Date;
  state: BookingState;
  expiresAt: Date | null;
  team: string[];
}

/**
 * A listing's busy times sorted by start, for judging many visits in time order: each visit looks
 * only at the bookings that can reach it (a linear scan of all of them for every visit made a
 * listing with forty weekly series cost 320 × 320 comparisons), and the visits placed join them.
 */
class Calendar {
  private readonly busy: BusyBooking[];
  /** The longest booking: none that starts earlier than that before a time can reach it. */
  private longest = 0;

  constructor(busy: BusyBooking[]) {
    this.busy = [...busy].sort((a, b) => a.start.getTime() - b.start.getTime());
    for (const b of this.busy) this.longest = Math.max(this.longest, b.end.getTime() - b.start.getTime());
  }

  /** Index of the first booking starting at or after `t`. */
  private indexAt(t: number): number {
    let lo = 0;
    let hi = this.busy.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.busy[mid]!.start.getTime() < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The bookings that can overlap [start, end) with `buffer` on either side (a superset, for freeUnits to judge). */
  around(start: number, end: number, buffer: number): BusyBooking[] {
    const out: BusyBooking[] = [];
    for (let i = this.indexAt(start - buffer - this.longest); i < this.busy.length && this.busy[i]!.start.getTime() < end + buffer; i++) out.push(this.busy[i]!);
    return out;
  }

  add(b: BusyBooking): void {
    this.busy.splice(this.indexAt(b.start.getTime()), 0, b);
    this.longest = Math.max(this.longest, b.end.getTime() - b.start.getTime());
  }
}

/**
 * Locks a listing's whole calendar for placing many visits (single bookings of it wait meanwhile)
 * and reads its busy times between `from` and `to` under the lock. The two statements go out
 * together, in this order, on the transaction's one connection: PostgreSQL runs the read after the
 * lock is granted, with a snapshot taken then, so it sees every booking committed before.
 */
export async function lockCalendar(tx: Tx, listingId: string, from: Date, to: Date): Promise<BusyBooking[]> {
  const [, busy] = await Promise.all([repo.lockListing(tx, listingId), repo.busyBookings(tx, listingId, from, to)]);
  return busy;
}

/**
 * Many visits of one listing at once (the horizon job), on a calendar locked and read by
 * lockCalendar over a span that holds every visit asked for, with a day on either side: each visit
 * is judged in time order against the busy times and the visits already placed, and the rows are
 * written in one statement ('made'; null for a date another run made meanwhile). Same rules as
 * placing one visit: a start the opening hours do not offer is 'closed' (the slots of the whole
 * span, computed once per duration, are the ones isBookableStart would find one by one), one with
 * no free unit is 'taken'.
 */
export async function placeVisits(
  tx: Tx, av: Availability, busy: BusyBooking[], requests: VisitRequest[], now: Date, actor: { id: string | null; role: 'client' | 'system' },
): Promise<('made' | Exclude<VisitFit, 'free'> | null)[]> {
  if (requests.length === 0) return [];
  const order = requests.map((r, i) => ({ r, i })).sort((a, b) => a.r.startsAt.getTime() - b.r.startsAt.getTime());
  const first = order[0]!.r.startsAt.getTime();
  const last = order.at(-1)!.r.startsAt.getTime();
  const calendar = new Calendar(busy);
  const rules = laterVisit(av);
  const opens = new Map<number, Set<number>>();
  const openAt = (durationMinutes: number) => {
    let starts = opens.get(durationMinutes);
    if (!starts) {
      const slots = computeSlots(rules, [], { from: new Date(first), to: new Date(last + 1), now, durationMinutes });
      opens.set(durationMinutes, (starts = new Set(slots.map((s) => s.start.getTime()))));
    }
    return starts;
  };
  const buffer = av.bufferMinutes * MINUTE;
  const out: ('made' | Exclude<VisitFit, 'free'> | null)[] = requests.map(() => null);
  const rows: repo.VisitRow[] = [];
  const placed: number[] = [];
  for (const { r, i } of order) {
    const start = r.startsAt.getTime();
    const end = start + r.terms.durationMinutes * MINUTE;
    if (!openAt(r.terms.durationMinutes).has(start)) {
      out[i] = 'closed';
      continue;
    }
    const endsAt = new Date(end);
    const [unit] = freeUnits(av, calendar.around(start, end, buffer), r.startsAt, endsAt);
    if (unit === undefined) {
      out[i] = 'taken';
      continue;
    }
    calendar.add({ start: r.startsAt, end: endsAt, unit });
    rows.push({ terms: r.terms, seriesDate: r.date, state: r.state, startsAt: start, endsAt: end, blockedUntil: end + buffer, unit, expiresAt: (r.expiresAt ?? r.startsAt).getTime(), team: r.team });
    placed.push(i);
  }
  const made = await repo.insertVisits(tx, rows, actor);
  for (const i of placed) out[i] = made.has(`${requests[i]!.terms.seriesId}:${requests[i]!.date}`) ? 'made' : null;
  return out;
}
