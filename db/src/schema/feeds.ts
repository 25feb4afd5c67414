import { sql } from 'drizzle-orm';
import { check, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { CALENDAR_FEED_KINDS } from '@tissu/shared';
import { users } from './accounts.js';
import { coops } from './coops.js';
import { instant } from './types.js';

/**
 * A person's private calendar subscriptions. The address's token is never stored: it is derived
 * from `seed` with the server's secret (so the account page can show it again, and a copy of the
 * database alone opens no feed), and found again by its hash. A reset replaces seed and hash.
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: CALENDAR_FEED_KINDS }).notNull(),
    coopId: uuid('coop_id').references(() => coops.id, { onDelete: 'cascade' }),
    seed: text('seed').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('calendar_feeds_token_hash_key').on(t.tokenHash),
    // One feed per person and view: a client's has no co-op, the others one each.
    uniqueIndex('calendar_feeds_client_key').on(t.userId).where(sql`coop_id IS NULL`),
    uniqueIndex('calendar_feeds_coop_key').on(t.userId, t.kind, t.coopId).where(sql`coop_id IS NOT NULL`),
    check('calendar_feeds_coop', sql`(kind = 'client') = (coop_id IS NULL)`),
  ],
);
