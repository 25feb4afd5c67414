import { sql, type SQL } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { MESSAGE_AUTHOR_ROLES, VISIT_DETAILS_DAYS } from '@tissu/shared';
import { users } from './accounts.js';
import { bookings } from './bookings.js';
import { coops } from './coops.js';
import { listings } from './listings.js';
import { bookingSeries } from './series.js';
import { instant } from './types.js';

/**
 * A conversation between a client and a co-op, about one subject: an inquiry (no booking or series
 * yet; about a listing or the co-op itself), a booking, or a series. An inquiry becomes a booking's
 * (or series') conversation when the client books from it: booking_id (series_id) is set then.
 * A client has one open inquiry per co-op and listing (or none): writing again reuses it.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    coopId: uuid('coop_id').notNull().references(() => coops.id),
    clientId: uuid('client_id').notNull().references(() => users.id),
    listingId: uuid('listing_id').references(() => listings.id),
    bookingId: uuid('booking_id').references(() => bookings.id),
    seriesId: uuid('series_id').references(() => bookingSeries.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    lastMessageAt: instant('last_message_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('conversations_booking_key').on(t.bookingId),
    uniqueIndex('conversations_series_key').on(t.seriesId),
    uniqueIndex('conversations_open_inquiry_key')
      .on(t.clientId, t.coopId, sql`coalesce(${t.listingId}, '00000000-0000-0000-0000-000000000000'::uuid)`)
      .where(sql`booking_id IS NULL AND series_id IS NULL`),
    index('conversations_coop_idx').on(t.coopId, t.lastMessageAt),
    index('conversations_client_idx').on(t.clientId, t.lastMessageAt),
    check('conversations_one_subject', sql`booking_id IS NULL OR series_id IS NULL`),
  ],
);

/** What people wrote. A steward may hide one (reported): it stays, with who hid it and why. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
    authorId: uuid('author_id').notNull().references(() => users.id),
    authorRole: text('author_role', { enum: MESSAGE_AUTHOR_ROLES }).notNull(),
    body: text('body').notNull(),
    /** A time the co-op suggests in an inquiry: the listing and its start. */
    offerListingId: uuid('offer_listing_id').references(() => listings.id),
    offerStartsAt: instant('offer_starts_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
    hiddenAt: instant('hidden_at'),
    hiddenBy: uuid('hidden_by').references(() => users.id),
    hiddenReason: text('hidden_reason'),
  },
  (t) => [
    index('messages_conversation_idx').on(t.conversationId, t.createdAt),
    check('messages_offer_whole', sql`(offer_listing_id IS NULL) = (offer_starts_at IS NULL)`),
  ],
);

/**
 * Each person's state in a conversation: how many messages from others she has not read (kept as
 * a counter so the header's total is one indexed read on every page), when she last read it, and
 * when she was last emailed about it (the emails are batched per 15 minutes).
 */
export const conversationReads = pgTable(
  'conversation_reads',
  {
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    unread: integer('unread').notNull().default(0),
    lastReadAt: instant('last_read_at'),
    emailedAt: instant('emailed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    index('conversation_reads_unread_idx').on(t.userId).where(sql`unread > 0`),
    check('conversation_reads_unread', sql`unread >= 0`),
  ],
);

/** A message someone in the conversation reported, once per person; a steward resolves it (hiding the message or not). */
export const messageReports = pgTable(
  'message_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageId: uuid('message_id').notNull().references(() => messages.id),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
    reporterId: uuid('reporter_id').notNull().references(() => users.id),
    reason: text('reason').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    resolvedAt: instant('resolved_at'),
    resolvedBy: uuid('resolved_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('message_reports_once_key').on(t.messageId, t.reporterId),
    index('message_reports_open_idx').on(t.conversationId).where(sql`resolved_at IS NULL`),
  ],
);

/**
 * A visit whose worker is in its series' conversation (bookings aliased b): live, and not ended more
 * than VISIT_DETAILS_DAYS ago. A worker of one visit is not in the series for good.
 */
export const VISIT_IN_SERIES_CONVERSATION = sql`b.state IN ('requested', 'accepted', 'paid', 'completed', 'no_show')
  AND b.ends_at > now() - make_interval(days => ${sql.raw(String(VISIT_DETAILS_DAYS))})`;

/**
 * Whether the person is in the conversation `c` (an alias of conversations in the caller's SQL):
 * its client, an admin of its co-op, or a worker still in the co-op assigned to its booking, to its
 * series' team, or to one of the series' visits (VISIT_IN_SERIES_CONVERSATION). The one statement of
 * it: the conversations module (access, counts, lists) and the message emails (checked when sent) use it.
 */
export function inConversation(c: SQL, userId: string | SQL): SQL {
  return sql`(${c}.client_id = ${userId}
    OR EXISTS (SELECT 1 FROM coop_members m WHERE m.coop_id = ${c}.coop_id AND m.user_id = ${userId} AND m.role = 'admin')
    OR (${c}.booking_id IS NOT NULL AND EXISTS (
      SELECT 1 FROM booking_workers w JOIN coop_members m ON m.coop_id = ${c}.coop_id AND m.user_id = w.user_id
      WHERE w.booking_id = ${c}.booking_id AND w.user_id = ${userId}))
    OR (${c}.series_id IS NOT NULL AND EXISTS (SELECT 1 FROM coop_members m WHERE m.coop_id = ${c}.coop_id AND m.user_id = ${userId})
      AND (EXISTS (SELECT 1 FROM booking_series_workers sw WHERE sw.series_id = ${c}.series_id AND sw.user_id = ${userId})
        OR EXISTS (SELECT 1 FROM booking_workers w JOIN bookings b ON b.id = w.booking_id
          WHERE b.series_id = ${c}.series_id AND w.user_id = ${userId} AND ${VISIT_IN_SERIES_CONVERSATION}))))`;
}
