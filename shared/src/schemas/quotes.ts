/**
 * The quotes API contract. Routes (all need a signed-in person; someone else's quote answers 404):
 *   POST /quotes                       client asks            CreateQuoteBody      → 201 Quote
 *   GET  /quotes?as=client|coop        her requests / the co-op's inbox   QuoteListQuery → QuoteList
 *   GET  /quotes/:id                   client or co-op admin                       → Quote
 *   POST /quotes/:id/offers            co-op admin sends an offer (or a revision) CreateOfferBody → 201 Quote
 *   POST /quotes/:id/accept            client picks one proposed time of the current offer AcceptQuoteBody → Quote
 *                                       (quote.bookingId is then set; pay it with POST /bookings/:bookingId/checkout,
 *                                       which charges the deposit when the offer has one)
 *   POST /quotes/:id/decline           client                 OptionalReasonBody   → Quote
 *   POST /quotes/:id/request-changes   client                 ReasonBody           → Quote
 *   POST /quotes/:id/withdraw          client                 OptionalReasonBody   → Quote
 *   POST /quotes/:id/refuse            co-op admin            ReasonBody           → Quote
 * The web's quote page is /quotes/<id> (emails link there). Which buttons to show: quote.actions.
 */
import { z } from 'zod';
import { OFFER_STATES, QUOTE_ACTIONS, QUOTE_ACTOR_ROLES, QUOTE_EVENT_KINDS, QUOTE_STATES } from '../quote/lifecycle.js';
import { MAX_LINE_QUANTITY, MAX_OFFER_CENTS, MAX_OFFER_LINES, MAX_PROPOSED_TIMES, quantityHundredths } from '../quote/offer.js';
import { MAX_DURATION_MINUTES } from '../booking/hold.js';
import { Id, Timestamp, isoDate, isoDateTime, text } from './common.js';
import { AnswerSnapshot, AnswersInput } from './questions.js';
import { AddressBody } from './addresses.js';

export const QuoteStateSchema = z.enum(QUOTE_STATES);
export const OfferStateSchema = z.enum(OFFER_STATES);

/** A day that suits the client, or a range of days (`until` inclusive). */
export const PreferredDate = z
  .object({ from: isoDate('choose_date'), until: isoDate('choose_date').optional() })
  .refine((d) => d.until === undefined || d.until >= d.from, { error: 'end_before_start', path: ['until'] });
export type PreferredDate = z.infer<typeof PreferredDate>;

export const CreateQuoteBody = z.object({
  listingId: Id,
  /** The job in the client's words: rooms, floors, the piano, the number of pages... */
  description: text(10, 4000),
  /** Where the work is done (required when the listing works at the client's place). */
  address: text(0, 300).default(''),
  /**
   * Or, as at booking: one of her saved addresses by id, or a new one typed (kept in her addresses
   * with `saveAddress`); either replaces `address` with its text as it is now.
   */
  addressId: Id.optional(),
  newAddress: AddressBody.extend({ label: text(0, 60).default('') }).optional(),
  saveAddress: z.boolean().optional(),
  /** Up to five days or ranges that suit her, and anything else about timing. */
  preferredDates: z.array(PreferredDate).max(5, { error: 'too_many' }).default([]),
  datesNote: text(0, 500).default(''),
  /** Answers to the listing's questions, checked as at booking (shared/booking/questions.ts). */
  answers: AnswersInput.optional(),
  /** Sent from the client's inquiry with this co-op: it becomes the quote's conversation. */
  conversationId: Id.optional(),
});
export type CreateQuoteBody = z.infer<typeof CreateQuoteBody>;

const cents = (min: number) =>
  z.number({ error: 'invalid_amount' }).int({ error: 'invalid_amount' })
    .min(min, { error: 'amount_too_small' }).max(MAX_OFFER_CENTS, { error: 'amount_too_large' });

export const OfferLineBody = z.object({
  label: text(1, 200),
  /** Leave out for a fixed amount; otherwise up to two decimals (2.5 hours, 12 boxes). */
  quantity: z.number({ error: 'invalid_value' }).positive({ error: 'too_small' }).max(MAX_LINE_QUANTITY, { error: 'too_large' })
    .refine((q) => quantityHundredths(q) !== null, { error: 'invalid_value' }).nullable().optional(),
  unitPriceCents: cents(0),
});
export type OfferLineBody = z.infer<typeof OfferLineBody>;

/**
 * An offer. Checked by the server against the clock: validUntil in the future and at most 90 days
 * ahead; each proposed time in the future (and within a year); the subtotal between 1 $ and 1 000 000 $.
 */
export const CreateOfferBody = z.object({
  lines: z.array(OfferLineBody).min(1, { error: 'too_few' }).max(MAX_OFFER_LINES, { error: 'too_many' }),
  validUntil: isoDateTime('choose_date'),
  durationMinutes: z.number({ error: 'invalid_minutes' }).int({ error: 'invalid_minutes' })
    .min(15, { error: 'duration_too_short' }).max(MAX_DURATION_MINUTES, { error: 'duration_too_long' }),
  proposedTimes: z.array(isoDateTime('choose_slot')).min(1, { error: 'too_few' }).max(MAX_PROPOSED_TIMES, { error: 'too_many' })
    .refine((ts) => new Set(ts.map((t) => Date.parse(t))).size === ts.length, { error: 'duplicate_time' }),
  message: text(0, 2000).default(''),
});
export type CreateOfferBody = z.infer<typeof CreateOfferBody>;

