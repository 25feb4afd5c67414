import type { Tx } from '@tissu/db';
import { fieldError, monthStart, pickWorker, type Unavailability } from '@tissu/shared';
import { DateTime } from 'luxon';
import { HttpError } from '../../errors.js';
import * as repo from './repository.js';

/**
 * Who can take a visit at a time: not away from the co-op then, and not on another live visit
 * that overlaps it (anywhere). What bookings asks before it assigns anyone, by hand or not, always
 * under lockWorkers so two assignments at once cannot both find her free.
 */
export { lockWorkers, coopTimeZone } from './repository.js';

export interface Span { coopId: string; startsAt: Date; endsAt: Date; bookingId: string | null }

/** Why each of `userIds` cannot take the span (absent from the map: free). Away is said before busy. */
export async function unavailableAt(tx: Tx, userIds: string[], span: Span): Promise<Map<string, Unavailability>> {
  const [away, busy] = await Promise.all([
    repo.awayBetween(tx, span.coopId, userIds, span.startsAt, span.endsAt),
    repo.busyBetween(tx, userIds, span.startsAt, span.endsAt, span.bookingId),
  ]);
  const out = new Map<string, Unavailability>();
  // Busy at another co-op: said, but neither that co-op's booking nor its times (they are not this co-op's to know).
  // A visit of this co-op comes first, so the form names the one it can open.
  for (const b of [...busy].sort((x, y) => Number(x.coopId !== span.coopId) - Number(y.coopId !== span.coopId))) {
    if (out.has(b.userId)) continue;
    out.set(b.userId, b.coopId === span.coopId
      ? { kind: 'busy', startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString(), bookingId: b.bookingId }
      : { kind: 'busy', startsAt: null, endsAt: null, bookingId: null });
  }
  for (const a of away) out.set(a.userId, { kind: 'away', startsAt: a.startsAt.toISOString(), endsAt: a.endsAt.toISOString(), bookingId: null });
  return out;
}

/**
 * Refuses with 409 when someone of `userIds` cannot take the span, naming her (`names` by id):
 * worker_away before worker_busy. Call it with the people locked.
 */
export async function requireFree(tx: Tx, userIds: string[], span: Span, names: Map<string, string>): Promise<void> {
  const off = await unavailableAt(tx, userIds, span);
  if (off.size === 0) return;
  const [who, why] = [...off].sort((a, b) => (a[1].kind === b[1].kind ? 0 : a[1].kind === 'away' ? -1 : 1))[0]!;
  const name = names.get(who) ?? who;
  throw why.kind === 'away'
    ? new HttpError(409, 'worker_away', `${name} is away then: choose someone else`, { userIds: [fieldError('worker_away')] })
    : new HttpError(409, 'worker_busy', `${name} already has a visit then: choose someone else`, { userIds: [fieldError('worker_busy')] });
}

/**
 * The co-op's automatic choice for a booking (or a series' first visits: free for all of them), or
 * null when it does not assign automatically or no worker-member is free then. Locks every
 * worker-member of the co-op first (in the one order), so bookings made at the same instant are
 * given out one after the other.
 */
export async function automaticPick(tx: Tx, spans: Span | Span[], now: Date): Promise<string | null> {
  const all = Array.isArray(spans) ? spans : [spans];
  const coopId = all[0]?.coopId;
  if (!coopId || !(await repo.autoAssignOf(tx, coopId))) return null;
  const ids = await repo.workerIds(tx, coopId);
  if (ids.length === 0) return null;
  await repo.lockWorkers(tx, ids);
  const zone = await repo.coopTimeZone(tx, coopId);
  const from = monthStart(now, zone);
  const to = DateTime.fromJSDate(from, { zone }).plus({ months: 1 }).toJSDate();
  const [loads, ...offs] = await Promise.all([repo.workerLoads(tx, coopId, from, to), ...all.map((span) => unavailableAt(tx, ids, span))]);
  const free = loads.filter((l) => offs.every((off) => !off.has(l.userId)))
    .map((l) => ({ userId: l.userId, minutesThisMonth: l.minutes, lastAssignedAt: l.last?.getTime() ?? null }));
  return pickWorker(free)?.userId ?? null;
}

/**
 * For many visits to be made at once with a team each (the series' horizon job): each visit's
 * team without whoever is away or on another visit then (those visits left to the admins).
 * Locks the people concerned; visits given to someone in this call count as busy for the next.
 */
export async function freeTeams(
  tx: Tx, coopId: string, visits: { startsAt: Date; endsAt: Date; team: string[]; /** The visit itself, when it exists (not its own obstacle). */ except?: string }[],
): Promise<string[][]> {
  const ids = [...new Set(visits.flatMap((v) => v.team))];
  if (ids.length === 0) return visits.map((v) => v.team);
  await repo.lockWorkers(tx, ids);
  const from = new Date(Math.min(...visits.map((v) => v.startsAt.getTime())));
  const to = new Date(Math.max(...visits.map((v) => v.endsAt.getTime())));
  const [away, busy] = await Promise.all([repo.awayBetween(tx, coopId, ids, from, to), repo.busyBetween(tx, ids, from, to, null)]);
  const taken = [...away.map((x) => ({ ...x, bookingId: null as string | null })), ...busy]
    .map((x) => ({ userId: x.userId, s: x.startsAt.getTime(), e: x.endsAt.getTime(), bookingId: x.bookingId }));
  return visits.map((v) => {
    const s = v.startsAt.getTime();
    const e = v.endsAt.getTime();
    const team = v.team.filter((u) => !taken.some((x) => x.userId === u && x.s < e && x.e > s && (!v.except || x.bookingId !== v.except)));
    for (const u of team) taken.push({ userId: u, s, e, bookingId: v.except ?? null });
    return team;
  });
}

/** Whether the co-op assigns automatically (bookings asks before picking a series' team). */
export const assignsAutomatically = async (tx: Tx, coopId: string) => Boolean(await repo.autoAssignOf(tx, coopId));
