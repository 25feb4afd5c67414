import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { coopMembers, coops } from './coops.js';
import { instant } from './types.js';

/**
 * A worker-member away from her co-op between two instants (an all-day absence covers whole days on
 * the co-op's clock). Nobody assigns her then. The exclusion constraint added in the migration
 * (time_off_no_overlap) refuses two overlapping absences of one person at one co-op, whatever runs
 * concurrently. It belongs to the membership: it goes when she leaves the co-op.
 */
export const timeOff = pgTable(
  'time_off',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    allDay: boolean('all_day').notNull().default(false),
    /** Seen by the co-op's admins and by her, never by the other workers. */
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('time_off_coop_idx').on(t.coopId, t.endsAt),
    index('time_off_user_idx').on(t.userId, t.startsAt),
    check('time_off_order', sql`ends_at > starts_at`),
    // At most a year at once: a typo in a year field is not a sabbatical.
    check('time_off_span', sql`ends_at <= starts_at + interval '366 days'`),
    foreignKey({ name: 'time_off_membership_fk', columns: [t.coopId, t.userId], foreignColumns: [coopMembers.coopId, coopMembers.userId] }).onDelete('cascade'),
  ],
);
