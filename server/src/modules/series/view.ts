import type { Series, SeriesEvent } from '@tissu/shared';
import { DateTime } from 'luxon';
import { rruleText, type SeriesRule } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { roleIn } from '../coops/index.js';
import { availabilityOf, busyAround, nearbyFreeTimes } from '../bookings/index.js';
import { pauseAhead, todayIn } from './plan.js';
import { historyOf } from './history.js';
import * as repo from './repository.js';

type Row = repo.SeriesJoined;
type Viewer = Series['viewer'];
const LIVE = new Set(['requested', 'accepted', 'paid']);

/** Who a person is to a series: its client, an admin of its co-op, a steward, one of its team. */
export async function viewerOfSeries(tx: Tx, actor: Actor, s: repo.SeriesRow, team: string[]): Promise<Viewer> {
  const role = await roleIn(tx, s.coopId, actor.userId);
  return { isClient: s.clientId === actor.userId, isCoopAdmin: role === 'admin', isWorker: role !== undefined && team.includes(actor.userId), isSteward: actor.isSteward };
}

/** One line of a series' history, as its page and its conversation's feed show it. */
export function toSeriesEvent(e: Awaited<ReturnType<typeof historyOf>>[number]): SeriesEvent {
  return {
    at: e.createdAt.toISOString(), kind: e.kind, actorRole: e.actorRole, actorName: e.actorName, from: e.fromDate,
    time: e.detail.time ?? null, frequency: e.detail.frequency ?? null, team: e.detail.team ?? null, startsAt: e.detail.startsAt ?? null, movedFrom: e.detail.movedFrom ?? null, reason: e.reason,
  };
}

/** The history of a series, oldest first, for its conversation's feed. */
export async function seriesEventsOf(tx: Tx, seriesId: string): Promise<SeriesEvent[]> {
  return (await historyOf(tx, [seriesId])).map(toSeriesEvent);
}

/** The rule in force on a date: the last one started by then (the first before the series starts). */
export function ruleOn(rules: SeriesRule[], date: string): SeriesRule {
  return [...rules].reverse().find((r) => r.startsOn <= date) ?? rules[0]!;
}

function actionsFor(s: repo.SeriesRow, v: Viewer, now: Date): Series['actions'] {
  const out: Series['actions'] = [];
  const party = v.isClient || v.isCoopAdmin;
  // Until a pause from a later date begins, the visits before it run as an active series' do.
  const running = s.state === 'active' || pauseAhead(s, now);
  if (s.state === 'requested' && v.isCoopAdmin) out.push('accept', 'decline');
  if (running && v.isCoopAdmin) out.push('assign');
  // A series made from an offer keeps the agreed time and frequency: the co-op's admins may change them, the client asks.
  if (running && party && (!s.quoteId || v.isCoopAdmin)) out.push('change');
  if (running && party) out.push('pause');
  if (s.state === 'paused' && party) out.push('resume');
  if ((s.state === 'active' || s.state === 'paused' || (s.state === 'requested' && v.isClient)) && party) out.push('end');
  return out;
}

const ENDED = new Set(['cancelled_by_client', 'cancelled_by_coop', 'declined']);
/** `refunded` undefined: a list's line, which gives no refund; null: a viewer who reads no amounts (the team). */
const visitView = (v: repo.VisitOfSeries, alone?: Set<string>, refunded?: Map<string, number> | null) => ({
  bookingId: v.id, date: v.date!, startsAt: v.startsAt.toISOString(), state: v.state, toPay: v.toPay, createdAt: v.createdAt.toISOString(),
  endedWithSeries: alone !== undefined && ENDED.has(v.state) && !alone.has(v.id),
  refundedCents: refunded === null ? null : (refunded?.get(v.id) ?? 0),
});

/**
 * The visits cancelled on their own (a line of the series' history for each: cancelled by either
 * side, or by a closed day), by booking. Every other cancelled visit went with a change to the
 * whole series. Lines written before they named their booking name the rule's date and start; a
 * date can hold several bookings at that start (paused, resumed, cancelled again), so those are
 * matched to the last booking of that date and start only.
 */
function cancelledAlone(history: Awaited<ReturnType<typeof historyOf>>, visits: repo.VisitOfSeries[]): Set<string> {
  const out = new Set<string>();
  const lastAt = new Map(visits.map((v) => [`${v.date}|${v.startsAt.toISOString()}`, v.id]));
  for (const e of history) {
    if ((e.kind !== 'visit_cancelled' && e.kind !== 'visit_closed') || !e.detail.startsAt) continue;
    const id = e.detail.bookingId ?? lastAt.get(`${e.fromDate}|${new Date(e.detail.startsAt).toISOString()}`);
    if (id) out.add(id);
  }
  return out;
}
const ruleView = (r: SeriesRule) => ({ startsOn: r.startsOn, frequency: r.frequency, time: r.time, until: r.until });

