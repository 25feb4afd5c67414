import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';
import { OPEN_QUOTE_STATES, type QuoteState } from '@tissu/shared';
import { feeRateAtSql } from '../fees/index.js';

const { quoteRequests, quoteOffers, quoteEvents, listings, coops, users, coopMembers, listingSchedules, bookings, bookingSeries, coopPaymentAccounts } = schema;

export type QuoteRow = typeof quoteRequests.$inferSelect;
export type OfferRow = typeof quoteOffers.$inferSelect;
export type QuoteEventRow = typeof quoteEvents.$inferSelect;

const OPEN = sql.raw(OPEN_QUOTE_STATES.map((s) => `'${s}'`).join(', '));

/** What asking for a quote needs of the listing: its co-op, its terms, its admins, the client's name and email. */
export async function listingForQuote(db: Tx, listingId: string, clientId: string) {
  const [row] = await db
    .select({
      listing: { id: listings.id, coopId: listings.coopId, status: listings.status, quoteMode: listings.quoteMode, locationMode: listings.locationMode },
      coopStatus: coops.status,
      adminIds: sql<string[]>`ARRAY(SELECT ${coopMembers.userId} FROM ${coopMembers} WHERE ${coopMembers.coopId} = ${coops.id} AND ${coopMembers.role} = 'admin')`,
      clientName: sql<string>`(SELECT ${users.name} FROM ${users} WHERE ${users.id} = ${clientId})`,
    })
    .from(listings)
    .innerJoin(coops, eq(coops.id, listings.coopId))
    .where(eq(listings.id, listingId));
  return row;
}

export async function insertQuote(db: Tx, values: typeof quoteRequests.$inferInsert): Promise<QuoteRow> {
  const [row] = await db.insert(quoteRequests).values(values).returning();
  return row!;
}

export async function findQuote(db: Tx, id: string): Promise<QuoteRow | undefined> {
  const [row] = await db.select().from(quoteRequests).where(eq(quoteRequests.id, id));
  return row;
}

export async function lockQuote(db: Tx, id: string): Promise<QuoteRow | undefined> {
  const [row] = await db.select().from(quoteRequests).where(eq(quoteRequests.id, id)).for('update');
  return row;
}

export async function updateQuote(db: Tx, id: string, values: Partial<typeof quoteRequests.$inferInsert>): Promise<QuoteRow> {
  const [row] = await db.update(quoteRequests).set({ ...values, updatedAt: sql`now()` }).where(eq(quoteRequests.id, id)).returning();
  return row!;
}

export async function offersOf(db: Tx, quoteIds: string[]): Promise<OfferRow[]> {
  if (quoteIds.length === 0) return [];
  return db.select().from(quoteOffers).where(inArray(quoteOffers.quoteId, quoteIds)).orderBy(asc(quoteOffers.quoteId), asc(quoteOffers.version));
}

export async function insertOffer(db: Tx, values: typeof quoteOffers.$inferInsert): Promise<OfferRow> {
  const [row] = await db.insert(quoteOffers).values(values).returning();
  return row!;
}

/** Closes the request's open offer (if any) with its fate. */
export async function closeOpenOffer(db: Tx, quoteId: string, state: OfferRow['state'], reason: string | null): Promise<OfferRow | undefined> {
  const [row] = await db.update(quoteOffers).set({ state, closedAt: sql`now()`, closeReason: reason })
    .where(and(eq(quoteOffers.quoteId, quoteId), eq(quoteOffers.state, 'sent'))).returning();
  return row;
}

export async function insertEvent(db: Tx, values: typeof quoteEvents.$inferInsert) {
  await db.insert(quoteEvents).values(values);
}

export async function eventsOf(db: Tx, quoteId: string) {
  return db.select({ event: quoteEvents, actorName: users.name }).from(quoteEvents)
    .leftJoin(users, eq(users.id, quoteEvents.actorId))
    .where(eq(quoteEvents.quoteId, quoteId)).orderBy(asc(quoteEvents.id));
}

