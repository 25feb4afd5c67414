/**
 * Search benchmark: 10,000 active listings across ~200 co-ops in a fresh database, then the
 * search SQL driven directly through postgres.js and, when the API serves GET /listings, the HTTP
 * endpoint driven with autocannon. Loopback only; stops by itself.
 *
 *   pnpm exec tsx scripts/bench/search.ts [--listings 10000] [--seconds 10] [--connections 10]
 *
 * Without DATABASE_URL it starts an embedded PostgreSQL (.data/pg-bench, port 54340, deleted at the
 * end); with it, it creates a scratch database on that server and drops it at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { createDb, runMigrations, startEmbeddedPostgres, type Database } from '@tissu/db';
import { seedListingsForBench } from '../seed/bulk.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PAGE = 21; // the API's default page of 20, plus one row to know whether a next page exists

type Sql = postgres.Sql;
type Fragment = postgres.PendingQuery<postgres.Row[]>;
type Sort = 'relevance' | 'price_asc' | 'price_desc' | 'newest';

/** The subset of the API's SearchQuery (shared/src/schemas/listings.ts) the scenarios use. */
interface Search {
  q?: string;
  category?: string;
  borough?: string;
  minPrice?: number;
  maxPrice?: number;
  sort?: Sort;
}

interface Scenario {
  name: string;
  search: Search;
  /** Ask for the second page: the SQL run uses the last row of page one, HTTP the API's nextCursor. */
  secondPage?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'q=menage', search: { q: 'menage' } },
  { name: 'q=cleaning', search: { q: 'cleaning' } },
  { name: 'q=déménagement', search: { q: 'déménagement' } },
  { name: 'q=web', search: { q: 'web' } },
  { name: 'category=menage + price 35–50 $', search: { category: 'menage', minPrice: 3500, maxPrice: 5000 } },
  { name: 'borough=plateau-mont-royal', search: { borough: 'plateau-mont-royal' } },
  { name: 'sort=price_asc (no filter)', search: { sort: 'price_asc' } },
  { name: 'q=menage, page 2 (cursor)', search: { q: 'menage' }, secondPage: true },
];

export interface BenchRow {
  target: 'sql' | 'http';
  scenario: string;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface BenchOptions {
  /** A server to create the scratch database on; without it an embedded PostgreSQL is started. */
  databaseUrl?: string;
  listings?: number;
  /** Length of the mixed run; each single-scenario run lasts a quarter of it. */
  seconds?: number;
  connections?: number;
  log?: (line: string) => void;
}

export async function main(options: BenchOptions = {}): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const listingCount = options.listings ?? 10_000;
  const seconds = options.seconds ?? 10;
  const connections = options.connections ?? 10;
  const perScenario = Math.max(1, seconds / 4);

