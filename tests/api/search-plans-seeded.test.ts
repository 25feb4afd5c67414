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
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/** The plans of the page and count queries GET /listings?<query> sends, with their parameters. */
async function plansOf(query: Record<string, string>): Promise<{ page: PlanNode[]; count: PlanNode[] }> {
  const sent: { query: string; params: unknown[] }[] = [];
  const db = drizzle(tdb.database.sql, { schema, logger: { logQuery: (q, params) => sent.push({ query: q, params }) } });
  await createListingsService({ db, cursorSecret: 'plans' }).search(SearchQuery.parse(query));
  const [page, count] = await Promise.all(
    sent.map(async (s) => {
      const [row] = await tdb.database.sql.unsafe(`EXPLAIN (FORMAT JSON) ${s.query}`, s.params as never[]);
      return nodes((row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
    }),
  );
  return { page: page!, count: count! };
}
const indexes = (plan: PlanNode[]) => plan.map((n) => n['Index Name']).filter(Boolean);

describe('search query plans on seeded data', () => {
  it.each(['menage', 'cleaning', 'déménagement', 'web', "garde d'enf", 'vélo', 'home clean'])(
    'q=%s: page and count go through listings_search_idx',
    async (q) => {
      const { page, count } = await plansOf({ q });
      expect(indexes(page), JSON.stringify(page)).toContain('listings_search_idx');
      expect(indexes(count), JSON.stringify(count)).toContain('listings_search_idx');
    },
  );

  it('borough: the count goes through listings_boroughs_idx', async () => {
    const { count } = await plansOf({ borough: 'plateau-mont-royal' });
    expect(indexes(count), JSON.stringify(count)).toContain('listings_boroughs_idx');
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
