import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';
import { BOOKS_ZONE } from '../../lib/calendar.js';
import { insertWithKeysHeld } from '../../lib/held-keys.js';

const { fiscalYears, fiscalRecords, patronageMeasures, memberships, surplusPlans } = schema;

export type FiscalYearRow = typeof fiscalYears.$inferSelect;
export type FiscalRecordRow = typeof fiscalRecords.$inferSelect;

export async function listYears(db: Tx): Promise<FiscalYearRow[]> {
  return db.select().from(fiscalYears).orderBy(desc(fiscalYears.startsOn));
}

export async function findYear(db: Tx, id: number): Promise<FiscalYearRow | undefined> {
  const [row] = await db.select().from(fiscalYears).where(eq(fiscalYears.id, id));
  return row;
}

export async function lockYear(db: Tx, id: number, mode: 'update' | 'share' = 'update'): Promise<FiscalYearRow | undefined> {
  const [row] = await db.select().from(fiscalYears).where(eq(fiscalYears.id, id)).for(mode);
  return row;
}

/** The year a calendar date falls in, if one is defined; locked in share mode against a concurrent close. */
export async function yearOfDate(db: Tx, date: string): Promise<FiscalYearRow | undefined> {
  const [row] = await db.select().from(fiscalYears).where(and(lte(fiscalYears.startsOn, date), gte(fiscalYears.endsOn, date))).for('share');
  return row;
}

export async function overlappingYear(db: Tx, startsOn: string, endsOn: string): Promise<FiscalYearRow | undefined> {
  const [row] = await db.select().from(fiscalYears).where(and(lte(fiscalYears.startsOn, endsOn), gte(fiscalYears.endsOn, startsOn))).limit(1);
  return row;
}

export async function insertYear(db: Tx, values: typeof fiscalYears.$inferInsert): Promise<FiscalYearRow> {
  const [row] = await db.insert(fiscalYears).values(values).returning();
  return row!;
}

export async function setYearStatus(db: Tx, id: number, status: FiscalYearRow['status'], closedAt?: Date) {
  await db.update(fiscalYears).set({ status, ...(closedAt ? { closedAt } : {}) }).where(eq(fiscalYears.id, id));
}

export async function insertRecord(db: Tx, values: typeof fiscalRecords.$inferInsert): Promise<FiscalRecordRow> {
  const [row] = await db.insert(fiscalRecords).values(values).returning();
  return row!;
}

export async function listRecords(db: Tx, range?: { startsOn: string; endsOn: string }): Promise<FiscalRecordRow[]> {
  const q = db.select().from(fiscalRecords);
  const filtered = range ? q.where(and(gte(fiscalRecords.occurredOn, range.startsOn), lte(fiscalRecords.occurredOn, range.endsOn))) : q;
  return filtered.orderBy(asc(fiscalRecords.occurredOn), asc(fiscalRecords.createdAt));
}

/**
 * Sum of each income-statement account over entries that occurred in [from, to), debits positive.
 * The entry that closes a year into its surplus (kind year_close) is not part of any year's result.
 */
export async function incomeStatementTotals(db: Tx, from: Date, to: Date): Promise<Map<string, number>> {
  const rows = (await db.execute(sql`
    SELECT a.code, sum(l.amount_cents)::bigint AS total
    FROM ledger_accounts a
    JOIN journal_lines l ON l.account_id = a.id
    JOIN journal_entries e ON e.id = l.entry_id
    WHERE a.code IN ('platform_fee_revenue', 'other_income', 'processor_fees', 'platform_expenses')
      AND e.occurred_at >= ${from.toISOString()}::timestamptz AND e.occurred_at < ${to.toISOString()}::timestamptz
      AND e.kind <> 'year_close'
    GROUP BY a.code`)) as unknown as { code: string; total: bigint }[];
  return new Map(rows.map((r) => [r.code, Number(r.total)]));
}

