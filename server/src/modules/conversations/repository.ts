import { and, asc, desc, eq, gt, inArray, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { conversations, messages, conversationReads, messageReports, users, coops, listings, coopMembers, bookings } = schema;

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

/** Whether the person is in the conversation `c` (an alias of conversations): the rule is the schema's (inConversation). */
export function isIn(c: SQL, userId: string | SQL): SQL {
  return schema.inConversation(c, userId);
}

export async function findConversation(db: Tx, id: string): Promise<ConversationRow | undefined> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
  return row;
}

/**
 * Locks the conversation for a change of its messages or reads: every such change takes this lock
 * first, then the reads rows, so two never wait on each other. NO KEY UPDATE, so the foreign keys
 * of rows inserted meanwhile (their KEY SHARE) are not blocked by it.
 */
export async function lockConversation(tx: Tx, id: string): Promise<ConversationRow | undefined> {
  const [row] = await tx.select().from(conversations).where(eq(conversations.id, id)).for('no key update');
  return row;
}

export async function conversationOf(db: Tx, subject: { bookingId: string } | { seriesId: string }): Promise<ConversationRow | undefined> {
  const [row] = await db.select().from(conversations)
    .where('bookingId' in subject ? eq(conversations.bookingId, subject.bookingId) : eq(conversations.seriesId, subject.seriesId));
  return row;
}

/** The booking's or series' conversation, made if it has none (two first asks at once make one). */
export async function ensureConversation(tx: Tx, values: { coopId: string; clientId: string; listingId: string; bookingId?: string; seriesId?: string }): Promise<ConversationRow> {
  await tx.insert(conversations).values({ ...values, bookingId: values.bookingId ?? null, seriesId: values.seriesId ?? null }).onConflictDoNothing();
  return (await conversationOf(tx, values.bookingId ? { bookingId: values.bookingId } : { seriesId: values.seriesId! }))!;
}

/** The client's open inquiry with this co-op about this listing (or none), made if she has none; concurrent starts make one. */
export async function openInquiry(tx: Tx, values: { coopId: string; clientId: string; listingId: string | null }): Promise<ConversationRow> {
  await tx.insert(conversations).values(values).onConflictDoNothing();
  const [row] = await tx.select().from(conversations).where(and(
    eq(conversations.clientId, values.clientId), eq(conversations.coopId, values.coopId),
    values.listingId ? eq(conversations.listingId, values.listingId) : isNull(conversations.listingId),
    isNull(conversations.bookingId), isNull(conversations.seriesId),
  ));
  return row!;
}

/** Binds an open inquiry of this client with this co-op to the booking or series she just made; false when it is not hers to bind. */
export async function bindInquiry(tx: Tx, id: string, by: { clientId: string; coopId: string; listingId: string }, to: { bookingId: string } | { seriesId: string }): Promise<boolean> {
  // It is about what she booked from then on (she may have asked about another of the co-op's services).
  const rows = await tx.update(conversations).set({ ...to, listingId: by.listingId })
    .where(and(eq(conversations.id, id), eq(conversations.clientId, by.clientId), eq(conversations.coopId, by.coopId), isNull(conversations.bookingId), isNull(conversations.seriesId)))
    .returning({ id: conversations.id });
  return rows.length === 1;
}

export async function insertMessage(tx: Tx, values: typeof messages.$inferInsert): Promise<MessageRow> {
  // The same instant (the transaction's now()) for both, sent together.
  const [[row]] = await Promise.all([
    tx.insert(messages).values(values).returning(),
    tx.update(conversations).set({ lastMessageAt: sql`now()` }).where(eq(conversations.id, values.conversationId)),
  ]);
  return row!;
}

export async function findMessage(db: Tx, id: string): Promise<MessageRow | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, id));
  return row;
}

export async function adminIds(db: Tx, coopId: string): Promise<string[]> {
  const rows = await db.select({ id: coopMembers.userId }).from(coopMembers).where(and(eq(coopMembers.coopId, coopId), eq(coopMembers.role, 'admin')));
  return rows.map((r) => r.id);
}

/** The workers in a booking's or series' conversation, still members of the co-op (the same rule as isIn). */
export async function workerIds(db: Tx, c: ConversationRow): Promise<string[]> {
  if (!c.bookingId && !c.seriesId) return [];
  const rows = (await db.execute(c.bookingId
    ? sql`SELECT w.user_id FROM booking_workers w JOIN coop_members m ON m.coop_id = ${c.coopId} AND m.user_id = w.user_id WHERE w.booking_id = ${c.bookingId}`
    : sql`SELECT sw.user_id FROM booking_series_workers sw JOIN coop_members m ON m.coop_id = ${c.coopId} AND m.user_id = sw.user_id WHERE sw.series_id = ${c.seriesId}
          UNION SELECT w.user_id FROM booking_workers w JOIN bookings b ON b.id = w.booking_id JOIN coop_members m ON m.coop_id = ${c.coopId} AND m.user_id = w.user_id
          WHERE b.series_id = ${c.seriesId} AND ${schema.VISIT_IN_SERIES_CONVERSATION}`,
  )) as unknown as { user_id: string }[];
  return rows.map((r) => r.user_id);
}

