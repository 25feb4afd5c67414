import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@tissu/db';
import { searchListings, type Keyset, type SearchFilters, type SearchOrder } from '../../server/src/modules/listings/search-repository.js';
import { createTestApp, signUp, type TestApp } from '../support/test-app.js';

/**
 * The search SQL must use the indexes once there is some data: 5 000 listings across 200 co-ops,
 * inserted in bulk (as an import would) and analysed, but never vacuumed.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const u = await signUp(t.app);
  const sql = t.database.sql;
  await sql`
    INSERT INTO coops (slug, legal_name, legal_form, region, languages, description_fr, description_en, founded_year, status, created_by)
    SELECT 'c' || g, 'Coop ' || g, 'worker_coop', (ARRAY['verdun','anjou','lachine','ville-marie'])[1 + g % 4], ARRAY['fr','en'],
      'Coopérative', 'Co-op', 2000, CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'approved' END, ${u.userId}
    FROM generate_series(1, 200) g`;
  await sql`
    INSERT INTO listings (coop_id, title_fr, title_en, description_fr, description_en, category, price_kind, price_cents,
      duration_minutes, location_mode, boroughs, status, created_at)
    SELECT c.id,
      (ARRAY['Ménage résidentiel','Déménagement','Garde d''enfants','Promenade de chiens','Site web','Traduction'])[1 + g % 6]
        || CASE WHEN g % 500 = 3 THEN ' en vélo-cargo' ELSE '' END,
      (ARRAY['Home cleaning','Moving','Childcare','Dog walking','Website','Translation'])[1 + g % 6],
      'Description française numéro ' || g, 'English description number ' || g,
      (ARRAY['menage','demenagement','garde-enfants','promenade-chiens','developpement-web','traduction'])[1 + g % 6],
      'hourly', 1000 + (g * 37) % 9000, 60, (ARRAY['client_place','at_coop','remote'])[1 + g % 3],
      CASE WHEN g % 3 = 0 THEN ARRAY['verdun','anjou'] ELSE '{}'::text[] END,
      CASE WHEN g % 7 = 0 THEN 'paused' ELSE 'active' END, now() - g * interval '1 minute'
    FROM generate_series(1, 5000) g JOIN coops c ON c.slug = 'c' || (1 + g % 200)`;
  // Search only finds listings with opening hours: nearly all have some, a few are still new.
  await sql`
    INSERT INTO listing_schedules (listing_id, weekly)
    SELECT id, '[{"weekday":1,"start":"09:00","end":"17:00"}]'::jsonb FROM listings WHERE hashtext(id::text) % 50 <> 0`;
  await sql`ANALYZE`;
});
afterAll(() => t.close());

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/** The plan of the one statement the repository sends (page and count), with its real parameters. */
async function pagePlan(f: SearchFilters, order: SearchOrder, from: Keyset | null): Promise<PlanNode> {
  const sent: { query: string; params: unknown[] }[] = [];
  const db = drizzle(t.database.sql, { schema, logger: { logQuery: (query, params) => sent.push({ query, params }) } });
  await searchListings(db, f, order, from, 21);
  expect(sent).toHaveLength(1);
  const [row] = await t.database.sql.unsafe(`EXPLAIN (FORMAT JSON) ${sent[0]!.query}`, sent[0]!.params as never[]);
  return (row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
}

const id = 'ffffffff-ffff-4fff-bfff-ffffffffffff';
const uses = (plan: PlanNode, index: string) => nodes(plan).find((n) => n['Index Name'] === index);
/** The conditions `index` is read with, in each place the plan reads it (the page, the count). */
const conds = (plan: PlanNode, index: string) => nodes(plan).filter((n) => n['Index Name'] === index).map((n) => n['Index Cond'] ?? '');
/** A LIMIT reads `index` with no sort in between: the page stops after its rows, in the index's order. */
const readsInOrder = (plan: PlanNode, index: string) =>
  nodes(plan).some(
    (n) => n['Node Type'] === 'Limit' && nodes(n).some((m) => m['Index Name'] === index) && !nodes(n).some((m) => /Sort/.test(m['Node Type'])),
  );

describe('search query plans', () => {
  it('a selective word goes through the GIN index, even before any vacuum', async () => {
    const plan = await pagePlan({ text: { websearch: 'velo', prefix: 'velo:*' } }, 'relevance', null);
    expect(uses(plan, 'listings_search_idx'), JSON.stringify(plan)).toBeDefined();
  });

  it.each([
    ['newest', 'listings_active_newest_idx', { sort: 'newest', key: '2025-01-01T00:00:00.000000Z', id }],
    ['price_asc', 'listings_active_price_idx', { sort: 'price_asc', key: 5000, id }],
    ['price_desc', 'listings_active_price_idx', { sort: 'price_desc', key: 5000, id }],
  ] as const)('sort=%s reads %s in order, and the next page starts inside the index', async (order, index, cursor) => {
    const first = await pagePlan({}, order, null);
    expect(uses(first, index), JSON.stringify(first)).toBeDefined();
    expect(readsInOrder(first, index), JSON.stringify(first)).toBe(true);
    const next = await pagePlan({}, order, cursor as Keyset);
    expect(conds(next, index).some((c) => /ROW/.test(c)), JSON.stringify(next)).toBe(true);
  });

  it.each([
    ['relevance', { text: { websearch: null, prefix: 'menage:*' } }],
    ['newest', {}],
    ['price_asc', {}],
    ['price_desc', { category: 'menage' }],
  ] as const)('sort=%s filters matches on their own row: no schedule read, the co-op read for the page alone', async (order, f) => {
    const plan = await pagePlan(f as SearchFilters, order, null);
    const on = (table: string) => nodes(plan).filter((n) => (n as { 'Relation Name'?: string })['Relation Name'] === table);
    // Hours and the co-op's approval are copies on the listing (migration 0056).
    expect(on('listing_schedules'), JSON.stringify(plan)).toEqual([]);
    // The co-op's name and slug, for the page's rows only: one scan of coops, after the page is cut.
    expect(on('coops'), JSON.stringify(plan)).toHaveLength(1);
  });

  it("a category's pages by price come off the category index", async () => {
    const plan = await pagePlan({ category: 'menage' }, 'price_asc', { sort: 'price_asc', key: 5000, id });
    expect(conds(plan, 'listings_category_idx').some((c) => /category.*ROW|ROW.*category/.test(c)), JSON.stringify(plan)).toBe(true);
    expect(readsInOrder(plan, 'listings_category_idx'), JSON.stringify(plan)).toBe(true);
  });
});
