import { addCalendarDays, occurrencesOn, SERIES_HORIZON_DAYS } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { availabilityOf, lockCalendar, placeVisits, type VisitRequest } from '../bookings/index.js';
import { freeTeams } from '../team/index.js';
import { todayIn } from './plan.js';
import * as repo from './repository.js';
import { recordSeriesMany } from './history.js';
import { tellSeries } from './tell.js';
import { termsOf, visitDeadline } from './terms.js';

type Made = { made: number; gaps: number };

/**
 * Makes the visits of some series of one listing up to their rolling horizon (eight weeks ahead,
 * never past their end), in the caller's transaction, which holds the series' rows. Each date the
 * rules give becomes a visit once: a date that already has a live visit is left alone (the unique
 * index on series and date is the judge, so two runs at once cannot make it twice), and a date that
 * cannot be a visit (a closed day, a time taken since) becomes a gap both sides are told about, for
 * the client to skip or move. Never silently dropped. The listing's calendar is locked and read
 * once for all of them (placeVisits), so a listing with forty series costs what one does.
 *
 * Three round trips to PostgreSQL: what the series need (one statement) goes out with the calendar's
 * lock and its busy times; then the visits with the new horizon of each series; then the gaps, if any.
 */
export async function extendListing(tx: Tx, listingId: string, series: repo.SeriesRow[], now: Date, through?: string): Promise<Made> {
  const result = { made: 0, gaps: 0 };
  // One local date per zone (a listing's series share its zone), not one Luxon parse per series.
  const horizons = new Map<string, string>();
  const horizonIn = (zone: string) => horizons.get(zone) ?? horizons.set(zone, addCalendarDays(todayIn(zone, now), SERIES_HORIZON_DAYS)).get(zone)!;
  const plans = series.map((s) => {
    let target = through && through > horizonIn(s.timeZone) ? through : horizonIn(s.timeZone);
    if (s.endsOn && s.endsOn < target) target = s.endsOn;
    if (s.pausedFrom && plusDays(s.pausedFrom, -1) < target) target = plusDays(s.pausedFrom, -1);
    return { s, target, from: plusDays(s.generatedThrough, 1) };
  }).filter((p) => p.target > p.s.generatedThrough);
  if (plans.length === 0) return result;
  // Every visit asked for falls on a local date in [earliest from, latest target]: that span, with
  // two days on either side for any zone's offset and the bookings that reach into a visit's day.
  const span = plans.reduce((a, p) => ({ from: p.from < a.from ? p.from : a.from, to: p.target > a.to ? p.target : a.to }), { from: plans[0]!.from, to: plans[0]!.target });
  const [inputs, busy] = await Promise.all([
    repo.horizonInputs(tx, listingId, plans.map((p) => p.s.id)),
    lockCalendar(tx, listingId, new Date(Date.parse(span.from) - 2 * DAY), new Date(Date.parse(span.to) + 3 * DAY)),
  ]);
  const { listing } = inputs;
  const known = new Set([...inputs.gaps, ...inputs.live]);
  const movedAt = new Set(inputs.movedAt);
  const heldByMoves: { seriesId: string; date: string }[] = [];
  const rulesBySeries = groupBy(inputs.rules, (r) => r.seriesId);
  const teamBySeries = groupBy(inputs.team, (t) => t.seriesId);
  const requests: (VisitRequest & { s: repo.SeriesRow })[] = [];
  for (const { s, target, from } of plans) {
    const mine = rulesBySeries.get(s.id) ?? [];
    const team = (teamBySeries.get(s.id) ?? []).map((t) => t.userId);
    const terms = termsOf(s);
    mine.forEach((rule, i) => {
      const next = mine[i + 1];
      const last = next && plusDays(next.startsOn, -1) < target ? plusDays(next.startsOn, -1) : target;
      for (const v of occurrencesOn(rule, s.timeZone, from > rule.startsOn ? from : rule.startsOn, last)) {
        // A date with a gap waits for the client; one with a live visit has it (its own visit is not in its way).
        if (known.has(`${s.id}:${v.date}`) || v.startsAt.getTime() <= now.getTime()) continue;
        if (movedAt.has(`${s.id}@${v.startsAt.getTime()}`)) {
          heldByMoves.push({ seriesId: s.id, date: v.date });
          continue;
        }
        requests.push({ s, terms, date: v.date, startsAt: v.startsAt, state: s.state === 'requested' ? 'requested' : 'accepted', expiresAt: visitDeadline(v.startsAt), team });
      }
    });
  }
  // A visit keeps the series' team but for whoever is away or on another visit then: that visit waits for the admins.
  const teams = await freeTeams(tx, plans[0]!.s.coopId, requests.map((r) => ({ startsAt: r.startsAt, endsAt: new Date(r.startsAt.getTime() + r.terms.durationMinutes * 60_000), team: r.team })));
  teams.forEach((team, i) => { requests[i]!.team = team; });
  const av = availabilityOf(listing?.schedule ?? null);
  const [placed] = await Promise.all([
    listing?.bookable ? placeVisits(tx, av, busy, requests, now, { id: null, role: 'system' }) : requests.map(() => 'closed' as const),
    repo.setGeneratedThrough(tx, plans.map((p) => ({ id: p.s.id, through: p.target }))),
    repo.insertTakenByMoves(tx, heldByMoves, now),
  ]);
  const gaps: { s: repo.SeriesRow; date: string; reason: 'closed' | 'taken' }[] = [];
  for (const [i, p] of placed.entries()) {
    if (p === 'made') result.made++;
    else if (p !== null) gaps.push({ s: requests[i]!.s, date: requests[i]!.date, reason: p });
  }
  if (gaps.length === 0) return result;
  const admins = listing?.adminIds ?? await repo.coopAdminIds(tx, plans[0]!.s.coopId);
  const bySeries = new Map(gaps.map((g) => [g.s.id, g.s]));
  const fresh = await repo.insertGaps(tx, gaps.map((g) => ({ seriesId: g.s.id, date: g.date, reason: g.reason })));
  const reasons = new Map(gaps.map((g) => [`${g.s.id}:${g.date}`, g.reason]));
  result.gaps = fresh.length;
  await Promise.all(fresh.map(({ seriesId, date }) => {
    const s = bySeries.get(seriesId)!;
    return tellSeries(tx, s, 'gap', [s.clientId, ...admins], `${s.id}:gap:${date}`, { reason: reasons.get(`${seriesId}:${date}`)!, date });
  }));
  return result;
}

