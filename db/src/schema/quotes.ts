import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { OFFER_STATES, QUOTE_ACTOR_ROLES, QUOTE_EVENT_KINDS, QUOTE_STATES, type AnswerSnapshot, type PreferredDate, type SeriesFrequency } from '@tissu/shared';
import { users } from './accounts.js';
import { coops } from './coops.js';
import { listings } from './listings.js';
import { instant } from './types.js';

/**
 * A client's request for a quote on a listing. Its booking, once accepted, points back to it
 * (bookings.quote_id, unique): that is what makes a concurrent second acceptance fail.
 */
export const quoteRequests = pgTable(
  'quote_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listingId: uuid('listing_id').notNull().references(() => listings.id),
    coopId: uuid('coop_id').notNull().references(() => coops.id),
    clientId: uuid('client_id').notNull().references(() => users.id),
    state: text('state', { enum: QUOTE_STATES }).notNull(),
    description: text('description').notNull(),
    address: text('address').notNull().default(''),
    preferredDates: jsonb('preferred_dates').$type<PreferredDate[]>().notNull().default(sql`'[]'::jsonb`),
    datesNote: text('dates_note').notNull().default(''),
    /** The listing's questions answered, kept as asked (a snapshot, as bookings keep theirs). */
    answers: jsonb('answers').$type<AnswerSnapshot[]>().notNull().default(sql`'[]'::jsonb`),
    /**
     * The client's inquiry about this listing: offers and messages meet there. Its foreign key is
     * declared in the migration (0046), not here: conversations already reach bookings, which reach quotes.
     */
    conversationId: uuid('conversation_id'),
    /** When it expires if nobody acts; null once closed. */
    expiresAt: instant('expires_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // One open request per client and listing: asking again while one is open is a mistake.
    uniqueIndex('quote_requests_open_key').on(t.clientId, t.listingId).where(sql`state IN ('requested', 'offered', 'changes_requested')`),
    index('quote_requests_coop_idx').on(t.coopId, t.createdAt),
    index('quote_requests_client_idx').on(t.clientId, t.createdAt),
    index('quote_requests_expiry_idx').on(t.expiresAt).where(sql`state IN ('requested', 'offered', 'changes_requested')`),
  ],
);

/** An offer of regular visits: how often, the first visit, and its end (a date, a number of visits, or none). */
export interface OfferRecurrenceRow { frequency: SeriesFrequency; startsAt: string; until: string | null; count: number | null }

export interface OfferLineRow { label: string; quantity: number | null; unitPriceCents: number; amountCents: number }

/**
 * One version of the co-op's offer. What was offered never changes once sent (a trigger in the
 * migration refuses it): only its state, when it closed and why.
 */
export const quoteOffers = pgTable(
  'quote_offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    quoteId: uuid('quote_id').notNull().references(() => quoteRequests.id),
    version: integer('version').notNull(),
    state: text('state', { enum: OFFER_STATES }).notNull().default('sent'),
    lines: jsonb('lines').$type<OfferLineRow[]>().notNull(),
    serviceCents: integer('service_cents').notNull(),
    gstCents: integer('gst_cents').notNull(),
    qstCents: integer('qst_cents').notNull(),
    totalCents: integer('total_cents').notNull(),
    feeRateBps: integer('fee_rate_bps').notNull(),
    platformFeeCents: integer('platform_fee_cents').notNull(),
    depositPercent: integer('deposit_percent').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    proposedTimes: jsonb('proposed_times').$type<string[]>().notNull(),
    /** Regular visits instead of one visit at a proposed time (then proposed_times is empty); frozen with the rest. */
    recurrence: jsonb('recurrence').$type<OfferRecurrenceRow>(),
    validUntil: instant('valid_until').notNull(),
    message: text('message').notNull().default(''),
    sentBy: uuid('sent_by').references(() => users.id),
    sentAt: instant('sent_at').notNull().defaultNow(),
    closedAt: instant('closed_at'),
    closeReason: text('close_reason'),
  },
  (t) => [
    uniqueIndex('quote_offers_version_key').on(t.quoteId, t.version),
    // At most one open offer per request.
    uniqueIndex('quote_offers_open_key').on(t.quoteId).where(sql`state = 'sent'`),
    check('quote_offers_amounts', sql`service_cents BETWEEN 0 AND 100000000 AND total_cents = service_cents + gst_cents + qst_cents`),
    check('quote_offers_deposit', sql`deposit_percent BETWEEN 0 AND 100`),
    // One visit at a proposed time, or regular visits (with no deposit: each visit is paid as it comes).
    check('quote_offers_times_or_series', sql`recurrence IS NULL OR (proposed_times = '[]'::jsonb AND deposit_percent = 0)`),
  ],
);

/** Append-only history of a request (a trigger refuses UPDATE and DELETE). */
export const quoteEvents = pgTable(
  'quote_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    quoteId: uuid('quote_id').notNull().references(() => quoteRequests.id),
    actorId: uuid('actor_id').references(() => users.id),
    actorRole: text('actor_role', { enum: QUOTE_ACTOR_ROLES }).notNull(),
    kind: text('kind', { enum: QUOTE_EVENT_KINDS }).notNull().default('transition'),
    fromState: text('from_state', { enum: QUOTE_STATES }),
    toState: text('to_state', { enum: QUOTE_STATES }).notNull(),
    offerVersion: integer('offer_version'),
    reason: text('reason'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('quote_events_quote_idx').on(t.quoteId, t.id)],
);
