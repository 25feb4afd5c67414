import { and, desc, eq, gt, gte, isNull, max, ne, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { users, sessions, spentRefreshTokens, passwordResets, emailVerifications, emailChanges, coopMembers, coops } = schema;

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Tx, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
  return row;
}

export async function findUserById(db: Tx, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** Returns undefined when the email is taken (the unique index decides, not a prior check). */
export async function insertUser(db: Tx, values: typeof users.$inferInsert): Promise<UserRow | undefined> {
  const [row] = await db.insert(users).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateUser(db: Tx, id: string, values: Partial<typeof users.$inferInsert>): Promise<UserRow | undefined> {
  const [row] = await db.update(users).set(values).where(eq(users.id, id)).returning();
  return row;
}

export async function membershipsOf(db: Tx, userId: string) {
  return db
    .select({
      coopId: coops.id,
      coopSlug: coops.slug,
      coopName: coops.legalName,
      coopStatus: coops.status,
      role: coopMembers.role,
      lastAdmin: sql<boolean>`${coopMembers.role} = 'admin' AND NOT EXISTS (
        SELECT 1 FROM coop_members o WHERE o.coop_id = ${coopMembers.coopId} AND o.role = 'admin' AND o.user_id <> ${coopMembers.userId})`,
    })
    .from(coopMembers)
    .innerJoin(coops, eq(coops.id, coopMembers.coopId))
    .where(eq(coopMembers.userId, userId))
    .orderBy(coops.legalName);
}

export async function insertSession(db: Tx, values: typeof sessions.$inferInsert) {
  const [row] = await db.insert(sessions).values(values).returning();
  return row!;
}

/** Swaps a live refresh token for a new one; undefined if it is unknown, expired or revoked. */
export async function rotateSession(db: Tx, oldHash: string, newHash: string, expiresAt: Date, at: Date, address?: string) {
  const [row] = await db
    .update(sessions)
    .set({ tokenHash: newHash, expiresAt, lastUsedAt: at, ...(address ? { address } : {}) })
    .where(and(eq(sessions.tokenHash, oldHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date())))
    .returning();
  if (row) await db.insert(spentRefreshTokens).values({ tokenHash: oldHash, sessionId: row.id, spentAt: at });
  return row;
}

/** The session a spent refresh token once belonged to (live or not), and when it was spent. */
export async function sessionOfSpentToken(db: Tx, tokenHash: string) {
  const [row] = await db
    .select({
      id: sessions.id, userId: sessions.userId, tokenHash: sessions.tokenHash, expiresAt: sessions.expiresAt,
      live: sql<boolean>`${sessions.revokedAt} IS NULL AND ${sessions.expiresAt} > now()`,
      spentAt: spentRefreshTokens.spentAt,
    })
    .from(spentRefreshTokens)
    .innerJoin(sessions, eq(sessions.id, spentRefreshTokens.sessionId))
    .where(eq(spentRefreshTokens.tokenHash, tokenHash));
  return row;
}

/** Whether this token was spent in this session at or after `since`. */
export async function spentInSessionSince(db: Tx, sessionId: string, tokenHash: string, since: Date): Promise<boolean> {
  const [row] = await db
    .select({ tokenHash: spentRefreshTokens.tokenHash })
    .from(spentRefreshTokens)
    .where(and(eq(spentRefreshTokens.tokenHash, tokenHash), eq(spentRefreshTokens.sessionId, sessionId), gte(spentRefreshTokens.spentAt, since)));
  return row !== undefined;
}

/** Revokes a live session; false if it had already ended. */
export async function endSession(db: Tx, sessionId: string): Promise<boolean> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return ended.length > 0;
}

export async function revokeSession(db: Tx, sessionId: string) {
  await db.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function revokeAllSessions(db: Tx, userId: string) {
  await db.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}

/**
 * A reset link for the account, if it exists: the same statement runs for an id with no account
 * (it inserts nothing), so asking for a link takes the same time either way.
 */
export async function insertPasswordReset(db: Tx, values: { userId: string; tokenHash: string; expiresAt: Date; at: Date }) {
  const [row] = await db
    .insert(passwordResets)
    .select(
      // Every column, in the table's order (drizzle's rule for INSERT … SELECT).
      db.select({
        id: sql<string>`gen_random_uuid()`.as('id'),
        userId: users.id,
        tokenHash: sql<string>`${values.tokenHash}::text`.as('token_hash'),
        createdAt: sql<Date>`${values.at.toISOString()}::timestamptz`.as('created_at'),
        expiresAt: sql<Date>`${values.expiresAt.toISOString()}::timestamptz`.as('expires_at'),
        usedAt: sql<Date | null>`null::timestamptz`.as('used_at'),
      }).from(users).where(eq(users.id, values.userId)),
    )
    .returning({ id: passwordResets.id });
  return row;
}

/**
 * Holds the account's row until the transaction ends, so two requests for one account's emails
 * take turns (for an id with no account it holds nothing, in the same time).
 */
export async function lockUser(db: Tx, id: string): Promise<void> {
  await db.select({ id: users.id }).from(users).where(eq(users.id, id)).for('update');
}

/** When the account's newest reset link was made (none for an id with no account). */
export async function lastPasswordResetAt(db: Tx, userId: string): Promise<Date | null> {
  const [row] = await db.select({ at: max(passwordResets.createdAt) }).from(passwordResets).where(eq(passwordResets.userId, userId));
  return row?.at ?? null;
}

/** When the account's newest confirmation link was made. */
export async function lastEmailVerificationAt(db: Tx, userId: string): Promise<Date | null> {
  const [row] = await db.select({ at: max(emailVerifications.createdAt) }).from(emailVerifications).where(eq(emailVerifications.userId, userId));
  return row?.at ?? null;
}

/** Marks a live reset token used and returns its account; undefined if unknown, used or expired. */
export async function usePasswordReset(db: Tx, tokenHash: string, now: Date) {
  const [row] = await db
    .update(passwordResets)
    .set({ usedAt: now })
    .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
    .returning({ userId: passwordResets.userId });
  return row;
}

/** Older links stop working once a newer one is asked for or the password is reset. */
export async function voidPasswordResets(db: Tx, userId: string, now: Date) {
  await db.update(passwordResets).set({ usedAt: now }).where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
}

/** A new confirmation link voids the older ones. */
export async function insertEmailVerification(db: Tx, values: typeof emailVerifications.$inferInsert) {
  await db.update(emailVerifications).set({ usedAt: new Date() }).where(and(eq(emailVerifications.userId, values.userId), isNull(emailVerifications.usedAt)));
  const [row] = await db.insert(emailVerifications).values(values).returning({ id: emailVerifications.id });
  return row!;
}

/** Marks a live confirmation link used and returns its account; undefined if unknown, used or expired. */
export async function useEmailVerification(db: Tx, tokenHash: string, now: Date) {
  const [row] = await db
    .update(emailVerifications)
    .set({ usedAt: now })
    .where(and(eq(emailVerifications.tokenHash, tokenHash), isNull(emailVerifications.usedAt), gt(emailVerifications.expiresAt, now)))
    .returning({ userId: emailVerifications.userId });
  return row;
}

export async function confirmEmail(db: Tx, userId: string, at: Date) {
  await db.update(users).set({ emailVerifiedAt: at }).where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
}

/** The account's live sessions (signed-in devices), the most recently used first. */
export async function liveSessions(db: Tx, userId: string, at: Date) {
  return db
    .select({ id: sessions.id, userAgent: sessions.userAgent, address: sessions.address, createdAt: sessions.createdAt, lastUsedAt: sessions.lastUsedAt })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, at)))
    .orderBy(desc(sessions.lastUsedAt), desc(sessions.createdAt));
}