export async function isWorkerIn(db: Tx, c: ConversationRow, userId: string): Promise<boolean> {
  return (await workerIds(db, c)).includes(userId);
}

export interface ReadState { userId: string; emailedAt: Date | null; messageEmails: boolean }

/** Each person's state in the conversation, with whether she takes message emails. */
export async function readStates(tx: Tx, conversationId: string, userIds: string[]): Promise<ReadState[]> {
  if (userIds.length === 0) return [];
  const rows = await tx.select({ userId: users.id, emailedAt: conversationReads.emailedAt, messageEmails: users.messageEmails })
    .from(users)
    .leftJoin(conversationReads, and(eq(conversationReads.userId, users.id), eq(conversationReads.conversationId, conversationId)))
    .where(inArray(users.id, userIds));
  return rows;
}

/** One more unread message for each of `others`; the author has read everything up to her own message. */
export async function countNewMessage(tx: Tx, conversationId: string, authorId: string, others: string[], at: Date) {
  await tx.insert(conversationReads).values([
    { conversationId, userId: authorId, unread: 0, lastReadAt: at },
    ...others.map((userId) => ({ conversationId, userId, unread: 1 })),
  ]).onConflictDoUpdate({
    target: [conversationReads.conversationId, conversationReads.userId],
    set: {
      unread: sql`CASE WHEN excluded.user_id = ${authorId}::uuid THEN 0 ELSE ${conversationReads.unread} + 1 END`,
      lastReadAt: sql`CASE WHEN excluded.user_id = ${authorId}::uuid THEN excluded.last_read_at ELSE ${conversationReads.lastReadAt} END`,
    },
  });
}

/** Rows of people no longer in the conversation go (a worker taken off it, an admin who left). */
export async function dropReadsExcept(tx: Tx, conversationId: string, keep: string[]) {
  await tx.delete(conversationReads).where(and(eq(conversationReads.conversationId, conversationId), notInArray(conversationReads.userId, keep)));
}

export async function markEmailed(tx: Tx, conversationId: string, userIds: string[], at: Date) {
  if (userIds.length === 0) return;
  await tx.update(conversationReads).set({ emailedAt: at }).where(and(eq(conversationReads.conversationId, conversationId), inArray(conversationReads.userId, userIds)));
}

export async function markRead(db: Tx, conversationId: string, userId: string, at: Date) {
  await db.insert(conversationReads).values({ conversationId, userId, unread: 0, lastReadAt: at })
    .onConflictDoUpdate({ target: [conversationReads.conversationId, conversationReads.userId], set: { unread: 0, lastReadAt: at } });
}

/**
 * The header's count, as a scalar subquery for the caller's statement: one indexed read of the
 * person's rows with unread messages, in conversations she is still in.
 */
export function totalUnread(userId: SQL): SQL {
  return sql`(SELECT coalesce(sum(r.unread), 0)::int FROM conversation_reads r JOIN conversations c ON c.id = r.conversation_id
    WHERE r.user_id = ${userId} AND r.unread > 0 AND ${isIn(sql.raw('c'), userId)})`;
}

/** The person's unread messages in the conversations of these bookings and series (one query for a page of bookings). */
export async function unreadBySubject(db: Tx, userId: string, bookingIds: string[], seriesIds: string[]) {
  if (bookingIds.length === 0 && seriesIds.length === 0) return { byBooking: new Map<string, number>(), bySeries: new Map<string, number>() };
  const rows = await db.select({ bookingId: conversations.bookingId, seriesId: conversations.seriesId, unread: conversationReads.unread })
    .from(conversationReads)
    .innerJoin(conversations, eq(conversations.id, conversationReads.conversationId))
    .where(and(eq(conversationReads.userId, userId), gt(conversationReads.unread, 0), sql`(${conversations.bookingId} IN ${bookingIds.length ? bookingIds : [null]} OR ${conversations.seriesId} IN ${seriesIds.length ? seriesIds : [null]})`,
      isIn(sql.raw('"conversations"'), userId)));
  const byBooking = new Map<string, number>();
  const bySeries = new Map<string, number>();
  for (const r of rows) {
    if (r.bookingId) byBooking.set(r.bookingId, r.unread);
    if (r.seriesId) bySeries.set(r.seriesId, r.unread);
  }
  return { byBooking, bySeries };
}

export interface MessageJoined { message: MessageRow; authorName: string; offerTitleFr: string | null; offerTitleEn: string | null }

/** The last `limit` messages, oldest first. */
export async function messagesOf(db: Tx, conversationId: string, limit: number): Promise<MessageJoined[]> {
  const rows = await db.select({ message: messages, authorName: users.name, offerTitleFr: listings.titleFr, offerTitleEn: listings.titleEn })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.authorId))
    .leftJoin(listings, eq(listings.id, messages.offerListingId))
    .where(eq(messages.conversationId, conversationId))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  return rows.reverse();
}

