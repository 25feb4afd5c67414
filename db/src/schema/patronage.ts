import { sql } from 'drizzle-orm';
import { bigint, bigserial, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { MEMBER_CLASSES, PLAN_STATUSES, type ClassWeights, type FrozenPlanResult } from '@tissu/shared';
import { users } from './accounts.js';
import { fiscalYears } from './fiscal.js';
import { memberships } from './membership.js';
import { instant } from './types.js';

/** Patronage of each member per month of a closed year, frozen when the year closes. */
export const patronageMeasures = pgTable(
  'patronage_measures',
  {
    fiscalYearId: integer('fiscal_year_id').notNull().references(() => fiscalYears.id),
    membershipId: uuid('membership_id').notNull().references(() => memberships.id),
    month: text('month').notNull(),
    units: integer('units').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fiscalYearId, t.membershipId, t.month] })],
);

/**
 * Each member's patronage per whole month of the open years, kept up to date ahead of the close (by
 * a nightly job, and by the close itself for what changed since), so closing a year copies about
 * 114,000 rows instead of joining a million bookings with their payments. A derived copy: a month
 * is recomputed whole, so it names memberships without a foreign key.
 */
export const patronageMonthUnits = pgTable(
  'patronage_month_units',
  {
    month: date('month', { mode: 'string' }).notNull(),
    membershipId: uuid('membership_id').notNull(),
    units: bigint('units', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.membershipId] })],
);

/** The months whose units are in patronage_month_units, and when they were computed. */
export const patronageMonths = pgTable('patronage_months', {
  month: date('month', { mode: 'string' }).primaryKey(),
  computedAt: instant('computed_at').notNull().defaultNow(),
});

/**
 * Months (Toronto, first days, inclusive) whose patronage changed since they were computed: written
 * by triggers on bookings, payments, refunds, booking_workers and memberships, never by the
 * application; each change is its own row, read and deleted by the recompute that covers it.
 */
export const patronageChanges = pgTable('patronage_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  fromMonth: date('from_month', { mode: 'string' }).notNull(),
  toMonth: date('to_month', { mode: 'string' }).notNull(),
});

/**
 * A surplus plan for a closed year. Draft plans change; proposing freezes the numbers; an
 * adopted plan is approved and never changes (a trigger refuses edits); paying posts the entries.
 */
export const surplusPlans = pgTable(
  'surplus_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fiscalYearId: integer('fiscal_year_id').notNull().references(() => fiscalYears.id),
    status: text('status', { enum: PLAN_STATUSES }).notNull().default('draft'),
    reserveBps: integer('reserve_bps').notNull(),
    weights: jsonb('weights').$type<ClassWeights>().notNull(),
    cashBps: integer('cash_bps').notNull(),
    thresholdCents: integer('threshold_cents').notNull(),
    /** Frozen at proposal: the year's figures and the whole allocation, as members saw them. */
    result: jsonb('result').$type<FrozenPlanResult>(),
    surplusCents: bigint('surplus_cents', { mode: 'number' }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    proposedAt: instant('proposed_at'),
    approvedAt: instant('approved_at'),
    paidAt: instant('paid_at'),
  },
  (t) => [
    index('surplus_plans_year_idx').on(t.fiscalYearId),
    uniqueIndex('surplus_plans_one_live').on(t.fiscalYearId).where(sql`status IN ('proposed', 'approved', 'paid')`),
    // One plan worked on at a time: a draft, or the draft put to the vote (not adopted, it becomes the draft again).
    uniqueIndex('surplus_plans_one_in_progress').on(t.fiscalYearId).where(sql`status IN ('draft', 'proposed')`),
  ],
);

/** Each member's part of a proposed plan, one row per member, frozen with it. */
export const planAllocations = pgTable(
  'plan_allocations',
  {
    planId: uuid('plan_id').notNull().references(() => surplusPlans.id),
    membershipId: uuid('membership_id').notNull().references(() => memberships.id),
    memberClass: text('member_class', { enum: MEMBER_CLASSES }).notNull(),
    units: bigint('units', { mode: 'number' }).notNull(),
    allocationCents: bigint('allocation_cents', { mode: 'number' }).notNull(),
    cashCents: bigint('cash_cents', { mode: 'number' }).notNull(),
    retainedCents: bigint('retained_cents', { mode: 'number' }).notNull(),
    carriedInCents: bigint('carried_in_cents', { mode: 'number' }).notNull(),
    paidCents: bigint('paid_cents', { mode: 'number' }).notNull(),
    carriedForwardCents: bigint('carried_forward_cents', { mode: 'number' }).notNull(),
    withholdingCents: bigint('withholding_cents', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.membershipId] })],
);
