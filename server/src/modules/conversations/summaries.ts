import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';
import { isIn, type ConversationRow } from './repository.js';

const { conversations, conversationReads, users, coops, listings } = schema;

// The lists' queries: each conversation with its co-op, client, title, the person's unread count and its open reports.

export interface SummaryRow {
  conversation: ConversationRow;
  coopName: string;
  coopSlug: string;
  clientName: string;
  titleFr: string | null;
  titleEn: string | null;
  unread: number;
  reports: number;
}

const summaryColumns = {
  conversation: conversations,
  coopName: coops.legalName,
  coopSlug: coops.slug,
  clientName: users.name,
  titleFr: listings.titleFr,
  titleEn: listings.titleEn,
  unread: sql<number>`coalesce(${conversationReads.unread}, 0)`.mapWith(Number),
  reports: sql<number>`(SELECT count(*) FROM message_reports mr WHERE mr.conversation_id = ${conversations.id} AND mr.resolved_at IS NULL)`.mapWith(Number),
};

function summaries(db: Tx, userId: string) {
  return db.select(summaryColumns).from(conversations)
    .innerJoin(coops, eq(coops.id, conversations.coopId))
    .innerJoin(users, eq(users.id, conversations.clientId))
    .leftJoin(listings, eq(listings.id, conversations.listingId))
    .leftJoin(conversationReads, and(eq(conversationReads.conversationId, conversations.id), eq(conversationReads.userId, userId)));
}

export async function summaryOf(db: Tx, id: string, userId: string): Promise<SummaryRow | undefined> {
  const [row] = await summaries(db, userId).where(eq(conversations.id, id));
  return row;
}

export type ListScope =
  | { kind: 'mine' }
  | { kind: 'coop'; coopId: string; asWorker: boolean }
  | { kind: 'reported' };

/** Which conversations a list shows (newest activity first). */
function scopeWhere(scope: ListScope, userId: string): SQL {
  const c = sql.raw('"conversations"');
  // Open reports only, in conversations the steward is not a party to (she does not moderate those).
  if (scope.kind === 'reported') return sql`EXISTS (SELECT 1 FROM message_reports mr WHERE mr.conversation_id = ${conversations.id} AND mr.resolved_at IS NULL) AND NOT ${isIn(c, userId)}`;
  if (scope.kind === 'coop') {
    return scope.asWorker ? sql`${eq(conversations.coopId, scope.coopId)} AND ${isIn(c, userId)}` : eq(conversations.coopId, scope.coopId)!;
  }
  // Candidates through indexes first (her own, her co-ops', her assignments), then the exact rule.
  return sql`(${conversations.clientId} = ${userId}
    OR ${conversations.coopId} IN (SELECT coop_id FROM coop_members WHERE user_id = ${userId} AND role = 'admin')
    OR ${conversations.bookingId} IN (SELECT booking_id FROM booking_workers WHERE user_id = ${userId})
    OR ${conversations.seriesId} IN (SELECT series_id FROM booking_series_workers WHERE user_id = ${userId}
      UNION SELECT b.series_id FROM booking_workers w JOIN bookings b ON b.id = w.booking_id WHERE w.user_id = ${userId} AND b.series_id IS NOT NULL))
    AND ${isIn(c, userId)}`;
}

export async function listSummaries(db: Tx, userId: string, scope: ListScope, limit: number, offset: number): Promise<{ rows: SummaryRow[]; total: number }> {
  // Threads someone wrote in: a booking's conversation is made when its page is first opened, and
  // an empty one listed (its date the opening's) went to the top of the list (found by a walk).
  const where = sql`${scopeWhere(scope, userId)} AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = ${conversations.id})`;
  const [rows, [count]] = await Promise.all([
    summaries(db, userId).where(where).orderBy(desc(conversations.lastMessageAt), desc(conversations.id)).limit(limit).offset(offset),
    db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(conversations).where(where),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** The last visible message of each conversation (for the lists' previews). */
export async function lastVisibleMessages(db: Tx, conversationIds: string[]): Promise<Map<string, { body: string; authorName: string; authorRole: string; createdAt: Date }>> {
  if (conversationIds.length === 0) return new Map();
  const rows = (await db.execute(sql`
    SELECT DISTINCT ON (m.conversation_id) m.conversation_id, m.body, m.author_role, m.created_at, u.name
    FROM messages m JOIN users u ON u.id = m.author_id
    WHERE m.conversation_id IN ${conversationIds} AND m.hidden_at IS NULL
    ORDER BY m.conversation_id, m.created_at DESC, m.id DESC`)) as unknown as { conversation_id: string; body: string; author_role: string; created_at: string | Date; name: string }[];
  return new Map(rows.map((r) => [r.conversation_id, { body: r.body, authorName: r.name, authorRole: r.author_role, createdAt: new Date(r.created_at) }]));
}

