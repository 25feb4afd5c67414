import { and, desc, eq, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { reviews, users, bookings } = schema;

export type ReviewRow = typeof reviews.$inferSelect;

export async function insertReview(db: Tx, values: typeof reviews.$inferInsert): Promise<ReviewRow | undefined> {
  const [row] = await db.insert(reviews).values(values).onConflictDoNothing().returning();
  return row;
}

/** Sets the reply only if there is none yet: a co-op answers once. */
export async function setReplyOnce(db: Tx, id: string, reply: string): Promise<ReviewRow | undefined> {
  const [row] = await db
    .update(reviews)
    .set({ reply, repliedAt: new Date() })
    .where(and(eq(reviews.id, id), sql`${reviews.reply} IS NULL`))
    .returning();
  return row;
}

export async function findReview(db: Tx, id: string) {
  const [row] = await db.select().from(reviews).where(eq(reviews.id, id));
  return row;
}

export async function findBookingForReview(db: Tx, bookingId: string) {
  const [row] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
  return row;
}

export async function authorName(db: Tx, userId: string): Promise<string> {
  const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return row?.name ?? '';
}

/** Whether the listing or co-op whose reviews are asked for exists at all. */
export async function subjectExists(db: Tx, by: { listingId?: string; coopId?: string }): Promise<boolean> {
  const [row] = by.listingId
    ? await db.select({ id: schema.listings.id }).from(schema.listings).where(eq(schema.listings.id, by.listingId))
    : await db.select({ id: schema.coops.id }).from(schema.coops).where(eq(schema.coops.id, by.coopId!));
  return row !== undefined;
}

export async function listReviews(db: Tx, by: { listingId?: string; coopId?: string }) {
  const where = by.listingId ? eq(reviews.listingId, by.listingId) : eq(reviews.coopId, by.coopId!);
  const [items, [summary]] = await Promise.all([
    db
      .select({ review: reviews, authorName: users.name })
      .from(reviews)
      .innerJoin(users, eq(users.id, reviews.clientId))
      .where(where)
      .orderBy(desc(reviews.createdAt))
      .limit(100),
    db.select({ count: sql<number>`count(*)::int`, average: sql<string | null>`round(avg(${reviews.rating}), 2)` }).from(reviews).where(where),
  ]);
  return { items, count: summary?.count ?? 0, average: summary?.average == null ? null : Number(summary.average) };
}
