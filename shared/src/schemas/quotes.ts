/**
 * The quotes API contract. Routes (all need a signed-in person; someone else's quote answers 404):
 *   POST /quotes                       client asks            CreateQuoteBody      → 201 Quote
 *   GET  /quotes?as=client|coop        her requests / the co-op's inbox   QuoteListQuery → QuoteList
 *   GET  /quotes/:id                   client or co-op admin                       → Quote
 *   POST /quotes/:id/offers            co-op admin sends an offer (or a revision) CreateOfferBody → 201 Quote
 *   POST /quotes/:id/accept            client picks one proposed time of the current offer AcceptQuoteBody → Quote
 *                                       (quote.bookingId is then set; pay it with POST /bookings/:bookingId/checkout,
 *                                       which charges the deposit when the offer has one); for an offer of regular
 *                                       visits (offer.recurrence) no time is picked: quote.seriesId is then set, and
 *                                       its visits are paid as any series' (the saved card, or each visit's link)
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
import { MAX_SERIES_VISITS, SERIES_FREQUENCIES } from '../booking/series.js';
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
 * Regular work: visits that come back at a frequency regular visits use, from a first visit (its
 * wall-clock time on the listing's clock is the time of every visit), with no end, until a date or
 * for a number of visits. The offer's lines are then the price of one visit.
 */
export const OfferRecurrenceBody = z.object({
  frequency: z.enum(SERIES_FREQUENCIES, { error: 'invalid_choice' }),
  startsAt: isoDateTime('choose_slot'),
  until: isoDate('choose_date').optional(),
  count: z.number({ error: 'invalid_number' }).int({ error: 'invalid_number' }).min(2, { error: 'too_small' }).max(MAX_SERIES_VISITS, { error: 'too_large' }).optional(),
}).refine((r) => !(r.until && r.count), { error: 'until_or_count', path: ['count'] });
export type OfferRecurrenceBody = z.infer<typeof OfferRecurrenceBody>;

/**
 * An offer: one visit at one of the proposed times, or regular visits (`recurrence`), not both.
 * Checked by the server against the clock: validUntil in the future and at most 90 days ahead; each
 * proposed time (or the first regular visit) in the future and within a year; the subtotal between
 * 1 $ and 1 000 000 $. An offer of regular visits has no deposit (each visit is paid as it comes):
 * the listing's deposit applies to one-off jobs only.
 */
export const CreateOfferBody = z.object({
  lines: z.array(OfferLineBody).min(1, { error: 'too_few' }).max(MAX_OFFER_LINES, { error: 'too_many' }),
  validUntil: isoDateTime('choose_date'),
  durationMinutes: z.number({ error: 'invalid_minutes' }).int({ error: 'invalid_minutes' })
    .min(15, { error: 'duration_too_short' }).max(MAX_DURATION_MINUTES, { error: 'duration_too_long' }),
  proposedTimes: z.array(isoDateTime('choose_slot')).max(MAX_PROPOSED_TIMES, { error: 'too_many' })
    .refine((ts) => new Set(ts.map((t) => Date.parse(t))).size === ts.length, { error: 'duplicate_time' }).default([]),
  recurrence: OfferRecurrenceBody.optional(),
  message: text(0, 2000).default(''),
}).superRefine((o, ctx) => {
  if (o.recurrence && o.proposedTimes.length) ctx.addIssue({ code: 'custom', message: 'times_or_series', path: ['recurrence'] });
  else if (!o.recurrence && o.proposedTimes.length === 0) ctx.addIssue({ code: 'custom', message: 'too_few', path: ['proposedTimes'] });
});
export type CreateOfferBody = z.infer<typeof CreateOfferBody>;

export const AcceptQuoteBody = z.object({
  /** The version the client read: accepting any other (superseded, or a newer she has not seen) is refused. */
  offerVersion: z.number().int().min(1),
  /** One of that offer's proposed times (required for a one-off offer; for regular visits, if given, the first visit's). */
  startsAt: isoDateTime('choose_slot').optional(),
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
  /** A one-off job: the times the client picks from (empty for regular visits). */
  proposedTimes: z.array(Timestamp),
  /** Regular visits: how often, from which first visit, until when (null: a one-off job). The price is one visit's. */
  recurrence: z.object({
    frequency: z.enum(SERIES_FREQUENCIES),
    startsAt: Timestamp,
    until: z.string().nullable(),
    count: z.number().int().nullable(),
  }).nullable(),
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
  /** Set once an offer of regular visits is accepted: the series (its page asks for the card its visits are charged to). */
  seriesId: Id.nullable(),
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
