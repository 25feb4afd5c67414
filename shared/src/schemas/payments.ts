import { z } from 'zod';
import { Id, Timestamp, isoDateTime, text } from './common.js';

export const FeeRate = z.object({ rateBps: z.number().int(), effectiveFrom: Timestamp, reason: z.string() });
export const FeeSchedule = z.object({ current: FeeRate, upcoming: z.array(FeeRate), history: z.array(FeeRate) });
export type FeeSchedule = z.infer<typeof FeeSchedule>;
export const SetFeeRateBody = z.object({
  rateBps: z.number().int().min(0, { error: 'percent_too_low' }).max(3000, { error: 'percent_too_high' }),
  effectiveFrom: isoDateTime('choose_date'),
  reason: text(3, 500),
});

export const PaymentAccount = z.object({
  connected: z.boolean(),
  chargesEnabled: z.boolean(),
  payoutsEnabled: z.boolean(),
  detailsSubmitted: z.boolean(),
  requirementsDue: z.array(z.string()),
  gstRegistered: z.boolean(),
  qstRegistered: z.boolean(),
  gstNumber: z.string().nullable(),
  qstNumber: z.string().nullable(),
});
export type PaymentAccount = z.infer<typeof PaymentAccount>;

/** GST numbers are 9 digits + RT + 4 digits; QST numbers 10 digits + TQ + 4 digits. */
export const TaxSettingsBody = z
  .object({
    gstRegistered: z.boolean(),
    gstNumber: z.string().trim().toUpperCase().transform((s) => s.replace(/\s/g, '')).pipe(z.string().regex(/^\d{9}RT\d{4}$/, { error: 'gst_format' })).nullable().optional(),
    qstRegistered: z.boolean(),
    qstNumber: z.string().trim().toUpperCase().transform((s) => s.replace(/\s/g, '')).pipe(z.string().regex(/^\d{10}TQ\d{4}$/, { error: 'qst_format' })).nullable().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.gstRegistered && !b.gstNumber) ctx.addIssue({ code: 'custom', path: ['gstNumber'], message: 'tax_number_required' });
    if (b.qstRegistered && !b.qstNumber) ctx.addIssue({ code: 'custom', path: ['qstNumber'], message: 'tax_number_required' });
  });

export const OnboardingLink = z.object({ url: z.url() });

export const MoneyBreakdown = z.object({
  serviceCents: z.number().int(),
  gstCents: z.number().int(),
  qstCents: z.number().int(),
  totalCents: z.number().int(),
  feeRateBps: z.number().int(),
  platformFeeCents: z.number().int(),
  coopCents: z.number().int(),
});
export type MoneyBreakdown = z.infer<typeof MoneyBreakdown>;

/**
 * A Checkout attempt for a booking, as stored: a declined card leaves it open, Stripe may let it expire.
 * Money that arrives for a booking no longer waiting for it (expired, cancelled, already paid) is
 * `to_return` until it is refunded in full, then `returned`: it never pays the booking.
 */
export const PAYMENT_STATUSES = ['open', 'paid', 'expired', 'refunded', 'partially_refunded', 'to_return', 'returned'] as const;
/** What a payment pays of its booking: all of it, or (a quote with a deposit) the deposit at acceptance and the balance at completion. */
export const PAYMENT_PARTS = ['full', 'deposit', 'balance'] as const;
/**
 * Who a refund is for: the client cancelled, the co-op cancelled, a steward refunded by hand, or
 * money paid for a booking no longer waiting for it, returned in full.
 */
export const REFUND_KINDS = ['client_cancellation', 'coop_cancellation', 'steward', 'late_payment', 'no_show'] as const;

export const RefundView = z.object({
  id: Id,
  kind: z.enum(REFUND_KINDS),
  /** The payment it gave back from: the only one, or the deposit or the balance of a booking paid in two parts. */
  part: z.enum(['full', 'deposit', 'balance']),
  totalCents: z.number().int(),
  serviceCents: z.number().int(),
  gstCents: z.number().int(),
  qstCents: z.number().int(),
  platformFeeCents: z.number().int(),
  reason: z.string(),
  createdAt: Timestamp,
});

/** A part of a payment kept by the co-op: service, GST and QST, and their total. */
const KeptParts = z.object({ serviceCents: z.number().int(), gstCents: z.number().int(), qstCents: z.number().int(), totalCents: z.number().int() });

