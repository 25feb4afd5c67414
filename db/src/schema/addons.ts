import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { ADDON_MINUTES_STEP, MAX_ADDON_MINUTES, MAX_ADDON_PRICE_CENTS } from '@tissu/shared';
import { bookings } from './bookings.js';
import { listings } from './listings.js';
import { instant } from './types.js';

/** A listing's optional extras, in the order offered (listings module, addons.ts). */
export const listingAddons = pgTable(
  'listing_addons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    nameFr: text('name_fr').notNull(),
    nameEn: text('name_en').notNull(),
    priceCents: integer('price_cents').notNull(),
    extraMinutes: integer('extra_minutes').notNull(),
    position: integer('position').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('listing_addons_listing_idx').on(t.listingId, t.position),
    check('listing_addons_price', sql`price_cents BETWEEN 0 AND ${sql.raw(String(MAX_ADDON_PRICE_CENTS))}`),
    check('listing_addons_minutes', sql`extra_minutes BETWEEN 0 AND ${sql.raw(String(MAX_ADDON_MINUTES))} AND extra_minutes % ${sql.raw(String(ADDON_MINUTES_STEP))} = 0`),
  ],
);

/**
 * What a booking's client chose, copied when booked: the listing's add-ons may be edited or
 * removed later (`addon_id` then becomes null), the booking keeps its names, price and minutes.
 */
export const bookingAddons = pgTable(
  'booking_addons',
  {
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    addonId: uuid('addon_id').references(() => listingAddons.id, { onDelete: 'set null' }),
    nameFr: text('name_fr').notNull(),
    nameEn: text('name_en').notNull(),
    priceCents: integer('price_cents').notNull(),
    extraMinutes: integer('extra_minutes').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.bookingId, t.position] }),
    index('booking_addons_addon_idx').on(t.addonId),
    check('booking_addons_amounts', sql`price_cents >= 0 AND extra_minutes >= 0`),
  ],
);
