import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { schema, type Db } from '@tissu/db';
import type { Waiting } from '@tissu/shared';
import { requireActor, type Actor } from '../../actor.js';
import { unreadTotal } from '../conversations/index.js';

const { bookings, bookingWorkers, coopMembers, coops } = schema;

/**
 * What is waiting for this person's answer, counted for the header's badges: the booking requests
 * of each co-op they administer, and (stewards) the co-op applications to decide. Counts only, and
 * only of what the person may act on: a worker sees no count, a client none.
 */
export function createWaitingService(db: Db) {
  return {
    async forActor(actor: Actor | null): Promise<Waiting> {
      const a = requireActor(actor);
      const adminOf = db
        .select({ coopId: coopMembers.coopId })
        .from(coopMembers)
        .where(and(eq(coopMembers.userId, a.userId), eq(coopMembers.role, 'admin')));
      const unread = unreadTotal(db, a.userId);
      const rows = await db
        // A series asked for is one request to answer, however many visits it holds.
        .select({ coopId: bookings.coopId, requests: sql<number>`count(DISTINCT coalesce(${bookings.seriesId}, ${bookings.id}))`.mapWith(Number) })
        .from(bookings)
        .where(and(eq(bookings.state, 'requested'), inArray(bookings.coopId, adminOf)))
        .groupBy(bookings.coopId);
      // Any visit at all, of a co-op she still belongs to: one probe of the worker's index.
      const [assigned] = await db.select({ yes: sql<number>`1` }).from(bookingWorkers)
        .innerJoin(bookings, eq(bookings.id, bookingWorkers.bookingId))
        .innerJoin(coopMembers, and(eq(coopMembers.coopId, bookings.coopId), eq(coopMembers.userId, bookingWorkers.userId)))
        .where(eq(bookingWorkers.userId, a.userId))
        .limit(1);
      let coopApplications: number | null = null;
      if (a.isSteward) {
        const [row] = await db.select({ n: count() }).from(coops).where(eq(coops.status, 'pending'));
        coopApplications = row?.n ?? 0;
      }
      return { bookingRequests: rows.map((r) => ({ coopId: r.coopId, count: r.requests })), coopApplications, assignedVisits: assigned !== undefined, unreadMessages: await unread };
    },
  };
}
