import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { instant } from './types.js';

/**
 * A client's saved addresses (server/src/modules/addresses). Deleted for good when she removes one
 * or deletes her account: bookings keep their own copy of the address and its entry notes.
 */
export const clientAddresses = pgTable(
  'client_addresses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    street: text('street').notNull(),
    unit: text('unit').notNull().default(''),
    city: text('city').notNull(),
    postalCode: text('postal_code').notNull(),
    entryNotes: text('entry_notes').notNull().default(''),
    /** When a booking last copied it: the booking form offers the latest first. */
    lastUsedAt: instant('last_used_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('client_addresses_user_idx').on(t.userId, t.createdAt),
    check('client_addresses_entry_notes_length', sql`char_length(${t.entryNotes}) <= 1000`),
  ],
);
