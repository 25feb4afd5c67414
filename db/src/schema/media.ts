import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { coops } from './coops.js';
import { listings } from './listings.js';
import { instant } from './types.js';

/**
 * The images the media module stores. A photo's files sit in the storage (disk or bucket) under
 * `photos/<id>/<width>.<avif|webp|jpg>`, one per width in `widths`; the row is written in the same
 * transaction that checks the limits, after its files, so a row always has its files. `width` and
 * `height` are the largest variant's.
 */
export const listingPhotos = pgTable(
  'listing_photos',
  {
    id: uuid('id').primaryKey(),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    /** 0-based; the listing's row lock serialises changes, so positions stay 0..n-1. */
    position: integer('position').notNull(),
    altFr: text('alt_fr').notNull().default(''),
    altEn: text('alt_en').notNull().default(''),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    widths: integer('widths').array().notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('listing_photos_listing_idx').on(t.listingId, t.position),
    check('listing_photos_position_range', sql`${t.position} >= 0 AND ${t.position} < 8`),
    check('listing_photos_alt', sql`${t.altFr} <> '' OR ${t.altEn} <> ''`),
  ],
);

/** A co-op's logo and cover: one of each at most; a replaced one gets a new id (and new URLs). */
export const coopImages = pgTable(
  'coop_images',
  {
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['logo', 'cover'] }).notNull(),
    id: uuid('id').notNull(),
    altFr: text('alt_fr').notNull().default(''),
    altEn: text('alt_en').notNull().default(''),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    widths: integer('widths').array().notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.coopId, t.kind] }), uniqueIndex('coop_images_id_idx').on(t.id)],
);
