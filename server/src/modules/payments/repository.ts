import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';
import { FREE_AFTER_ACCEPTANCE_HOURS } from '@tissu/shared';

const { payments, receiptCounters, refunds, coopPaymentAccounts, stripeEvents, bookings, coops, users, listings, quoteOffers } = schema;

export type PaymentRow = typeof payments.$inferSelect;
/** The statuses of a payment Stripe took money for: a booking's settled payment, or money paid late and owed back. */
export const TOOK_MONEY: PaymentRow['status'][] = ['paid', 'partially_refunded', 'refunded', 'to_return', 'returned'];
export type RefundRow = typeof refunds.$inferSelect;
export type PaymentAccountRow = typeof coopPaymentAccounts.$inferSelect;

export async function paymentAccount(db: Tx, coopId: string): Promise<PaymentAccountRow | undefined> {
  const [row] = await db.select().from(coopPaymentAccounts).where(eq(coopPaymentAccounts.coopId, coopId));
  return row;
}

export async function upsertPaymentAccount(db: Tx, coopId: string, values: Partial<typeof coopPaymentAccounts.$inferInsert>) {
  const [row] = await db
    .insert(coopPaymentAccounts)
    .values({ coopId, ...values })
    .onConflictDoUpdate({ target: coopPaymentAccounts.coopId, set: { ...values, updatedAt: new Date() } })
    .returning();
  return row!;
}

/**
 * Applies an account's status as of `asOf`, unless a more recent one is already kept. Equal times
 * apply (Stripe's `created` has whole seconds): the later arrival wins a tie.
 */
export async function updateAccountByStripeId(db: Tx, stripeAccountId: string, asOf: Date, values: Partial<typeof coopPaymentAccounts.$inferInsert>) {
  await db
    .update(coopPaymentAccounts)
    .set({ ...values, statusAsOf: asOf, updatedAt: new Date() })
    .where(and(
      eq(coopPaymentAccounts.stripeAccountId, stripeAccountId),
      or(isNull(coopPaymentAccounts.statusAsOf), lte(coopPaymentAccounts.statusAsOf, asOf)),
    ));
}

export async function insertPayment(db: Tx, values: typeof payments.$inferInsert): Promise<PaymentRow> {
  const [row] = await db.insert(payments).values(values).returning();
  return row!;
}

/** The next receipt number of a year; the counter row's lock orders concurrent payments. */
export async function nextReceiptNumber(db: Tx, year: number): Promise<string> {
  const [row] = await db
    .insert(receiptCounters)
    .values({ year, lastNumber: 1 })
    .onConflictDoUpdate({ target: receiptCounters.year, set: { lastNumber: sql`${receiptCounters.lastNumber} + 1` } })
    .returning();
  return `TIS-${year}-${String(row!.lastNumber).padStart(6, '0')}`;
}

