import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { PROPOSAL_KINDS, PROPOSAL_STATUSES, VOTE_CHOICES } from '@tissu/shared';
import { users } from './accounts.js';
import { memberships } from './membership.js';
import { surplusPlans } from './patronage.js';
import { instant } from './types.js';

/** Anything put to the members' vote: a surplus plan, a fee change, a by-law amendment, a resolution. */
export const proposals = pgTable(
  'proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: PROPOSAL_KINDS }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    planId: uuid('plan_id').references(() => surplusPlans.id),
    feeRateBps: integer('fee_rate_bps'),
    feeEffectiveFrom: instant('fee_effective_from'),
    opensAt: instant('opens_at').notNull(),
    closesAt: instant('closes_at').notNull(),
    quorumBps: integer('quorum_bps').notNull(),
    status: text('status', { enum: PROPOSAL_STATUSES }).notNull().default('open'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    decidedAt: instant('decided_at'),
  },
  (t) => [index('proposals_status_idx').on(t.status, t.closesAt), check('proposals_window', sql`closes_at > opens_at`)],
);

/** One member, one vote: the primary key refuses a second ballot. */
export const votes = pgTable(
  'votes',
  {
    proposalId: uuid('proposal_id').notNull().references(() => proposals.id),
    membershipId: uuid('membership_id').notNull().references(() => memberships.id),
    choice: text('choice', { enum: VOTE_CHOICES }).notNull(),
    castBy: uuid('cast_by').notNull().references(() => users.id),
    castAt: instant('cast_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.membershipId] })],
);
