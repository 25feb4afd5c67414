import type { Tx } from '@tissu/db';

/**
 * Hot statements, built once and sent by name.
 *
 * Drizzle builds a query's SQL text again on every call (creating a booking spent about a sixth of
 * the API's CPU there) and sends it unnamed, so PostgreSQL parses and plans it again each time too.
 * A statement on a hot path is built once instead, with `sql.placeholder`s for what changes, and
 * sent as a named prepared statement: postgres.js prepares each text once per connection and then
 * only binds and executes it. Drizzle still maps the rows (the same dates, numbers and shapes).
 *
 * Order: statements started together (`Promise.all`, one round trip) go out in the order they reach
 * the driver. These reach it a microtask sooner than a query built and awaited in place, so a read
 * that must follow a lock in the same round trip is sent the same way as the lock (or after it).
 *
 * Drizzle ties a prepared query to the connection it was built on; here it runs in whichever
 * database or transaction calls it (the query is copied with that caller's client and logger, never changed).
 */
interface Executable<R> {
  execute(placeholderValues?: Record<string, unknown>): Promise<R>;
}

/** The postgres.js client (the pool, or a transaction's connection) and the query logger under a drizzle database. */
function sessionOf(db: Tx): Session {
  return (db as unknown as { session: Session }).session;
}

interface Session {
  client: { unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<Record<string, unknown>[]> };
  logger: { logQuery(query: string, params: unknown[]): void };
}

/**
 * `build` makes the query once (on the first caller's database, with `.prepare(name)`); each call
 * runs it in the caller's database or transaction with these placeholder values.
 */
export function prepared<V extends Record<string, unknown>, R>(build: (db: Tx) => Executable<R>): (db: Tx, values: V) => Promise<R> {
  let built: Executable<R> | undefined;
  return (db, values) => {
    built ??= build(db);
    const { client, logger } = sessionOf(db);
    const here = Object.create(built, { client: { value: client }, logger: { value: logger } }) as Executable<R>;
    return here.execute(values);
  };
}

/** Raw SQL written once (`$1`, `$2`, ...) and sent by name, for statements the query builder cannot prepare. */
export function namedStatement<Row extends Record<string, unknown>>(db: Tx, text: string, params: unknown[]): Promise<Row[]> {
  const { client, logger } = sessionOf(db);
  logger.logQuery(text, params);
  return client.unsafe(text, params, { prepare: true }) as Promise<Row[]>;
}
