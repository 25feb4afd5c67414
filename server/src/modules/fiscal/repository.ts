import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { fiscalYears, fiscalRecords, patronageMeasures, memberships, surplusPlans } = schema;

export type FiscalYearRow = typeof fiscalYears.$inferSelect;
export type FiscalRecordRow = typeof fiscalRecords.$inferSelect;

export async function listYears(db: Tx): Promise<FiscalYearRow[]> {
  return db.select().from(fiscalYears).orderBy(desc(fiscalYears.startsOn));
}

export async function findYear(db: Tx, id: number): Promise<FiscalYearRow | undefined> {
  const [row] = await db.select().from(fiscalYears).where(eq(fiscalYears.id, id));
  return row;
}

export async function lockYear(db: Tx, id: number, mode: 'update' | 'share' = 'update'): Promise<FiscalYearRow | undefined> {
  const [row] = await db.select().from(fiscalYears).where(eq(fiscalYears.id, id)).for(mode);
  return row;
}

/** The year a calendar date falls in, if one is defined; locked in share mode against a concurrent close. */
export async function yearOfDate(db: Tx, date: string): Promise<FiscalYearRow | undefined> {
  const [row] = await db.select().from(fiscalYears).where(and(lte(fiscalYears.startsOn, date), gte(fiscalYears.endsOn, date))).for('share');
  return row;
}

export async function overlappingYear(db: Tx, startsOn: string, endsOn: string): Promise<FiscalYearRow | undefined> {
  const [row] = await db.select().from(fiscalYears).where(and(lte(fiscalYears.startsOn, endsOn), gte(fiscalYears.endsOn, startsOn))).limit(1);
  return row;
}

export async function insertYear(db: Tx, values: typeof fiscalYears.$inferInsert): Promise<FiscalYearRow> {
  const [row] = await db.insert(fiscalYears).values(values).returning();
  return row!;
}

export async function setYearStatus(db: Tx, id: number, status: FiscalYearRow['status'], closedAt?: Date) {
  await db.update(fiscalYears).set({ status, ...(closedAt ? { closedAt } : {}) }).where(eq(fiscalYears.id, id));
}

export async function insertRecord(db: Tx, values: typeof fiscalRecords.$inferInsert): Promise<FiscalRecordRow> {
  const [row] = await db.insert(fiscalRecords).values(values).returning();
  return row!;
}

export async function listRecords(db: Tx, range?: { startsOn: string; endsOn: string }): Promise<FiscalRecordRow[]> {
  const q = db.select().from(fiscalRecords);
  const filtered = range ? q.where(and(gte(fiscalRecords.occurredOn, range.startsOn), lte(fiscalRecords.occurredOn, range.endsOn))) : q;
  return filtered.orderBy(asc(fiscalRecords.occurredOn), asc(fiscalRecords.createdAt));
}

/**
 * Sum of each income-statement account over entries that occurred in [from, to), debits positive.
 * The entry that closes a year into its surplus (kind year_close) is not part of any year's result.
 */
export async function incomeStatementTotals(db: Tx, from: Date, to: Date): Promise<Map<string, number>> {
  const rows = (await db.execute(sql`
    SELECT a.code, sum(l.amount_cents)::bigint AS total
    FROM ledger_accounts a
    JOIN journal_lines l ON l.account_id = a.id
    JOIN journal_entries e ON e.id = l.entry_id
    WHERE a.code IN ('platform_fee_revenue', 'other_income', 'processor_fees', 'platform_expenses')
      AND e.occurred_at >= ${from.toISOString()}::timestamptz AND e.occurred_at < ${to.toISOString()}::timestamptz
      AND e.kind <> 'year_close'
    GROUP BY a.code`)) as unknown as { code: string; total: bigint }[];
  return new Map(rows.map((r) => [r.code, Number(r.total)]));
}

export async function measureSummary(db: Tx, yearId: number) {
  return db
    .select({ memberClass: memberships.memberClass, members: sql<number>`count(DISTINCT ${patronageMeasures.membershipId})::int`, units: sql<number>`coalesce(sum(${patronageMeasures.units}), 0)::bigint`.mapWith(Number) })
    .from(patronageMeasures)
    .innerJoin(memberships, eq(memberships.id, patronageMeasures.membershipId))
    .where(eq(patronageMeasures.fiscalYearId, yearId))
    .groupBy(memberships.memberClass);
}

export async function plansOfYear(db: Tx, yearId: number) {
  return db.select({ id: surplusPlans.id, status: surplusPlans.status, createdAt: surplusPlans.createdAt }).from(surplusPlans).where(eq(surplusPlans.fiscalYearId, yearId)).orderBy(asc(surplusPlans.createdAt));
}

/** Completed bookings that started in [from, to) and their service value net of refunds. */
export async function bookingVolume(db: Tx, from: Date, to: Date): Promise<{ count: number; valueCents: number }> {
  const [row] = (await db.execute(sql`
    SELECT count(DISTINCT b.id)::int AS count, coalesce(sum(p.service_cents - coalesce(r.service_cents, 0)), 0)::bigint AS value
    FROM bookings b
    JOIN payments p ON p.booking_id = b.id AND p.status IN ('paid', 'partially_refunded', 'refunded')
    LEFT JOIN (SELECT payment_id, sum(service_cents) AS service_cents FROM refunds GROUP BY payment_id) r ON r.payment_id = p.id
    WHERE b.state = 'completed' AND b.starts_at >= ${from.toISOString()}::timestamptz AND b.starts_at < ${to.toISOString()}::timestamptz`)) as unknown as { count: number; value: bigint }[];
  return { count: row?.count ?? 0, valueCents: Number(row?.value ?? 0) };
}

/** Memberships in force at some point of the year, and how many of them are co-ops. */
export async function membersDuring(db: Tx, startsOn: string, endsOn: string): Promise<{ members: number; coops: number }> {
  const [row] = await db
    .select({ members: sql<number>`count(*)::int`, coops: sql<number>`count(${memberships.coopId})::int` })
    .from(memberships)
    .where(and(lte(memberships.startedOn, endsOn), sql`(${memberships.endedOn} IS NULL OR ${memberships.endedOn} > ${startsOn}::date)`));
  return { members: row?.members ?? 0, coops: row?.coops ?? 0 };
}

/** The plan the members adopted for a year (approved or paid), if any. */
export async function adoptedPlanOfYear(db: Tx, yearId: number) {
  const [row] = await db.select().from(surplusPlans).where(and(eq(surplusPlans.fiscalYearId, yearId), sql`${surplusPlans.status} IN ('proposed', 'approved', 'paid')`));
  return row;
}
