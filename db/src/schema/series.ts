import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { BOOKING_ACTOR_ROLES, SERIES_EVENT_KINDS, SERIES_FREQUENCIES, SERIES_STATES, type AnswerSnapshot, type SeriesEventDetail } from '@tissu/shared';
import { users } from './accounts.js';
import { coops } from './coops.js';
import { listings } from './listings.js';
import { quoteRequests } from './quotes.js';
import { instant } from './types.js';

/** An add-on as a series keeps it (bookings/addons.ts ChosenAddon). */
export interface SeriesAddon {
  addonId: string;
  nameFr: string;
  nameEn: string;
  priceCents: number;
  extraMinutes: number;
}

/**
 * Regular visits: one client, one listing, a rule that brings the visit back. The visits are
 * ordinary bookings (bookings.series_id) created ahead by a job up to `generated_through`; the
 * price, fee rate and cancellation terms are those in force when the series was made.
 */
export const bookingSeries = pgTable(
  'booking_series',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listingId: uuid('listing_id').notNull().references(() => listings.id),
    coopId: uuid('coop_id').notNull().references(() => coops.id),
    clientId: uuid('client_id').notNull().references(() => users.id),
    state: text('state', { enum: SERIES_STATES }).notNull(),
    timeZone: text('time_zone').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    /** One visit at the listing's price, and after the regular-visit discount. */
    regularPriceCents: integer('regular_price_cents').notNull(),
    priceCents: integer('price_cents').notNull(),
    discountBps: integer('discount_bps').notNull().default(0),
    feeRateBps: integer('fee_rate_bps').notNull(),
    freeCancellationHours: integer('free_cancellation_hours').notNull(),
    lateCancellationPercent: integer('late_cancellation_percent').notNull(),
    address: text('address').notNull().default(''),
    notes: text('notes').notNull().default(''),
    /** Door code, pets, parking, copied from the client's saved address; each visit copies them in turn. */
    entryNotes: text('entry_notes').notNull().default(''),
    contactName: text('contact_name').notNull(),
    contactPhone: text('contact_phone').notNull().default(''),
    contactEmail: text('contact_email').notNull(),
    /** Visits exist for every date of the rules up to this local date (the rolling horizon). */
    generatedThrough: date('generated_through', { mode: 'string' }).notNull(),
    /** The last local date a visit may fall on, once the series ends (or was booked with an end). */
    endsOn: date('ends_on', { mode: 'string' }),
    /** Paused from this local date: no visit is made from then until the series resumes. */
    pausedFrom: date('paused_from', { mode: 'string' }),
    endReason: text('end_reason'),
    /** The answers to the listing's questions as asked when booked; each visit copies them (bookings.answers). */
    answers: jsonb('answers').$type<AnswerSnapshot[]>().notNull().default([]),
    /**
     * The add-ons chosen when booked, as they were then (already in `duration_minutes` and the
     * prices); each visit copies them into booking_addons. An add-on the listing removed since keeps
     * its copy here; the visit's copy then names no add-on (`addon_id` null), as a booking's would.
     */
    addons: jsonb('addons').$type<SeriesAddon[]>().notNull().default([]),
    /** iCalendar SEQUENCE of the series' event: bumped on every change so calendars replace it. */
    sequence: integer('sequence').notNull().default(0),
    /** Made by accepting this quote's offer of regular visits (one series per quote: a second acceptance fails here). */
    quoteId: uuid('quote_id').references(() => quoteRequests.id),
    /**
     * The GST and QST its accepted offer was taxed with (a series made from a quote), copied onto
     * every visit (bookings.gst_registered): a change of the co-op's registration does not reprice
     * what was agreed. Null for a series booked on the listing (taxed as in force when paid).
     */
    gstRegistered: boolean('gst_registered'),
    qstRegistered: boolean('qst_registered'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('booking_series_client_idx').on(t.clientId),
    index('booking_series_coop_idx').on(t.coopId),
    index('booking_series_listing_idx').on(t.listingId),
    uniqueIndex('booking_series_quote_key').on(t.quoteId),
    index('booking_series_horizon_idx').on(t.generatedThrough).where(sql`state IN ('requested', 'active')`),
    check('booking_series_price', sql`price_cents >= 0 AND price_cents <= regular_price_cents`),
    check('booking_series_discount', sql`discount_bps BETWEEN 0 AND 5000`),
    check('booking_series_tax_snapshot', sql`(gst_registered IS NULL) = (qst_registered IS NULL)`),
  ],
);

/**
 * The rules of a series, one per change "from a date": each runs from its `starts_on` until the
 * next one starts (or its own `until`). The first is the one the client booked.
 */
export const bookingSeriesRules = pgTable(
  'booking_series_rules',
  {
    seriesId: uuid('series_id').notNull().references(() => bookingSeries.id, { onDelete: 'cascade' }),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    frequency: text('frequency', { enum: SERIES_FREQUENCIES }).notNull(),
    /** HH:mm on the listing's wall clock. */
    time: text('time').notNull(),
    until: date('until', { mode: 'string' }),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.startsOn] }), check('booking_series_rules_time', sql`time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`)],
);

/** The team the co-op assigned once: every new visit of the series gets it. */
export const bookingSeriesWorkers = pgTable(
  'booking_series_workers',
  {
    seriesId: uuid('series_id').notNull().references(() => bookingSeries.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.userId] })],
);

/**
 * A date the rule gave that could not become a visit (a closed day, a time already taken when
 * the horizon reached it): both sides were told, and the client chooses to skip it or to take
 * another time. Resolved rows stay, so the job never offers the date again.
 */
export const bookingSeriesGaps = pgTable(
  'booking_series_gaps',
  {
    seriesId: uuid('series_id').notNull().references(() => bookingSeries.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    /**
     * closed or taken when the horizon reached it; client: the client chose to leave it out;
     * cancelled: its visit was cancelled on its own by either side (never made again).
     */
    reason: text('reason', { enum: ['closed', 'taken', 'client', 'cancelled'] }).notNull(),
    resolution: text('resolution', { enum: ['skipped', 'moved'] }),
    createdAt: instant('created_at').notNull().defaultNow(),
    resolvedAt: instant('resolved_at'),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.date] })],
);

/**
 * The series' own history, as a booking has one: each answer and change, who made it, from which
 * local date, and why. A visit cancelled or moved on its own is a line here too (its date, where
 * it went); the details of each visit stay in that visit's history.
 */
export const bookingSeriesEvents = pgTable(
  'booking_series_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    seriesId: uuid('series_id').notNull().references(() => bookingSeries.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id').references(() => users.id),
    actorRole: text('actor_role', { enum: BOOKING_ACTOR_ROLES }).notNull(),
    kind: text('kind', { enum: SERIES_EVENT_KINDS }).notNull(),
    /** The local date the change applies from (a change, pause, resume, end; the gap's or the visit's rule date). */
    fromDate: date('from_date', { mode: 'string' }),
    /** What changed: the new time or frequency, the team's names then, a moved visit's start before and after. */
    detail: jsonb('detail').$type<SeriesEventDetail>().notNull().default({}),
    reason: text('reason'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('booking_series_events_series_idx').on(t.seriesId, t.id)],
);
