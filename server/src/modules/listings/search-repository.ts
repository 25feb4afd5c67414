import { eq, gte, lte, ne, sql, type SQL } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';
import { SEARCH_TOTAL_CAP } from '@tissu/shared';
import { photoRows } from '../media/index.js';
import { listingHasHours, type ListingWithCoop } from './repository.js';
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
  regular?: boolean;
}

/** The last row of the previous page: its sort key and id. */
export type Keyset =
  | { sort: 'relevance'; key: number; id: string }
  | { sort: 'price_asc' | 'price_desc'; key: number; id: string }
  | { sort: 'newest'; key: string; id: string };

/** `photos` and `cover` as the media module sends them for a card (`photoRows.cardPhotoColumns`). */
export type SearchRow = ListingWithCoop & { sortKey: number | string; photos: photoRows.CardPhotoJson[] | null; cover: photoRows.CardPhotoJson | null };

export interface SearchPage {
  rows: SearchRow[];
  /** The matches, counted up to SEARCH_TOTAL_CAP. */
  total: number;
  /** More listings match than `total`. */
  totalCapped: boolean;
}

/** French and English stems of the unaccented query, as the `search` column is built (migrations 0007, 0022). */
const tsQuery = (text: SearchText): SQL => sql`tissu_search_query(${text.websearch}::text, ${text.prefix}::text)`;

/** The co-op's row is read for a match only when a filter asks about the co-op itself. */
const needsCoop = (f: SearchFilters): boolean => Boolean(f.language) || (f.coop !== undefined && 'slug' in f.coop);

function conditions(f: SearchFilters): SQL[] {
  // A listing nobody can book (no opening hours yet) is not shown to clients looking for one.
  // Whether its co-op is approved is a copy on the listing (migration 0056): no join per match.
  const where: SQL[] = [eq(listings.status, 'active'), eq(listings.coopApproved, true), listingHasHours];
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
  if (f.coop) where.push('id' in f.coop ? eq(listings.coopId, f.coop.id) : eq(coops.slug, f.coop.slug));
  if (f.remote !== undefined) where.push(f.remote ? eq(listings.locationMode, 'remote') : ne(listings.locationMode, 'remote'));
  if (f.regular) where.push(eq(listings.takesSeries, true));
  return where;
}

/** What `matches.sort` holds for an order: the rank, or the column an index keeps in order. */
function sortColumn(order: SearchOrder, f: SearchFilters): SQL {
  switch (order) {
    case 'relevance':
      return sql`ts_rank(${listings.search}, ${tsQuery(f.text!)})`;
    case 'price_asc':
    case 'price_desc':
      return sql`${listings.priceCents}`;
    case 'newest':
      return sql`${listings.createdAt}`;
  }
}

/** Rows of `matches` after the cursor, in the order below. */
function after(k: Keyset): SQL {
  switch (k.sort) {
    case 'relevance':
      return sql`(m.sort < ${k.key}::real OR (m.sort = ${k.key}::real AND m.id > ${k.id}::uuid))`;
    case 'price_asc':
      return sql`(m.sort, m.id) > (${k.key}::int, ${k.id}::uuid)`;
    case 'price_desc':
      return sql`(m.sort, m.id) < (${k.key}::int, ${k.id}::uuid)`;
    case 'newest':
      return sql`(m.sort, m.id) < (${k.key}::timestamptz, ${k.id}::uuid)`;
  }
}

const ORDER_BY: Record<SearchOrder, (t: string) => SQL> = {
  relevance: (t) => sql.raw(`${t}.sort DESC, ${t}.id ASC`),
  price_asc: (t) => sql.raw(`${t}.sort ASC, ${t}.id ASC`),
  price_desc: (t) => sql.raw(`${t}.sort DESC, ${t}.id DESC`),
  newest: (t) => sql.raw(`${t}.sort DESC, ${t}.id DESC`),
};

/** The cursor's key from `page.sort`. Microseconds matter: rows created in the same millisecond must still page apart. */
const KEY_OF: Record<SearchOrder, SQL> = {
  relevance: sql.raw('page.sort'),
  price_asc: sql.raw('page.sort'),
  price_desc: sql.raw('page.sort'),
  newest: sql.raw(`to_char(page.sort AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`),
};

interface Row {
  total: number;
  sort_key: number | string | null;
  id: string | null;
  coop_id: string;
  title_fr: string;
  title_en: string;
  description_fr: string;
  description_en: string;
  category: string;
  price_kind: ListingWithCoop['priceKind'];
  price_cents: number;
  duration_minutes: number;
  location_mode: ListingWithCoop['locationMode'];
  boroughs: string[];
  solidarity_price_cents: number | null;
  quote_mode: SearchRow['quoteMode'];
  deposit_percent: number;
  status: ListingWithCoop['status'];
  created_at: unknown;
  updated_at: unknown;
  series_discount_bps: number;
  takes_series: boolean;
  coop_slug: string;
  coop_name: string;
  coop_languages: string[];
  coop_status: ListingWithCoop['coop']['status'];
  photos: photoRows.CardPhotoJson[] | null;
  cover: photoRows.CardPhotoJson | null;
}

