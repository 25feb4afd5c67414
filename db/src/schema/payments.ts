import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, serial, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { PAYMENT_PARTS, PAYMENT_STATUSES, REFUND_KINDS } from '@tissu/shared';
import { users } from './accounts.js';
import { bookings } from './bookings.js';
import { coops } from './coops.js';
import { instant } from './types.js';

/** A co-op's Stripe connected account, as last reported by Stripe, and its tax registration. */
export const coopPaymentAccounts = pgTable(
  'coop_payment_accounts',
  {
    coopId: uuid('coop_id')
      .primaryKey()
      .references(() => coops.id),
    stripeAccountId: text('stripe_account_id'),
    chargesEnabled: boolean('charges_enabled').notNull().default(false),
    payoutsEnabled: boolean('payouts_enabled').notNull().default(false),
    detailsSubmitted: boolean('details_submitted').notNull().default(false),
    requirementsDue: jsonb('requirements_due').$type<string[]>().notNull().default([]),
    /**
     * How recent the status above is: the `created` of the last account.updated event applied, or
     * when the account was last read from Stripe. Stripe does not deliver events in order, so an
     * older one arriving later is ignored.
     */
    statusAsOf: instant('status_as_of'),
    gstRegistered: boolean('gst_registered').notNull().default(false),
    qstRegistered: boolean('qst_registered').notNull().default(false),
    gstNumber: text('gst_number'),
    qstNumber: text('qst_number'),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('coop_payment_accounts_stripe_key').on(t.stripeAccountId)],
);

/**
 * The platform fee over time. A booking keeps the rate in force when it was made. One rate per
 * start instant: two would leave the rate in force at that instant to the order of their ids.
 */
export const platformFeeRates = pgTable(
  'platform_fee_rates',
  {
    id: serial('id').primaryKey(),
    rateBps: integer('rate_bps').notNull(),
    effectiveFrom: instant('effective_from').notNull(),
    reason: text('reason').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('platform_fee_rates_effective_key').on(t.effectiveFrom), check('platform_fee_rates_range', sql`rate_bps BETWEEN 0 AND 3000`)],
);

/**
 * A person's customer at Stripe (on the platform's account) and the card they saved for regular
 * visits: only what the pages show of it (brand, last four digits, expiry), never the number.
 * Removing the card empties the card columns and stops every future charge.
 */
export const paymentCustomers = pgTable('payment_customers', {
  userId: uuid('user_id').primaryKey().references(() => users.id),
  stripeCustomerId: text('stripe_customer_id').notNull().unique(),
  paymentMethodId: text('payment_method_id'),
  cardBrand: text('card_brand'),
  cardLast4: text('card_last4'),
  cardExpMonth: integer('card_exp_month'),
  cardExpYear: integer('card_exp_year'),
  /**
   * When Stripe made the card now kept (its SetupIntent or PaymentIntent), or when the card was
   * removed: an event about an older card, late or out of order, never replaces a newer choice.
   */
  cardSetAt: instant('card_set_at'),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

/**
 * One attempt to pay a booking: a Checkout session, or a charge of the client's saved card (a
 * visit of a series; its `checkout_session_id` is then `saved-card:<payment id>` and it has no
 * URL). A declined card leaves a Checkout open; a new attempt is a new row.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('open'),
    /** All of the booking, or its deposit or balance (an accepted quote with a deposit). */
    part: text('part', { enum: PAYMENT_PARTS }).notNull().default('full'),
    checkoutSessionId: text('checkout_session_id').notNull(),
    checkoutUrl: text('checkout_url').notNull(),
    paymentIntentId: text('payment_intent_id'),
    /** The saved card an off-session charge was made with: a retry asks Stripe again with that card and key. */
    savedCardId: text('saved_card_id'),
    /** The destination charge's transfer to the co-op, reversed in part by refunds. */
    transferId: text('transfer_id'),
    serviceCents: integer('service_cents').notNull(),
    gstCents: integer('gst_cents').notNull(),
    qstCents: integer('qst_cents').notNull(),
    totalCents: integer('total_cents').notNull(),
    feeRateBps: integer('fee_rate_bps').notNull(),
    platformFeeCents: integer('platform_fee_cents').notNull(),
    coopCents: integer('coop_cents').notNull(),
    processorFeeCents: integer('processor_fee_cents'),
    refundedCents: integer('refunded_cents').notNull().default(0),
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull().defaultNow(),
    paidAt: instant('paid_at'),
    /** TIS-<year>-<n>: numbered in order within the platform's fiscal calendar year, set when paid. */
    receiptNumber: text('receipt_number'),
  },
  (t) => [
    uniqueIndex('payments_checkout_session_key').on(t.checkoutSessionId),
    uniqueIndex('payments_payment_intent_key').on(t.paymentIntentId),
    // At most one payment that took money per booking: no booking is paid twice.
    uniqueIndex('payments_receipt_number_key').on(t.receiptNumber),
    // At most one Checkout open per booking: a client is never offered two ways to pay the same booking.
    uniqueIndex('payments_one_open_per_booking').on(t.bookingId).where(sql`status = 'open'`),
    // One settled payment per part: a booking paid at once has one, one paid with a deposit has two.
    uniqueIndex('payments_one_paid_per_booking').on(t.bookingId, t.part).where(sql`status IN ('paid', 'refunded', 'partially_refunded')`),
    index('payments_booking_idx').on(t.bookingId),
    check('payments_parts', sql`total_cents = service_cents + gst_cents + qst_cents AND coop_cents = total_cents - platform_fee_cents AND refunded_cents BETWEEN 0 AND total_cents`),
  ],
);

/** The last receipt number given in each year: receipts are numbered without gaps or collisions. */
export const receiptCounters = pgTable('receipt_counters', {
  year: integer('year').primaryKey(),
  lastNumber: integer('last_number').notNull(),
});

export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id),
    kind: text('kind', { enum: REFUND_KINDS }).notNull(),
    stripeRefundId: text('stripe_refund_id'),
    serviceCents: integer('service_cents').notNull(),
    gstCents: integer('gst_cents').notNull(),
    qstCents: integer('qst_cents').notNull(),
    totalCents: integer('total_cents').notNull(),
    platformFeeCents: integer('platform_fee_cents').notNull(),
    coopCents: integer('coop_cents').notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('refunds_stripe_key').on(t.stripeRefundId), index('refunds_payment_idx').on(t.paymentId)],
);

/** Every Stripe event handled, recorded in the same transaction as its effect: a redelivery does nothing. */
export const stripeEvents = pgTable('stripe_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  receivedAt: instant('received_at').notNull().defaultNow(),
});