/** Settled payments, paid before `paidBefore`, whose processor fee or transfer id is not known yet. */
export async function paymentsMissingChargeDetails(db: Tx, paidBefore: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(
      inArray(payments.status, TOOK_MONEY),
      isNotNull(payments.paymentIntentId),
      or(isNull(payments.processorFeeCents), isNull(payments.transferId)),
      lt(payments.paidAt, paidBefore),
    ))
    .orderBy(asc(payments.paidAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

export async function findPayment(db: Tx, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row;
}

/** The payment a Stripe payment intent already settled, if any. */
export async function paymentOfIntent(db: Tx, paymentIntentId: string): Promise<{ id: string } | undefined> {
  const [row] = await db.select({ id: payments.id }).from(payments).where(eq(payments.paymentIntentId, paymentIntentId));
  return row;
}

export async function updatePayment(db: Tx, id: string, values: Partial<typeof payments.$inferInsert>) {
  const [row] = await db.update(payments).set(values).where(eq(payments.id, id)).returning();
  return row!;
}

export async function lockPayment(db: Tx, where: { id?: string; checkoutSessionId?: string; paymentIntentId?: string }) {
  const cond = where.id ? eq(payments.id, where.id) : where.checkoutSessionId ? eq(payments.checkoutSessionId, where.checkoutSessionId) : eq(payments.paymentIntentId, where.paymentIntentId!);
  const [row] = await db.select().from(payments).where(cond).for('update');
  return row;
}

export async function paymentsOfBooking(db: Tx, bookingId: string): Promise<PaymentRow[]> {
  return db.select().from(payments).where(eq(payments.bookingId, bookingId)).orderBy(desc(payments.createdAt));
}

/** The payment that took money for a booking, if any (at most one, by a unique index). */
export async function settledPayment(db: Tx, bookingId: string, lock = false): Promise<PaymentRow | undefined> {
  // A booking paid in two parts has two: the deposit (the first) is the one a cancellation refunds.
  const q = db.select().from(payments).where(and(eq(payments.bookingId, bookingId), inArray(payments.status, ['paid', 'partially_refunded', 'refunded']))).orderBy(payments.createdAt).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** Every payment that took money for a booking and still belongs to it (a deposit and its balance), oldest first. */
export async function settledPayments(db: Tx, bookingId: string, lock = false): Promise<PaymentRow[]> {
  const q = db.select().from(payments).where(and(eq(payments.bookingId, bookingId), inArray(payments.status, ['paid', 'partially_refunded', 'refunded']))).orderBy(payments.createdAt, payments.id);
  return lock ? q.for('update') : q;
}

export async function insertRefund(db: Tx, values: typeof refunds.$inferInsert): Promise<RefundRow> {
  const [row] = await db.insert(refunds).values(values).returning();
  return row!;
}

export async function updateRefund(db: Tx, id: string, values: Partial<typeof refunds.$inferInsert>) {
  await db.update(refunds).set(values).where(eq(refunds.id, id));
}

export async function refundsOfBooking(db: Tx, bookingId: string): Promise<RefundRow[]> {
  return db.select().from(refunds).where(eq(refunds.bookingId, bookingId)).orderBy(asc(refunds.createdAt));
}

/** The lines of the offer a quote's booking was made from (its accepted version), for the receipt. */
export async function acceptedOfferLines(db: Tx, quoteId: string) {
  const [row] = await db.select({ lines: quoteOffers.lines }).from(quoteOffers)
    .where(and(eq(quoteOffers.quoteId, quoteId), eq(quoteOffers.state, 'accepted'))).orderBy(desc(quoteOffers.version)).limit(1);
  return row?.lines ?? [];
}

/** Records the event id; false when it was already handled (a redelivery). */
export async function recordEvent(db: Tx, id: string, type: string): Promise<boolean> {
  const rows = await db.insert(stripeEvents).values({ id, type }).onConflictDoNothing().returning({ id: stripeEvents.id });
  return rows.length > 0;
}

export async function bookingForPayment(db: Tx, bookingId: string) {
  const [row] = await db
    .select({ booking: bookings, coopName: coops.legalName, clientEmail: users.email, titleFr: listings.titleFr, titleEn: listings.titleEn, locale: users.locale })
    .from(bookings)
    .innerJoin(coops, eq(coops.id, bookings.coopId))
    .innerJoin(users, eq(users.id, bookings.clientId))
    .innerJoin(listings, eq(listings.id, bookings.listingId))
    .where(eq(bookings.id, bookingId));
  return row;
}

export async function settledPaymentsOfCoop(db: Tx, coopId: string, from: Date, to: Date) {
  return db
    .select({ payment: payments, startsAt: bookings.startsAt, titleFr: listings.titleFr, titleEn: listings.titleEn })
    .from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .innerJoin(listings, eq(listings.id, bookings.listingId))
    .where(and(eq(payments.coopId, coopId), inArray(payments.status, ['paid', 'partially_refunded', 'refunded']), gte(payments.paidAt, from), lt(payments.paidAt, to)))
    .orderBy(desc(payments.paidAt));
}

export async function refundsOfPayments(db: Tx, paymentIds: string[]) {
  if (paymentIds.length === 0) return [];
  return db.select().from(refunds).where(inArray(refunds.paymentId, paymentIds));
}

/** Every payment Stripe took money for since then, money returned included (Stripe lists those too). */
export async function settledSince(db: Tx, since: Date) {
  return db.select().from(payments).where(and(inArray(payments.status, TOOK_MONEY), gte(payments.paidAt, since)));
}

/** Tips paid since then (tips module's table, read here for reconciliation only): charges Tissu made, never refunded by its code. */
export async function tipsPaidSince(db: Tx, since: Date) {
  const rows = await db.execute<{ payment_intent_id: string | null; booking_id: string; amount_cents: number }>(sql`
    SELECT payment_intent_id, booking_id, amount_cents FROM tips WHERE status = 'paid' AND paid_at >= ${since.toISOString()}::timestamptz`);
  return [...rows].map((r) => ({ paymentIntentId: r.payment_intent_id, bookingId: r.booking_id, totalCents: Number(r.amount_cents), refundedCents: 0 }));
}

/** Money received for bookings no longer waiting for it and not refunded yet, oldest first. */
export async function paymentsToReturn(db: Tx, receivedBefore: Date, limit: number): Promise<PaymentRow[]> {
  return db.select().from(payments)
    .where(and(eq(payments.status, 'to_return'), lt(payments.paidAt, receivedBefore)))
    .orderBy(asc(payments.paidAt)).limit(limit);
}

/** The Stripe customer a booking's client is charged as, if they have one. */
export async function customerOfBooking(db: Tx, bookingId: string): Promise<string | undefined> {
  const [row] = await db.select({ id: paymentCustomers.stripeCustomerId }).from(paymentCustomers)
    .innerJoin(bookings, eq(bookings.clientId, paymentCustomers.userId)).where(eq(bookings.id, bookingId));
  return row?.id;
}

const { paymentCustomers } = schema;
export type PaymentCustomerRow = typeof paymentCustomers.$inferSelect;

export async function paymentCustomer(db: Tx, userId: string): Promise<PaymentCustomerRow | undefined> {
  const [row] = await db.select().from(paymentCustomers).where(eq(paymentCustomers.userId, userId));
  return row;
}

export async function lockPaymentCustomer(db: Tx, userId: string): Promise<PaymentCustomerRow | undefined> {
  const [row] = await db.select().from(paymentCustomers).where(eq(paymentCustomers.userId, userId)).for('update');
  return row;
}

export async function upsertPaymentCustomer(db: Tx, values: typeof paymentCustomers.$inferInsert) {
  const { userId, ...rest } = values;
  await db.insert(paymentCustomers).values(values).onConflictDoUpdate({ target: paymentCustomers.userId, set: { ...rest, updatedAt: new Date() } });
}

export async function customerByStripeId(db: Tx, stripeCustomerId: string): Promise<PaymentCustomerRow | undefined> {
  const [row] = await db.select().from(paymentCustomers).where(eq(paymentCustomers.stripeCustomerId, stripeCustomerId)).for('update');
  return row;
}

/**
 * Visits of a series whose charge is due (the free cancellation window has closed, and at least a
 * day before the visit) and that were never tried.
 */
/**
 * Completed bookings paid with a deposit whose balance was never charged (Stripe did not answer at
 * completion), or whose charge was left open by a crash over a minute ago: charged again, same key.
 */
export async function balancesToCharge(db: Tx, limit: number): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    SELECT b.id FROM bookings b
    WHERE b.state = 'completed' AND b.deposit_percent > 0
      AND EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = b.id AND p.part = 'deposit' AND p.status IN ('paid', 'partially_refunded', 'refunded'))
      AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = b.id AND p.part = 'balance'
        AND NOT (p.checkout_session_id = 'balance:' || b.id AND p.status = 'open' AND p.created_at < now() - interval '1 minute'))
    ORDER BY b.updated_at LIMIT ${limit}`);
  return [...rows].map((r) => r.id);
}

export async function visitsToCharge(db: Tx, now: Date, limit: number): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    SELECT b.id FROM bookings b
    WHERE b.series_id IS NOT NULL AND b.state = 'accepted'
      AND b.starts_at - make_interval(hours => GREATEST(b.free_cancellation_hours, 24)) <= ${now.toISOString()}::timestamptz
      -- A request sent before its free cancellation ended and accepted late keeps it free for a while
      -- after the acceptance (cancellationDeadline): charged when that ends, never charged then
      -- refunded; at the latest three hours before the visit, an hour before a refused one lapses.
      AND NOT (b.starts_at - interval '3 hours' > ${now.toISOString()}::timestamptz
        AND b.created_at < b.starts_at - make_interval(hours => b.free_cancellation_hours)
        AND EXISTS (SELECT 1 FROM booking_events e WHERE e.booking_id = b.id AND e.kind = 'transition' AND e.to_state = 'accepted' AND e.actor_role = 'coop_admin'
                      AND e.created_at + make_interval(hours => ${FREE_AFTER_ACCEPTANCE_HOURS}) > ${now.toISOString()}::timestamptz))
      -- Never tried (or tried and left open by a crash before its answer was written: asked again with
      -- the same key), and not paid otherwise. A Checkout the client opened and left does not stop it.
      AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = b.id AND CASE
        WHEN p.checkout_session_id = 'saved-card:' || b.id THEN NOT (p.status = 'open' AND p.created_at < now() - interval '1 minute')
        ELSE p.status NOT IN ('open', 'expired') END)
    ORDER BY b.starts_at LIMIT ${limit}`);
  return [...rows].map((r) => r.id);
}