export async function findMessageJoined(db: Tx, id: string): Promise<MessageJoined | undefined> {
  const [row] = await db.select({ message: messages, authorName: users.name, offerTitleFr: listings.titleFr, offerTitleEn: listings.titleEn })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.authorId))
    .leftJoin(listings, eq(listings.id, messages.offerListingId))
    .where(eq(messages.id, id));
  return row;
}

export async function reportedByUser(db: Tx, conversationId: string, userId: string): Promise<Set<string>> {
  const rows = await db.select({ id: messageReports.messageId }).from(messageReports)
    .where(and(eq(messageReports.conversationId, conversationId), eq(messageReports.reporterId, userId)));
  return new Set(rows.map((r) => r.id));
}

export async function reportsOf(db: Tx, conversationId: string) {
  return db.select({ report: messageReports, reporterName: users.name }).from(messageReports)
    .innerJoin(users, eq(users.id, messageReports.reporterId))
    .where(eq(messageReports.conversationId, conversationId))
    .orderBy(asc(messageReports.createdAt));
}

/** Whether a report of the conversation is still open: resolved ones give stewards no more reason to read it. */
export async function hasReports(db: Tx, conversationId: string): Promise<boolean> {
  const [row] = await db.select({ id: messageReports.id }).from(messageReports)
    .where(and(eq(messageReports.conversationId, conversationId), isNull(messageReports.resolvedAt))).limit(1);
  return Boolean(row);
}

/** False when this person already reported this message. */
export async function insertReport(tx: Tx, values: { messageId: string; conversationId: string; reporterId: string; reason: string }): Promise<boolean> {
  const rows = await tx.insert(messageReports).values(values).onConflictDoNothing().returning({ id: messageReports.id });
  return rows.length === 1;
}

export async function hideMessage(tx: Tx, id: string, by: string, reason: string, at: Date) {
  await tx.update(messages).set({ hiddenAt: at, hiddenBy: by, hiddenReason: reason }).where(and(eq(messages.id, id), isNull(messages.hiddenAt)));
  await tx.update(messageReports).set({ resolvedAt: at, resolvedBy: by }).where(and(eq(messageReports.messageId, id), isNull(messageReports.resolvedAt)));
}

export interface ListingRef { id: string; coopId: string; status: string; titleFr: string; titleEn: string }
export async function findListing(db: Tx, id: string): Promise<ListingRef | undefined> {
  const [row] = await db.select({ id: listings.id, coopId: listings.coopId, status: listings.status, titleFr: listings.titleFr, titleEn: listings.titleEn }).from(listings).where(eq(listings.id, id));
  return row;
}

/** A listing's length and opening hours (null: never set), for a time a co-op offers. */
export async function listingHours(db: Tx, id: string) {
  const [row] = await db
    .select({ durationMinutes: listings.durationMinutes, schedule: schema.listingSchedules })
    .from(listings)
    .leftJoin(schema.listingSchedules, eq(schema.listingSchedules.listingId, listings.id))
    .where(eq(listings.id, id));
  return row;
}

export async function findCoop(db: Tx, id: string) {
  const [row] = await db.select({ id: coops.id, status: coops.status }).from(coops).where(eq(coops.id, id));
  return row;
}

/** Whether the person deleted her account (privacy module): nobody writes to her any more. */
export async function accountDeleted(db: Tx, userId: string): Promise<boolean> {
  const [row] = await db.select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId));
  return row?.deletedAt != null;
}

export async function localeOf(db: Tx, userId: string): Promise<'fr' | 'en'> {
  const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
  return row?.locale ?? 'fr';
}

/** The booking's parties, and its series (a visit's conversation is its series'). */
export async function bookingParties(db: Tx, id: string) {
  const [row] = await db.select({ id: bookings.id, coopId: bookings.coopId, clientId: bookings.clientId, listingId: bookings.listingId, seriesId: bookings.seriesId }).from(bookings).where(eq(bookings.id, id));
  return row;
}

export async function seriesParties(db: Tx, id: string) {
  const [row] = await db.select({ id: schema.bookingSeries.id, coopId: schema.bookingSeries.coopId, clientId: schema.bookingSeries.clientId, listingId: schema.bookingSeries.listingId }).from(schema.bookingSeries).where(eq(schema.bookingSeries.id, id));
  return row;
}


/** The history of the quotes asked in a conversation (its request, offers sent, answers), oldest first. */
export async function quoteEventsOf(db: Tx, conversationId: string) {
  return db.select({ event: schema.quoteEvents, actorName: users.name }).from(schema.quoteEvents)
    .innerJoin(schema.quoteRequests, eq(schema.quoteRequests.id, schema.quoteEvents.quoteId))
    .leftJoin(users, eq(users.id, schema.quoteEvents.actorId))
    .where(eq(schema.quoteRequests.conversationId, conversationId))
    .orderBy(asc(schema.quoteEvents.id));
}
