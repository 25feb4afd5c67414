import { and, asc, eq, gt, inArray, isNull, like, or, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { coops, coopMembers, coopInvitations, users } = schema;

export type CoopRow = typeof coops.$inferSelect;
export type CoopStatus = CoopRow['status'];
export type MemberRole = (typeof coopMembers.$inferSelect)['role'];
export type CoopWithCount = CoopRow & { listingCount: number };

// Written out in full: drizzle leaves column names unqualified in single-table queries, which
// inside this subquery would resolve to the listings table.
const activeListingCount = sql<number>`(
  SELECT count(*)::int FROM listings l WHERE l.coop_id = "coops"."id" AND l.status = 'active'
)`.mapWith(Number);

function selectCoops(db: Tx) {
  return db.select({ coop: coops, listingCount: activeListingCount }).from(coops);
}

const flatten = (r: { coop: CoopRow; listingCount: number }): CoopWithCount => ({ ...r.coop, listingCount: r.listingCount });

export async function findCoopById(db: Tx, id: string): Promise<CoopWithCount | undefined> {
  const [row] = await selectCoops(db).where(eq(coops.id, id));
  return row && flatten(row);
}

export async function findCoopBySlug(db: Tx, slug: string): Promise<CoopWithCount | undefined> {
  const [row] = await selectCoops(db).where(eq(coops.slug, slug));
  return row && flatten(row);
}

/** Approved co-ops read best by name; the stewards' queues oldest first. */
export async function listCoopsByStatus(db: Tx, status: CoopStatus): Promise<CoopWithCount[]> {
  const order = status === 'approved' ? [asc(coops.legalName), asc(coops.id)] : [asc(coops.createdAt), asc(coops.id)];
  const rows = await selectCoops(db).where(eq(coops.status, status)).orderBy(...order);
  return rows.map(flatten);
}

/** Name and email of the people who applied for co-ops, by user id (the stewards' queue). */
export async function userContacts(db: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, ids));
}

/** Slugs already taken by `base` or `base-<n>`, to pick the next free one. */
export async function slugsLike(db: Tx, base: string): Promise<string[]> {
  const escaped = base.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .select({ slug: coops.slug })
    .from(coops)
    .where(or(eq(coops.slug, base), like(coops.slug, `${escaped}-%`)));
  return rows.map((r) => r.slug);
}

/** Held until the transaction ends: one person's applications take turns (their count holds). */
export async function lockApplicant(db: Tx, userId: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`coop-applicant:${userId}`}, 0))`);
}

/** Held until the transaction ends: applications that would take slugs from one base take turns. */
export async function lockSlug(db: Tx, base: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`coop-slug:${base}`}, 0))`);
}

export async function countPendingBy(db: Tx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(coops)
    .where(and(eq(coops.createdBy, userId), eq(coops.status, 'pending')));
  return row?.n ?? 0;
}

/** Undefined when the slug was taken in the meantime (the unique index decides). */
export async function insertCoop(db: Tx, values: typeof coops.$inferInsert): Promise<CoopRow | undefined> {
  const [row] = await db.insert(coops).values(values).onConflictDoNothing({ target: coops.slug }).returning();
  return row;
}

export async function updateCoop(db: Tx, id: string, values: Partial<typeof coops.$inferInsert>): Promise<void> {
  await db.update(coops).set({ ...values, updatedAt: new Date() }).where(eq(coops.id, id));
}

/** Records a steward's decision; undefined when the co-op is not (or no longer) pending. */
export async function decidePendingCoop(
  db: Tx,
  id: string,
  decision: { status: 'approved' | 'rejected'; decidedBy: string; decisionReason: string | null },
): Promise<CoopRow | undefined> {
  const now = new Date();
  const [row] = await db
    .update(coops)
    .set({ ...decision, decidedAt: now, updatedAt: now })
    .where(and(eq(coops.id, id), eq(coops.status, 'pending')))
    .returning();
  return row;
}

/** Serialises changes to one co-op's membership (last admin, duplicate invitations). */
export async function lockCoop(db: Tx, id: string): Promise<CoopRow | undefined> {
  const [row] = await db.select().from(coops).where(eq(coops.id, id)).for('update');
  return row;
}

export async function roleIn(db: Tx, coopId: string, userId: string): Promise<MemberRole | undefined> {
  const [row] = await db
    .select({ role: coopMembers.role })
    .from(coopMembers)
    .where(and(eq(coopMembers.coopId, coopId), eq(coopMembers.userId, userId)));
  return row?.role;
}

/** Undefined when the person already belongs to the co-op. */
export async function insertMember(db: Tx, values: typeof coopMembers.$inferInsert) {
  const [row] = await db.insert(coopMembers).values(values).onConflictDoNothing().returning();
  return row;
}

