import { sql } from 'drizzle-orm';
import { check, foreignKey, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { CALENDAR_FEED_KINDS } from '@tissu/shared';
import { users } from './accounts.js';
import { coopMembers, coops } from './coops.js';
import { instant } from './types.js';

/**
 * A person's private calendar subscriptions. The address's token is never stored: it is derived
 * from `seed` with the server's secret (so the account page can show it again, and a copy of the
 * database alone opens no feed), and found again by its hash. A reset replaces seed and hash.
 * A worker's or a co-op's feed belongs to the membership it was made for: it goes when she leaves
 * the co-op (and a co-op's feed when she stops being its admin, a trigger in migration 0037), so
 * being added again gives her a new address, never the old one back.
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
    foreignKey({ name: 'calendar_feeds_membership_fk', columns: [t.coopId, t.userId], foreignColumns: [coopMembers.coopId, coopMembers.userId] }).onDelete('cascade'),
  ],
);