  const target = await openScratchDatabase(options.databaseUrl);
  log(`Database: ${target.description}`);
  let database: Database | undefined;
  const clients: Sql[] = [];
  let api: Api | undefined;
  try {
    let t = performance.now();
    await runMigrations(target.url);
    database = createDb(target.url, { max: 2 });
    const seeded = await seedListingsForBench(database.db, listingCount);
    // VACUUM also empties the GIN index's pending list, which plain ANALYZE leaves full after a
    // bulk insert; a live database gets there through autovacuum.
    await database.sql`VACUUM ANALYZE`;
    log(`Seeded ${seeded.listings} listings across ${seeded.coops} co-ops in ${ms(performance.now() - t)} ms (migrations, inserts, VACUUM ANALYZE)`);

    // drizzle (postgres-js driver) sends every query as an unnamed statement, so PostgreSQL plans
    // each search afresh with the values in view; `prepared` is postgres.js's default instead.
    const client = (extra: postgres.Options<Record<string, never>>) => {
      const c = postgres(target.url, { max: connections, onnotice: () => {}, ...extra });
      clients.push(c);
      return c;
    };
    const asDrizzle = client({ prepare: false });
    const prepared = client({ prepare: true });
    const proposed = client({ prepare: false, connection: { random_page_cost: '1.1' } });

    await explainAll(asDrizzle, proposed, log);

    const rows: BenchRow[] = [];
    const runsOf = (sql: Sql, dedupe: boolean) => Promise.all(SCENARIOS.map((s) => prepareSqlRun(sql, s, dedupe)));
    const mix = (runs: (() => Promise<unknown>)[]) => (i: number) => runs[i % runs.length]!();
    const current = await runsOf(asDrizzle, false);
    await measure(1, connections, mix(current)); // warm-up: connections, dictionaries, caches
    log(`Load average before measuring: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
    for (const [i, s] of SCENARIOS.entries()) {
      rows.push({ target: 'sql', scenario: s.name, ...(await measure(perScenario, connections, () => current[i]!())) });
    }
    rows.push({ target: 'sql', scenario: 'mix of all above', ...(await measure(seconds, connections, mix(current))) });
    const preparedRuns = await runsOf(prepared, false);
    await measure(1, connections, mix(preparedRuns));
    rows.push({ target: 'sql', scenario: 'mix, prepared statements', ...(await measure(seconds, connections, mix(preparedRuns))) });
    const proposedRuns = await runsOf(proposed, true);
    await measure(1, connections, mix(proposedRuns));
    rows.push({ target: 'sql', scenario: 'mix, proposed fix (see plans)', ...(await measure(seconds, connections, mix(proposedRuns))) });

    t = performance.now();
    api = await startApi(target.url, connections);
    if ('skipped' in api) {
      log(`HTTP benchmark skipped: ${api.skipped}`);
    } else {
      log(`API listening on ${api.base} (built in ${ms(performance.now() - t)} ms)`);
      const paths = await httpPaths(api.base);
      await autocannonRun(api.base, paths, 1, connections); // warm-up
      for (const [i, s] of SCENARIOS.entries()) {
        rows.push({ target: 'http', scenario: s.name, ...(await autocannonRun(api.base, [paths[i]!], perScenario, connections)) });
      }
      rows.push({ target: 'http', scenario: 'mix of all above', ...(await autocannonRun(api.base, paths, seconds, connections)) });
    }
    log(`Load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

    log('');
    log(`${listingCount} listings · ${connections} concurrent connections · single-scenario runs ${perScenario} s, mixes ${seconds} s`);
    log('sql = page query (LIMIT 21) and count query in parallel, as the listings service sends them; http = GET /listings');
    log(table(rows));
    return rows;
  } finally {
    if (api && 'close' in api) await api.close();
    await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
    await database?.close();
    await target.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The SQL: mirrors server/src/modules/listings/search-repository.ts (page + count).

/** "garde d'enf" -> "garde & d & enf:*", the API's prefix form for search-as-you-type. */
function prefixQuery(q: string): string | null {
  if (/"|(^|\s)-|(^|\s)or(\s|$)/i.test(q)) return null;
  const words = q.normalize('NFC').split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean).slice(0, 8);
  return words.length ? `${words.join(' & ')}:*` : null;
}

function tsQuery(sql: Sql, q: string, dedupe: boolean): Fragment {
  const prefix = prefixQuery(q);
  if (dedupe) {
    // Proposed: the prefix form alone when there is one (it matches everything the plain form
    // does), and one branch when French and English give the same query. Duplicate OR branches
    // make PostgreSQL count the same term several times and overestimate the matches.
    const fn = prefix ? sql`to_tsquery` : sql`websearch_to_tsquery`;
    const text = prefix ?? q;
    const fr = () => sql`${fn}('french', tissu_unaccent(${text}))`;
    const en = () => sql`${fn}('english', tissu_unaccent(${text}))`;
    return sql`(CASE WHEN ${fr()} = ${en()} THEN ${fr()} ELSE ${fr()} || ${en()} END)`;
  }
  return sql`(websearch_to_tsquery('french', tissu_unaccent(${q})) || websearch_to_tsquery('english', tissu_unaccent(${q}))${
    prefix ? sql` || to_tsquery('french', tissu_unaccent(${prefix})) || to_tsquery('english', tissu_unaccent(${prefix}))` : sql``
  })`;
}

const rankOf = (sql: Sql, q: string, dedupe: boolean) => sql`ts_rank(l.search, ${tsQuery(sql, q, dedupe)})`;

function conditions(sql: Sql, s: Search, dedupe: boolean) {
  const where: Fragment[] = [sql`l.status = 'active'`, sql`c.status = 'approved'`];
  if (s.q) where.push(sql`l.search @@ ${tsQuery(sql, s.q, dedupe)}`);
  if (s.category) where.push(sql`l.category = ${s.category}`);
  if (s.borough) {
    where.push(sql`((l.location_mode = 'client_place' AND l.boroughs @> ARRAY[${s.borough}]::text[])
      OR (l.location_mode = 'at_coop' AND c.region = ${s.borough}))`);
  }
  if (s.minPrice !== undefined) where.push(sql`l.price_cents >= ${s.minPrice}`);
  if (s.maxPrice !== undefined) where.push(sql`l.price_cents <= ${s.maxPrice}`);
  return where;
}

const and = (sql: Sql, parts: Fragment[]): Fragment => parts.reduce((acc, p) => sql`${acc} AND ${p}`);

interface Keyset {
  key: number | string;
  id: string;
}

function order(s: Search): Sort {
  return s.sort ?? (s.q ? 'relevance' : 'newest');
}

function pageQuery(sql: Sql, s: Search, from: Keyset | null, dedupe = false) {
  const sort = order(s);
  const where = conditions(sql, s, dedupe);
  const rank = () => rankOf(sql, s.q!, dedupe);
  if (from) {
    if (sort === 'relevance') {
      where.push(sql`(${rank()} < ${from.key}::real OR (${rank()} = ${from.key}::real AND l.id > ${from.id}::uuid))`);
    } else if (sort === 'price_asc') where.push(sql`(l.price_cents, l.id) > (${from.key}::int, ${from.id}::uuid)`);
    else if (sort === 'price_desc') where.push(sql`(l.price_cents, l.id) < (${from.key}::int, ${from.id}::uuid)`);
    else where.push(sql`(l.created_at, l.id) < (${from.key}::timestamptz, ${from.id}::uuid)`);
  }
  const sortKey =
    sort === 'relevance' ? rank()
    : sort === 'newest' ? sql`to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
    : sql`l.price_cents`;
  const orderBy =
    sort === 'relevance' ? sql`${rank()} DESC, l.id ASC`
    : sort === 'price_asc' ? sql`l.price_cents ASC, l.id ASC`
    : sort === 'price_desc' ? sql`l.price_cents DESC, l.id DESC`
    : sql`l.created_at DESC, l.id DESC`;
  return sql`
    SELECT l.id, l.coop_id, l.title_fr, l.title_en, l.description_fr, l.description_en, l.category,
           l.price_kind, l.price_cents, l.duration_minutes, l.location_mode, l.boroughs,
           l.solidarity_price_cents, l.status, l.created_at, l.updated_at,
           c.id AS coop_id_, c.slug, c.legal_name, c.languages, c.status AS coop_status,
           ${sortKey} AS sort_key
    FROM listings l INNER JOIN coops c ON c.id = l.coop_id
    WHERE ${and(sql, where)}
    ORDER BY ${orderBy}
    LIMIT ${PAGE}`;
}

function countQuery(sql: Sql, s: Search, dedupe = false) {
  return sql`SELECT count(*)::int AS n FROM listings l INNER JOIN coops c ON c.id = l.coop_id WHERE ${and(sql, conditions(sql, s, dedupe))}`;
}

async function firstPageEnd(sql: Sql, scenario: Scenario, dedupe: boolean): Promise<Keyset | null> {
  if (!scenario.secondPage) return null;
  const first = await pageQuery(sql, scenario.search, null, dedupe);
  const last = first[PAGE - 2];
  if (!last) throw new Error(`${scenario.name}: fewer than two pages of results`);
  return { key: last.sort_key as number | string, id: last.id as string };
}

/** Returns one "search request" for the scenario: the page and the total, side by side as the service asks for them. */
async function prepareSqlRun(sql: Sql, scenario: Scenario, dedupe: boolean): Promise<() => Promise<unknown>> {
  const from = await firstPageEnd(sql, scenario, dedupe);
  return () => Promise.all([pageQuery(sql, scenario.search, from, dedupe), countQuery(sql, scenario.search, dedupe)]);
}

async function explain(sql: Sql, query: Fragment): Promise<string[]> {
  const rows = await sql`EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) ${query}`;
  return rows.map((r) => r['QUERY PLAN'] as string);
}

/**
 * EXPLAIN ANALYZE once per scenario, as the API sends it (unnamed statement: planned with the
 * values). Prints the plans' shape, and for text searches the proposed variant's scan.
 */
async function explainAll(current: Sql, proposed: Sql, log: (line: string) => void): Promise<void> {
  log('\nQuery plans (EXPLAIN ANALYZE; node, actual rows, ms):');
  for (const s of SCENARIOS) {
    const from = await firstPageEnd(current, s, false);
    for (const [kind, query] of [['page', pageQuery(current, s.search, from)], ['count', countQuery(current, s.search)]] as const) {
      const plan = await explain(current, query);
      log(`  ${s.name} [${kind}]`);
      for (const line of gist(plan)) log(`      ${line}`);
      if (s.search.q && !plan.some((l) => l.includes('listings_search_idx'))) log('      !! the text search does not use listings_search_idx');
    }
    if (s.search.q) {
      const fromProposed = await firstPageEnd(proposed, s, true);
      for (const [kind, query] of [['page', pageQuery(proposed, s.search, fromProposed, true)], ['count', countQuery(proposed, s.search, true)]] as const) {
        const plan = gist(await explain(proposed, query));
        const scan = plan.find((l) => /on listings l/.test(l))?.trim() ?? '?';
        log(`    proposed fix [${kind}]: ${scan}; ${plan.at(-1)}`);
      }
    }
  }
}

function gist(plan: string[]): string[] {
  const out: string[] = [];
  for (const line of plan) {
    const node = /^(\s*)(?:->\s+)?([A-Z][^(]*?)\s+\(actual time=[\d.]+\.\.([\d.]+) rows=(\d+)/.exec(line);
    if (node) out.push(`${' '.repeat(Math.floor(node[1]!.length / 2))}${node[2]} rows=${node[4]} ${node[3]} ms`);
    else if (/Execution Time/.test(line)) out.push(line.trim());
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Measuring.

type Measured = Omit<BenchRow, 'target' | 'scenario'>;

/** `connections` loops issue requests back to back until the time is up. */
async function measure(seconds: number, connections: number, request: (i: number) => Promise<unknown>): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  let next = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await request(next++);
          latencies.push(performance.now() - t0);
        } catch (e) {
          errors += 1;
          firstError ??= e;
        }
      }
    }),
  );
  if (firstError) console.error('first error:', firstError);
  return summarize(latencies, errors, performance.now() - start);
}

function summarize(latencies: number[], errors: number, elapsedMs: number): Measured {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
  return {
    requests: latencies.length + errors,
    errors,
    rps: (latencies.length / elapsedMs) * 1000,
    p50: at(50),
    p95: at(95),
    p99: at(99),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP.

type Api = { base: string; close(): Promise<void> } | { skipped: string };

/** Builds the real app (server/src/app.ts) against the bench database, on a random loopback port. */
async function startApi(url: string, connections: number): Promise<Api> {
  let database: Database | undefined;
  let dataDir: string | undefined;
  try {
    const [{ buildApp }, { loadConfig }] = await Promise.all([import('@tissu/server/app'), import('@tissu/server/env')]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tissu-bench-'));
    const config = loadConfig({
      NODE_ENV: 'test', // production would also demand real Stripe keys; logging and routes are the same
      DATABASE_URL: url,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: '0',
    });
    database = createDb(url, { max: connections });
    const app = await buildApp({ config, database });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const dir = dataDir;
    const db = database;
    const close = async () => {
      await app.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    };
    const probe = await fetch(`${base}/listings?q=menage`);
    if (probe.status !== 200) {
      await close();
      const why = probe.status === 404 ? 'GET /listings is not served yet' : `GET /listings answered ${probe.status}`;
      return { skipped: `${why} (${(await probe.text()).slice(0, 200)})` };
    }
    return { base, close };
  } catch (e) {
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    return { skipped: `the API could not be started: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function pathOf(s: Search, cursor?: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) if (v !== undefined) params.set(k, String(v));
  if (cursor) params.set('cursor', cursor);
  return `/listings?${params}`;
}

/** One path per scenario; the page-2 one carries the cursor the API handed out for page one. */
async function httpPaths(base: string): Promise<string[]> {
  return Promise.all(
    SCENARIOS.map(async (s) => {
      const first = pathOf(s.search);
      const res = await fetch(base + first);
      if (res.status !== 200) throw new Error(`GET ${first} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      if (!s.secondPage) return first;
      const body = (await res.json()) as { nextCursor?: string | null };
      if (!body.nextCursor) throw new Error(`GET ${first} gave no nextCursor`);
      return pathOf(s.search, body.nextCursor);
    }),
  );
}

interface AutocannonTracker {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (
  opts: { url: string; connections: number; duration: number; requests: { method: 'GET'; path: string }[] },
  done: (err: Error | null, result: { errors: number; timeouts: number; non2xx: number }) => void,
) => AutocannonTracker;

async function autocannonRun(base: string, paths: string[], seconds: number, connections: number): Promise<Measured> {
  // autocannon ships no type declarations; the non-literal specifier keeps tsc from asking for them.
  const { default: autocannon } = (await import('autocannon' as string)) as { default: Autocannon };
  const latencies: number[] = [];
  let failures = 0;
  const start = performance.now();
  const result = await new Promise<{ errors: number; timeouts: number; non2xx: number }>((resolve, reject) => {
    const tracker = autocannon(
      { url: base, connections, duration: seconds, requests: paths.map((p) => ({ method: 'GET' as const, path: p })) },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    tracker.on('response', (_client, status, _bytes, ms) => {
      if (status === 200) latencies.push(ms);
      else failures += 1;
    });
  });
  return summarize(latencies, failures + result.errors + result.timeouts, performance.now() - start);
}

// ---------------------------------------------------------------------------------------------
// Database and output.

interface ScratchDatabase {
  url: string;
  description: string;
  close(): Promise<void>;
}

async function openScratchDatabase(serverUrl: string | undefined): Promise<ScratchDatabase> {
  const name = serverUrl ? `tissu_bench_${process.pid}` : 'tissu_bench';
  const recreate = async (adminUrl: string) => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    return admin;
  };
  if (serverUrl) {
    const admin = await recreate(serverUrl);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      description: `scratch database ${name} on DATABASE_URL's server (dropped at the end)`,
      async close() {
        await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end({ timeout: 5 });
      },
    };
  }
  const server = await startEmbeddedPostgres({ dataDir: path.join(repoRoot, '.data/pg-bench'), port: 54340, persistent: false });
  try {
    const admin = await recreate(server.adminUrl);
    await admin.end({ timeout: 5 });
  } catch (e) {
    await server.stop();
    throw e;
  }
  return { url: server.databaseUrl(name), description: 'embedded PostgreSQL on 127.0.0.1:54340 (.data/pg-bench, deleted at the end)', close: server.stop };
}

const ms = (x: number) => x.toFixed(0);

function table(rows: BenchRow[]): string {
  const head = ['target', 'scenario', 'requests', 'errors', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms'];
  const body = rows.map((r) => [r.target, r.scenario, String(r.requests), String(r.errors), r.rps.toFixed(0), r.p50.toFixed(2), r.p95.toFixed(2), r.p99.toFixed(2)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    await main({
      databaseUrl: process.env.DATABASE_URL || undefined,
      listings: flag('listings'),
      seconds: flag('seconds'),
      connections: flag('connections'),
    });
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  }
}
