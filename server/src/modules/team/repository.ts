import { and, asc, desc, eq, gt, lte, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { timeOff, coopMembers, users, coops } = schema;

export type TimeOffRow = typeof timeOff.$inferSelect;
const iso = (d: Date) => d.toISOString();
/** Raw queries answer instants as text (the driver parses only Drizzle's own columns). */
const dated = <T extends { startsAt: Date; endsAt: Date }>(rows: Iterable<T>): T[] =>
  [...rows].map((r) => ({ ...r, startsAt: new Date(r.startsAt), endsAt: new Date(r.endsAt) }));
/** A live visit holds its worker (requested, accepted, paid); a finished or called-off one does not. */
const LIVE = sql.raw(`('requested', 'accepted', 'paid')`);

/**
 * One person's assignments take turns: held until the transaction ends, taken in one fixed order
 * (by key) so two transactions locking overlapping sets never wait on each other in a circle.
 */
export async function lockWorkers(db: Tx, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.execute(sql`
    SELECT pg_advisory_xact_lock(k) FROM (
      SELECT DISTINCT hashtextextended('worker:' || u::text, 0) AS k FROM unnest(${`{${userIds.join(',')}}`}::uuid[]) AS u ORDER BY k
    ) s`);
}

/** Time zone the co-op works in: the one most of its listings use (Montréal's when it has none). */
export async function coopTimeZone(db: Tx, coopId: string): Promise<string> {
  const rows = await db.execute<{ tz: string }>(sql`
    SELECT s.time_zone AS tz FROM listing_schedules s JOIN listings l ON l.id = s.listing_id
    WHERE l.coop_id = ${coopId} GROUP BY s.time_zone ORDER BY count(*) DESC, s.time_zone LIMIT 1`);
  return rows[0]?.tz ?? 'America/Toronto';
}

export async function autoAssignOf(db: Tx, coopId: string): Promise<boolean | undefined> {
  const [row] = await db.select({ on: coops.autoAssign }).from(coops).where(eq(coops.id, coopId));
  return row?.on;
}

export async function setAutoAssign(db: Tx, coopId: string, on: boolean): Promise<void> {
  await db.update(coops).set({ autoAssign: on, updatedAt: new Date() }).where(eq(coops.id, coopId));
}

/** Absences of the given people at a co-op that overlap [from, to). */
export async function awayBetween(db: Tx, coopId: string, userIds: string[], from: Date, to: Date) {
  if (userIds.length === 0) return [];
  return dated(await db.execute<{ userId: string; startsAt: Date; endsAt: Date }>(sql`
    SELECT user_id AS "userId", starts_at AS "startsAt", ends_at AS "endsAt" FROM time_off
    WHERE coop_id = ${coopId} AND user_id = ANY(${`{${userIds.join(',')}}`}::uuid[])
      AND starts_at < ${iso(to)}::timestamptz AND ends_at > ${iso(from)}::timestamptz
    ORDER BY starts_at`));
}

/** Live visits the given people are assigned to (at any co-op) that overlap [from, to), but `except`. */
export async function busyBetween(db: Tx, userIds: string[], from: Date, to: Date, except: string | null) {
  if (userIds.length === 0) return [];
  return dated(await db.execute<{ userId: string; bookingId: string; coopId: string; startsAt: Date; endsAt: Date }>(sql`
    SELECT w.user_id AS "userId", b.id AS "bookingId", b.coop_id AS "coopId", b.starts_at AS "startsAt", b.ends_at AS "endsAt"
    FROM booking_workers w JOIN bookings b ON b.id = w.booking_id
    WHERE w.user_id = ANY(${`{${userIds.join(',')}}`}::uuid[]) AND b.state IN ${LIVE}
      AND b.starts_at < ${iso(to)}::timestamptz AND b.ends_at > ${iso(from)}::timestamptz
      AND b.id IS DISTINCT FROM ${except}::uuid
    ORDER BY b.starts_at`));
}

/**
 * The co-op's worker-members with what the round-robin weighs: minutes of live and completed
 * bookings of this co-op assigned to each that start in [monthFrom, monthTo), and when each was
 * last assigned one of its bookings.
 */
export async function workerLoads(db: Tx, coopId: string, monthFrom: Date, monthTo: Date) {
  const rows = await db.execute<{ userId: string; minutes: number; last: Date | null }>(sql`
    SELECT m.user_id AS "userId",
      coalesce((SELECT sum(b.duration_minutes) FROM booking_workers w JOIN bookings b ON b.id = w.booking_id
        WHERE w.user_id = m.user_id AND b.coop_id = m.coop_id AND b.state IN ('requested', 'accepted', 'paid', 'completed')
          AND b.starts_at >= ${iso(monthFrom)}::timestamptz AND b.starts_at < ${iso(monthTo)}::timestamptz), 0)::int AS minutes,
      (SELECT max(w.assigned_at) FROM booking_workers w JOIN bookings b ON b.id = w.booking_id
        WHERE w.user_id = m.user_id AND b.coop_id = m.coop_id) AS last
    FROM coop_members m WHERE m.coop_id = ${coopId} AND m.role = 'worker'
    ORDER BY m.user_id`);
  return rows.map((r) => ({ userId: r.userId, minutes: Number(r.minutes), last: r.last ? new Date(r.last) : null }));
}

export async function workerIds(db: Tx, coopId: string): Promise<string[]> {
  const rows = await db.select({ userId: coopMembers.userId }).from(coopMembers)
    .where(and(eq(coopMembers.coopId, coopId), eq(coopMembers.role, 'worker'))).orderBy(asc(coopMembers.userId));
  return rows.map((r) => r.userId);
}

export async function members(db: Tx, coopId: string) {
  return db.select({ userId: coopMembers.userId, name: users.name, role: coopMembers.role }).from(coopMembers)
    .innerJoin(users, eq(users.id, coopMembers.userId))
    .where(eq(coopMembers.coopId, coopId)).orderBy(asc(users.name), asc(coopMembers.userId));
}

export async function listTimeOff(db: Tx, f: { coopId: string; userId?: string; now: Date; scope: 'coming' | 'past' }) {
  return db.select({ t: timeOff, name: users.name }).from(timeOff)
    .innerJoin(users, eq(users.id, timeOff.userId))
    .where(and(
      eq(timeOff.coopId, f.coopId),
      f.userId ? eq(timeOff.userId, f.userId) : undefined,
      f.scope === 'coming' ? gt(timeOff.endsAt, f.now) : lte(timeOff.endsAt, f.now),
    ))
    .orderBy(f.scope === 'coming' ? asc(timeOff.startsAt) : desc(timeOff.startsAt), asc(timeOff.id))
    .limit(200);
}

export async function findTimeOff(db: Tx, coopId: string, id: string) {
  const [row] = await db.select().from(timeOff).where(and(eq(timeOff.id, id), eq(timeOff.coopId, coopId)));
  return row;
}

export async function insertTimeOff(db: Tx, row: typeof timeOff.$inferInsert) {
  const [r] = await db.insert(timeOff).values(row).returning();
  return r!;
}

export async function deleteTimeOff(db: Tx, id: string) {
  await db.delete(timeOff).where(eq(timeOff.id, id));
}

/** Her live visits at the co-op that fall in her absences (listed so the admins reassign them). */
export async function clashes(db: Tx, coopId: string, absences: { id: string; userId: string; startsAt: Date; endsAt: Date }[]) {
  if (absences.length === 0) return [];
  return dated(await db.execute<{ timeOffId: string; bookingId: string; startsAt: Date; endsAt: Date; titleFr: string; titleEn: string }>(sql`
    SELECT t.id AS "timeOffId", b.id AS "bookingId", b.starts_at AS "startsAt", b.ends_at AS "endsAt", l.title_fr AS "titleFr", l.title_en AS "titleEn"
    FROM time_off t
    JOIN booking_workers w ON w.user_id = t.user_id
    JOIN bookings b ON b.id = w.booking_id AND b.coop_id = t.coop_id
    JOIN listings l ON l.id = b.listing_id
    WHERE t.coop_id = ${coopId} AND t.id = ANY(${`{${absences.map((a) => a.id).join(',')}}`}::uuid[])
      AND b.state IN ${LIVE} AND b.starts_at < t.ends_at AND b.ends_at > t.starts_at
    ORDER BY b.starts_at`));
}