/** Ends one of the account's live sessions; false if it is not hers or already ended. */
export async function endSessionOf(db: Tx, userId: string, sessionId: string): Promise<boolean> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return ended.length > 0;
}

/** Ends every live session of the account but `keep`; how many ended. */
export async function revokeOtherSessions(db: Tx, userId: string, keep: string): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keep), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return ended.length;
}

/** A new address-change link voids the older ones. */
export async function insertEmailChange(db: Tx, values: typeof emailChanges.$inferInsert) {
  await voidEmailChanges(db, values.userId, values.createdAt ?? new Date());
  const [row] = await db.insert(emailChanges).values(values).returning({ id: emailChanges.id });
  return row!;
}

/** Voids her live address-change links; whether one of them could still have been used. */
export async function voidEmailChanges(db: Tx, userId: string, at: Date): Promise<boolean> {
  const voided = await db
    .update(emailChanges)
    .set({ usedAt: at })
    .where(and(eq(emailChanges.userId, userId), isNull(emailChanges.usedAt)))
    .returning({ expiresAt: emailChanges.expiresAt });
  return voided.some((r) => r.expiresAt > at);
}

/** Her live address-change link (there is at most one: a new one voids the older). */
export async function pendingEmailChange(db: Tx, userId: string, at: Date) {
  const [row] = await db
    .select({ id: emailChanges.id, newEmail: emailChanges.newEmail, createdAt: emailChanges.createdAt, expiresAt: emailChanges.expiresAt })
    .from(emailChanges)
    .where(and(eq(emailChanges.userId, userId), isNull(emailChanges.usedAt), gt(emailChanges.expiresAt, at)))
    .orderBy(desc(emailChanges.createdAt))
    .limit(1);
  return row;
}

/** Marks a live address-change link used; undefined if unknown, used or expired. */
export async function useEmailChange(db: Tx, tokenHash: string, at: Date) {
  const [row] = await db
    .update(emailChanges)
    .set({ usedAt: at })
    .where(and(eq(emailChanges.tokenHash, tokenHash), isNull(emailChanges.usedAt), gt(emailChanges.expiresAt, at)))
    .returning({ userId: emailChanges.userId, newEmail: emailChanges.newEmail });
  return row;
}
