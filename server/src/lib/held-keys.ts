import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@tissu/db';

/** Rows a big insert's foreign keys name: a table and a query (or array) giving their keys. */
export interface HeldKeys {
  table: 'memberships' | 'fiscal_years' | 'users' | 'surplus_plans';
  /** A query of one column: `SELECT membership_id FROM t`, or `SELECT unnest(${ids}::uuid[])`. */
  keys: SQL;
}

/**
 * Runs one big insert with its foreign keys checked once per referenced row instead of once per
 * inserted row. PostgreSQL checks each row on its own (a lookup and a key-share lock per key per
 * row, whatever the statement's shape): at 114,000 measures of the year close, 228,000 checks took
 * 0.9 s. (The horizon job's visits were tried too: no gain could be measured, so they keep the
 * per-row checks.) Here the referenced rows are locked FOR KEY SHARE
 * once each, as every check would lock them, so none can be deleted or renumbered before commit;
 * when every one was found, and the role may (a superuser, as the embedded server's is, or a role
 * granted SET on session_replication_role), the insert runs with the per-row checks off
 * (session_replication_role = replica turns triggers off: the tables given to this have no
 * triggers on INSERT of their own, or ones enabled ALWAYS, as plan_allocations' are). Otherwise the insert runs as usual and its checks answer.
 *
 * The three statements go out together (one round trip), so `insert` must send exactly one
 * statement, at once: the setting is local to the transaction and put back right after it; an
 * error rolls it back with everything else.
 */
export async function insertWithKeysHeld<T>(db: Tx, held: HeldKeys[], insert: () => Promise<T>): Promise<T> {
  // Each query of keys is sent and run once (a plan's 10,000 uuids are 370 KB to parse).
  const ctes = held.map((h, i) => {
    const n = sql.raw(String(i));
    return sql`k${n} AS (SELECT DISTINCT k FROM (${h.keys}) AS k(k)), h${n} AS (SELECT 1 FROM ${sql.raw(h.table)} WHERE id IN (SELECT k FROM k${n}) FOR KEY SHARE)`;
  });
  const found = held.map((_, i) => sql`(SELECT count(*) FROM h${sql.raw(String(i))}) = (SELECT count(*) FROM k${sql.raw(String(i))})`);
  // Only a role that may set the parameter calls set_config on it at all (even to its own value).
  const hold = db.execute(sql`
    WITH ${sql.join(ctes, sql`, `)}
    SELECT CASE WHEN has_parameter_privilege('session_replication_role', 'SET') AND ${sql.join(found, sql` AND `)}
                THEN set_config('tissu.replication_was', current_setting('session_replication_role'), true) || set_config('session_replication_role', 'replica', true) END`);
  const result = insert();
  const restore = db.execute(sql`
    SELECT CASE WHEN current_setting('tissu.replication_was', true) <> ''
                THEN set_config('session_replication_role', current_setting('tissu.replication_was'), true) || set_config('tissu.replication_was', '', true) END`);
  const [, inserted] = await Promise.all([hold, result, restore]);
  return inserted;
}
