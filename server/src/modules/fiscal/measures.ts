import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db, Tx } from '@tissu/db';
import { addMonths, BOOKS_ZONE, booksDate, startOfBooksDay, yearBounds } from '../../lib/calendar.js';
import { insertWithKeysHeld } from '../../lib/held-keys.js';
import { arrayLiteral } from '../../lib/sql-arrays.js';
import { listYears } from './repository.js';

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


/**
 * Each member's units per Toronto month over the completed bookings that started in `ranges` ([from, to) each),
 * counted only on the days the membership was in force (started_on ≤ day < ended_on, Toronto days):
 *   producer co-ops — service value (payment's service − refunded service) of their bookings;
 *   worker-members — minutes they delivered;
 *   user members    — what they paid (payment total − refunded total).
 * Made into the temporary table patronage_units (membership_id, month, units) for `use`, then dropped.
 * With `keep` (whole months), those of them computed and not logged as changed since are copied from
 * patronage_month_units instead, in the same statement: one snapshot decides which months are copied
 * and reads both the copies and the bookings of the others, so a write committed meanwhile counts
 * everywhere or nowhere.
 */
async function withUnits<T>(db: Tx, ranges: [Date, Date][], use: () => Promise<T>, keep: string[] = []): Promise<T> {
  // One pass over every booking of the ranges (a million for a whole year at scale). PostgreSQL 15 runs
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
  // Written out in each branch (a CTE's rows are read by one process only); a dozen rows at most.
  const kept = keep.length
    ? sql`(SELECT pm.month FROM patronage_months pm WHERE pm.month = ANY(${arrayLiteral(keep)}::date[])
           AND NOT EXISTS (SELECT 1 FROM patronage_changes c WHERE pm.month BETWEEN c.from_month AND c.to_month))`
    : null;
  const completed = sql`
    SELECT id, coop_id, client_id, starts_at::date AS day FROM bookings
    WHERE state = 'completed' AND (${sql.join(ranges.map(([from, to]) => sql`(starts_at >= ${from.toISOString()}::timestamptz AND starts_at < ${to.toISOString()}::timestamptz)`), sql` OR `)})
      ${kept ? sql`AND date_trunc('month', starts_at::date::timestamp)::date NOT IN ${kept}` : sql``}`;
  const month = sql`date_trunc('month', b.day::timestamp)::date`;
  // Producers count the service paid for their bookings, user members what they paid: the same
  // join, on another holder and another amount (net of what was refunded of it).
  const paid = (holder: 'coop_id' | 'user_id', by: 'coop_id' | 'client_id', cls: 'producer' | 'user', amount: 'service_cents' | 'total_cents') => sql`
    SELECT m.id AS membership_id, ${month} AS month, sum(p.${sql.raw(amount)} - coalesce(r.${sql.raw(amount)}, 0)) AS units
      FROM (${completed}) b
      JOIN payments p ON p.booking_id = b.id AND p.status IN ('paid', 'partially_refunded', 'refunded')
      LEFT JOIN (SELECT payment_id, sum(${sql.raw(amount)})::int AS ${sql.raw(amount)} FROM refunds GROUP BY payment_id) r ON r.payment_id = p.id
      JOIN memberships m ON m.${sql.raw(holder)} = b.${sql.raw(by)} AND m.member_class = '${sql.raw(cls)}' AND ${inForce}
      GROUP BY 1, 2`;
  // Each class's branch joins its own rows (no shared CTE: a CTE's rows are read by one process
  // only) and sums whole (membership, month) totals, each membership being of one class.
  await db.execute(sql`
    CREATE TEMP TABLE patronage_units ON COMMIT DROP AS
    ${paid('coop_id', 'coop_id', 'producer', 'service_cents')}
    UNION ALL
    ${paid('user_id', 'client_id', 'user', 'total_cents')}
    UNION ALL
    SELECT m.id, ${month}, sum(w.minutes_delivered)
      FROM (${completed}) b
      JOIN booking_workers w ON w.booking_id = b.id AND w.minutes_delivered > 0
      JOIN memberships m ON m.user_id = w.user_id AND m.member_class = 'worker' AND ${inForce}
      GROUP BY 1, 2
    ${kept ? sql`UNION ALL SELECT membership_id, month, units FROM patronage_month_units WHERE month IN ${kept}` : sql``}`);
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
    if (last && addMonths(last[1], 1) === m) last[1] = m;
    else out.push([m, m]);
  }
  return out;
}

