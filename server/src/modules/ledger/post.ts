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
  const lines = checkedLines(e);
  if (lines.length === 0) return false;
  const id = await repo.insertEntry(tx, { kind: e.kind, source: e.source, bookingId: e.bookingId ?? null, memo: e.memo ?? '', occurredAt: e.occurredAt ?? new Date() });
  if (id === null) return false;
  const ids = await repo.accountIds(tx, lines.map((l) => l.account));
  await repo.insertLines(tx, lines.map((l) => ({ entryId: id, accountId: ids.get(l.account.code)!, amountCents: l.amount })));
  return true;
}

function checkedLines(e: EntryInput): Line[] {
  const lines = e.lines.filter((l) => l.amount !== 0);
  for (const l of lines) if (!Number.isSafeInteger(l.amount)) throw new Error(`ledger: ${l.account.code} amount is not integer cents`);
  const sum = lines.reduce((s, l) => s + l.amount, 0);
  if (sum !== 0) throw new Error(`ledger: entry ${e.source} does not balance (off by ${sum})`);
  return lines;
}

/** Entries per batch: keeps each statement well under PostgreSQL's 65,535 parameters. */
const ENTRIES_PER_BATCH = 1000;

/**
 * Posts many entries with the same rules as postEntry, three statements per batch instead of three
 * per entry (a year of demo bookings). Returns how many were new.
 */
export async function postEntries(tx: Tx, entries: EntryInput[]): Promise<number> {
  const checked = entries.map((e) => ({ e, lines: checkedLines(e) })).filter((x) => x.lines.length > 0);
  let posted = 0;
  for (let i = 0; i < checked.length; i += ENTRIES_PER_BATCH) {
    const batch = checked.slice(i, i + ENTRIES_PER_BATCH);
    const ids = await repo.insertEntries(tx, batch.map(({ e }) => ({ kind: e.kind, source: e.source, bookingId: e.bookingId ?? null, memo: e.memo ?? '', occurredAt: e.occurredAt ?? new Date() })));
    const fresh = batch.filter(({ e }) => ids.has(e.source));
    if (fresh.length === 0) continue;
    const accounts = await repo.accountIds(tx, fresh.flatMap((x) => x.lines.map((l) => l.account)));
    await repo.insertLines(tx, fresh.flatMap(({ e, lines }) => lines.map((l) => ({ entryId: ids.get(e.source)!, accountId: accounts.get(l.account.code)!, amountCents: l.amount }))));
    posted += fresh.length;
  }
  return posted;
}
