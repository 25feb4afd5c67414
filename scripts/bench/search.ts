/**
 * Search benchmark: 10,000 active listings across ~200 co-ops (most with photos) in a scratch database; for each
 * scenario, the statement the listings service sends (page and capped count in one) driven
 * through postgres.js, then GET /listings driven with autocannon against the API in its own
 * process, at the same concurrency. API/SQL is the share of the database's throughput the API
 * delivers. The mixes are run a third time behind bare node:http (search-floor.ts): the floor. `pnpm bench search` then does the mixes again on 100,000 listings (`mixesOnly`).
 *
 *   pnpm exec tsx scripts/bench/search.ts [--listings 10000] [--seconds 10] [--connections 10] [--mixes-only]
 *
 * Without DATABASE_URL it runs on an embedded PostgreSQL, deleted at the end; with it, on a
 * scratch database of that server, dropped at the end. Loopback only; stops by itself.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { seedListingsForBench } from '../seed/bulk.js';
import { startApiProcess, type ApiProcess } from './api-process.js';
import { startFloorProcess } from './search-floor.js';
import { closedLoop, httpLoad, loadAverage, type Measured } from './measure.js';
import { benchServer, scratchDatabase, type BenchServer } from './scratch-db.js';
import { apiPath, captureStatements, planSummary, send, SCENARIOS, type SearchStatements } from './search-queries.js';
import { figuresTable, target, type Figure } from './table.js';

export interface SearchBenchOptions {
  listings?: number;
  /** Length of the mixed runs; each single-scenario run lasts a quarter of it. */
  seconds?: number;
  connections?: number;
  log?: (line: string) => void;
  /** Only the mix of all scenarios, at `connections` and with one connection (the large scenario). */
  mixesOnly?: boolean;
}

const MIX = 'mix of all above';
const ONE_CONNECTION = 'mix, one connection';

export interface SearchScenarioResult {
  scenario: string;
  sql: Measured;
  api: Measured;
  /** The mixes only: the same statements behind bare node:http. */
  floor?: Measured;
}

export async function benchSearch(server: BenchServer, options: SearchBenchOptions = {}): Promise<SearchScenarioResult[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const listingCount = options.listings ?? 10_000;
  const seconds = options.seconds ?? 10;
  const connections = options.connections ?? 10;
  const perScenario = Math.max(1, seconds / 4);

  const scratch = await scratchDatabase(server, { max: 2 });
  let sql: postgres.Sql | undefined;
  let api: ApiProcess | undefined;
  let floor: ApiProcess | undefined;
  /** Runs `load` against `server` and logs the server process's CPU time per request. */
  const cpuPerRequest = async (name: string, server: ApiProcess, load: () => Promise<Measured>) => {
    const before = await server.cpuMs();
    const m = await load();
    log(`search: ${name} used ${(((await server.cpuMs()) - before) / m.requests).toFixed(2)} ms of CPU per request (mix, ${connections} connections)`);
    return m;
  };
  try {
    let t = performance.now();
    const seeded = await seedListingsForBench(scratch.database.db, listingCount);
    // As autovacuum would soon after a bulk import: statistics, and the visibility map.
    await scratch.database.sql`VACUUM ANALYZE`;
    log(`search: ${seeded.listings} listings across ${seeded.coops} co-ops, seeded in ${(performance.now() - t).toFixed(0)} ms`);

    sql = postgres(scratch.url, { max: connections, onnotice: () => {} });
    const statements: SearchStatements[] = [];
    for (const s of SCENARIOS) statements.push(await captureStatements(sql, s));
    log('search: plans (EXPLAIN ANALYZE, as the service sends them)');
    for (const s of statements) log(`  ${s.scenario.name.padEnd(28)} ${await planSummary(sql, s)}`);

    const sqlRuns: Measured[] = [];
    const mixSql = (i: number) => send(sql!, statements[i % statements.length]!);
    await closedLoop(1, connections, mixSql); // warm-up: connections, dictionaries, caches
    log(`search: measuring SQL (load average ${loadAverage()})`);
    if (!options.mixesOnly) for (const s of statements) sqlRuns.push(await closedLoop(perScenario, connections, () => send(sql!, s)));
    const sqlMix = await closedLoop(seconds, connections, mixSql);
    // One person searching alone: the latency a visitor feels, without queueing.
    const sqlMixOne = await closedLoop(perScenario, 1, mixSql);

    t = performance.now();
    api = await startApiProcess({ databaseUrl: scratch.url, poolSize: connections });
    log(`search: API process ready in ${(performance.now() - t).toFixed(0)} ms at ${api.base}`);
    const paths = await Promise.all(statements.map((s) => apiPath(api!.base, s)));
    const gets = paths.map((p) => ({ method: 'GET' as const, path: p }));
    await httpLoad(api.base, gets, 1, connections); // warm-up
    log(`search: measuring HTTP (load average ${loadAverage()})`);
    const apiRuns: Measured[] = [];
    if (!options.mixesOnly) for (const g of gets) apiRuns.push(await httpLoad(api.base, [g], perScenario, connections));
    const apiMix = await cpuPerRequest('API', api, () => httpLoad(api!.base, gets, seconds, connections));
    const apiMixOne = await httpLoad(api.base, gets, perScenario, 1);
    await api.stop();
    api = undefined;

    floor = await startFloorProcess({ databaseUrl: scratch.url, poolSize: connections, statements: statements.map((s) => s.statement) });
    const floorGets = statements.map((_, i) => ({ method: 'GET' as const, path: `/${i}` }));
    await httpLoad(floor.base, floorGets, 1, connections); // warm-up
    const floorMix = await cpuPerRequest('bare node:http', floor, () => httpLoad(floor!.base, floorGets, seconds, connections));
    const floorMixOne = await httpLoad(floor.base, floorGets, perScenario, 1);

    return [
      ...(options.mixesOnly ? [] : SCENARIOS.map((s, i) => ({ scenario: s.name, sql: sqlRuns[i]!, api: apiRuns[i]! }))),
      { scenario: MIX, sql: sqlMix, api: apiMix, floor: floorMix },
      { scenario: ONE_CONNECTION, sql: sqlMixOne, api: apiMixOne, floor: floorMixOne },
    ];
  } finally {
    await api?.stop();
    await floor?.stop();
    await sql?.end({ timeout: 5 });
    await scratch.drop();
  }
}

