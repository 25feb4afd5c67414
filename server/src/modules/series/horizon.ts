import { addCalendarDays, occurrencesOn, SERIES_HORIZON_DAYS } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { availabilityOf, placeVisit } from '../bookings/index.js';
import { todayIn } from './plan.js';
import * as repo from './repository.js';
import { tellSeries } from './tell.js';
import { termsOf, visitDeadline } from './terms.js';

/**
 * Makes the visits of one series up to its rolling horizon (eight weeks ahead, never past its end),
 * in the caller's transaction. Each date the rules give becomes a visit once: a date that already
 * has a live visit is left alone (the unique index on series and date is the judge, so two runs at
 * once cannot make it twice), and a date that cannot be a visit (a closed day, a time taken since)
 * becomes a gap both sides are told about, for the client to skip or move. Never silently dropped.
 */
export async function extendSeries(tx: Tx, s: repo.SeriesRow, now: Date): Promise<{ made: number; gaps: number }> {
  const today = todayIn(s.timeZone, now);
  let target = addCalendarDays(today, SERIES_HORIZON_DAYS);
  if (s.endsOn && s.endsOn < target) target = s.endsOn;
  if (s.pausedFrom && addCalendarDays(s.pausedFrom, -1) < target) target = addCalendarDays(s.pausedFrom, -1);
  const result = { made: 0, gaps: 0 };
  if (target <= s.generatedThrough) return result;
  const listing = await repo.listingOfSeries(tx, s.listingId, now);
  const av = availabilityOf(listing?.schedule ?? null);
  const bookable = listing && listing.listing.status === 'active' && listing.coopStatus === 'approved';
  const rules = await repo.rulesOf(tx, [s.id]);
  const known = new Set((await repo.gapsOf(tx, [s.id])).map((g) => g.date));
  const team = (await repo.teamOf(tx, [s.id])).map((t) => t.userId);
  const admins = await repo.coopAdminIds(tx, s.coopId);
  const from = addCalendarDays(s.generatedThrough, 1);
  for (const [i, rule] of rules.entries()) {
    const next = rules[i + 1];
    const last = next && addCalendarDays(next.startsOn, -1) < target ? addCalendarDays(next.startsOn, -1) : target;
    for (const v of occurrencesOn(rule, s.timeZone, from > rule.startsOn ? from : rule.startsOn, last)) {
      if (known.has(v.date) || v.startsAt.getTime() <= now.getTime()) continue;
      const state = s.state === 'active' ? 'accepted' : 'requested';
      const placed = bookable
        ? await placeVisit(tx, termsOf(s), av, v, { state, expiresAt: visitDeadline(v.startsAt), now, first: false, team, actor: { id: null, role: 'system' } })
        : 'closed';
      if (placed === null) continue;
      if (typeof placed !== 'string') {
        result.made++;
        continue;
      }
      if (await repo.insertGap(tx, { seriesId: s.id, date: v.date, reason: placed })) {
        result.gaps++;
        await tellSeries(tx, s, 'gap', [s.clientId, ...admins], `${s.id}:gap:${v.date}`, { reason: placed, date: v.date });
      }
    }
  }
  await repo.updateSeries(tx, s.id, { generatedThrough: target });
  return result;
}

/**
 * The job: every series whose horizon is behind, one transaction each (claimed with SKIP LOCKED,
 * so API instances share the work and a run killed halfway leaves every finished series done and
 * the rest for the next run). Series whose last date has passed end.
 */
export async function extendHorizons(db: Db, now: Date, limit = 100_000): Promise<{ series: number; made: number; gaps: number }> {
  const total = { series: 0, made: 0, gaps: 0 };
  const through = addCalendarDays(todayIn('America/Toronto', now), SERIES_HORIZON_DAYS - 1);
  const done = new Set<string>();
  for (let n = 0; n < limit; n++) {
    const worked = await db.transaction(async (tx) => {
      const s = await repo.claimSeriesToExtend(tx, through, [...done]);
      if (!s) return false;
      done.add(s.id);
      const r = await extendSeries(tx, s, now);
      total.made += r.made;
      total.gaps += r.gaps;
      total.series++;
      return true;
    });
    if (!worked) break;
  }
  await db.transaction((tx) => repo.endFinishedSeries(tx, now));
  return total;
}
