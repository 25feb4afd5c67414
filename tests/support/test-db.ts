import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import postgres from 'postgres';
import { createDb, withDatabase, type Database } from '@tissu/db';

/** A fresh database for one test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<{ url: string; database: Database; drop(): Promise<void> }> {
  const admin = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
  const url = withDatabase(admin, name);
  const database = createDb(url);
  return {
    url,
    database,
    async drop() {
      await database.close();
      await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await sql.end();
    },
  };
}