/** Names, the listing's zone and the booking made, for the answers. */
export async function quoteContext(db: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: quoteRequests.id,
      listing: { id: listings.id, titleFr: listings.titleFr, titleEn: listings.titleEn, locationMode: listings.locationMode },
      coop: { id: coops.id, slug: coops.slug, name: coops.legalName },
      clientName: users.name,
      timeZone: sql<string>`coalesce(${listingSchedules.timeZone}, 'America/Toronto')`,
      bookingId: bookings.id,
      seriesId: bookingSeries.id,
    })
    .from(quoteRequests)
    .innerJoin(listings, eq(listings.id, quoteRequests.listingId))
    .innerJoin(coops, eq(coops.id, quoteRequests.coopId))
    .innerJoin(users, eq(users.id, quoteRequests.clientId))
    .leftJoin(listingSchedules, eq(listingSchedules.listingId, listings.id))
    .leftJoin(bookings, eq(bookings.quoteId, quoteRequests.id))
    .leftJoin(bookingSeries, eq(bookingSeries.quoteId, quoteRequests.id))
    .where(inArray(quoteRequests.id, ids));
}

export async function listQuotes(db: Tx, f: { clientId?: string; coopIds?: string[]; scope: 'open' | 'closed' | 'all' }): Promise<QuoteRow[]> {
  const conds = [
    f.clientId ? eq(quoteRequests.clientId, f.clientId) : undefined,
    f.coopIds ? inArray(quoteRequests.coopId, f.coopIds.length ? f.coopIds : ['00000000-0000-0000-0000-000000000000']) : undefined,
    f.scope === 'open' ? sql`${quoteRequests.state} IN (${OPEN})` : f.scope === 'closed' ? sql`${quoteRequests.state} NOT IN (${OPEN})` : undefined,
  ].filter(Boolean);
  return db.select().from(quoteRequests).where(and(...conds)).orderBy(desc(quoteRequests.createdAt)).limit(200);
}

export async function adminCoops(db: Tx, userId: string): Promise<string[]> {
  const rows = await db.select({ coopId: coopMembers.coopId }).from(coopMembers).where(and(eq(coopMembers.userId, userId), eq(coopMembers.role, 'admin')));
  return rows.map((r) => r.coopId);
}

export async function adminIds(db: Tx, coopId: string): Promise<string[]> {
  const rows = await db.select({ userId: coopMembers.userId }).from(coopMembers).where(and(eq(coopMembers.coopId, coopId), eq(coopMembers.role, 'admin')));
  return rows.map((r) => r.userId);
}

/** The fee rate in force now, and the co-op's tax registration: what an offer is priced with. */
export async function pricingTerms(db: Tx, coopId: string, at: Date) {
  const [row] = await db
    .select({
      feeRateBps: feeRateAtSql(at),
      gst: sql<boolean>`coalesce((SELECT ${coopPaymentAccounts.gstRegistered} FROM ${coopPaymentAccounts} WHERE ${coopPaymentAccounts.coopId} = ${coops.id}), false)`,
      qst: sql<boolean>`coalesce((SELECT ${coopPaymentAccounts.qstRegistered} FROM ${coopPaymentAccounts} WHERE ${coopPaymentAccounts.coopId} = ${coops.id}), false)`,
    })
    .from(coops)
    .where(eq(coops.id, coopId));
  return row!;
}

export async function listingDeposit(db: Tx, listingId: string): Promise<number> {
  const [row] = await db.select({ d: listings.depositPercent }).from(listings).where(eq(listings.id, listingId));
  return row?.d ?? 0;
}

export async function clientContact(db: Tx, userId: string) {
  const [row] = await db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, userId));
  return row!;
}

/** Open requests whose wait is over, locked, oldest first. */
export async function lockExpired(db: Tx, now: Date, limit: number): Promise<QuoteRow[]> {
  return db.select().from(quoteRequests)
    .where(and(sql`${quoteRequests.state} IN (${OPEN})`, lte(quoteRequests.expiresAt, now)))
    .orderBy(asc(quoteRequests.expiresAt)).limit(limit).for('update', { skipLocked: true });
}

export type { QuoteState };