/**
 * Brings the kept units of `months` up to date, within the caller's transaction (which must hold
 * MONTHS_LOCK). First every logged change is taken out of the log and the computed months it touches
 * are forgotten: a change is logged by the transaction that made it, so what this statement takes
 * was committed before it, and the recompute that follows sees it (a change committed during the
 * recompute stays in the log for the next one). Then the months of `months` not computed are
 * computed from the bookings, in one pass. Returns the months recomputed.
 */
async function refreshMonths(db: Tx, months: string[]): Promise<string[]> {
  // A change logs a row per write (no "already logged" check, see migration 0057): ranges taken once each.
  await db.execute(sql`
    WITH taken AS (DELETE FROM patronage_changes RETURNING from_month, to_month),
         ranges AS (SELECT DISTINCT from_month, to_month FROM taken)
    DELETE FROM patronage_months m WHERE EXISTS (SELECT 1 FROM ranges t WHERE m.month BETWEEN t.from_month AND t.to_month)`);
  const computed = months.length
    ? ((await db.execute(sql`SELECT month::text AS month FROM patronage_months WHERE month = ANY(${arrayLiteral(months)}::date[])`)) as unknown as { month: string }[])
    : [];
  const known = new Set(computed.map((r) => r.month));
  const stale = months.filter((m) => !known.has(m));
  if (!stale.length) return stale;
  const staleMonths = sql`${arrayLiteral(stale)}::date[]`;
  await withUnits(db, runs(stale).map(([first, last]): [Date, Date] => [startOfBooksDay(first), startOfBooksDay(addMonths(last, 1))]), async () => {
    await db.execute(sql`DELETE FROM patronage_month_units WHERE month = ANY(${staleMonths})`);
    await db.execute(sql`INSERT INTO patronage_month_units (month, membership_id, units) SELECT month, membership_id, units FROM patronage_units WHERE units > 0`);
    await db.execute(sql`
      INSERT INTO patronage_months (month) SELECT unnest(${staleMonths})
      ON CONFLICT (month) DO UPDATE SET computed_at = now()`);
  });
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
    const thisMonth = `${booksDate(now).slice(0, 7)}-01`;
    const open = (await listYears(tx)).filter((y) => y.status === 'open');
    const months = open.flatMap((y) => {
      const { from, to } = yearBounds(y);
      return wholeMonths(from, to).filter((m) => m <= thisMonth);
    });
    const recomputed = await refreshMonths(tx, months);
    await tx.execute(sql`DELETE FROM patronage_month_units WHERE month <> ALL(${arrayLiteral(months)}::date[])`);
    await tx.execute(sql`DELETE FROM patronage_months WHERE month <> ALL(${arrayLiteral(months)}::date[])`);
    return { recomputed: recomputed.length };
  });
}

/**
 * Freezes each member's patronage per month of the year over all completed bookings that started
 * in [from, to): whole months kept up to date by the nightly job and not changed since are copied,
 * the others (and any part-month at either end) computed from the bookings, all in one statement
 * (see withUnits). The kept months and the log are left to the job, which forgets a closed year's.
 */
export async function freezeMeasures(db: Tx, yearId: number, from: Date, to: Date): Promise<number> {
  // Not while the job rewrites months: it would only make the two do the same work.
  await db.execute(sql`SELECT pg_advisory_xact_lock(${MONTHS_LOCK})`);
  return withUnits(db, [[from, to]], async () => {
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
    return result.count ?? 0;
  }, wholeMonths(from, to));
}