export async function deleteMember(db: Tx, coopId: string, userId: string) {
  const [row] = await db
    .delete(coopMembers)
    .where(and(eq(coopMembers.coopId, coopId), eq(coopMembers.userId, userId)))
    .returning();
  return row;
}

export async function countAdmins(db: Tx, coopId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(coopMembers)
    .where(and(eq(coopMembers.coopId, coopId), eq(coopMembers.role, 'admin')));
  return row?.n ?? 0;
}

export async function membersOf(db: Tx, coopId: string) {
  return db
    .select({
      userId: coopMembers.userId,
      name: users.name,
      email: users.email,
      role: coopMembers.role,
      joinedAt: coopMembers.joinedAt,
    })
    .from(coopMembers)
    .innerJoin(users, eq(users.id, coopMembers.userId))
    .where(eq(coopMembers.coopId, coopId))
    .orderBy(asc(coopMembers.role), asc(users.name), asc(users.id));
}

export async function isMemberByEmail(db: Tx, coopId: string, email: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: coopMembers.userId })
    .from(coopMembers)
    .innerJoin(users, eq(users.id, coopMembers.userId))
    .where(and(eq(coopMembers.coopId, coopId), sql`lower(${users.email}) = lower(${email})`));
  return row !== undefined;
}

export type InvitationRow = typeof coopInvitations.$inferSelect;

const openInvitation = (now: Date) =>
  and(isNull(coopInvitations.acceptedAt), isNull(coopInvitations.revokedAt), gt(coopInvitations.expiresAt, now));

export async function openInvitationsOf(db: Tx, coopId: string, now = new Date()): Promise<InvitationRow[]> {
  return db
    .select()
    .from(coopInvitations)
    .where(and(eq(coopInvitations.coopId, coopId), openInvitation(now)))
    .orderBy(asc(coopInvitations.createdAt), asc(coopInvitations.id));
}

export async function hasOpenInvitation(db: Tx, coopId: string, email: string, now = new Date()): Promise<boolean> {
  const [row] = await db
    .select({ id: coopInvitations.id })
    .from(coopInvitations)
    .where(and(eq(coopInvitations.coopId, coopId), sql`lower(${coopInvitations.email}) = lower(${email})`, openInvitation(now)));
  return row !== undefined;
}

/** When this co-op invited this address since `since`, oldest first (withdrawn invitations too). */
export async function invitationTimesSince(db: Tx, coopId: string, email: string, since: Date): Promise<Date[]> {
  const rows = await db
    .select({ createdAt: coopInvitations.createdAt })
    .from(coopInvitations)
    .where(and(eq(coopInvitations.coopId, coopId), sql`lower(${coopInvitations.email}) = lower(${email})`, gt(coopInvitations.createdAt, since)))
    .orderBy(asc(coopInvitations.createdAt));
  return rows.map((r) => r.createdAt);
}

export async function countOpenInvitations(db: Tx, coopId: string, now = new Date()): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(coopInvitations)
    .where(and(eq(coopInvitations.coopId, coopId), openInvitation(now)));
  return row?.n ?? 0;
}

export async function insertInvitation(db: Tx, values: typeof coopInvitations.$inferInsert): Promise<InvitationRow> {
  const [row] = await db.insert(coopInvitations).values(values).returning();
  return row!;
}

export async function findInvitation(db: Tx, coopId: string, id: string): Promise<InvitationRow | undefined> {
  const [row] = await db
    .select()
    .from(coopInvitations)
    .where(and(eq(coopInvitations.id, id), eq(coopInvitations.coopId, coopId)));
  return row;
}

/** With its co-op's name; `lock` holds the row until the accepting transaction ends. */
export async function findInvitationByTokenHash(db: Tx, tokenHash: string, lock = false) {
  const query = db
    .select({ invitation: coopInvitations, coopName: coops.legalName })
    .from(coopInvitations)
    .innerJoin(coops, eq(coops.id, coopInvitations.coopId))
    .where(eq(coopInvitations.tokenHash, tokenHash));
  const [row] = lock ? await query.for('update', { of: coopInvitations }) : await query;
  return row;
}

/** False when it was accepted (or revoked) in the meantime. */
export async function revokeUnusedInvitation(db: Tx, id: string): Promise<boolean> {
  const rows = await db
    .update(coopInvitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(coopInvitations.id, id), isNull(coopInvitations.acceptedAt), isNull(coopInvitations.revokedAt)))
    .returning({ id: coopInvitations.id });
  return rows.length > 0;
}

export async function updateInvitation(db: Tx, id: string, values: Partial<typeof coopInvitations.$inferInsert>) {
  await db.update(coopInvitations).set(values).where(eq(coopInvitations.id, id));
}
