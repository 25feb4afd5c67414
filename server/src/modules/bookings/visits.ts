import type { Availability, BookingState, BusyBooking } from '@tissu/shared';
import { computeSlots, freeUnits, isBookableStart } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import * as repo from './repository.js';

/**
 * Visits of a series are ordinary bookings: the same lock, the same reading of the busy times
 * under it, the same exclusion constraint. What differs is who asked (the series, once) and that
 * a visit weeks ahead is judged against opening hours and bookings only, not the listing's notice
 * and horizon for single bookings.
 */
export type VisitFit = 'free' | 'closed' | 'taken';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** For visits after the first: open days and free units only. */
const laterVisit = (av: Availability): Availability => ({ ...av, minNoticeMinutes: 0, horizonDays: 3660 });

export function visitFit(av: Availability, busy: BusyBooking[], start: Date, durationMinutes: number, now: Date, first: boolean): VisitFit {
  const rules = first ? av : laterVisit(av);
  if (!isBookableStart(rules, [], start, durationMinutes, now)) return 'closed';
  return isBookableStart(rules, busy, start, durationMinutes, now) ? 'free' : 'taken';
}

/** Free times from the day before to the day after `start`, nearest to it first. */
export function nearbyFreeTimes(av: Availability, busy: BusyBooking[], start: Date, durationMinutes: number, now: Date, max = 3): Date[] {
  const slots = computeSlots(laterVisit(av), busy, { from: new Date(start.getTime() - DAY), to: new Date(start.getTime() + DAY), now, durationMinutes });
  return slots
    .filter((s) => s.start.getTime() > now.getTime() + av.minNoticeMinutes * MINUTE)
    .sort((a, b) => Math.abs(a.start.getTime() - start.getTime()) - Math.abs(b.start.getTime() - start.getTime()) || a.start.getTime() - b.start.getTime())
    .slice(0, max)
    .map((s) => s.start);
}

/** The busy times of a listing around a span, for judging many visits with one query. */
export function busyAround(tx: Tx, listingId: string, from: Date, to: Date) {
  return repo.busyBookings(tx, listingId, new Date(from.getTime() - 2 * DAY), new Date(to.getTime() + 2 * DAY));
}

export interface VisitTerms {
  seriesId: string;
  listingId: string;
  coopId: string;
  clientId: string;
  timeZone: string;
  durationMinutes: number;
  regularPriceCents: number;
  priceCents: number;
  feeRateBps: number;
  freeCancellationHours: number;
  lateCancellationPercent: number;
  address: string;
  notes: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
}

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
  const { seriesId, ...booking } = terms;
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
  await Promise.all([
    repo.insertEvent(tx, { bookingId: row.id, actorId: opts.actor.id, actorRole: opts.actor.role, kind: 'created', fromState: null, toState: opts.state }),
    opts.team.length ? repo.replaceWorkers(tx, row.id, opts.team) : Promise.resolve(),
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
 * Many visits of one listing at once (the horizon job): the listing's whole calendar is locked
 * once, its busy times read once, each visit judged in time order against them and the visits
 * already placed, and the rows written in three statements. Same rules as placing one visit.
 */
export async function placeVisits(
  tx: Tx, listingId: string, av: Availability, requests: VisitRequest[], now: Date, actor: { id: string | null; role: 'client' | 'system' },
): Promise<({ id: string } | Exclude<VisitFit, 'free'> | null)[]> {
  if (requests.length === 0) return [];
  const order = requests.map((r, i) => ({ r, i })).sort((a, b) => a.r.startsAt.getTime() - b.r.startsAt.getTime());
  await repo.lockListing(tx, listingId);
  const busy: BusyBooking[] = await repo.busyBookings(tx, listingId, new Date(order[0]!.r.startsAt.getTime() - DAY), new Date(order.at(-1)!.r.startsAt.getTime() + 2 * DAY));
  const out: ({ id: string } | Exclude<VisitFit, 'free'> | null)[] = requests.map(() => null);
  const rows: repo.VisitRow[] = [];
  const placed: number[] = [];
  for (const { r, i } of order) {
    const endsAt = new Date(r.startsAt.getTime() + r.terms.durationMinutes * MINUTE);
    const fit = visitFit(av, busy, r.startsAt, r.terms.durationMinutes, now, false);
    const [unit] = fit === 'free' ? freeUnits(av, busy, r.startsAt, endsAt) : [];
    if (fit !== 'free' || unit === undefined) {
      out[i] = fit === 'free' ? 'taken' : fit;
      continue;
    }
    busy.push({ start: r.startsAt, end: endsAt, unit });
    const { seriesId, ...booking } = r.terms;
    rows.push({ ...booking, seriesId, seriesDate: r.date, state: r.state, startsAt: r.startsAt, endsAt, blockedUntil: new Date(endsAt.getTime() + av.bufferMinutes * MINUTE), unit, expiresAt: r.expiresAt ?? r.startsAt });
    placed.push(i);
  }
  const made = await repo.insertVisits(tx, rows);
  const byKey = new Map(made.map((b) => [`${b.seriesId}:${b.seriesDate}`, b]));
  for (const i of placed) out[i] = byKey.get(`${requests[i]!.terms.seriesId}:${requests[i]!.date}`) ?? null;
  const teamOf = new Map(requests.map((r) => [`${r.terms.seriesId}:${r.date}`, r.team]));
  await repo.insertCreatedEvents(tx, made, actor);
  await repo.insertWorkers(tx, made.flatMap((b) => (teamOf.get(`${b.seriesId}:${b.seriesDate}`) ?? []).map((userId) => ({ bookingId: b.id, userId }))));
  return out;
}
