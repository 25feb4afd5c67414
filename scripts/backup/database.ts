import { existsSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { embeddedDatabaseUrl, startEmbeddedPostgres, withDatabase } from '@tissu/db';
import { loadDatabaseSettings } from '../../server/src/plugins/env.js';

/** Which database the backup scripts work on, and the server it lives on. */

export interface OpenServer {
  /** URL of a database on the server: `name` on the same server, or the main database without one. */
  url(name?: string): string;
  /** The embedded server of `pnpm start` (not DATABASE_URL's). */
  embedded: boolean;
  close(): Promise<void>;
}

export const settings = () => loadDatabaseSettings();

async function reachable(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * DATABASE_URL's server, or the embedded one of `pnpm start`: used where it runs, started for the
 * script's length (and stopped after) where it does not.
 */
export async function openServer(log: (line: string) => void): Promise<OpenServer> {
  const s = settings();
  const main = s.databaseUrl ?? embeddedDatabaseUrl(s.embeddedPgPort, s.embeddedPgDatabase);
  const url = (name?: string) => (name ? withDatabase(main, name) : main);
  if (s.databaseUrl) return { url, embedded: false, close: async () => {} };
  if (await reachable(withDatabase(main, 'postgres'))) return { url, embedded: true, close: async () => {} };
  const dataDir = path.join(s.dataDir, 'pg');
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new Error(`No database: set DATABASE_URL, or run pnpm start once to create the embedded one in ${dataDir}.`);
  }
  log(`Starting the embedded PostgreSQL in ${dataDir} for this command…`);
  const pg = await startEmbeddedPostgres({ dataDir, port: s.embeddedPgPort, persistent: true });
  return { url, embedded: true, close: () => pg.stop() };
}

/** The server's major version (15, 16, 17…). */
export async function serverMajor(sql: postgres.Sql): Promise<number> {
  const [row] = await sql`SELECT current_setting('server_version_num')::int AS v`;
  return Math.floor(Number(row!.v) / 10_000);
}
