import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db, Tx } from '@tissu/db';
import { BOOKS_ZONE } from '../../lib/calendar.js';
import { insertWithKeysHeld } from '../../lib/held-keys.js';
import { arrayLiteral } from '../../lib/sql-arrays.js';

/*
 * Patronage per member and month. Closing a year freezes it in patronage_measures. At a million
 * bookings, computing it at the close took 3–5 s (a join of every booking with its payment), so
 * each whole month's units are kept ahead in patronage_month_units: the nightly job computes the
 * months of the open years that changed since (triggers log them in patronage_changes, migration
 * 0057), and the close recomputes only what changed after that, then copies the rest.
 */

/** One at a time: the nightly job and a close must not recompute the same months side by side. */
const MONTHS_LOCK = sql`hashtext('tissu.patronage_months')`;

/** The first days ('YYYY-MM-01', Toronto) of the whole months inside [from, to). */
export function wholeMonths(from: Date, to: Date): string[] {
  const start = DateTime.fromJSDate(from, { zone: BOOKS_ZONE });
  let month = start.startOf('month');
  if (month < start) month = month.plus({ months: 1 });
  const months: string[] = [];
  for (; month.plus({ months: 1 }).toJSDate() <= to; month = month.plus({ months: 1 })) months.push(month.toISODate()!);
  return months;
}

const monthStart = (month: string) => DateTime.fromISO(month, { zone: BOOKS_ZONE }).toJSDate();
const nextMonth = (month: string) => DateTime.fromISO(month, { zone: BOOKS_ZONE }).plus({ months: 1 }).toISODate()!;

/**
 * Each member's units per Toronto month over the completed bookings that started in [from, to),
 * counted only on the days the membership was in force (started_on ≤ day < ended_on, Toronto days):
 *   producer co-ops — service value (payment's service − refunded service) of their bookings;
 *   worker-members — minutes they delivered;
 *   user members    — what they paid (payment total − refunded total).
 * Made into the temporary table patronage_units (membership_id, month, units) for `use`, then dropped.
 */
