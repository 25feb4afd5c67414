import { and, desc, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { dataExports } = schema;

/** A request without its archive: what lists and states need. */
const summary = {
  id: dataExports.id, userId: dataExports.userId, requestedAt: dataExports.requestedAt, readyAt: dataExports.readyAt,
  expiresAt: dataExports.expiresAt, failedAt: dataExports.failedAt, deletedAt: dataExports.deletedAt, sizeBytes: dataExports.sizeBytes,
};
export type ExportSummary = { id: string; userId: string; requestedAt: Date; readyAt: Date | null; expiresAt: Date | null; failedAt: Date | null; deletedAt: Date | null; sizeBytes: number | null };

export function exportsOf(db: Tx, userId: string, limit = 10): Promise<ExportSummary[]> {
  return db.select(summary).from(dataExports).where(eq(dataExports.userId, userId)).orderBy(desc(dataExports.requestedAt)).limit(limit);
}

/** Her requests since `since`, oldest first (the first one's age says when she may ask again). */
export function requestsSince(db: Tx, userId: string, since: Date) {
  return db.select({ requestedAt: dataExports.requestedAt }).from(dataExports)
    .where(and(eq(dataExports.userId, userId), gte(dataExports.requestedAt, since))).orderBy(dataExports.requestedAt);
}

/** Serialises one person's requests (two tabs asking at once), in the caller's transaction. */
export async function lockPerson(tx: Tx, userId: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('data_exports'), hashtext(${userId}::text))`);
}

export async function insertRequest(tx: Tx, userId: string, at: Date): Promise<ExportSummary> {
  const [row] = await tx.insert(dataExports).values({ userId, requestedAt: at }).returning(summary);
  return row!;
}

export async function byTokenHash(db: Tx, tokenHash: string) {
  const [row] = await db.select().from(dataExports).where(eq(dataExports.tokenHash, tokenHash));
  return row;
}

/** The oldest request waiting for its archive, locked; another worker skips it. */
export async function claimPending(tx: Tx) {
  const [row] = await tx.select(summary).from(dataExports)
    .where(and(isNull(dataExports.readyAt), isNull(dataExports.failedAt)))
    .orderBy(dataExports.requestedAt).limit(1).for('update', { skipLocked: true });
  return row;
}

export async function markReady(tx: Tx, id: string, v: { archive: Buffer; tokenHash: string; readyAt: Date; expiresAt: Date }) {
  await tx.update(dataExports).set({ ...v, sizeBytes: v.archive.length, attempts: sql`${dataExports.attempts} + 1` }).where(eq(dataExports.id, id));
}

/** A failed build is tried again by the next run; after `maxAttempts` the request is marked failed. */
export async function markAttemptFailed(tx: Tx, id: string, at: Date, maxAttempts: number) {
  await tx.update(dataExports)
    .set({ attempts: sql`${dataExports.attempts} + 1`, failedAt: sql`CASE WHEN ${dataExports.attempts} + 1 >= ${maxAttempts} THEN ${at.toISOString()}::timestamptz END` })
    .where(eq(dataExports.id, id));
}

/** Empties the archives whose time is over; the rows stay (her history of requests, the link then says expired). */
export async function deleteExpired(tx: Tx, at: Date): Promise<number> {
  const rows = await tx.update(dataExports).set({ archive: null, deletedAt: at })
    .where(and(lte(dataExports.expiresAt, at), isNull(dataExports.deletedAt))).returning({ id: dataExports.id });
  return rows.length;
}
