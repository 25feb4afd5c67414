import type { BookingState } from '@tissu/shared';
import { and, asc, eq, gt, inArray, isNotNull } from 'drizzle-orm';
import { schema, type Db, type Tx } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { applyTransition, availabilityOf, visitFit } from '../bookings/index.js';
import * as repo from './repository.js';
import { tellSeries } from './tell.js';
import { recordSeries } from './history.js';

const { bookings } = schema;

/**
 * After a co-op changes a listing's hours: each coming visit of a series that now falls on a
 * closed day (or outside the hours) is not silently kept or dropped. Unpaid, it gives way to a gap
 * both sides are told about, for the client to skip or to take another free time, as the horizon
 * job does for a date it cannot make. A paid visit stays: the co-op cancels it with its refund if
 * it must (the lists show it). So does one whose payment is going through right now
 * (`closeCheckout` false); an unpaid one's open Checkout is closed first, so the client cannot pay
 * for a visit that no longer exists.
 */
export async function settleClosedDays(
  db: Db, actor: Actor, listingId: string, now: Date, closeCheckout?: (tx: Tx, bookingId: string) => Promise<boolean>,
): Promise<number> {
  return db.transaction(async (tx) => {
    const listing = await repo.listingOfSeries(tx, listingId, now);
    if (!listing) return 0;
    const av = availabilityOf(listing.schedule);
    const coming = and(eq(bookings.listingId, listingId), isNotNull(bookings.seriesId), inArray(bookings.state, ['requested', 'accepted']), gt(bookings.startsAt, now));
    // The series first, then their visits: the order a change to a series takes them in (two
    // orders deadlocked when a co-op saved its hours while a client changed her series).
    const seriesIds = [...new Set((await tx.selectDistinct({ id: bookings.seriesId }).from(bookings).where(coming)).map((r) => r.id!))].sort();
    const series = new Map<string, repo.SeriesRow>();
    for (const id of seriesIds) {
      const s = await repo.lockSeries(tx, id);
      if (s) series.set(id, s);
    }
    const visits = await tx.select().from(bookings).where(coming).orderBy(asc(bookings.startsAt)).for('update');
    let settled = 0;
    for (const v of visits) {
      if (visitFit(av, [], v.startsAt, v.durationMinutes, now, false) !== 'closed') continue;
      const s = series.get(v.seriesId!);
      if (!s) continue;
      if (v.state === 'accepted' && closeCheckout && !(await closeCheckout(tx, v.id))) continue;
      const to: BookingState = v.state === 'requested' ? 'declined' : 'cancelled_by_coop';
      await applyTransition(tx, now, actor, v, to, 'closed day', {}, false);
      // The series' history says it beside its own changes, as for a visit cancelled on its own.
      await recordSeries(tx, s.id, { id: actor.userId, role: 'coop_admin' }, 'visit_closed', { from: v.seriesDate, detail: { startsAt: v.startsAt.toISOString(), bookingId: v.id } });
      if (await repo.openGap(tx, { seriesId: s.id, date: v.seriesDate!, reason: 'closed' })) {
        await tellSeries(tx, s, 'gap', [s.clientId, ...listing.adminIds], `${s.id}:gap:${v.seriesDate}`, { reason: 'closed', date: v.seriesDate! });
      }
      settled++;
    }
    return settled;
  });
}