async function withUnits<T>(db: Tx, from: Date, to: Date, use: () => Promise<T>): Promise<T> {
  // A pass over every booking of the range (a million for a whole year at scale). PostgreSQL 15 runs
  // no INSERT … SELECT in parallel, so the totals are computed by a CREATE TABLE … AS, whose three
  // branches (producers, users, workers) run at once, each whole in one process. For this transaction only:
  //  - work_mem 256MB keeps each hash of a million bookings in memory (64MB spilled 78 MB to disk);
  //  - the session's time zone is the books' zone, so `starts_at::date` is the Toronto day: the
  //    same date as `AT TIME ZONE` gives, without looking the zone up by name for every row;
  //  - join_collapse_limit 1 keeps the joins in the order written: each booking meets its payment
  //    in one hash, then the small hash of memberships. Left free, the planner reads the co-ops'
  //    bookings through an index and looks each payment up by index, which is slower;
  //  - no table is split between processes (min_parallel_table_scan_size): on two cores, the
  //    shared hashes of a split scan cost about a fifth more CPU than the three whole branches
  //    side by side, for no shorter a wait.
  const [was] = (await db.execute(sql`
    SELECT current_setting('TimeZone') AS tz, current_setting('join_collapse_limit') AS joins, current_setting('min_parallel_table_scan_size') AS scans, current_setting('work_mem') AS mem`)) as unknown as [
    { tz: string; joins: string; scans: string; mem: string },
  ];
  await db.execute(sql`SELECT set_config('work_mem', '256MB', true), set_config('join_collapse_limit', '1', true), set_config('min_parallel_table_scan_size', '100GB', true), set_config('TimeZone', ${BOOKS_ZONE}, true)`);
  const inForce = sql`m.started_on <= b.day AND (m.ended_on IS NULL OR b.day < m.ended_on)`;
  const completed = sql`
    SELECT id, coop_id, client_id, starts_at::date AS day FROM bookings
    WHERE state = 'completed' AND starts_at >= ${from.toISOString()}::timestamptz AND starts_at < ${to.toISOString()}::timestamptz`;
  const month = sql`date_trunc('month', b.day::timestamp)::date`;
  // Each class's branch joins its own rows (no shared CTE: a CTE's rows are read by one process
  // only) and sums whole (membership, month) totals, each membership being of one class.
  await db.execute(sql`
    CREATE TEMP TABLE patronage_units ON COMMIT DROP AS
    SELECT m.id AS membership_id, ${month} AS month, sum(p.service_cents - coalesce(r.service_cents, 0)) AS units
      FROM (${completed}) b
      JOIN payments p ON p.booking_id = b.id AND p.status IN ('paid', 'partially_refunded', 'refunded')
      LEFT JOIN (SELECT payment_id, sum(service_cents)::int AS service_cents FROM refunds GROUP BY payment_id) r ON r.payment_id = p.id
      JOIN memberships m ON m.coop_id = b.coop_id AND m.member_class = 'producer' AND ${inForce}
      GROUP BY 1, 2
    UNION ALL
    SELECT m.id, ${month}, sum(p.total_cents - coalesce(r.total_cents, 0))
      FROM (${completed}) b
      JOIN payments p ON p.booking_id = b.id AND p.status IN ('paid', 'partially_refunded', 'refunded')
      LEFT JOIN (SELECT payment_id, sum(total_cents)::int AS total_cents FROM refunds GROUP BY payment_id) r ON r.payment_id = p.id
      JOIN memberships m ON m.user_id = b.client_id AND m.member_class = 'user' AND ${inForce}
      GROUP BY 1, 2
    UNION ALL
    SELECT m.id, ${month}, sum(w.minutes_delivered)
      FROM (${completed}) b
      JOIN booking_workers w ON w.booking_id = b.id AND w.minutes_delivered > 0
      JOIN memberships m ON m.user_id = w.user_id AND m.member_class = 'worker' AND ${inForce}
      GROUP BY 1, 2`);
  await db.execute(sql`SELECT set_config('join_collapse_limit', ${was!.joins}, true), set_config('min_parallel_table_scan_size', ${was!.scans}, true), set_config('TimeZone', ${was!.tz}, true), set_config('work_mem', ${was!.mem}, true)`);
  const result = await use();
  await db.execute(sql`DROP TABLE patronage_units`);
  return result;
}

/** Runs of consecutive months: ['2025-01-01', '2025-02-01', '2025-04-01'] → [[Jan, Feb], [Apr, Apr]]. */
function runs(months: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const m of [...months].sort()) {
    const last = out[out.length - 1];
    if (last && nextMonth(last[1]) === m) last[1] = m;
    else out.push([m, m]);
  }
  return out;
}

/**
 * Brings the kept units of `months` up to date, within the caller's transaction (which must hold
 * MONTHS_LOCK). First every logged change is taken out of the log and the computed months it touches
 * are forgotten: a change is logged by the transaction that made it, so what this statement takes
 * was committed before it, and the recomputes that follow see it. Then each month of `months` not
 * computed is computed from the bookings. Returns the months recomputed.
 */
async function refreshMonths(db: Tx, months: string[]): Promise<string[]> {
  await db.execute(sql`
    WITH taken AS (DELETE FROM patronage_changes RETURNING from_month, to_month)
    DELETE FROM patronage_months m WHERE EXISTS (SELECT 1 FROM taken t WHERE m.month BETWEEN t.from_month AND t.to_month)`);
  if (!months.length) return [];
  const computed = (await db.execute(sql`SELECT month::text AS month FROM patronage_months WHERE month = ANY(${arrayLiteral(months)}::date[])`)) as unknown as { month: string }[];
  const known = new Set(computed.map((r) => r.month));
  const stale = months.filter((m) => !known.has(m));
  for (const [first, last] of runs(stale)) {
    await withUnits(db, monthStart(first), monthStart(nextMonth(last)), async () => {
      await db.execute(sql`DELETE FROM patronage_month_units WHERE month BETWEEN ${first}::date AND ${last}::date`);
      await db.execute(sql`INSERT INTO patronage_month_units (month, membership_id, units) SELECT month, membership_id, units FROM patronage_units WHERE units > 0`);
      await db.execute(sql`
        INSERT INTO patronage_months (month) SELECT generate_series(${first}::date, ${last}::date, interval '1 month')::date
        ON CONFLICT (month) DO UPDATE SET computed_at = now()`);
    });
  }
  return stale;
}

