import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { bookings } from './bookings.js';
import { coops } from './coops.js';
import { listings } from './listings.js';
import { instant } from './types.js';

/** A client's review of a completed booking (one per booking), and the co-op's reply. */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id').notNull().references(() => bookings.id),
    listingId: uuid('listing_id').notNull().references(() => listings.id),
    coopId: uuid('coop_id').notNull().references(() => coops.id),
    clientId: uuid('client_id').notNull().references(() => users.id),
    rating: integer('rating').notNull(),
    body: text('body').notNull(),
    reply: text('reply'),
    repliedAt: instant('replied_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reviews_booking_key').on(t.bookingId),
    index('reviews_listing_idx').on(t.listingId, t.createdAt),
    index('reviews_coop_idx').on(t.coopId),
    check('reviews_rating', sql`rating BETWEEN 1 AND 5`),
  ],
);
