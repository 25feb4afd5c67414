import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { MEMBER_CLASSES, SHARE_APPLICATION_STATUSES, SHARE_PAYMENT_METHODS } from '@tissu/shared';
import { users } from './accounts.js';
import { coops } from './coops.js';
import { instant } from './types.js';

/**
 * Membership of the platform co-op (a solidarity co-op): member co-ops are producer members,
 * people are worker-, user- or supporting members. A membership has a start and, when the
 * member leaves, an end; only business done in between counts for patronage.
 */
export const memberships = pgTable(
  'memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberClass: text('member_class', { enum: MEMBER_CLASSES }).notNull(),
    userId: uuid('user_id').references(() => users.id),
    coopId: uuid('coop_id').references(() => coops.id),
    shareCents: integer('share_cents').notNull(),
    paidBy: text('paid_by', { enum: SHARE_PAYMENT_METHODS }).notNull(),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('memberships_holder', sql`(member_class = 'producer') = (coop_id IS NOT NULL) AND (coop_id IS NULL) <> (user_id IS NULL)`),
    // One open membership per person or co-op at a time.
    uniqueIndex('memberships_open_user').on(t.userId).where(sql`ended_on IS NULL AND user_id IS NOT NULL`),
    uniqueIndex('memberships_open_coop').on(t.coopId).where(sql`ended_on IS NULL AND coop_id IS NOT NULL`),
    index('memberships_class_idx').on(t.memberClass),
  ],
);

/** Settings the assembly adopts: qualifying shares, reserve minimum, cash minimum, threshold, quorum. */
export const coopSettings = pgTable('coop_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => users.id),
});

/**
 * A person asking to join (for themselves, or for a co-op they administer) by paying the
 * qualifying share through Stripe Checkout. The membership exists once Stripe says it is paid;
 * one open application per holder, so a second click reuses the same Checkout.
 */
export const membershipApplications = pgTable(
  'membership_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberClass: text('member_class', { enum: MEMBER_CLASSES }).notNull(),
    userId: uuid('user_id').references(() => users.id),
    coopId: uuid('coop_id').references(() => coops.id),
    requestedBy: uuid('requested_by').notNull().references(() => users.id),
    shareCents: integer('share_cents').notNull(),
    /**
     * `unapplied`: paid, but the holder had become a member meanwhile, or was no longer eligible for
     * the class (a worker who left their co-op); the money awaits a refund.
     */
    status: text('status', { enum: SHARE_APPLICATION_STATUSES }).notNull().default('open'),
    checkoutSessionId: text('checkout_session_id'),
    checkoutUrl: text('checkout_url'),
    expiresAt: instant('expires_at').notNull(),
    paymentIntentId: text('payment_intent_id'),
    membershipId: uuid('membership_id').references(() => memberships.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    paidAt: instant('paid_at'),
    /** Stripe's fee on the share's charge, once read (booked as the platform's processor_fees expense). */
    processorFeeCents: integer('processor_fee_cents'),
  },
  (t) => [
    check('membership_applications_holder', sql`(member_class = 'producer') = (coop_id IS NOT NULL) AND (coop_id IS NULL) <> (user_id IS NULL)`),
    uniqueIndex('membership_applications_session_key').on(t.checkoutSessionId),
    uniqueIndex('membership_applications_open_user').on(t.userId).where(sql`status = 'open' AND user_id IS NOT NULL`),
    uniqueIndex('membership_applications_open_coop').on(t.coopId).where(sql`status = 'open' AND coop_id IS NOT NULL`),
  ],
);
