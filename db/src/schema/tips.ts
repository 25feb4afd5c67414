import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { TIP_STATUSES } from '@tissu/shared';
import { users } from './accounts.js';
import { bookings } from './bookings.js';
import { coops } from './coops.js';
import { instant } from './types.js';

/**
 * A client's tip on a completed booking: one per booking (the unique booking_id is what makes a
 * second click, or a second tab, find the first tip instead of charging again). No platform fee,
 * no tax: all of it goes to the co-op for the workers of the visit. Paid with the saved card
 * (`checkout_session_id` null) or through a Checkout session; `open` until Stripe says it is paid,
 * `failed` when the card was refused or the Checkout expired (a new try reuses the row).
 */
export const tips = pgTable(
  'tips',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id').notNull().references(() => bookings.id),
    coopId: uuid('coop_id').notNull().references(() => coops.id),
    clientId: uuid('client_id').notNull().references(() => users.id),
    amountCents: integer('amount_cents').notNull(),
    status: text('status', { enum: TIP_STATUSES }).notNull(),
    /** Bumped by each new try after a failure: the idempotency key of a try names it. */
    attempt: integer('attempt').notNull().default(1),
    checkoutSessionId: text('checkout_session_id'),
    checkoutUrl: text('checkout_url'),
    paymentIntentId: text('payment_intent_id'),
    lastError: text('last_error'),
    paidAt: instant('paid_at'),
    /** Stripe's fee on the charge, once read: the platform pays it (a destination charge), booked as a processor fee. */
    processorFeeCents: integer('processor_fee_cents'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tips_booking_key').on(t.bookingId),
    uniqueIndex('tips_checkout_key').on(t.checkoutSessionId),
    index('tips_coop_idx').on(t.coopId, t.paidAt),
    check('tips_amount', sql`amount_cents > 0`),
  ],
);
