import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { MemberClass } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import { insertWithKeysHeld } from '../../lib/held-keys.js';
import { arrayLiteral } from '../../lib/sql-arrays.js';

const { surplusPlans, planAllocations, memberships, fiscalYears, patronageMeasures, users, coops, coopPaymentAccounts } = schema;

export type PlanRow = typeof surplusPlans.$inferSelect;
export type AllocationRow = typeof planAllocations.$inferSelect;

export async function insertPlan(db: Tx, values: typeof surplusPlans.$inferInsert): Promise<PlanRow> {
  const [row] = await db.insert(surplusPlans).values(values).returning();
  return row!;
}

export async function findPlan(db: Tx, id: string, lock = false): Promise<PlanRow | undefined> {
  const q = db.select().from(surplusPlans).where(eq(surplusPlans.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function updatePlan(db: Tx, id: string, values: Partial<typeof surplusPlans.$inferInsert>): Promise<PlanRow> {
  const [row] = await db.update(surplusPlans).set(values).where(eq(surplusPlans.id, id)).returning();
  return row!;
}

/** Everyone the year's allocation covers, with their patronage and what an earlier paid plan carried forward for them. */
export interface AllocationMember {
  membershipId: string;
  memberClass: MemberClass;
  userId: string | null;
  coopId: string | null;
  endedOn: string | null;
  units: number;
  carriedInCents: number;
}

/**
 * Members in force at some point of the year, plus anyone with patronage measured in it or with
 * a carry-forward from the last paid plan of an earlier year (members who left keep what they earned).
 */
export async function allocationMembers(db: Tx, year: { id: number; startsOn: string; endsOn: string }): Promise<AllocationMember[]> {
  const rows = (await db.execute(sql`
    WITH measured AS (
      SELECT membership_id, sum(units)::bigint AS units FROM patronage_measures WHERE fiscal_year_id = ${year.id} GROUP BY membership_id
    ),
    carried AS (
      SELECT DISTINCT ON (pa.membership_id) pa.membership_id, pa.carried_forward_cents
      FROM plan_allocations pa
      JOIN surplus_plans sp ON sp.id = pa.plan_id AND sp.status = 'paid'
      JOIN fiscal_years fy ON fy.id = sp.fiscal_year_id AND fy.starts_on < ${year.startsOn}::date
      ORDER BY pa.membership_id, fy.starts_on DESC
    )
    SELECT m.id, m.member_class, m.user_id, m.coop_id, m.ended_on::text AS ended_on,
           coalesce(u.units, 0)::bigint AS units, coalesce(c.carried_forward_cents, 0)::bigint AS carried
    FROM memberships m
    LEFT JOIN measured u ON u.membership_id = m.id
    LEFT JOIN carried c ON c.membership_id = m.id
    WHERE (m.started_on <= ${year.endsOn}::date AND (m.ended_on IS NULL OR m.ended_on > ${year.startsOn}::date))
       OR u.units IS NOT NULL OR c.carried_forward_cents > 0
    ORDER BY m.id`)) as unknown as Record<string, unknown>[];
  return rows.map((r) => ({
    membershipId: r.id as string, memberClass: r.member_class as AllocationMember['memberClass'], userId: r.user_id as string | null, coopId: r.coop_id as string | null,
    endedOn: r.ended_on as string | null, units: Number(r.units), carriedInCents: Number(r.carried),
  }));
}

/** Patronage refunds already paid to each person in [from, to) and what was withheld on them. */
export async function paidToPeople(db: Tx, from: Date, to: Date): Promise<Map<string, { paidCents: number; withheldCents: number }>> {
  const rows = (await db.execute(sql`
    SELECT m.user_id, sum(pa.paid_cents)::bigint AS paid, sum(pa.withholding_cents)::bigint AS withheld
    FROM plan_allocations pa
    JOIN surplus_plans sp ON sp.id = pa.plan_id AND sp.status = 'paid' AND sp.paid_at >= ${from.toISOString()}::timestamptz AND sp.paid_at < ${to.toISOString()}::timestamptz
    JOIN memberships m ON m.id = pa.membership_id AND m.user_id IS NOT NULL
    GROUP BY m.user_id`)) as unknown as { user_id: string; paid: bigint; withheld: bigint }[];
  return new Map(rows.map((r) => [r.user_id, { paidCents: Number(r.paid), withheldCents: Number(r.withheld) }]));
}

/** A plan's line for one member, as the allocation computed it. */
export type AllocationLine = Omit<typeof planAllocations.$inferInsert, 'planId'>;

/**
 * All of a plan's lines in one statement, each column one array parameter: building a multi-row
 * VALUES through the query builder cost over a second of CPU for 10,000 members, and PostgreSQL's
 * limit of 65,535 parameters split it in slices. The foreign keys are checked once per plan and
 * member (held-keys.ts), not once per line: 20,000 per-row checks were 80 ms of the proposal.
 */
export async function insertAllocations(db: Tx, planId: string, rows: AllocationLine[]) {
  if (rows.length === 0) return;
  const col = (f: (r: AllocationLine) => string | number) => arrayLiteral(rows.map(f));
  const members = col((r) => r.membershipId);
  await insertWithKeysHeld(db, [
    { table: 'surplus_plans', keys: sql`SELECT ${planId}::uuid` },
    { table: 'memberships', keys: sql`SELECT unnest(${members}::uuid[])` },
  ], () => db.execute(sql`
    INSERT INTO plan_allocations (plan_id, membership_id, member_class, units, allocation_cents, cash_cents, retained_cents, carried_in_cents,
                                  paid_cents, carried_forward_cents, withholding_cents)
    SELECT ${planId}::uuid, * FROM unnest(${members}::uuid[], ${col((r) => r.memberClass)}::text[],
                         ${col((r) => r.units)}::bigint[], ${col((r) => r.allocationCents)}::bigint[], ${col((r) => r.cashCents)}::bigint[],
                         ${col((r) => r.retainedCents)}::bigint[], ${col((r) => r.carriedInCents)}::bigint[], ${col((r) => r.paidCents)}::bigint[],
                         ${col((r) => r.carriedForwardCents)}::bigint[], ${col((r) => r.withholdingCents)}::bigint[])`));
}

export async function deleteAllocations(db: Tx, planId: string) {
  await db.delete(planAllocations).where(eq(planAllocations.planId, planId));
}

/** A plan's allocations with who receives them and, for co-ops, their Stripe account. */
export async function allocationsForPayment(db: Tx, planId: string) {
  return db
    .select({ a: planAllocations, userId: memberships.userId, coopId: memberships.coopId, stripeAccountId: coopPaymentAccounts.stripeAccountId, payoutsEnabled: coopPaymentAccounts.payoutsEnabled })
    .from(planAllocations)
    .innerJoin(memberships, eq(memberships.id, planAllocations.membershipId))
    .leftJoin(coopPaymentAccounts, eq(coopPaymentAccounts.coopId, memberships.coopId))
    .where(eq(planAllocations.planId, planId))
    .orderBy(asc(planAllocations.membershipId));
}

/** Statements: allocations of proposed, approved or paid plans, for the given memberships (all when null). */
export async function statementRows(db: Tx, membershipIds: string[] | null, filter: { planId?: string; startYear?: number }) {
  const where = [inArray(surplusPlans.status, ['proposed', 'approved', 'paid'])];
  if (membershipIds) where.push(inArray(planAllocations.membershipId, membershipIds.length ? membershipIds : ['00000000-0000-0000-0000-000000000000']));
  if (filter.planId) where.push(eq(surplusPlans.id, filter.planId));
  if (filter.startYear) where.push(sql`extract(year FROM ${fiscalYears.startsOn}) = ${filter.startYear}`);
  return db
    .select({ a: planAllocations, plan: surplusPlans, year: fiscalYears, holderName: sql<string>`coalesce(${users.name}, ${coops.legalName}, '')` })
    .from(planAllocations)
    .innerJoin(surplusPlans, eq(surplusPlans.id, planAllocations.planId))
    .innerJoin(fiscalYears, eq(fiscalYears.id, surplusPlans.fiscalYearId))
    .innerJoin(memberships, eq(memberships.id, planAllocations.membershipId))
    .leftJoin(users, eq(users.id, memberships.userId))
    .leftJoin(coops, eq(coops.id, memberships.coopId))
    .where(and(...where))
    .orderBy(asc(fiscalYears.startsOn), asc(memberships.memberClass), asc(planAllocations.membershipId));
}

/** Monthly patronage of the given memberships in the given years. */
export async function monthlyMeasures(db: Tx, yearIds: number[], membershipIds: string[] | null) {
  if (yearIds.length === 0) return [];
  const where = [inArray(patronageMeasures.fiscalYearId, yearIds)];
  if (membershipIds) where.push(inArray(patronageMeasures.membershipId, membershipIds.length ? membershipIds : ['00000000-0000-0000-0000-000000000000']));
  return db.select().from(patronageMeasures).where(and(...where)).orderBy(asc(patronageMeasures.month));
}

/**
 * Queues the "plan proposed" email for every member — people, and each member co-op's admins —
 * who is in force now or has a line in the plan (`lines`: the memberships given one, passed in so
 * the emails can be queued before the lines are written), in one statement. One email per person:
 * someone who is a member and admin of two member co-ops gets one, with each of their shares in it.
 * The keys cannot collide (the proposal is created in this transaction, one row per person), so
 * the rows go in without ON CONFLICT's speculative insertion (about 20 ms of 10,000).
 * A membership names a person or a co-op, never both, so the two halves never share a pair and
 * need no UNION's duplicate removal. Each person's memberships are aggregated in the order they
 * arrive, sorted once for all: an ORDER BY inside the aggregate sorts each person's one or two
 * apart, 10,000 small sorts (about 10 ms). The email lists the shares in its own order anyway.
 */
export async function queuePlanEmails(db: Tx, planId: string, proposalId: string, lines: string[]): Promise<number> {
  const result = await db.execute(sql`
    WITH told AS (
      SELECT m.id, m.user_id, m.coop_id FROM memberships m
      WHERE m.ended_on IS NULL OR m.id IN (SELECT unnest(${arrayLiteral(lines)}::uuid[]))
    )
    INSERT INTO outbox (kind, dedupe_key, payload)
    SELECT 'email', 'proposal:' || ${proposalId} || ':' || r.user_id,
           jsonb_build_object('type', 'surplus_plan', 'message', 'proposed', 'planId', ${planId}::text, 'proposalId', ${proposalId}::text,
                              'membershipIds', jsonb_agg(r.membership_id), 'recipientId', r.user_id)
    FROM (
      SELECT t.id AS membership_id, t.user_id FROM told t WHERE t.user_id IS NOT NULL
      UNION ALL
      SELECT t.id, cm.user_id FROM told t JOIN coop_members cm ON cm.coop_id = t.coop_id AND cm.role = 'admin'
      ORDER BY user_id, membership_id
    ) r
    GROUP BY r.user_id`);
  return result.count ?? 0;
}
