import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { insertWithKeysHeld } from '../../server/src/lib/held-keys.js';
import { createTestDatabase } from '../support/test-db.js';

/**
 * The big inserts (visits of the horizon job, the year's measures) check their foreign keys once
 * per referenced row and skip PostgreSQL's per-row checks. What must hold: a key that names no row
 * is still refused, and the checks are back on for everything after the insert.
 */
describe('an insert with its foreign keys held once', () => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    t = await createTestDatabase();
    await t.database.sql`INSERT INTO users (id, email, password_hash, name) VALUES ('00000000-0000-4000-8000-000000000001', 'a@keys.test', 'x', 'A')`;
    await t.database.sql.unsafe('CREATE TABLE held_keys_probe (user_id uuid NOT NULL REFERENCES users(id))');
  }, 120_000);
  afterAll(() => t?.drop());

  const probe = (ids: string[]) => t.database.db.transaction(async (tx) => {
    const ids_ = `{${ids.join(',')}}`;
    const rows = await insertWithKeysHeld(tx, [{ table: 'users', keys: sql`SELECT unnest(${ids_}::uuid[])` }], () => tx.execute<{ role: string }>(sql`
      WITH i AS (INSERT INTO held_keys_probe SELECT unnest(${ids_}::uuid[]) RETURNING 1)
      SELECT current_setting('session_replication_role') AS role, (SELECT count(*) FROM i) AS n`));
    const during = [...rows][0]!.role;
    const after = [...(await tx.execute<{ role: string }>(sql`SELECT current_setting('session_replication_role') AS role`))][0]!.role;
    return { during, after };
  });

  it('skips the per-row checks when every row named exists, then puts them back', async () => {
    expect(await probe(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001'])).toEqual({ during: 'replica', after: 'origin' });
  });

  it('refuses a row that names a missing key, as the per-row check would', async () => {
    await expect(probe(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000ff'])).rejects.toMatchObject({ cause: { code: '23503' } }); // foreign_key_violation
    const rows = await t.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM held_keys_probe WHERE user_id = '00000000-0000-4000-8000-0000000000ff'`;
    expect(rows[0]!.n).toBe(0);
  });
});
