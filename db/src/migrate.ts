import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Applies the committed migrations. An advisory lock makes it safe when several API instances
 * start at once against the same database.
 */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`SELECT pg_advisory_lock(74737375)`;
    await migrate(drizzle(sql), { migrationsFolder });
    await sql`SELECT pg_advisory_unlock(74737375)`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
