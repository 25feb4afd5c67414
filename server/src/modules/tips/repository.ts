import { and, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { tips } = schema;
export type TipRow = typeof tips.$inferSelect;

export async function tipOfBooking(db: Tx, bookingId: string): Promise<TipRow | undefined> {
  const [row] = await db.select().from(tips).where(eq(tips.bookingId, bookingId));
  return row;
}

export async function lockTip(db: Tx, id: string): Promise<TipRow | undefined> {
  const [row] = await db.select().from(tips).where(eq(tips.id, id)).for('update');
  return row;
}

export async function insertTip(db: Tx, values: typeof tips.$inferInsert): Promise<TipRow> {
  const [row] = await db.insert(tips).values(values).returning();
  return row!;
}

export async function updateTip(db: Tx, id: string, values: Partial<TipRow>): Promise<TipRow> {
  const [row] = await db.update(tips).set({ ...values, updatedAt: new Date() }).where(eq(tips.id, id)).returning();
  return row!;
}

/** A co-op's tips paid in [from, to), each with the workers assigned to its visit (ids and names, by id). */
export async function paidTipsWithWorkers(db: Tx, coopId: string, from: Date, to: Date) {
  const rows = await db.execute<{ id: string; amount_cents: number; workers: { userId: string; name: string }[] | null }>(sql`
    SELECT t.id, t.amount_cents,
           (SELECT json_agg(json_build_object('userId', w.user_id, 'name', u.name) ORDER BY w.user_id)
              FROM booking_workers w JOIN users u ON u.id = w.user_id WHERE w.booking_id = t.booking_id) AS workers
      FROM tips t
     WHERE t.coop_id = ${coopId} AND t.status = 'paid' AND t.paid_at >= ${from.toISOString()}::timestamptz AND t.paid_at < ${to.toISOString()}::timestamptz
     ORDER BY t.paid_at, t.id`);
  return [...rows].map((r) => ({ id: r.id, amountCents: Number(r.amount_cents), workers: r.workers ?? [] }));
}

export async function findTip(db: Tx, id: string): Promise<TipRow | undefined> {
  const [row] = await db.select().from(tips).where(eq(tips.id, id));
  return row;
}

/** Tips paid before `paidBefore` whose Stripe fee is not known yet. */
export async function tipsMissingFee(db: Tx, paidBefore: Date, limit: number): Promise<string[]> {
  const rows = await db.select({ id: tips.id }).from(tips)
    .where(and(eq(tips.status, 'paid'), isNotNull(tips.paymentIntentId), isNull(tips.processorFeeCents), lt(tips.paidAt, paidBefore)))
    .limit(limit);
  return rows.map((r) => r.id);
}
