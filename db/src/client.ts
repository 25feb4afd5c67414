import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Db = PostgresJsDatabase<typeof schema>;
/** What a service receives: the pool or the transaction it runs in. */
export type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  url: string;
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** The database a URL names. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

export interface DbOptions {
  max?: number;
  /** postgres.js prints NOTICEs by default; tests and benches want silence. */
  onnotice?: (n: unknown) => void;
}

export function createDb(url: string, options: DbOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: options.onnotice ?? (() => {}),
    // Reconnects on its own after a server restart; idle sockets are recycled.
    idle_timeout: 30,
    connect_timeout: 10,
    // Between reconnection attempts after a lost connection, at most half a second. The driver's
    // default grows to 20 s across the pool, and queries queued on a reconnecting connection wait
    // that long: during a database restart requests hung instead of failing, and the API took
    // seconds more to serve again once the database was back (tests/faults/db-restart.test.ts).
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
    types: { bigint: postgres.BigInt },
  });
  const db = drizzle(sql, { schema });
  return { url, db, sql, close: () => sql.end({ timeout: 5 }) };
}
