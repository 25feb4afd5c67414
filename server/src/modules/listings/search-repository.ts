import { and, asc, desc, eq, gte, lte, ne, sql, type SQL } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';
import { listingColumns, listingCoopColumns, listingHasHours, type ListingWithCoop } from './repository.js';
import type { SearchText } from './search-text.js';

const { listings, coops } = schema;

export type SearchOrder = 'relevance' | 'price_asc' | 'price_desc' | 'newest';

export interface SearchFilters {
  text?: SearchText;
  category?: string;
  borough?: string;
  minPrice?: number;
  maxPrice?: number;
  language?: string;
  coop?: { id: string } | { slug: string };
  remote?: boolean;
}

/** The last row of the previous page: its sort key and id. */
export type Keyset =
  | { sort: 'relevance'; key: number; id: string }
  | { sort: 'price_asc' | 'price_desc'; key: number; id: string }
  | { sort: 'newest'; key: string; id: string };

export type SearchRow = ListingWithCoop & { sortKey: number | string };

/** French and English stems of the unaccented query, as the `search` column is built (migration 0007). */
const tsQuery = (text: SearchText): SQL => sql`tissu_search_query(${text.websearch}::text, ${text.prefix}::text)`;

const rankOf = (text: SearchText) => sql<number>`ts_rank(${listings.search}, ${tsQuery(text)})`;

/** Microseconds matter: rows created in the same millisecond must still page apart. */
const createdAtKey = sql<string>`to_char(${listings.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function conditions(f: SearchFilters): SQL[] {
  // A listing nobody can book (no opening hours yet) is not shown to clients looking for one.
  const where: SQL[] = [eq(listings.status, 'active'), eq(coops.status, 'approved'), listingHasHours];
  if (f.text) where.push(sql`${listings.search} @@ ${tsQuery(f.text)}`);
  if (f.category) where.push(eq(listings.category, f.category));
  if (f.borough) {
    // A borough means "can happen there": listings served at the client's place in that borough,
    // or held at a co-op whose premises are in it (the listings service keeps those carrying the
    // co-op's region). Remote listings have no place, even one given boroughs before they went
    // remote, so a borough filter leaves them out; `remote=true` finds them.
    where.push(sql`${listings.boroughs} @> ARRAY[${f.borough}]::text[]`, ne(listings.locationMode, 'remote'));
  }
  if (f.minPrice !== undefined) where.push(gte(listings.priceCents, f.minPrice));
  if (f.maxPrice !== undefined) where.push(lte(listings.priceCents, f.maxPrice));
  if (f.language) where.push(sql`${coops.languages} @> ARRAY[${f.language}]::text[]`);
  if (f.coop) where.push('id' in f.coop ? eq(coops.id, f.coop.id) : eq(coops.slug, f.coop.slug));
  if (f.remote !== undefined) where.push(f.remote ? eq(listings.locationMode, 'remote') : ne(listings.locationMode, 'remote'));
  return where;
}

function after(k: Keyset, f: SearchFilters): SQL {
  switch (k.sort) {
    case 'relevance': {
      const rank = rankOf(f.text!);
      return sql`(${rank} < ${k.key}::real OR (${rank} = ${k.key}::real AND ${listings.id} > ${k.id}::uuid))`;
    }
    case 'price_asc':
      return sql`(${listings.priceCents}, ${listings.id}) > (${k.key}::int, ${k.id}::uuid)`;
    case 'price_desc':
      return sql`(${listings.priceCents}, ${listings.id}) < (${k.key}::int, ${k.id}::uuid)`;
    case 'newest':
      return sql`(${listings.createdAt}, ${listings.id}) < (${k.key}::timestamptz, ${k.id}::uuid)`;
  }
}

/** One page in a total order (sort key, then id), starting after `from`; `limit` rows at most. */
export async function searchListings(
  db: Tx,
  f: SearchFilters,
  order: SearchOrder,
  from: Keyset | null,
  limit: number,
): Promise<SearchRow[]> {
  if (order === 'relevance' && !f.text) throw new Error('relevance needs a text query');
  const sortKey =
    order === 'relevance' ? rankOf(f.text!).mapWith(Number)
    : order === 'newest' ? createdAtKey
    : sql<number>`${listings.priceCents}`.mapWith(Number);
  const orderBy =
    order === 'relevance' ? [desc(sql`${rankOf(f.text!)}`), asc(listings.id)]
    : order === 'price_asc' ? [asc(listings.priceCents), asc(listings.id)]
    : order === 'price_desc' ? [desc(listings.priceCents), desc(listings.id)]
    : [desc(listings.createdAt), desc(listings.id)];
  const where = conditions(f);
  if (from) where.push(after(from, f));
  const rows = await db
    .select({ listing: listingColumns, coop: listingCoopColumns, sortKey })
    .from(listings)
    .innerJoin(coops, eq(coops.id, listings.coopId))
    .where(and(...where))
    .orderBy(...orderBy)
    .limit(limit);
  return rows.map((r) => ({ ...r.listing, coop: r.coop, sortKey: r.sortKey }));
}

export async function countListings(db: Tx, f: SearchFilters): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(listings)
    .innerJoin(coops, eq(coops.id, listings.coopId))
    .where(and(...conditions(f)));
  return row?.n ?? 0;
}
