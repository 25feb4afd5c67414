/**
 * The search scenarios, and the SQL the listings service sends for each: captured from the
 * service itself (server/src/modules/listings), so the SQL measured is the API's, not a copy.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { schema } from '@tissu/db';
import { SearchQuery } from '@tissu/shared';
import { createListingsService } from '../../server/src/modules/listings/service.js';

export interface Scenario {
  name: string;
  /** GET /listings query parameters. */
  query: Record<string, string>;
  /** Ask for the second page, with the cursor the first one handed out. */
  secondPage?: boolean;
}

export const SCENARIOS: Scenario[] = [
  { name: 'q=menage', query: { q: 'menage' } },
  { name: 'q=cleaning', query: { q: 'cleaning' } },
  { name: 'q=déménagement', query: { q: 'déménagement' } },
  { name: 'q=web', query: { q: 'web' } },
  { name: 'category=menage, 35–50 $', query: { category: 'menage', minPrice: '3500', maxPrice: '5000' } },
  { name: 'borough=plateau-mont-royal', query: { borough: 'plateau-mont-royal' } },
  { name: 'sort=price_asc', query: { sort: 'price_asc' } },
  { name: 'q=menage, page 2', query: { q: 'menage' }, secondPage: true },
];

export interface Statement {
  text: string;
  params: unknown[];
}

/** One search as the service sends it: one statement, the page (LIMIT n+1) with its photos, and the capped count. */
export interface SearchStatements {
  scenario: Scenario;
  /** The API path that sends the same statement. */
  path: string;
  statement: Statement;
}

const CURSOR_SECRET = 'bench-cursor-secret';

function pathOf(query: Record<string, string>): string {
  return `/listings?${new URLSearchParams(query)}`;
}

export async function captureStatements(sql: postgres.Sql, scenario: Scenario): Promise<SearchStatements> {
  let sent: Statement[] = [];
  const db = drizzle(sql, { schema, logger: { logQuery: (text, params) => sent.push({ text, params }) } });
  const search = createListingsService({ db, cursorSecret: CURSOR_SECRET }).search;
  let query = scenario.query;
  if (scenario.secondPage) {
    const first = await search(SearchQuery.parse(query));
    if (!first.nextCursor) throw new Error(`${scenario.name}: a single page of results`);
    query = { ...query, cursor: first.nextCursor };
    sent = [];
  }
  await search(SearchQuery.parse(query));
  if (sent.length !== 1) throw new Error(`${scenario.name}: expected one statement (the page, its photos and the count), got ${sent.length}`);
  return { scenario, path: pathOf(query), statement: sent[0]! };
}

/**
 * The statement as drizzle sends it: unnamed, so planned with the values in view. Named (prepared)
 * statements were measured and rejected: after five runs PostgreSQL keeps a generic plan, blind to
 * the words searched, and the mix fell from 783 to 412 searches/s.
 */
export async function send(sql: postgres.Sql, s: SearchStatements): Promise<unknown> {
  const st = s.statement;
  return sql.unsafe(st.text, st.params as postgres.ParameterOrJSON<never>[], { prepare: false }).values();
}

/** The scenario's API path; page 2 carries the cursor the API handed out (signed with its own secret). */
export async function apiPath(base: string, s: SearchStatements): Promise<string> {
  const first = pathOf(s.scenario.query);
  const res = await fetch(base + first);
  if (res.status !== 200) throw new Error(`GET ${first} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  if (!s.scenario.secondPage) return first;
  const body = (await res.json()) as { nextCursor?: string | null };
  if (!body.nextCursor) throw new Error(`GET ${first} gave no nextCursor`);
  return pathOf({ ...s.scenario.query, cursor: body.nextCursor });
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** "Bitmap Index Scan on listings_search_idx + Index Scan on listings_pkey (2.1 ms)" from EXPLAIN ANALYZE. */
export async function planSummary(sql: postgres.Sql, s: SearchStatements): Promise<string> {
  const st = s.statement;
  const [row] = await sql.unsafe(`EXPLAIN (ANALYZE, FORMAT JSON) ${st.text}`, st.params as postgres.ParameterOrJSON<never>[]);
  const [plan] = row!['QUERY PLAN'] as { Plan: PlanNode; 'Planning Time': number; 'Execution Time': number }[];
  const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
  const scans = nodes(plan!.Plan)
    .filter((n) => n['Relation Name'] === 'listings' || n['Index Name']?.startsWith('listings'))
    .map((n) => (n['Index Name'] ? `${n['Node Type']} on ${n['Index Name']}` : n['Node Type']));
  return `${scans.join(' + ') || '?'} (planning ${plan!['Planning Time'].toFixed(1)} ms, execution ${plan!['Execution Time'].toFixed(1)} ms)`;
}