/**
 * One page in a total order (sort key, then id), starting after `from`, `limit` rows at most, and
 * the number of matches (up to SEARCH_TOTAL_CAP), in one statement:
 * - `matches` finds the listings once, with the sort key; ranked by relevance, every match must be
 *   ranked before the best come out, so `matches` is computed once (MATERIALIZED) and the page and
 *   the count both read it: each row ranked once, the scan done once. In the other orders the
 *   planner inlines it in each: the page walks an index in order and stops at `limit` rows, the
 *   count stops at SEARCH_TOTAL_CAP + 1.
 * - `page` keeps `limit` rows after the cursor, ids and keys only; full rows (and the co-op) are
 *   read for those alone, and so are their photos and their co-ops' covers (the cards'): one
 *   statement, one round trip.
 * The count comes back on every row, and on one row of nulls when nothing matches.
 */
export async function searchListings(
  db: Tx,
  f: SearchFilters,
  order: SearchOrder,
  from: Keyset | null,
  limit: number,
): Promise<SearchPage> {
  if (order === 'relevance' && !f.text) throw new Error('relevance needs a text query');
  const where = sql.join(conditions(f), sql` AND `);
  const materialized = order === 'relevance' ? sql`MATERIALIZED` : sql`NOT MATERIALIZED`;
  const cards = photoRows.cardPhotoColumns(sql.raw('l.id'), sql.raw('c.id'));
  const rows = (await db.execute(sql`
    WITH matches AS ${materialized} (
      SELECT ${listings.id} AS id, ${sortColumn(order, f)} AS sort
      FROM ${listings} ${needsCoop(f) ? sql`JOIN ${coops} ON ${coops.id} = ${listings.coopId}` : sql``}
      WHERE ${where}
    ),
    page AS (
      SELECT m.id, m.sort FROM matches m
      ${from ? sql`WHERE ${after(from)}` : sql``}
      ORDER BY ${ORDER_BY[order]('m')}
      LIMIT ${limit}
    ),
    counted AS (
      SELECT count(*)::int AS n FROM (SELECT FROM matches LIMIT ${SEARCH_TOTAL_CAP + 1}) m
    )
    SELECT counted.n AS total, ${KEY_OF[order]} AS sort_key,
      l.id, l.coop_id, l.title_fr, l.title_en, l.description_fr, l.description_en, l.category, l.price_kind,
      l.price_cents, l.duration_minutes, l.location_mode, l.boroughs, l.solidarity_price_cents, l.status, l.quote_mode, l.deposit_percent,
      l.created_at, l.updated_at, l.series_discount_bps, l.takes_series,
      c.slug AS coop_slug, c.legal_name AS coop_name, c.languages AS coop_languages, c.status AS coop_status,
      ${cards.photos} AS photos, ${cards.cover} AS cover
    FROM counted
    LEFT JOIN (page JOIN listings l ON l.id = page.id JOIN coops c ON c.id = l.coop_id) ON true
    ORDER BY ${ORDER_BY[order]('page')}
  `)) as unknown as Row[];
  const n = rows[0]?.total ?? 0;
  return {
    rows: rows.filter((r) => r.id !== null).map(toRow),
    total: Math.min(n, SEARCH_TOTAL_CAP),
    totalCapped: n > SEARCH_TOTAL_CAP,
  };
}

/** Timestamps come back as PostgreSQL writes them ("2026-03-09 12:00:00.123456+00": drizzle turns the driver's date parsing off); a Date reads either. */
const instant = (v: unknown): Date => new Date(v as string | Date);

function toRow(r: Row): SearchRow {
  return {
    id: r.id!,
    coopId: r.coop_id,
    titleFr: r.title_fr,
    titleEn: r.title_en,
    descriptionFr: r.description_fr,
    descriptionEn: r.description_en,
    category: r.category,
    priceKind: r.price_kind,
    priceCents: r.price_cents,
    durationMinutes: r.duration_minutes,
    locationMode: r.location_mode,
    boroughs: r.boroughs,
    solidarityPriceCents: r.solidarity_price_cents,
    quoteMode: r.quote_mode,
    depositPercent: r.deposit_percent,
    status: r.status,
    createdAt: instant(r.created_at),
    updatedAt: instant(r.updated_at),
    seriesDiscountBps: r.series_discount_bps,
    takesSeries: r.takes_series,
    // Search finds only listings with hours.
    hasHours: true,
    coop: { id: r.coop_id, slug: r.coop_slug, name: r.coop_name, languages: r.coop_languages, status: r.coop_status },
    sortKey: r.sort_key!,
    photos: r.photos,
    cover: r.cover,
  };
}