export async function toSeries(tx: Tx, rows: Row[], actor: Actor, now: Date): Promise<Series[]> {
  const ids = rows.map((r) => r.series.id);
  const [rules, visits, team, gaps, history] = await Promise.all([repo.rulesOf(tx, ids), repo.visitsOf(tx, ids), repo.teamOf(tx, ids), repo.gapsOf(tx, ids), historyOf(tx, ids)]);
  // Only a cancelled visit can have been refunded: the page lists those a change cancelled once paid.
  const refunded = await repo.refundedOf(tx, visits.filter((v) => ENDED.has(v.state)).map((v) => v.id));
  return Promise.all(rows.map(async (r) => {
    const s = r.series;
    const mine = rules.filter((x) => x.seriesId === s.id);
    const myTeam = team.filter((t) => t.seriesId === s.id);
    const viewer = await viewerOfSeries(tx, actor, s, myTeam.map((t) => t.userId));
    const amounts = viewer.isClient || viewer.isCoopAdmin || viewer.isSteward;
    const myHistory = history.filter((e) => e.seriesId === s.id);
    const mineVisits = visits.filter((v) => v.seriesId === s.id);
    const alone = cancelledAlone(myHistory, mineVisits);
    const myVisits = mineVisits.map((v) => visitView(v, alone, amounts ? refunded : null));
    const next = myVisits.find((v) => LIVE.has(v.state) && Date.parse(v.startsAt) > now.getTime()) ?? null;
    const rule = ruleOn(mine, todayIn(s.timeZone, now));
    const myGaps = gaps.filter((g) => g.seriesId === s.id).map((g) => {
      const startsAt = DateTime.fromISO(`${g.date}T${ruleOn(mine, g.date).time}`, { zone: s.timeZone }).toJSDate();
      return { date: g.date, startsAt, reason: g.reason, resolution: g.resolution };
    });
    const near = await freeTimesNear(tx, s, myGaps.filter((g) => g.resolution === null).map((g) => g.startsAt), now);
    return {
      id: s.id, state: s.state,
      listing: { id: s.listingId, titleFr: r.listingTitleFr, titleEn: r.listingTitleEn, locationMode: r.locationMode },
      coop: { id: s.coopId, slug: r.coopSlug, name: r.coopName },
      client: { id: s.clientId, name: r.clientName },
      timeZone: s.timeZone, durationMinutes: s.durationMinutes, discountBps: amounts ? s.discountBps : null,
      // The team reads the job, not what the client pays (as on a visit: bookings' maySeeAmounts).
      regularPriceCents: amounts ? s.regularPriceCents : null, priceCents: amounts ? s.priceCents : null,
      rule: ruleView(rule), rules: mine.map(ruleView), rrule: rruleText(rule, s.timeZone),
      endsOn: s.endsOn, pausedFrom: s.pausedFrom, endReason: s.endReason,
      address: s.address, notes: s.notes, contactName: s.contactName, contactPhone: s.contactPhone, contactEmail: s.contactEmail,
      freeCancellationHours: s.freeCancellationHours, lateCancellationPercent: s.lateCancellationPercent,
      team: myTeam.map((t) => ({ userId: t.userId, name: t.name })),
      // As on a visit: the people doing the job read the answers and what to do, a worker no prices.
      addons: s.addons.map((a) => ({ ...a, priceCents: amounts ? a.priceCents : null })),
      answers: viewer.isClient || viewer.isCoopAdmin || viewer.isWorker ? s.answers : null,
      nextVisit: next, visits: myVisits,
      gaps: myGaps.map((g) => ({ ...g, startsAt: g.startsAt.toISOString(), alternatives: (near.get(g.startsAt.getTime()) ?? []).map((d) => d.toISOString()) })),
      history: myHistory.map(toSeriesEvent),
      actions: actionsFor(s, viewer, now), viewer, quoteId: s.quoteId, createdAt: s.createdAt.toISOString(),
    };
  }));
}

/**
 * For each date still waiting for the client's choice, the free times she may take instead: the
 * booking preview's rule (nearbyFreeTimes, from the day before to the day after), which is the
 * span resolveGap accepts (nearEnough).
 */
async function freeTimesNear(tx: Tx, s: repo.SeriesRow, starts: Date[], now: Date): Promise<Map<number, Date[]>> {
  const out = new Map<number, Date[]>();
  if (starts.length === 0) return out;
  const listing = await repo.listingOfSeries(tx, s.listingId, now);
  if (!listing) return out;
  const av = availabilityOf(listing.schedule);
  const times = starts.map((d) => d.getTime());
  const busy = await busyAround(tx, s.listingId, new Date(Math.min(...times)), new Date(Math.max(...times)));
  for (const at of starts) out.set(at.getTime(), nearbyFreeTimes(av, busy, at, s.durationMinutes, now));
  return out;
}

/** Lists show a series as one line with its next visit, how many dates wait for the client's choice, and a visit she must pay. */
export async function toSeriesList(tx: Tx, rows: Row[], now: Date) {
  const ids = rows.map((r) => r.series.id);
  const [rules, visits, gaps] = await Promise.all([repo.rulesOf(tx, ids), repo.visitsOf(tx, ids), repo.gapsOf(tx, ids)]);
  return rows.map((r) => {
    const s = r.series;
    const mine = rules.filter((x) => x.seriesId === s.id);
    const next = visits.find((v) => v.seriesId === s.id && LIVE.has(v.state) && v.startsAt.getTime() > now.getTime());
    const toPay = visits.find((v) => v.seriesId === s.id && v.toPay);
    // The rule in force today (or the first, for a series not begun), then every change still to
    // come, in order (a resume after a pause, then a change planned after it): never the same one twice.
    const current = ruleOn(mine, todayIn(s.timeZone, now));
    const later = mine.filter((x) => x !== current && x.startsOn > todayIn(s.timeZone, now));
    return {
      id: s.id, state: s.state,
      listing: { id: s.listingId, titleFr: r.listingTitleFr, titleEn: r.listingTitleEn, locationMode: r.locationMode },
      coop: { id: s.coopId, slug: r.coopSlug, name: r.coopName },
      client: { id: s.clientId, name: r.clientName },
      timeZone: s.timeZone, priceCents: s.priceCents, rule: ruleView(current),
      laterRules: later.map(ruleView),
      endsOn: s.endsOn, pausedFrom: s.pausedFrom,
      nextVisit: next ? visitView(next) : null,
      toPay: toPay ? visitView(toPay) : null,
      openGaps: gaps.filter((g) => g.seriesId === s.id && g.resolution === null).length,
      createdAt: s.createdAt.toISOString(),
    };
  });
}
