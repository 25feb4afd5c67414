import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '@tissu/db';
import type { Waiting } from '@tissu/shared';
import { requireActor, type Actor } from '../../actor.js';
import { namedStatement } from '../../lib/prepared.js';
import { unreadTotal } from '../conversations/index.js';

/**
 * The header asks on every page a signed-in person opens, so it is one named statement: one round
 * trip, parsed once per connection. $1 the person, $2 whether she is a steward.
 */
export const WAITING_TEXT = (() => {
  const me = sql.raw('$1::uuid');
  const { sql: text, params } = new PgDialect().sqlToQuery(sql`SELECT
    -- A series asked for is one request to answer, however many visits it holds.
    (SELECT coalesce(json_agg(json_build_object('coopId', q.coop_id, 'count', q.n) ORDER BY q.coop_id), '[]'::json) FROM (
      SELECT b.coop_id, count(DISTINCT coalesce(b.series_id, b.id))::int AS n FROM bookings b
      WHERE b.state = 'requested' AND b.coop_id IN (SELECT m.coop_id FROM coop_members m WHERE m.user_id = ${me} AND m.role = 'admin')
      GROUP BY b.coop_id) q) AS requests,
    -- Any visit at all, of a co-op she still belongs to: one probe of the worker's index.
    EXISTS (SELECT 1 FROM booking_workers w JOIN bookings b ON b.id = w.booking_id
      JOIN coop_members m ON m.coop_id = b.coop_id AND m.user_id = w.user_id WHERE w.user_id = ${me}) AS assigned,
    CASE WHEN $2::boolean THEN (SELECT count(*)::int FROM coops WHERE status = 'pending') END AS applications,
    ${unreadTotal(me)} AS unread`);
  if (params.length) throw new Error('the waiting statement takes $1 and $2 only');
  return text;
})();

interface Row extends Record<string, unknown> {
  requests: { coopId: string; count: number }[];
  assigned: boolean;
  applications: number | null;
  unread: number;
}

/**
 * What is waiting for this person's answer, counted for the header's badges: the booking requests
 * of each co-op they administer, and (stewards) the co-op applications to decide. Counts only, and
 * only of what the person may act on: a worker sees no count, a client none.
 */
export function createWaitingService(db: Db) {
  return {
    async forActor(actor: Actor | null): Promise<Waiting> {
      const a = requireActor(actor);
      const [row] = await namedStatement<Row>(db, WAITING_TEXT, [a.userId, a.isSteward]);
      return { bookingRequests: row!.requests, coopApplications: row!.applications, assignedVisits: row!.assigned, unreadMessages: row!.unread };
    },
  };
}
