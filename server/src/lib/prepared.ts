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

/** More than any pool here holds (10 by default). */
const MAX_CONNECTIONS = 32;

/**
 * A migration that changes the type of a column a named statement returns (run while this process
 * serves) makes PostgreSQL refuse the statement on each connection that prepared it ("cached plan
 * must not change result type"). postgres.js then forgets it on that connection, but the transaction
 * it was sent in is lost: such a transaction is run again (at most once per connection of the pool,
 * each of which may still hold the old statement), and the statement is prepared afresh.
 */
export async function againIfPlanChanged<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!planChanged(e) || attempt === MAX_CONNECTIONS) throw e;
    }
  }
}

function planChanged(err: unknown): boolean {
  for (let e = err as { routine?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.routine === 'RevalidateCachedQuery') return true;
  }
  return false;
}