/** What the client pays and where it goes; once paid, also the receipt. */
export const PaymentSummary = z.object({
  bookingId: Id,
  bookingState: z.string(),
  breakdown: MoneyBreakdown,
  status: z.enum(['unpaid', 'open', 'paid', 'partially_refunded', 'refunded']),
  payable: z.boolean(),
  /**
   * Why it cannot be paid now, when it cannot: the co-op has not accepted it yet, its state does not
   * take a payment, the co-op cannot take payments yet, or the saved card is being charged right now.
   */
  blocker: z.enum(['awaiting_acceptance', 'not_payable', 'coop_not_ready', 'charging']).nullable(),
  paymentDeadline: Timestamp.nullable(),
  paidAt: Timestamp.nullable(),
  lastError: z.string().nullable(),
  /** Refunded so far, taxes included, over all the booking's payments (a deposit and its balance). */
  refundedCents: z.number().int(),
  /** The service still refundable, over all the booking's payments: the most a steward may refund. */
  refundableServiceCents: z.number().int(),
  refunds: z.array(RefundView),
  coop: z.object({ name: z.string(), gstNumber: z.string().nullable(), qstNumber: z.string().nullable() }),
  receiptNumber: z.string().nullable(),
  /** A quote's booking: the lines of the offer accepted (what the service price is made of), for the receipt. Empty otherwise. */
  lines: z.array(z.object({ label: z.string(), quantity: z.number().nullable(), unitPriceCents: z.number().int(), amountCents: z.number().int() })),
  /**
   * A paid booking cancelled now by the person asking (the client by her policy; the co-op refunds
   * everything): what of what is left of the payment is kept, in parts, and refunded, taxes included,
   * by the refund's own code. kept.totalCents + refundCents = paidCents. Null when nothing is paid.
   */
  cancelNow: z.object({
    paidCents: z.number().int(),
    refundCents: z.number().int(),
    kept: KeptParts,
  }).nullable(),
  /**
   * What a cancellation by the client after the free deadline keeps (the policy's percent of the
   * price), in parts, taxes included, by the refund's own code: of the payment once paid, of the
   * price as it would be paid before. The cancellation terms beside the cancel form say this.
   */
  lateCancellation: KeptParts,
  /**
   * A booking paid in two parts (an accepted quote with a deposit): the deposit, paid at acceptance,
   * and the balance, charged to the saved card at completion (or paid here if that failed). Each with
   * its receipt number once paid. Empty for a booking paid at once.
   */
  /**
   * What is owed now and what paying now charges, taxes included: the whole price (`full`), the
   * deposit, or the balance once completed (its charge to the saved card having failed). 0 and null
   * when nothing is owed now (paid, not accepted yet, or ended).
   */
  dueNowPart: z.enum(['full', 'deposit', 'balance']).nullable(),
  dueNowCents: z.number().int(),
  installments: z.array(z.object({
    part: z.enum(['deposit', 'balance']),
    /** `not_owed`: never paid and no longer owed (the booking was cancelled, or ended as a no-show). */
    status: z.enum(['due', 'open', 'paid', 'partially_refunded', 'refunded', 'failed', 'not_owed']),
    serviceCents: z.number().int(),
    gstCents: z.number().int(),
    qstCents: z.number().int(),
    totalCents: z.number().int(),
    platformFeeCents: z.number().int(),
    /** Refunded from this part so far, taxes included. */
    refundedCents: z.number().int(),
    paidAt: Timestamp.nullable(),
    receiptNumber: z.string().nullable(),
    lastError: z.string().nullable(),
  })),
});
export type PaymentSummary = z.infer<typeof PaymentSummary>;

export const CheckoutResult = z.object({ url: z.url() });

export const StewardRefundBody = z.object({
  serviceCents: z.number().int().min(1, { error: 'amount_too_small' }),
  reason: text(5, 1000),
});

export const LedgerCheckResult = z.object({
  ok: z.boolean(),
  checkedAt: Timestamp,
  entries: z.number().int(),
  lines: z.number().int(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), problems: z.array(z.string()) })),
});

export const ReconciliationResult = z.object({
  checkedAt: Timestamp,
  since: Timestamp,
  matched: z.number().int(),
  mismatches: z.array(z.object({ paymentIntentId: z.string().nullable(), bookingId: z.string().nullable(), problem: z.string(), tissuCents: z.number().int().nullable(), stripeCents: z.number().int().nullable() })),
});

/** Money received for bookings no longer waiting for it whose refund Stripe has not made yet: the job retries, stewards see it. */
export const MoneyToReturn = z.object({
  payments: z.array(z.object({
    paymentId: Id,
    bookingId: Id,
    totalCents: z.number().int(),
    paidAt: Timestamp,
    /** Why the last try failed, as Stripe or the network said it. */
    lastError: z.string().nullable(),
  })),
});

export const EarningsQuery = z.object({ year: z.coerce.number().int().min(2020).max(2100).optional() });
const EarningsLine = z.object({ grossCents: z.number().int(), feeCents: z.number().int(), taxesCents: z.number().int(), refundedCents: z.number().int(), netCents: z.number().int() });
export const Earnings = z.object({
  year: z.number().int(),
  totals: EarningsLine,
  months: z.array(EarningsLine.extend({ month: z.string() })),
  bookings: z.array(EarningsLine.extend({ bookingId: Id, titleFr: z.string(), titleEn: z.string(), paidAt: Timestamp, startsAt: Timestamp, payout: z.enum(['transferred', 'reversed', 'partially_reversed']) })),
});
export type Earnings = z.infer<typeof Earnings>;

/** The card a person saved for regular visits, as pages show it (never the number). */
export const SavedCardView = z.object({ brand: z.string(), last4: z.string(), expMonth: z.number().int(), expYear: z.number().int() });
export type SavedCardView = z.infer<typeof SavedCardView>;
export const SavedCardResult = z.object({ card: SavedCardView.nullable() });
/** Where Stripe sends the person back after saving a card: a path of this site. */
export const SetupCardBody = z.object({ returnTo: z.string().regex(/^\/(?!\/)[A-Za-z0-9\-._~/?=&%]*$/, { error: 'invalid_link' }).max(300).default('/bookings') });
export const SetupCardResult = z.object({ url: z.string() });
/** The session Stripe names on the way back from its setup page (`?session=cs_…`). */
export const ConfirmCardBody = z.object({ sessionId: z.string().regex(/^cs_[A-Za-z0-9_]{1,250}$/, { error: 'invalid_id' }) });
/**
 * The card after a return from Stripe's setup page, and what became of that session: `complete`
 * (its card is the one saved now), `open` (not finished: nothing saved from it yet), `expired`
 * (given up: nothing saved from it). The card shown may be an older one when the session saved none.
 */
export const ConfirmedCardResult = SavedCardResult.extend({ session: z.enum(['complete', 'open', 'expired']) });
export type ConfirmedCardResult = z.infer<typeof ConfirmedCardResult>;