/** Issue 11's targets for the mixes through the API, by the number of listings searched. */
function mixTarget(listings: number, r: SearchScenarioResult): Figure['target'] {
  const ratio = r.api.rps / r.sql.rps;
  if (listings === 10_000) {
    if (r.scenario === MIX) return target('>= 500/s, API/SQL >= 0.85', r.api.rps >= 500 && ratio >= 0.85);
    if (r.scenario === ONE_CONNECTION) return target('p50 <= 3 ms', r.api.p50 <= 3);
  }
  if (listings === 100_000) {
    if (r.scenario === MIX) return target('>= 150/s', r.api.rps >= 150);
    if (r.scenario === ONE_CONNECTION) return target('p95 <= 20 ms', r.api.p95 <= 20);
  }
  return undefined;
}

/**
 * Two rows per scenario, SQL then API; the API row carries the ratio of the two throughputs.
 * Rows name the number of listings unless it is the usual 10,000.
 */
export function searchFigures(results: SearchScenarioResult[], listings = 10_000): Figure[] {
  const size = listings === 10_000 ? '' : `${listings.toLocaleString('en')} listings, `;
  return results.flatMap((r) => {
    const goal = mixTarget(listings, r);
    return [
      { scenario: `search ${size}${r.scenario}`, via: 'sql' as const, ...r.sql },
      { scenario: `search ${size}${r.scenario}`, via: 'api' as const, ...r.api, ratio: r.api.rps / r.sql.rps, ...(goal ? { target: goal } : {}) },
      ...(r.floor ? [{ scenario: `search ${size}${r.scenario}`, via: 'floor' as const, ...r.floor, ratio: r.floor.rps / r.sql.rps }] : []),
    ];
  });
}

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const server = await benchServer(process.env.DATABASE_URL || undefined);
  try {
    const listings = flag('listings') ?? 10_000;
    const mixesOnly = process.argv.includes('--mixes-only');
    const results = await benchSearch(server, { listings, seconds: flag('seconds'), connections: flag('connections'), mixesOnly });
    console.log(`\n${figuresTable(searchFigures(results, listings))}`);
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  } finally {
    await server.stop();
  }
}
