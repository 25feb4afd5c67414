import { and, asc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';
import type { CalendarFeedKind } from '@tissu/shared';

const { bookings, bookingWorkers, calendarFeeds, coopMembers, coops, listings, users } = schema;

export type FeedRow = typeof calendarFeeds.$inferSelect;

export function feedsOf(db: Tx, userId: string) {
  return db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId));
}

export async function feedByTokenHash(db: Tx, tokenHash: string): Promise<FeedRow | undefined> {
  const [row] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.tokenHash, tokenHash));
  return row;
}

/** The person's co-ops: a worker's feed for each, a co-op's feed where she is an admin. */
export function membershipsOf(db: Tx, userId: string) {
  return db.select({ coopId: coops.id, coopName: coops.legalName, role: coopMembers.role })
    .from(coopMembers).innerJoin(coops, eq(coops.id, coopMembers.coopId))
    .where(eq(coopMembers.userId, userId)).orderBy(asc(coops.legalName));
}

export async function roleIn(db: Tx, coopId: string, userId: string) {
  const [m] = await db.select({ role: coopMembers.role }).from(coopMembers).where(and(eq(coopMembers.coopId, coopId), eq(coopMembers.userId, userId)));
  return m?.role;
}

export async function ownerOf(db: Tx, userId: string) {
  const [u] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
  return u;
}

export async function coopName(db: Tx, coopId: string) {
  const [c] = await db.select({ name: coops.legalName }).from(coops).where(eq(coops.id, coopId));
  return c?.name;
}

/** Creates the feed, or gives it a new seed and hash: the old address stops working in the same statement. */
export async function upsertFeed(db: Tx, f: { userId: string; kind: CalendarFeedKind; coopId: string | null; seed: string; tokenHash: string }) {
  await db.insert(calendarFeeds).values(f).onConflictDoUpdate({
    target: f.coopId ? [calendarFeeds.userId, calendarFeeds.kind, calendarFeeds.coopId] : [calendarFeeds.userId],
    targetWhere: f.coopId ? sql`coop_id IS NOT NULL` : sql`coop_id IS NULL`,
    set: { seed: f.seed, tokenHash: f.tokenHash, createdAt: new Date() },
  });
}

/** States a feed shows as a visit that will happen (or did); the others as cancelled, for a while. */
export const SHOWN = ['accepted', 'paid', 'completed'] as const;
export const ENDED = ['cancelled_by_client', 'cancelled_by_coop', 'expired', 'declined'] as const;

/** `detailsUntil`: a visit ended before it shows a worker no address and no notes (Law 25, VISIT_DETAILS_DAYS). */
export interface FeedWindow { from: Date; to: Date; endedSince: Date; max: number; detailsUntil: Date }

type FeedScope = { kind: CalendarFeedKind; userId: string; coopId: string | null };

/**
 * Which visits a feed holds within its window. `scope` says whose: the client's own,
 * the co-op's, or the co-op's visits the worker is assigned to (booking_workers, read now: a worker
 * taken off a visit no longer has it). An ended visit is listed (as cancelled) only while its end is
 * recent, and only if it was ever in this feed: confirmed once, or, for the co-op, even as a request.
 */
function inFeed(scope: FeedScope, w: FeedWindow): SQL {
  const confirmedOnce = sql<boolean>`exists (select 1 from booking_events e where e.booking_id = ${bookings.id} and e.to_state in ('accepted', 'paid'))`;
  let whose: SQL;
  if (scope.kind === 'client') whose = eq(bookings.clientId, scope.userId);
  else if (scope.kind === 'coop') whose = eq(bookings.coopId, scope.coopId!);
  else {
    whose = and(eq(bookings.coopId, scope.coopId!), sql`exists (select 1 from ${bookingWorkers} bw where bw.booking_id = ${bookings.id} and bw.user_id = ${scope.userId})`)!;
  }
  // The co-op's feed also holds open requests (tentative): the time is held for them until answered.
  const live = scope.kind === 'coop' ? [...SHOWN, 'requested' as const] : [...SHOWN];
  const ended = and(inArray(bookings.state, [...ENDED]), gte(bookings.updatedAt, w.endedSince), scope.kind === 'coop' ? undefined : confirmedOnce);
  return and(whose, gte(bookings.startsAt, w.from), lt(bookings.startsAt, w.to), or(inArray(bookings.state, live), ended))!;
}

/** The feed's visits (see inFeed), earliest first, at most w.max. */
export function feedVisits(db: Tx, scope: FeedScope, w: FeedWindow) {
  return db
    .select({
      id: bookings.id, state: bookings.state, startsAt: bookings.startsAt, endsAt: bookings.endsAt, timeZone: bookings.timeZone,
      address: bookings.address, notes: bookings.notes, contactName: bookings.contactName, updatedAt: bookings.updatedAt,
      titleFr: listings.titleFr, titleEn: listings.titleEn, coopName: coops.legalName,
    })
    .from(bookings)
    .innerJoin(listings, eq(listings.id, bookings.listingId))
    .innerJoin(coops, eq(coops.id, bookings.coopId))
    .where(inFeed(scope, w))
    .orderBy(asc(bookings.startsAt))
    .limit(w.max);
}

/**
 * What the feed's visits are now, in one cheap read: their number, their last change and which
 * they are (a sum of the ids' hashes: a visit swapped for another changes it). Equal stamps, same visits.
 */
export async function feedStamp(db: Tx, scope: FeedScope, w: FeedWindow): Promise<string> {
  const [row] = await db
    .select({
      n: sql<number>`count(*)::int`, last: sql<string | null>`max(${bookings.updatedAt})::text`, ids: sql<string | null>`sum(hashtext(${bookings.id}::text))::text`,
      // How many are past the details cut-off: a visit crossing it changes the stamp, so no feed built before is served again.
      past: sql<number>`count(*) filter (where ${bookings.endsAt} < ${w.detailsUntil.toISOString()}::timestamptz)::int`,
    })
    .from(bookings).where(inFeed(scope, w));
  return `${row!.n}|${row!.last ?? ''}|${row!.ids ?? ''}|${row!.past}`;
}
