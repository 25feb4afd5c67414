import { eq, inArray, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';
import type { AccountRef } from './accounts.js';

const { ledgerAccounts, journalEntries, journalLines } = schema;

/** Account ids by code, creating the accounts that do not exist yet. */
export async function accountIds(tx: Tx, refs: AccountRef[]): Promise<Map<string, number>> {
  const unique = [...new Map(refs.map((r) => [r.code, r])).values()];
  await tx
    .insert(ledgerAccounts)
    .values(unique.map((r) => ({ code: r.code, kind: r.kind, name: r.name, coopId: r.coopId ?? null, userId: r.userId ?? null })))
    .onConflictDoNothing();
  const rows = await tx.select({ id: ledgerAccounts.id, code: ledgerAccounts.code }).from(ledgerAccounts).where(inArray(ledgerAccounts.code, unique.map((r) => r.code)));
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** Inserts the entry unless its source was already booked; returns its id, or null for a repeat. */
export async function insertEntry(tx: Tx, values: typeof journalEntries.$inferInsert): Promise<number | null> {
  const [row] = await tx.insert(journalEntries).values(values).onConflictDoNothing({ target: journalEntries.source }).returning({ id: journalEntries.id });
  return row?.id ?? null;
}

/** Inserts the entries whose source is new; returns their ids by source. */
export async function insertEntries(tx: Tx, values: (typeof journalEntries.$inferInsert)[]): Promise<Map<string, number>> {
  const rows = await tx.insert(journalEntries).values(values).onConflictDoNothing({ target: journalEntries.source }).returning({ id: journalEntries.id, source: journalEntries.source });
  return new Map(rows.map((r) => [r.source, r.id]));
}

export async function insertLines(tx: Tx, lines: (typeof journalLines.$inferInsert)[]) {
  await tx.insert(journalLines).values(lines);
}

export async function entryExists(tx: Tx, source: string): Promise<boolean> {
  const [row] = await tx.select({ id: journalEntries.id }).from(journalEntries).where(eq(journalEntries.source, source));
  return Boolean(row);
}

export async function balance(tx: Tx, code: string): Promise<number> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${journalLines.amountCents}), 0)` })
    .from(journalLines)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, journalLines.accountId))
    .where(eq(ledgerAccounts.code, code));
  return Number(row?.total ?? 0);
}