/**
 * Freezes each member's patronage per month of the year over all completed bookings that started
 * in [from, to), counted only on the days the membership was in force (started_on ≤ day <
 * ended_on, Toronto days):
 *   producer co-ops — service value (payment's service − refunded service) of their bookings;
 *   worker-members — minutes they delivered;
 *   user members    — what they paid (payment total − refunded total).
 */
export async function freezeMeasures(db: Tx, yearId: number, from: Date, to: Date): Promise<number> {
  // A once-a-year pass over every booking of the year (a million at scale). PostgreSQL 15 runs no
  // INSERT … SELECT in parallel, so the totals are computed by a CREATE TABLE … AS, whose three
  // branches (producers, users, workers) run at once, each whole in one process, and then
  // inserted. For this transaction only:
  //  - work_mem 256MB keeps each hash of a million bookings in memory (64MB spilled 78 MB to disk);
  //  - the session's time zone is the books' zone, so `starts_at::date` is the Toronto day: the
  //    same date as `AT TIME ZONE` gives, without looking the zone up by name for every row;
  //  - join_collapse_limit 1 keeps the joins in the order written: each booking meets its payment
  //    in one hash, then the small hash of memberships. Left free, the planner reads the co-ops'
  //    bookings through an index and looks each payment up by index, which is slower;
  //  - no table is split between processes (min_parallel_table_scan_size): on two cores, the
  //    shared hashes of a split scan cost about a fifth more CPU than the three whole branches
  //    side by side, for no shorter a wait.
  const [was] = (await db.execute(sql`SELECT current_setting('TimeZone') AS tz, current_setting('join_collapse_limit') AS joins, current_setting('min_parallel_table_scan_size') AS scans`)) as unknown as [{ tz: string; joins: string; scans: string }];
  await db.execute(sql`SELECT set_config('work_mem', '256MB', true), set_config('join_collapse_limit', '1', true), set_config('min_parallel_table_scan_size', '100GB', true), set_config('TimeZone', ${BOOKS_ZONE}, true)`);
  const inForce = sql`m.started_on <= b.day AND (m.ended_on IS NULL OR b.day < m.ended_on)`;
  const completed = sql`
    SELECT id, coop_id, client_id, starts_at::date AS day FROM bookings
    WHERE state = 'completed' AND starts_at >= ${from.toISOString()}::timestamptz AND starts_at < ${to.toISOString()}::timestamptz`;
  // Each class's branch joins its own rows (no shared CTE: a CTE's rows are read by one process
  // only) and sums whole (membership, month) totals, each membership being of one class.
  await db.execute(sql`
    CREATE TEMP TABLE patronage_units ON COMMIT DROP AS
    SELECT m.id AS membership_id, date_trunc('month', b.day::timestamp) AS month, sum(p.service_cents - coalesce(r.service_cents, 0)) AS units
      FROM (${completed}) b
      JOIN payments p ON p.booking_id = b.id AND p.status IN ('paid', 'partially_refunded', 'refunded')
      LEFT JOIN (SELECT payment_id, sum(service_cents)::int AS service_cents FROM refunds GROUP BY payment_id) r ON r.payment_id = p.id
      JOIN memberships m ON m.coop_id = b.coop_id AND m.member_class = 'producer' AND ${inForce}
      GROUP BY 1, 2
    UNION ALL
    SELECT m.id, date_trunc('month', b.day::timestamp), sum(p.total_cents - coalesce(r.total_cents, 0))
      FROM (${completed}) b
      JOIN payments p ON p.booking_id = b.id AND p.status IN ('paid', 'partially_refunded', 'refunded')
      LEFT JOIN (SELECT payment_id, sum(total_cents)::int AS total_cents FROM refunds GROUP BY payment_id) r ON r.payment_id = p.id
      JOIN memberships m ON m.user_id = b.client_id AND m.member_class = 'user' AND ${inForce}
      GROUP BY 1, 2
    UNION ALL
    SELECT m.id, date_trunc('month', b.day::timestamp), sum(w.minutes_delivered)
      FROM (${completed}) b
      JOIN booking_workers w ON w.booking_id = b.id AND w.minutes_delivered > 0
      JOIN memberships m ON m.user_id = w.user_id AND m.member_class = 'worker' AND ${inForce}
      GROUP BY 1, 2`);
  await db.execute(sql`SELECT set_config('join_collapse_limit', ${was!.joins}, true), set_config('min_parallel_table_scan_size', ${was!.scans}, true), set_config('TimeZone', ${was!.tz}, true)`);
  // The foreign keys, checked per member instead of per row (at 114,000 rows, 228,000 checks took
  // 0.9 s, as long as the rest of the insert and more). In key order: each primary-key insertion
  // (and check, where they run) lands next to the last one.
  const result = await insertWithKeysHeld(db, [
    { table: 'memberships', keys: sql`SELECT membership_id FROM patronage_units` },
    { table: 'fiscal_years', keys: sql`SELECT ${yearId}::int` },
  ], () => db.execute(sql`
    INSERT INTO patronage_measures (fiscal_year_id, membership_id, month, units)
    SELECT ${yearId}::int, membership_id, to_char(month, 'YYYY-MM'), units::int
    FROM patronage_units WHERE units > 0
    ORDER BY membership_id, month`));
  await db.execute(sql`DROP TABLE patronage_units`);
  return result.count ?? 0;
}