/**
 * The nightly job: the whole months of every open year, up to this one, brought up to date; the
 * kept units of months outside the open years (their year closed) deleted. Skips when a close or
 * another instance is at it.
 */
export async function keepMonthsUpToDate(db: Db, now: Date): Promise<{ recomputed: number } | null> {
  return db.transaction(async (tx) => {
    const [lock] = (await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${MONTHS_LOCK}) AS got`)) as unknown as [{ got: boolean }];
    if (!lock!.got) return null;
    const years = (await tx.execute(sql`SELECT starts_on::text AS "startsOn", ends_on::text AS "endsOn" FROM fiscal_years WHERE status = 'open'`)) as unknown as { startsOn: string; endsOn: string }[];
    const until = DateTime.fromJSDate(now, { zone: BOOKS_ZONE }).startOf('month').toISODate()!;
    const months = years.flatMap((y) =>
      wholeMonths(monthStart(y.startsOn), DateTime.fromISO(y.endsOn, { zone: BOOKS_ZONE }).plus({ days: 1 }).toJSDate()).filter((m) => m <= until),
    );
    const recomputed = await refreshMonths(tx, months);
    await tx.execute(sql`DELETE FROM patronage_month_units WHERE month <> ALL(${arrayLiteral(months)}::date[])`);
    await tx.execute(sql`DELETE FROM patronage_months WHERE month <> ALL(${arrayLiteral(months)}::date[])`);
    return { recomputed: recomputed.length };
  });
}

/**
 * Freezes each member's patronage per month of the year over all completed bookings that started
 * in [from, to): the whole months from the kept units (brought up to date first), any part-month at
 * either end computed here. Within the close's transaction.
 */
export async function freezeMeasures(db: Tx, yearId: number, from: Date, to: Date): Promise<number> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(${MONTHS_LOCK})`);
  const months = wholeMonths(from, to);
  await refreshMonths(db, months);
  const ends: [Date, Date][] = months.length
    ? [[from, monthStart(months[0]!)], [monthStart(nextMonth(months[months.length - 1]!)), to]]
    : [[from, to]];
  await db.execute(sql`CREATE TEMP TABLE patronage_part_months (membership_id uuid, month date, units bigint) ON COMMIT DROP`);
  for (const [a, b] of ends.filter(([a, b]) => a < b)) {
    await withUnits(db, a, b, () => db.execute(sql`INSERT INTO patronage_part_months SELECT membership_id, month, units FROM patronage_units`));
  }
  const kept = sql`SELECT membership_id, month, units FROM patronage_month_units WHERE month = ANY(${arrayLiteral(months)}::date[])`;
  const [{ parts }] = (await db.execute(sql`SELECT count(*)::int AS parts FROM patronage_part_months`)) as unknown as [{ parts: number }];
  // A part-month can hold a member twice only if the year is shorter than a month; summed anyway.
  const source: SQL = parts
    ? sql`SELECT membership_id, month, sum(units) AS units FROM (${kept} UNION ALL SELECT membership_id, month, units FROM patronage_part_months) u GROUP BY 1, 2`
    : kept;
  // The foreign keys, checked per member instead of per row (at 114,000 rows, 228,000 checks took
  // 0.9 s, as long as the rest of the insert and more). In key order: each primary-key insertion
  // (and check, where they run) lands next to the last one.
  const result = await insertWithKeysHeld(db, [
    { table: 'memberships', keys: sql`SELECT membership_id FROM (${source}) s` },
    { table: 'fiscal_years', keys: sql`SELECT ${yearId}::int` },
  ], () => db.execute(sql`
    INSERT INTO patronage_measures (fiscal_year_id, membership_id, month, units)
    SELECT ${yearId}::int, membership_id, to_char(month, 'YYYY-MM'), units::int
    FROM (${source}) s WHERE units > 0
    ORDER BY membership_id, month`));
  await db.execute(sql`DROP TABLE patronage_part_months`);
  return result.count ?? 0;
}