/**
 * One series (after a change, a resume): the same as the job does for a listing. `through` goes
 * past the horizon (a change's preview, rolled back, shows the visits the job will make then).
 */
export function extendSeries(tx: Tx, s: repo.SeriesRow, now: Date, through?: string): Promise<Made> {
  return extendListing(tx, s.listingId, [s], now, through);
}

/**
 * Listings worked on at once by one run. Each holds a pooled connection for its transaction (the
 * API's pool has 10), and PostgreSQL spends most of a run maintaining the bookings' indexes and
 * constraints, work that spreads over its cores: past its cores, more workers only queue.
 */
export const HORIZON_WORKERS = 3;

/**
 * The job: every listing with series whose horizon is behind, one transaction per listing, a few
 * listings at once (each claimed whole, its due series locked with SKIP LOCKED, so API instances
 * share the work too, and a run killed halfway leaves every finished listing done and the rest for
 * the next run). Series whose last date has passed end.
 */
export async function extendHorizons(db: Db, now: Date, opts: { limit?: number; workers?: number } = {}): Promise<{ series: number; made: number; gaps: number }> {
  const total = { series: 0, made: 0, gaps: 0 };
  const through = addCalendarDays(todayIn('America/Toronto', now), SERIES_HORIZON_DAYS - 1);
  const limit = opts.limit ?? 100_000;
  // Listings done (or found busy) in this run: a series left behind waits for the next run.
  const done = new Set<string>();
  let claims = 0;
  const worker = async () => {
    while (claims++ < limit) {
      const worked = await db.transaction(async (tx) => {
        // Then a listing whose only due series are paused from a later date (a few, so not worth the index).
        const listingId = (await repo.claimListing(tx, through, [...done])) ?? (await repo.claimPausedListing(tx, through, [...done]));
        if (!listingId) return false;
        done.add(listingId);
        const due = await repo.lockDueSeries(tx, listingId, through);
        if (due.length === 0) return true;
        const r = await extendListing(tx, listingId, due, now);
        total.made += r.made;
        total.gaps += r.gaps;
        total.series += due.length;
        return true;
      });
      if (!worked) return;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.workers ?? HORIZON_WORKERS) }, worker));
  await db.transaction(async (tx) => {
    const lapsed = await repo.endFinishedSeries(tx, now);
    await recordSeriesMany(tx, lapsed.map((s) => s.id), 'lapsed');
    for (const s of lapsed) {
      await tellSeries(tx, s, 'lapsed', [s.clientId, ...(await repo.coopAdminIds(tx, s.coopId))], `${s.id}:lapsed`);
    }
  });
  return total;
}

const DAY = 86_400_000;

/** A YYYY-MM-DD date moved by whole days (calendar arithmetic in UTC, as addCalendarDays does, without Luxon's parse). */
function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
