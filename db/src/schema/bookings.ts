import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { BOOKING_ACTOR_ROLES, BOOKING_EVENT_KINDS, BOOKING_STATES, MAX_HOLD_MINUTES, SERIES_FREQUENCIES, type AnswerSnapshot, type DateException, type WeeklyRule } from '@tissu/shared';
import { users } from './accounts.js';
import { coops } from './coops.js';
import { listings } from './listings.js';
import { bookingSeries } from './series.js';
import { quoteRequests } from './quotes.js';
import { instant } from './types.js';

/** How a listing can be booked: its availability and its booking and cancellation terms. */
export const listingSchedules = pgTable(
  'listing_schedules',
  {
    listingId: uuid('listing_id')
      .primaryKey()
      .references(() => listings.id, { onDelete: 'cascade' }),
    timeZone: text('time_zone').notNull().default('America/Toronto'),
    weekly: jsonb('weekly').$type<WeeklyRule[]>().notNull().default([]),
    exceptions: jsonb('exceptions').$type<DateException[]>().notNull().default([]),
    slotIntervalMinutes: integer('slot_interval_minutes').notNull().default(30),
    bufferMinutes: integer('buffer_minutes').notNull().default(0),
    minNoticeMinutes: integer('min_notice_minutes').notNull().default(24 * 60),
    horizonDays: integer('horizon_days').notNull().default(60),
    capacity: integer('capacity').notNull().default(1),
    instantBooking: boolean('instant_booking').notNull().default(false),
    requestTtlHours: integer('request_ttl_hours').notNull().default(48),
    freeCancellationHours: integer('free_cancellation_hours').notNull().default(24),
    lateCancellationPercent: integer('late_cancellation_percent').notNull().default(50),
    /** Share of the price kept when the co-op marks the client absent (no-show), whole percent. */
    noShowPercent: integer('no_show_percent').notNull().default(100),
    /** Regular visits this listing takes (none: single bookings only), and their discount. */
    seriesFrequencies: text('series_frequencies', { enum: SERIES_FREQUENCIES }).array().notNull().default(sql`'{}'::text[]`),
    seriesDiscountBps: integer('series_discount_bps').notNull().default(0),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  () => [
    check('listing_schedules_capacity', sql`capacity BETWEEN 1 AND 50`),
    check('listing_schedules_percent', sql`late_cancellation_percent BETWEEN 0 AND 100`),
    check('listing_schedules_no_show_percent', sql`no_show_percent BETWEEN 0 AND 100`),
    check('listing_schedules_series_discount', sql`series_discount_bps BETWEEN 0 AND 5000`),
  ],
);

/** The predicate of the one-live-visit-per-date index; inserts name it to use the index. */
export const LIVE_VISIT = sql`series_id IS NOT NULL AND state IN ('requested', 'accepted', 'paid', 'completed', 'no_show')`;

/**
 * One booking of one capacity unit of a listing. The exclusion constraint added in the migration
 * (bookings_no_overlap) makes PostgreSQL refuse two live bookings of the same unit whose
 * [starts_at, blocked_until) ranges overlap, whatever the application does concurrently.
 */
export const bookings = pgTable(
  'bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    clientId: uuid('client_id')
      .notNull()
      .references(() => users.id),
    state: text('state', { enum: BOOKING_STATES }).notNull(),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    /** ends_at plus the listing's buffer: the unit is busy until then. */
    blockedUntil: instant('blocked_until').notNull(),
    unit: integer('unit').notNull(),
    timeZone: text('time_zone').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    regularPriceCents: integer('regular_price_cents').notNull(),
    priceCents: integer('price_cents').notNull(),
    solidarityRequested: boolean('solidarity_requested').notNull().default(false),
    solidarityAccepted: boolean('solidarity_accepted'),
    organizationName: text('organization_name'),
    address: text('address').notNull().default(''),
    notes: text('notes').notNull().default(''),
    /** Door code, pets, parking, copied from the client's saved address; erased ENTRY_NOTES_KEPT_DAYS after the visit. */
    entryNotes: text('entry_notes').notNull().default(''),
    contactName: text('contact_name').notNull(),
    contactPhone: text('contact_phone').notNull().default(''),
    contactEmail: text('contact_email').notNull(),
    freeCancellationHours: integer('free_cancellation_hours').notNull(),
    lateCancellationPercent: integer('late_cancellation_percent').notNull(),
    /** The listing's no-show share when the booking was made (100: the co-op keeps everything). */
    noShowPercent: integer('no_show_percent').notNull().default(100),
    /** The platform fee rate in force when the booking was made; later changes do not touch it. */
    feeRateBps: integer('fee_rate_bps').notNull().default(500),
    expiresAt: instant('expires_at'),
    /** A visit of a series, and the local date its rule gave it (its identity: the job makes each once). */
    seriesId: uuid('series_id').references(() => bookingSeries.id),
    seriesDate: date('series_date', { mode: 'string' }),
    /** Made by accepting this quote (one booking per quote), and the share of its total paid at acceptance (0: all). */
    quoteId: uuid('quote_id').references(() => quoteRequests.id),
    depositPercent: integer('deposit_percent').notNull().default(0),
    /**
     * A quote's booking: the co-op's GST and QST registration the accepted offer was taxed with, so
     * every part is paid as the offer showed even if the registration changes before payment. Null
     * for other bookings, taxed by the registration in force when paid.
     */
    gstRegistered: boolean('gst_registered'),
    qstRegistered: boolean('qst_registered'),
    /** The answers to the listing's questions as they were asked (shared/booking/questions.ts). */
    answers: jsonb('answers').$type<AnswerSnapshot[]>().notNull().default([]),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // One live visit per date of a series (a cancelled one may be made again when the series resumes).
    uniqueIndex('bookings_series_date_idx').on(t.seriesId, t.seriesDate).where(LIVE_VISIT),
    check('bookings_series_date', sql`(series_id IS NULL) = (series_date IS NULL)`),
    uniqueIndex('bookings_quote_key').on(t.quoteId),
    check('bookings_tax_snapshot', sql`(gst_registered IS NULL) = (qst_registered IS NULL)`),
    index('bookings_listing_time_idx').on(t.listingId, t.startsAt),
    index('bookings_client_idx').on(t.clientId, t.startsAt),
    index('bookings_coop_idx').on(t.coopId, t.startsAt),
    // The retention job finds the entry notes to erase without reading every booking.
    index('bookings_entry_notes_idx').on(t.endsAt).where(sql`entry_notes <> ''`),
    index('bookings_expiry_idx').on(t.expiresAt).where(sql`state IN ('requested', 'accepted')`),
    // The header's count of requests to answer, per co-op, on every page an admin opens: a named
    // statement whose generic plan must not walk every open booking once per co-op she runs.
    index('bookings_requested_coop_idx').on(t.coopId).where(sql`state = 'requested'`),
    // A new booking counts its client's open ones (OPEN_BOOKINGS_PER_CLIENT), on every request. Visits
    // of a series are not counted there, so the horizon job's thousands of them stay out of it.
    index('bookings_client_open_idx').on(t.clientId, t.listingId).where(sql`state IN ('requested', 'accepted') AND series_id IS NULL`),
    check('bookings_time_order', sql`ends_at > starts_at AND blocked_until >= ends_at`),
    // Calendar reads look back only this far (bookings repository, busyBookings).
    check('bookings_hold_span', sql`blocked_until <= starts_at + make_interval(mins => ${sql.raw(String(MAX_HOLD_MINUTES))})`),
    check('bookings_price', sql`price_cents >= 0 AND price_cents <= regular_price_cents`),
  ],
);

/** Append-only history of every state change (a trigger in the migration refuses UPDATE and DELETE). */
export const bookingEvents = pgTable(
  'booking_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id),
    actorId: uuid('actor_id').references(() => users.id),
    actorRole: text('actor_role', { enum: BOOKING_ACTOR_ROLES }).notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    kind: text('kind', { enum: BOOKING_EVENT_KINDS }).notNull().default('transition'),
    reason: text('reason'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('booking_events_booking_idx').on(t.bookingId, t.id)],
);

/** Worker-members assigned to a booking, the minutes each reported and the minutes the co-op confirmed. */
export const bookingWorkers = pgTable(
  'booking_workers',
  {
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** Confirmed by the co-op (at completion, or later): the only minutes that count towards patronage. */
    minutesDelivered: integer('minutes_delivered'),
    /** What the worker herself reported, once the visit started; she may correct it until the co-op confirms. */
    minutesReported: integer('minutes_reported'),
    reportedAt: instant('reported_at'),
    assignedAt: instant('assigned_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.bookingId, t.userId] }),
    index('booking_workers_user_idx').on(t.userId),
    check('booking_workers_minutes_reported', sql`minutes_reported IS NULL OR minutes_reported > 0`),
  ],
);

