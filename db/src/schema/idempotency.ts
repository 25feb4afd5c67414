import { integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { instant } from './types.js';

/**
 * One row per `Idempotency-Key` a signed-in user sent to a create route. The primary key
 * (user, key) is what makes a double click or a retried request create one thing: the first
 * request claims the key (status null while it runs), stores the answer when done, and every
 * replay gets that same status and body. `scope` (method + path) refuses one key reused
 * on another route.
 */
export const idempotentRequests = pgTable(
  'idempotent_requests',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    scope: text('scope').notNull(),
    status: integer('status'),
    body: jsonb('body'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
