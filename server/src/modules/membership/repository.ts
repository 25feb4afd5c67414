import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { memberships, coopSettings, users, coops, coopMembers, journalEntries, journalLines, ledgerAccounts } = schema;

export type MembershipRow = typeof memberships.$inferSelect;
export type MembershipWithHolder = MembershipRow & { holderName: string; capitalCents: number; payableCents: number };

export async function settingRows(db: Tx) {
  return db.select({ key: coopSettings.key, value: coopSettings.value }).from(coopSettings);
}

/** Settings changes one at a time: each checks the others against what is stored. */
export async function lockSettings(db: Tx) {
  await db.execute(sql`SELECT pg_advisory_xact_lock(7316484)`);
}

export async function upsertSetting(db: Tx, key: string, value: unknown, by: string) {
  await db
    .insert(coopSettings)
    .values({ key, value, updatedBy: by })
    .onConflictDoUpdate({ target: coopSettings.key, set: { value, updatedBy: by, updatedAt: new Date() } });
}

/** Balance of a per-member account, credit positive (capital and payables are credit balances). */
const creditBalance = (prefix: string) => sql<number>`coalesce((
  SELECT -sum(l.amount_cents) FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id
  WHERE a.code = ${prefix} || ${memberships.id}::text), 0)`.mapWith(Number);

const withHolder = {
  m: memberships,
  holderName: sql<string>`coalesce(${users.name}, ${coops.legalName}, '')`,
  capitalCents: creditBalance('member_capital:'),
  payableCents: creditBalance('patronage_payable:'),
};

function selectWithHolder(db: Tx) {
  return db.select(withHolder).from(memberships).leftJoin(users, eq(users.id, memberships.userId)).leftJoin(coops, eq(coops.id, memberships.coopId));
}

const flatten = (r: { m: MembershipRow; holderName: string; capitalCents: number; payableCents: number }): MembershipWithHolder => ({
  ...r.m, holderName: r.holderName, capitalCents: r.capitalCents, payableCents: r.payableCents,
});

export async function insertMembership(db: Tx, values: typeof memberships.$inferInsert): Promise<MembershipRow> {
  const [row] = await db.insert(memberships).values(values).returning();
  return row!;
}

/** The open membership of a person or a co-op, if any. */
export async function openMembershipOf(db: Tx, holder: { userId: string | null; coopId: string | null }): Promise<MembershipRow | undefined> {
  const who = holder.coopId ? eq(memberships.coopId, holder.coopId) : eq(memberships.userId, holder.userId!);
  const [row] = await db.select().from(memberships).where(and(who, isNull(memberships.endedOn)));
  return row;
}

export async function lockMembership(db: Tx, id: string): Promise<MembershipRow | undefined> {
  const [row] = await db.select().from(memberships).where(eq(memberships.id, id)).for('update');
  return row;
}

export async function endMembership(db: Tx, id: string, endedOn: string) {
  await db.update(memberships).set({ endedOn }).where(eq(memberships.id, id));
}

export async function membershipWithHolder(db: Tx, id: string): Promise<MembershipWithHolder | undefined> {
  const [row] = await selectWithHolder(db).where(eq(memberships.id, id));
  return row && flatten(row);
}

/** The register: every membership, open or ended, with its holder and balances. */
export async function register(db: Tx): Promise<MembershipWithHolder[]> {
  const rows = await selectWithHolder(db).orderBy(asc(memberships.startedOn), asc(memberships.id));
  return rows.map(flatten);
}

/** A person's own memberships and those of the co-ops they administer. */
export async function membershipsOfPerson(db: Tx, userId: string): Promise<MembershipWithHolder[]> {
  const administered = db.select({ coopId: coopMembers.coopId }).from(coopMembers).where(and(eq(coopMembers.userId, userId), eq(coopMembers.role, 'admin')));
  const rows = await selectWithHolder(db)
    .where(or(eq(memberships.userId, userId), inArray(memberships.coopId, administered)))
    .orderBy(asc(memberships.startedOn), asc(memberships.id));
  return rows.map(flatten);
}

/** Movements of members' capital accounts, oldest first. */
export async function capitalMovements(db: Tx, membershipIds: string[]) {
  if (membershipIds.length === 0) return [];
  const codes = membershipIds.map((id) => `member_capital:${id}`);
  return db
    .select({ code: ledgerAccounts.code, occurredAt: journalEntries.occurredAt, kind: journalEntries.kind, memo: journalEntries.memo, amountCents: sql<number>`-${journalLines.amountCents}`.mapWith(Number) })
    .from(journalLines)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, journalLines.accountId))
    .innerJoin(journalEntries, eq(journalEntries.id, journalLines.entryId))
    .where(inArray(ledgerAccounts.code, codes))
    .orderBy(asc(journalEntries.occurredAt), asc(journalEntries.id));
}

export async function userExists(db: Tx, id: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, id));
  return Boolean(row);
}

export async function coopStatus(db: Tx, id: string) {
  const [row] = await db.select({ status: coops.status }).from(coops).where(eq(coops.id, id));
  return row?.status;
}

/** Whether the person works in (is a member of) an approved co-op that is itself an open producer member. */
export async function worksInMemberCoop(db: Tx, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ coopId: coopMembers.coopId })
    .from(coopMembers)
    .innerJoin(coops, and(eq(coops.id, coopMembers.coopId), eq(coops.status, 'approved')))
    .innerJoin(memberships, and(eq(memberships.coopId, coopMembers.coopId), eq(memberships.memberClass, 'producer'), isNull(memberships.endedOn)))
    .where(eq(coopMembers.userId, userId))
    .limit(1);
  return Boolean(row);
}

/** Memberships of a person and of the co-ops they administer, past or present. */
export async function membershipIdsOfPerson(db: Tx, userId: string): Promise<string[]> {
  const administered = db.select({ coopId: coopMembers.coopId }).from(coopMembers).where(and(eq(coopMembers.userId, userId), eq(coopMembers.role, 'admin')));
  const rows = await db.select({ id: memberships.id }).from(memberships).where(or(eq(memberships.userId, userId), inArray(memberships.coopId, administered)));
  return rows.map((r) => r.id);
}

/** Whether the person holds, or administers a co-op that holds, any membership (past or present). */
export async function isMemberPerson(db: Tx, userId: string): Promise<boolean> {
  const rows = (await db.execute(sql`
    SELECT 1 FROM memberships m WHERE m.user_id = ${userId}
    UNION ALL
    SELECT 1 FROM memberships m JOIN coop_members cm ON cm.coop_id = m.coop_id AND cm.role = 'admin' WHERE cm.user_id = ${userId}
    LIMIT 1`)) as unknown as unknown[];
  return rows.length > 0;
}
