/**
 * `pnpm bench`: the search benchmark (10,000 listings, SQL and API at the same concurrency) and
 * the booking benchmarks (slot computation, booking creation), on one PostgreSQL, then one table.
 * About two minutes on two cores; loopback only.
 *
 *   pnpm bench [--seconds 10] [--connections 10] [--listings 10000]
 *
 * Without DATABASE_URL an embedded PostgreSQL is started in a temporary folder and deleted at
 * the end; with it, scratch databases are created on that server and dropped.
 */
import { performance } from 'node:perf_hooks';
import { benchCreate, benchSlots, bookingFigures } from './bookings.js';
import { loadAverage } from './measure.js';
import { benchServer } from './scratch-db.js';
import { benchSearch, searchFigures } from './search.js';
import { figuresTable } from './table.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const seconds = flag('seconds', 10);
const connections = flag('connections', 10);
const listings = flag('listings', 10_000);
const started = performance.now();
const loadBefore = loadAverage();
console.log(`Load average before: ${loadBefore}`);

const server = await benchServer(process.env.DATABASE_URL || undefined);
try {
  console.log(`PostgreSQL: ${server.description}`);
  const search = await benchSearch(server, { listings, seconds, connections });
  console.log('bookings: slot computation');
  const slots = benchSlots();
  console.log(`bookings: booking creation (load average ${loadAverage()})`);
  const create = await benchCreate(server, { seconds, connections });

  console.log('');
  console.log(`${listings} listings · ${connections} concurrent connections · single-scenario runs ${Math.max(1, seconds / 4)} s, mixes and booking creation ${seconds} s`);
  console.log('sql = the page and count queries the listings service sends, via postgres.js; api = the same search over HTTP (autocannon, API in its own process, log level warn)');
  console.log(figuresTable([...searchFigures(search), ...bookingFigures(slots, create)]));
  const failures = [...search.flatMap((r) => [r.sql, r.api]), create].filter((m) => m.firstFailure);
  for (const m of failures) console.log(`first failure: ${m.firstFailure}`);
  console.log(`Load average before: ${loadBefore}; after: ${loadAverage()}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
  if (failures.length > 0) process.exitCode = 1;
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await server.stop();
}
