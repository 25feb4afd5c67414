import { bigint, bigserial, index, integer, pgTable, serial, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { LEDGER_ACCOUNT_KINDS } from '@tissu/shared';
import { coops } from './coops.js';
import { users } from './accounts.js';
import { bookings } from './bookings.js';
import { instant } from './types.js';

/**
 * The chart of accounts. Per-co-op and per-member accounts are rows keyed by code
 * (`coop_payable:<coop id>`), created on first use.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    kind: text('kind', { enum: LEDGER_ACCOUNT_KINDS }).notNull(),
    name: text('name').notNull(),
    coopId: uuid('coop_id').references(() => coops.id),
    userId: uuid('user_id').references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ledger_accounts_code_key').on(t.code)],
);

/**
 * One money movement. `source` names what caused it (a Stripe event, a refund, a steward's
 * action) and is unique, so the same cause can never be booked twice. Entries and lines are
 * append-only, and a deferred trigger checks at commit that each entry's lines sum to zero.
 */
export const journalEntries = pgTable(
  'journal_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    source: text('source').notNull(),
    bookingId: uuid('booking_id').references(() => bookings.id),
    memo: text('memo').notNull().default(''),
    occurredAt: instant('occurred_at').notNull().defaultNow(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('journal_entries_source_key').on(t.source), index('journal_entries_booking_idx').on(t.bookingId), index('journal_entries_occurred_idx').on(t.occurredAt)],
);

/** Debits are positive, credits negative: an entry balances when its lines sum to zero. */
export const journalLines = pgTable(
  'journal_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryId: bigint('entry_id', { mode: 'number' })
      .notNull()
      .references(() => journalEntries.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
  },
  (t) => [index('journal_lines_entry_idx').on(t.entryId), index('journal_lines_account_idx').on(t.accountId)],
);

