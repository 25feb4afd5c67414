import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { clientAddresses } = schema;

export type AddressRow = typeof clientAddresses.$inferSelect;

/** One person's address changes take turns, so two at once cannot both pass the limit. */
export async function lockOwner(db: Tx, userId: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`addresses:${userId}`}, 0))`);
}

/** Hers, the last used first, then the newest. */
export async function listOf(db: Tx, userId: string): Promise<AddressRow[]> {
  return db.select().from(clientAddresses).where(eq(clientAddresses.userId, userId))
    .orderBy(sql`${clientAddresses.lastUsedAt} DESC NULLS LAST`, desc(clientAddresses.createdAt), asc(clientAddresses.id));
}

export async function countOf(db: Tx, userId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(clientAddresses).where(eq(clientAddresses.userId, userId));
  return row?.n ?? 0;
}

/** Her address with this id; another person's is none. */
export async function findOwned(db: Tx, userId: string, id: string): Promise<AddressRow | undefined> {
  const [row] = await db.select().from(clientAddresses).where(and(eq(clientAddresses.id, id), eq(clientAddresses.userId, userId)));
  return row;
}

export async function insert(db: Tx, values: typeof clientAddresses.$inferInsert): Promise<AddressRow> {
  const [row] = await db.insert(clientAddresses).values(values).returning();
  return row!;
}

export async function update(db: Tx, userId: string, id: string, changes: Partial<typeof clientAddresses.$inferInsert>): Promise<AddressRow | undefined> {
  const [row] = await db.update(clientAddresses).set(changes)
    .where(and(eq(clientAddresses.id, id), eq(clientAddresses.userId, userId))).returning();
  return row;
}

export async function remove(db: Tx, userId: string, id: string): Promise<boolean> {
  const rows = await db.delete(clientAddresses).where(and(eq(clientAddresses.id, id), eq(clientAddresses.userId, userId))).returning({ id: clientAddresses.id });
  return rows.length > 0;
}

export async function eraseAllOf(db: Tx, userId: string): Promise<number> {
  const rows = await db.delete(clientAddresses).where(eq(clientAddresses.userId, userId)).returning({ id: clientAddresses.id });
  return rows.length;
}
