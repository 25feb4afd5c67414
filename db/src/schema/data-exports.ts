import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { instant } from './types.js';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * A person's "Download my data" requests. The job builds the archive into `archive` (kept in
 * PostgreSQL, so any API instance serves it and a backup holds nothing more than the tables it was
 * made from); it is downloadable until `expires_at`, then a job empties it. The emailed link's
 * token is never stored, only its hash, and it opens the archive only for its owner, signed in.
 */
export const dataExports = pgTable(
  'data_exports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    requestedAt: instant('requested_at').notNull().defaultNow(),
    /** Set when the job built the archive (the email with the link is queued in the same transaction). */
    readyAt: instant('ready_at'),
    expiresAt: instant('expires_at'),
    failedAt: instant('failed_at'),
    /** When a job emptied the archive after its expiry. */
    deletedAt: instant('deleted_at'),
    tokenHash: text('token_hash'),
    archive: bytea('archive'),
    sizeBytes: integer('size_bytes'),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [
    index('data_exports_user_idx').on(t.userId, t.requestedAt),
    uniqueIndex('data_exports_token_key').on(t.tokenHash),
    // One request being prepared per person at a time: the database decides, whatever runs concurrently.
    uniqueIndex('data_exports_one_preparing').on(t.userId).where(sql`ready_at IS NULL AND failed_at IS NULL`),
    index('data_exports_pending_idx').on(t.requestedAt).where(sql`ready_at IS NULL AND failed_at IS NULL`),
    check('data_exports_ready_whole', sql`(ready_at IS NULL) = (expires_at IS NULL) AND (ready_at IS NULL) = (token_hash IS NULL)`),
  ],
);
