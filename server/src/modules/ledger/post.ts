import type { Tx } from '@tissu/db';
import type { AccountRef } from './accounts.js';
import * as repo from './repository.js';

export interface Line {
  account: AccountRef;
  /** Debit positive, credit negative, integer cents. */
  amount: number;
}

export interface EntryInput {
  kind: string;
  /** What caused the movement, unique: the same cause is booked once (e.g. `stripe:evt_123`). */
  source: string;
  bookingId?: string | null;
  memo?: string;
  occurredAt?: Date;
  lines: Line[];
}

/**
 * Posts one balanced journal entry in the caller's transaction. Refuses an unbalanced entry
 * before the database does (a deferred trigger checks again at commit). Zero lines are dropped.
 * Returns false when the source was already booked.
 */
export async function postEntry(tx: Tx, e: EntryInput): Promise<boolean> {
  const lines = e.lines.filter((l) => l.amount !== 0);
  for (const l of lines) if (!Number.isSafeInteger(l.amount)) throw new Error(`ledger: ${l.account.code} amount is not integer cents`);
  const sum = lines.reduce((s, l) => s + l.amount, 0);
  if (sum !== 0) throw new Error(`ledger: entry ${e.source} does not balance (off by ${sum})`);
  if (lines.length === 0) return false;
  const id = await repo.insertEntry(tx, { kind: e.kind, source: e.source, bookingId: e.bookingId ?? null, memo: e.memo ?? '', occurredAt: e.occurredAt ?? new Date() });
  if (id === null) return false;
  const ids = await repo.accountIds(tx, lines.map((l) => l.account));
  await repo.insertLines(tx, lines.map((l) => ({ entryId: id, accountId: ids.get(l.account.code)!, amountCents: l.amount })));
  return true;
}
