import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { LISTING_STATUSES, LOCATION_MODES, PRICE_KINDS, QUOTE_MODES } from '@tissu/shared';
import { coops } from './coops.js';
import { instant, tsvector } from './types.js';

/**
 * `search` holds both languages: French stems and English stems of the unaccented text, titles
 * weighted above the category's names (tissu_category_label, migration 0010), above descriptions.
 * A query is parsed with both configurations and OR-ed (tissu_search_query), so "menage",
 * "ménage" and "cleaning" all find a cleaning listing.
 */
export const listings = pgTable(
  'listings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id, { onDelete: 'cascade' }),
    titleFr: text('title_fr').notNull(),
    titleEn: text('title_en').notNull(),
    descriptionFr: text('description_fr').notNull(),
    descriptionEn: text('description_en').notNull(),
    category: text('category').notNull(),
    priceKind: text('price_kind', { enum: PRICE_KINDS }).notNull(),
    priceCents: integer('price_cents').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    locationMode: text('location_mode', { enum: LOCATION_MODES }).notNull(),
    boroughs: text('boroughs').array().notNull().default(sql`'{}'::text[]`),
    solidarityPriceCents: integer('solidarity_price_cents'),
    status: text('status', { enum: LISTING_STATUSES }).notNull().default('active'),
    /** Quotes: none, also (beside its price), only (on quote); the deposit a quote's acceptance pays. */
    quoteMode: text('quote_mode', { enum: QUOTE_MODES }).notNull().default('none'),
    depositPercent: integer('deposit_percent').notNull().default(0),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    /**
     * Whether its schedule (listing_schedules) has weekly hours. Kept by triggers on that table
     * (migration 0022), never written by the application: search checks it on every match, where
     * reading the schedule row cost one index probe per match.
     */
    hasWeeklyHours: boolean('has_weekly_hours').notNull().default(false),
    /**
     * Its discount on regular visits in basis points, 0 when it takes none (listing_schedules'
     * series_discount_bps while series_frequencies is not empty). Kept by the same triggers
     * (migration 0032), never written by the application: search cards show it with no read of
     * the schedule per row.
     */
    seriesDiscountBps: integer('series_discount_bps').notNull().default(0),
    /** It takes regular visits (listing_schedules' series_frequencies not empty): kept by the same triggers (migration 0034), for search's filter. */
    takesSeries: boolean('takes_series').notNull().default(false),
    /**
     * When its schedule's last day of extra hours ends (midnight after it, in the schedule's zone),
     * null without one. Kept by the triggers of 0022 (migration 0056), never written by the
     * application: "has hours" is then `has_weekly_hours OR extra_hours_until > now()`, read on the
     * listing's own row, where search ran a subquery over the schedule's exceptions per match.
     */
    extraHoursUntil: instant('extra_hours_until'),
    /**
     * Its co-op is approved: kept by triggers on coops and listings (migration 0056), never written
     * by the application, so search filters matches on their own row instead of joining the co-op.
     */
    coopApproved: boolean('coop_approved').notNull().default(false),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('french'::regconfig, tissu_unaccent(title_fr)), 'A') || setweight(to_tsvector('english'::regconfig, tissu_unaccent(title_en)), 'A') || setweight(to_tsvector('french'::regconfig, tissu_unaccent(tissu_category_label(category, 'fr'))), 'B') || setweight(to_tsvector('english'::regconfig, tissu_unaccent(tissu_category_label(category, 'en'))), 'B') || setweight(to_tsvector('french'::regconfig, tissu_unaccent(description_fr)), 'C') || setweight(to_tsvector('english'::regconfig, tissu_unaccent(description_en)), 'C')`,
      ),
  },
  (t) => [
    // Listings change rarely and are searched constantly: without a pending list the index is
    // always current, and the planner does not price in scanning one (it then prefers seq scans).
    index('listings_search_idx').using('gin', t.search).with({ fastupdate: false }),
    index('listings_boroughs_idx').using('gin', t.boroughs),
    index('listings_active_price_idx').on(t.priceCents, t.id).where(sql`status = 'active'`),
    index('listings_active_newest_idx').on(t.createdAt, t.id).where(sql`status = 'active'`),
    // `id` completes the (price, id) keyset, so a category's pages come straight off the index.
    index('listings_category_idx').on(t.category, t.priceCents, t.id).where(sql`status = 'active'`),
    index('listings_coop_idx').on(t.coopId, t.status),
    check('listings_price_positive', sql`price_cents > 0`),
    check('listings_solidarity_lower', sql`solidarity_price_cents IS NULL OR solidarity_price_cents < price_cents`),
  ],
);