export const AcceptQuoteBody = z.object({
  /** The version the client read: accepting any other (superseded, or a newer she has not seen) is refused. */
  offerVersion: z.number().int().min(1),
  /** One of that offer's proposed times. */
  startsAt: isoDateTime('choose_slot'),
});
export type AcceptQuoteBody = z.infer<typeof AcceptQuoteBody>;

export const QuoteListQuery = z.object({
  as: z.enum(['client', 'coop']).default('client'),
  /** With as=coop: one of the person's co-ops (default: all the co-ops she administers). */
  coopId: Id.optional(),
  /** open: requested, offered or changes_requested. */
  scope: z.enum(['open', 'closed', 'all']).default('all'),
});

export const PaymentPartView = z.object({
  serviceCents: z.number().int(),
  gstCents: z.number().int(),
  qstCents: z.number().int(),
  totalCents: z.number().int(),
  platformFeeCents: z.number().int(),
});

export const OfferLine = z.object({
  label: z.string(),
  quantity: z.number().nullable(),
  unitPriceCents: z.number().int(),
  amountCents: z.number().int(),
});

export const QuoteOffer = z.object({
  version: z.number().int(),
  state: OfferStateSchema,
  lines: z.array(OfferLine),
  serviceCents: z.number().int(),
  gstCents: z.number().int(),
  qstCents: z.number().int(),
  totalCents: z.number().int(),
  /** The platform fee rate in force when sent, and the fee it makes on the service (shown, included in the price). */
  feeRateBps: z.number().int(),
  platformFeeCents: z.number().int(),
  /** 0: the whole total is paid at acceptance. */
  depositPercent: z.number().int(),
  /** Paid at acceptance (the whole when depositPercent is 0). */
  deposit: PaymentPartView,
  /** Charged to the saved card when the work is completed (zeros without a deposit). */
  balance: PaymentPartView,
  durationMinutes: z.number().int(),
  proposedTimes: z.array(Timestamp),
  /** Of the current offer, to the co-op's admins: the proposed times outside the listing's opening hours (allowed, shown as a warning); empty otherwise. */
  outsideHours: z.array(Timestamp),
  validUntil: Timestamp,
  message: z.string(),
  sentAt: Timestamp,
  sentByName: z.string(),
  /** When the client answered it (or when it closed), and her words. */
  closedAt: Timestamp.nullable(),
  closeReason: z.string().nullable(),
});
export type QuoteOffer = z.infer<typeof QuoteOffer>;

export const QuoteEvent = z.object({
  at: Timestamp,
  actorName: z.string().nullable(),
  actorRole: z.enum(QUOTE_ACTOR_ROLES),
  kind: z.enum(QUOTE_EVENT_KINDS),
  from: QuoteStateSchema.nullable(),
  to: QuoteStateSchema,
  offerVersion: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type QuoteEvent = z.infer<typeof QuoteEvent>;

export const Quote = z.object({
  id: Id,
  state: QuoteStateSchema,
  listing: z.object({ id: Id, titleFr: z.string(), titleEn: z.string(), locationMode: z.string() }),
  coop: z.object({ id: Id, slug: z.string(), name: z.string() }),
  client: z.object({ id: Id, name: z.string() }),
  timeZone: z.string(),
  description: z.string(),
  address: z.string(),
  preferredDates: z.array(PreferredDate),
  datesNote: z.string(),
  /** The listing's questions and her answers, as they were asked. */
  answers: z.array(AnswerSnapshot),
  conversationId: Id.nullable(),
  /** Set once accepted: the booking to pay and follow. */
  bookingId: Id.nullable(),
  createdAt: Timestamp,
  /** When it expires if nobody acts (the current offer's validity, or the co-op's time to answer); null once closed. */
  expiresAt: Timestamp.nullable(),
  /** Every version, oldest first; the current one is the last when its state is 'sent'. */
  offers: z.array(QuoteOffer),
  events: z.array(QuoteEvent),
  /** Who is looking, and what she may do now (the buttons). */
  viewerRole: z.enum(['client', 'coop_admin']),
  actions: z.array(z.enum(QUOTE_ACTIONS)),
});
export type Quote = z.infer<typeof Quote>;

export const QuoteLine = z.object({
  id: Id,
  state: QuoteStateSchema,
  listing: z.object({ id: Id, titleFr: z.string(), titleEn: z.string() }),
  coop: z.object({ id: Id, slug: z.string(), name: z.string() }),
  client: z.object({ id: Id, name: z.string() }),
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  /** The latest offer's version and total, if any. */
  latestOffer: z.object({ version: z.number().int(), state: OfferStateSchema, totalCents: z.number().int() }).nullable(),
  bookingId: Id.nullable(),
});
export type QuoteLine = z.infer<typeof QuoteLine>;
export const QuoteList = z.object({ items: z.array(QuoteLine) });
export type QuoteList = z.infer<typeof QuoteList>;
