import { and, asc, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { proposals, votes, memberships, coopMembers, users, coops } = schema;

export type ProposalRow = typeof proposals.$inferSelect;
export type VoteRow = typeof votes.$inferSelect;

export async function insertProposal(db: Tx, values: typeof proposals.$inferInsert): Promise<ProposalRow> {
  const [row] = await db.insert(proposals).values(values).returning();
  return row!;
}

export async function findProposal(db: Tx, id: string, lock = false): Promise<ProposalRow | undefined> {
  const q = db.select().from(proposals).where(eq(proposals.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function listProposals(db: Tx): Promise<ProposalRow[]> {
  return db.select().from(proposals).orderBy(desc(proposals.closesAt), desc(proposals.createdAt));
}

export async function latestProposalOfPlan(db: Tx, planId: string): Promise<ProposalRow | undefined> {
  const [row] = await db.select().from(proposals).where(eq(proposals.planId, planId)).orderBy(desc(proposals.createdAt)).limit(1);
  return row;
}

/** Open proposals whose vote is over, locked; a proposal another worker is closing is skipped. */
export async function lockDueProposals(db: Tx, now: Date, limit = 20): Promise<ProposalRow[]> {
  return db.select().from(proposals).where(and(eq(proposals.status, 'open'), lte(proposals.closesAt, now))).orderBy(asc(proposals.closesAt)).limit(limit).for('update', { skipLocked: true });
}

export async function decideProposal(db: Tx, id: string, status: ProposalRow['status'], decidedAt: Date) {
  await db.update(proposals).set({ status, decidedAt }).where(eq(proposals.id, id));
}

export async function tallies(db: Tx, proposalIds: string[]) {
  if (proposalIds.length === 0) return [];
  return db
    .select({ proposalId: votes.proposalId, choice: votes.choice, count: sql<number>`count(*)::int` })
    .from(votes)
    .where(inArray(votes.proposalId, proposalIds))
    .groupBy(votes.proposalId, votes.choice);
}

/** A membership is in force on `day` when it started on or before it and had not ended by it. */
const inForceOn = (day: string) => sql`${memberships.startedOn} <= ${day}::date AND (${memberships.endedOn} IS NULL OR ${memberships.endedOn} > ${day}::date)`;

/** How many memberships could vote: those in force on the day the vote opened. */
export async function eligibleCount(db: Tx, day: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(memberships).where(inForceOn(day));
  return row?.n ?? 0;
}

/**
 * The memberships a person may vote for on a vote opened on `day`: their own, and those of the
 * member co-ops they administer (a co-op votes once, by any one of its admins).
 */
export async function votingMemberships(db: Tx, userId: string, day: string) {
  const administered = db.select({ coopId: coopMembers.coopId }).from(coopMembers).where(and(eq(coopMembers.userId, userId), eq(coopMembers.role, 'admin')));
  return db
    .select({ id: memberships.id, holderName: sql<string>`coalesce(${users.name}, ${coops.legalName}, '')` })
    .from(memberships)
    .leftJoin(users, eq(users.id, memberships.userId))
    .leftJoin(coops, eq(coops.id, memberships.coopId))
    .where(and(inForceOn(day), or(eq(memberships.userId, userId), inArray(memberships.coopId, administered))))
    .orderBy(asc(memberships.startedOn), asc(memberships.id));
}

/** Undefined when this membership has already voted: the primary key decides, even under concurrency. */
export async function insertVote(db: Tx, values: typeof votes.$inferInsert): Promise<VoteRow | undefined> {
  const [row] = await db.insert(votes).values(values).onConflictDoNothing().returning();
  return row;
}

export async function votesOfMemberships(db: Tx, proposalIds: string[], membershipIds: string[]): Promise<VoteRow[]> {
  if (proposalIds.length === 0 || membershipIds.length === 0) return [];
  return db.select().from(votes).where(and(inArray(votes.proposalId, proposalIds), inArray(votes.membershipId, membershipIds)));
}
