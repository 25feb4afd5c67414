import { and, eq, gte, inArray, isNull } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { membershipApplications: applications, users } = schema;

export type ApplicationRow = typeof applications.$inferSelect;

export async function insertApplication(db: Tx, values: typeof applications.$inferInsert): Promise<ApplicationRow> {
  const [row] = await db.insert(applications).values(values).returning();
  return row!;
}

export async function updateApplication(db: Tx, id: string, set: Partial<typeof applications.$inferInsert>): Promise<ApplicationRow> {
  const [row] = await db.update(applications).set(set).where(eq(applications.id, id)).returning();
  return row!;
}

/** The holder's application still waiting for payment, if any. */
export async function openApplicationOf(db: Tx, holder: { userId: string | null; coopId: string | null }): Promise<ApplicationRow | undefined> {
  const who = holder.coopId ? eq(applications.coopId, holder.coopId) : and(eq(applications.userId, holder.userId!), isNull(applications.coopId));
  const [row] = await db.select().from(applications).where(and(who, eq(applications.status, 'open')));
  return row;
}

export async function lockApplication(db: Tx, where: { id?: string; checkoutSessionId?: string }): Promise<ApplicationRow | undefined> {
  const cond = where.id ? eq(applications.id, where.id) : eq(applications.checkoutSessionId, where.checkoutSessionId!);
  const [row] = await db.select().from(applications).where(cond).for('update');
  return row;
}

export async function personForCheckout(db: Tx, userId: string) {
  const [row] = await db.select({ email: users.email, locale: users.locale }).from(users).where(eq(users.id, userId));
  return row;
}

/** Shares paid online since a date, for the reconciliation with Stripe. */
export async function sharesPaidSince(db: Tx, since: Date) {
  return db
    .select({ paymentIntentId: applications.paymentIntentId, shareCents: applications.shareCents })
    .from(applications)
    .where(and(inArray(applications.status, ['paid', 'unapplied']), gte(applications.paidAt, since)));
}
