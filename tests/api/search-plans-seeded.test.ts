import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@tissu/db';
import { SearchQuery } from '@tissu/shared';
import { createListingsService } from '../../server/src/modules/listings/service.js';
import { searchText } from '../../server/src/modules/listings/search-text.js';
import { seedListingsForBench } from '../../scripts/seed/bulk.js';
import { createTestDatabase } from '../support/test-db.js';

/**
 * The benchmark's data at half size (5 000 listings of 14 categories across 100 co-ops, inserted
 * in bulk and analysed): the queries the listings service sends must go through the indexes.
 * Against an external server (TEST_DATABASE_URL) this assumes random_page_cost = 1.1, as README
 * asks; the embedded PostgreSQL sets it.
 */
let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  tdb = await createTestDatabase();
  await seedListingsForBench(tdb.database.db, 5000);
  await tdb.database.sql`ANALYZE`;
});
afterAll(() => tdb.drop());

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/** The plan of the search statement (page and count) GET /listings?<query> sends, with its parameters. */
async function planOf(query: Record<string, string>): Promise<PlanNode[]> {
  const sent: { query: string; params: unknown[] }[] = [];
  const db = drizzle(tdb.database.sql, { schema, logger: { logQuery: (q, params) => sent.push({ query: q, params }) } });
  await createListingsService({ db, cursorSecret: 'plans' }).search(SearchQuery.parse(query));
  // The search is one statement: the page with its photos (and co-ops' covers), and the count.
  expect(sent).toHaveLength(1);
  expect(sent[0]!.query).toMatch(/listing_photos/);
  const [row] = await tdb.database.sql.unsafe(`EXPLAIN (FORMAT JSON) ${sent[0]!.query}`, sent[0]!.params as never[]);
  return nodes((row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
}
const indexes = (plan: PlanNode[]) => plan.map((n) => n['Index Name']).filter(Boolean);
const scansOfListings = (plan: PlanNode[]) => plan.filter((n) => n['Relation Name'] === 'listings' || n['Index Name']?.startsWith('listings'));

describe('search query plans on seeded data', () => {
  it.each(['menage', 'cleaning', 'déménagement', 'web', "garde d'enf", 'vélo', 'home clean'])(
    'q=%s: the matches are found once, through listings_search_idx',
    async (q) => {
      const plan = await planOf({ q });
      expect(indexes(plan), JSON.stringify(plan)).toContain('listings_search_idx');
      // Found once (the page and the count read the same matches), then the page's rows by id.
      expect(plan.filter((n) => n['Index Name'] === 'listings_search_idx'), JSON.stringify(plan)).toHaveLength(1);
      expect(plan.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'listings'), JSON.stringify(plan)).toBe(false);
    },
  );

  it('borough: listings are read through an index, never all of them', async () => {
    const plan = await planOf({ borough: 'plateau-mont-royal' });
    expect(scansOfListings(plan).length, JSON.stringify(plan)).toBeGreaterThan(0);
    expect(plan.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'listings'), JSON.stringify(plan)).toBe(false);
  });
});

describe('the text query sent', () => {
  /** What search-repository.ts sent before migration 0007: every form OR-ed. */
  const everyForm = `(websearch_to_tsquery('french', tissu_unaccent($1)) || websearch_to_tsquery('english', tissu_unaccent($1))
    || coalesce(to_tsquery('french', tissu_unaccent($2)) || to_tsquery('english', tissu_unaccent($2)), ''::tsquery))`;

  it.each(['menage', 'cleaning', "garde d'enf", 'home clean', 'french-english', 'tune-up', '3 ½', '26-foot', 'arabe-fran', '1er', 'after renov', 'salle de bain'])(
    'q=%s finds exactly what every form OR-ed found',
    async (q) => {
      const t = searchText(q);
      const [row] = await tdb.database.sql.unsafe(
        `SELECT count(*) FILTER (WHERE search @@ ${everyForm})::int AS before,
                count(*) FILTER (WHERE search @@ tissu_search_query($3, $2))::int AS now,
                count(*) FILTER (WHERE (search @@ ${everyForm}) <> (search @@ tissu_search_query($3, $2)))::int AS differ
         FROM listings`,
        [q, t.prefix, t.websearch] as never[],
      );
      expect(row!.before, q).toBeGreaterThan(0);
      expect(row, q).toMatchObject({ now: row!.before, differ: 0 });
    },
  );
});
