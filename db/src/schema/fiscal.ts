import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, serial, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { FISCAL_RECORD_KINDS, FISCAL_STATUSES } from '@tissu/shared';
import { users } from './accounts.js';
import { instant } from './types.js';

/** The platform co-op's fiscal years; closing one freezes its patronage measures. */
export const fiscalYears = pgTable(
  'fiscal_years',
  {
    id: serial('id').primaryKey(),
    label: text('label').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    status: text('status', { enum: FISCAL_STATUSES }).notNull().default('open'),
    closedAt: instant('closed_at'),
  },
  (t) => [uniqueIndex('fiscal_years_starts_key').on(t.startsOn), check('fiscal_years_order', sql`ends_on > starts_on`)],
);

/** Expenses and other income stewards record; each also posts a ledger entry (source `fiscal:<id>`). */
export const fiscalRecords = pgTable(
  'fiscal_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: FISCAL_RECORD_KINDS }).notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    category: text('category').notNull(),
    amountCents: integer('amount_cents').notNull(),
    note: text('note').notNull().default(''),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('fiscal_records_date_idx').on(t.occurredOn), check('fiscal_records_positive', sql`amount_cents > 0`)],
);