export async function measureSummary(db: Tx, yearId: number) {
  return db
    .select({ memberClass: memberships.memberClass, members: sql<number>`count(DISTINCT ${patronageMeasures.membershipId})::int`, units: sql<number>`coalesce(sum(${patronageMeasures.units}), 0)::bigint`.mapWith(Number) })
    .from(patronageMeasures)
    .innerJoin(memberships, eq(memberships.id, patronageMeasures.membershipId))
    .where(eq(patronageMeasures.fiscalYearId, yearId))
    .groupBy(memberships.memberClass);
}

export async function plansOfYear(db: Tx, yearId: number) {
  return db.select({ id: surplusPlans.id, status: surplusPlans.status, createdAt: surplusPlans.createdAt }).from(surplusPlans).where(eq(surplusPlans.fiscalYearId, yearId)).orderBy(asc(surplusPlans.createdAt));
}

/** Completed bookings that started in [from, to) and their service value net of refunds. */
export async function bookingVolume(db: Tx, from: Date, to: Date): Promise<{ count: number; valueCents: number }> {
  const [row] = (await db.execute(sql`
    SELECT count(DISTINCT b.id)::int AS count, coalesce(sum(p.service_cents - coalesce(r.service_cents, 0)), 0)::bigint AS value
    FROM bookings b
    JOIN payments p ON p.booking_id = b.id AND p.status IN ('paid', 'partially_refunded', 'refunded')
    LEFT JOIN (SELECT payment_id, sum(service_cents) AS service_cents FROM refunds GROUP BY payment_id) r ON r.payment_id = p.id
    WHERE b.state = 'completed' AND b.starts_at >= ${from.toISOString()}::timestamptz AND b.starts_at < ${to.toISOString()}::timestamptz`)) as unknown as { count: number; value: bigint }[];
  return { count: row?.count ?? 0, valueCents: Number(row?.value ?? 0) };
}

/** Memberships in force at some point of the year, and how many of them are co-ops. */
export async function membersDuring(db: Tx, startsOn: string, endsOn: string): Promise<{ members: number; coops: number }> {
  const [row] = await db
    .select({ members: sql<number>`count(*)::int`, coops: sql<number>`count(${memberships.coopId})::int` })
    .from(memberships)
    .where(and(lte(memberships.startedOn, endsOn), sql`(${memberships.endedOn} IS NULL OR ${memberships.endedOn} > ${startsOn}::date)`));
  return { members: row?.members ?? 0, coops: row?.coops ?? 0 };
}

/** The plan the members adopted for a year (approved or paid), if any. */
export async function adoptedPlanOfYear(db: Tx, yearId: number) {
  const [row] = await db.select().from(surplusPlans).where(and(eq(surplusPlans.fiscalYearId, yearId), sql`${surplusPlans.status} IN ('proposed', 'approved', 'paid')`));
  return row;
}
