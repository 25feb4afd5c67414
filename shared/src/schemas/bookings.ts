import { z } from 'zod';
import { BOOKING_ACTOR_ROLES, BOOKING_EVENT_KINDS, BOOKING_STATES } from '../booking/lifecycle.js';
import { SERIES_FREQUENCIES } from '../booking/series.js';
import { MAX_BUFFER_MINUTES } from '../booking/hold.js';
import { Id, Timestamp, isoDate, isoDateTime, text } from './common.js';
import { Email } from './auth.js';
import { AnswerSnapshot, AnswersInput } from './questions.js';
import { AddonIds, AddonIdsQuery, BookingAddon } from './addons.js';
import { AddressBody } from './addresses.js';

/** A phone number as people type it ("514 555-0123", "+1 (438) 555-0199 poste 12"): 7 to 15 digits, or nothing. */
export const Phone = text(0, 40).refine(
  (v) => v === '' || (/^\+?[\d\s().\-]+((ext|poste|x)\.?\s*\d{1,6})?$/i.test(v) && /^(\D*\d){7,15}\D*$/.test(v.replace(/(ext|poste|x)\.?\s*\d{1,6}$/i, ''))),
  { error: 'invalid_phone' },
);

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'invalid_time' });
const minutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));

export const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return tz.includes('/') || tz === 'UTC';
    } catch {
      return false;
    }
  },
  { error: 'unknown_time_zone' },
);

export const WeeklyRuleSchema = z
  .object({ weekday: z.number().int().min(1).max(7), start: hhmm, end: hhmm })
  .refine((r) => minutes(r.end) > minutes(r.start), { error: 'end_before_start', path: ['end'] });

export const DateExceptionSchema = z
  .object({
    date: isoDate('choose_date'),
    kind: z.enum(['closed', 'extra']),
    start: hhmm.optional(),
    end: hhmm.optional(),
  })
  .refine((e) => (e.start === undefined) === (e.end === undefined), { error: 'both_times_or_neither', path: ['end'] })
  .refine((e) => e.kind === 'closed' || (e.start !== undefined && e.end !== undefined), { error: 'extra_hours_need_times', path: ['start'] })
  .refine((e) => !e.start || !e.end || minutes(e.end) > minutes(e.start), { error: 'end_before_start', path: ['end'] });

export const ScheduleBody = z.object({
  timeZone: TimeZone.default('America/Toronto'),
  weekly: z.array(WeeklyRuleSchema).max(70),
  exceptions: z.array(DateExceptionSchema).max(400).default([]),
  slotIntervalMinutes: z.number().int().min(5).max(24 * 60).default(30),
  bufferMinutes: z.number().int().min(0).max(MAX_BUFFER_MINUTES).default(0),
  minNoticeMinutes: z.number().int().min(0).max(30 * 24 * 60).default(24 * 60),
  horizonDays: z.number().int().min(1).max(366).default(60),
  capacity: z.number().int().min(1).max(50).default(1),
  instantBooking: z.boolean().default(false),
  requestTtlHours: z.number().int().min(1).max(24 * 14).default(48),
  freeCancellationHours: z.number().int().min(0).max(24 * 60).default(24),
  lateCancellationPercent: z.number().int().min(0).max(100).default(50),
  /** Share of the price kept when the co-op marks the client absent; the rest is refunded. */
  noShowPercent: z.number().int().min(0).max(100).default(100),
  /** Regular visits offered (none: single bookings only), and the discount on each visit of a series. */
  seriesFrequencies: z.array(z.enum(SERIES_FREQUENCIES, { error: 'invalid_choice' })).max(SERIES_FREQUENCIES.length)
    .refine((f) => new Set(f).size === f.length, { error: 'invalid_choice' }).default([]),
  seriesDiscountBps: z.number().int().min(0, { error: 'percent_too_low' }).max(5000, { error: 'percent_too_high' }).default(0),
});
export type ScheduleBody = z.infer<typeof ScheduleBody>;
export const Schedule = ScheduleBody.extend({ listingId: Id, configured: z.boolean() });
export type Schedule = z.infer<typeof Schedule>;

export const SlotsQuery = z
  .object({
    from: isoDateTime(),
    to: isoDateTime(),
    /** The add-ons the client chose (`<id>,<id>`): only slots where the visit they lengthen fits. */
    addons: AddonIdsQuery.optional(),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { error: 'end_before_start', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 62 * 86_400_000, { error: 'range_too_long', params: { maximum: 62 }, path: ['to'] });

export const SlotsResult = z.object({
  listingId: Id,
  timeZone: z.string(),
  durationMinutes: z.number().int(),
  slots: z.array(z.object({ start: Timestamp, end: Timestamp, remaining: z.number().int() })),
});
export type SlotsResult = z.infer<typeof SlotsResult>;

export const CreateBookingBody = z.object({
  listingId: Id,
  startsAt: isoDateTime('choose_slot'),
  address: text(0, 300).default(''),
  notes: text(0, 2000).default(''),
  contactName: text(1, 120),
  contactPhone: Phone.default(''),
  contactEmail: Email,
  /** Asking for the solidarity rate on behalf of a community organization. */
  solidarityOrganization: text(2, 200).optional(),
  /** Booked from the client's inquiry with this co-op: it becomes the booking's conversation. */
  conversationId: Id.optional(),
  /** Answers to the listing's questions (shared/booking/questions.ts checks them). */
  answers: AnswersInput.default([]),
  /** The listing's add-ons chosen: each lengthens the visit and adds its price. */
  addonIds: AddonIds.default([]),
  // Saved addresses: one of hers by id, or a new one typed (kept in her addresses with `saveAddress`).
  // Either replaces `address`; the booking copies its text and entry notes as they are now.
  addressId: Id.optional(),
  newAddress: AddressBody.extend({ label: text(0, 60).default('') }).optional(),
  saveAddress: z.boolean().optional(),
});
export type CreateBookingBody = z.infer<typeof CreateBookingBody>;

export const BookingStateSchema = z.enum(BOOKING_STATES);

/**
 * Hours saved: the schedule, and the bookings still held on times the new hours close (paid ones,
 * and single bookings), which the co-op cancels with their refund if they cannot take place.
 */
export const ScheduleSaved = Schedule.extend({
  stillBooked: z.array(z.object({ id: Id, startsAt: Timestamp, state: BookingStateSchema, seriesId: Id.nullable() })),
});
export type ScheduleSaved = z.infer<typeof ScheduleSaved>;
export const BookingAction = z.enum(['accept', 'decline', 'cancel', 'complete', 'no_show', 'reschedule', 'assign', 'review']);

export const BookingEvent = z.object({
  at: Timestamp,
  actorName: z.string().nullable(),
  actorRole: z.enum(BOOKING_ACTOR_ROLES),
  kind: z.enum(BOOKING_EVENT_KINDS),
  from: z.string().nullable(),
  to: z.string(),
  reason: z.string().nullable(),
});
export type BookingEvent = z.infer<typeof BookingEvent>;

export const Review = z.object({
  id: Id,
  bookingId: Id,
  listingId: Id,
  rating: z.number().int(),
  body: z.string(),
  authorName: z.string(),
  reply: z.string().nullable(),
  repliedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type Review = z.infer<typeof Review>;

export const Booking = z.object({
  id: Id,
  state: BookingStateSchema,
  listing: z.object({ id: Id, titleFr: z.string(), titleEn: z.string(), locationMode: z.string() }),
  coop: z.object({ id: Id, slug: z.string(), name: z.string() }),
  client: z.object({ id: Id, name: z.string() }),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timeZone: z.string(),
  durationMinutes: z.number().int(),
  /** The prices, null for an assigned worker who is not an admin of the co-op: she needs the job, not the client's money. */
  regularPriceCents: z.number().int().nullable(),
  priceCents: z.number().int().nullable(),
  solidarityRequested: z.boolean(),
  solidarityAccepted: z.boolean().nullable(),
  organizationName: z.string().nullable(),
  address: z.string(),
  notes: z.string(),
  /** Door code, pets, parking, copied from her address: empty for the co-op once ENTRY_NOTES_VISIBLE_DAYS past the visit. */
  entryNotes: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  contactEmail: z.string(),
  cancellation: z.object({
    freeCancellationHours: z.number().int(),
    lateCancellationPercent: z.number().int(),
    noShowPercent: z.number().int(),
    /** When free cancellation ends, the wait for the co-op's answer included (shared/booking/cancellation). */
    deadline: Timestamp,
    /** When the co-op accepted the request (null: not yet, or booked instantly). */
    coopAcceptedAt: Timestamp.nullable(),
  }),
  expiresAt: Timestamp.nullable(),
  /** What the client paid, taxes included, and how much of it was refunded; null until paid, and for a worker (as the prices). */
  paid: z.object({ totalCents: z.number().int(), refundedCents: z.number().int() }).nullable(),
  /** Each assigned worker: the minutes the co-op confirmed, and what she reported herself (waiting for confirmation while not confirmed). */
  workers: z.array(z.object({ userId: Id, name: z.string(), minutesDelivered: z.number().int().nullable(), minutesReported: z.number().int().nullable() })),
  events: z.array(BookingEvent),
  review: Review.nullable(),
  /** What the person asking may do now (drives the buttons in the web). */
  actions: z.array(BookingAction),
  /** Who the person asking is to this booking (server/src/modules/bookings/relation.ts); `isWorker`: assigned to it. */
  viewer: z.object({ isClient: z.boolean(), isCoopAdmin: z.boolean(), isWorker: z.boolean(), isSteward: z.boolean() }),
  /** The series this booking is a visit of, and the date its rule gave it. */
  series: z.object({ id: Id, date: z.string() }).nullable(),
  /** The answers to the listing's questions as asked then; null for whoever may not see them (a worker not assigned to it). */
  answers: z.array(AnswerSnapshot).nullable(),
  /** The quote whose accepted offer made this booking (its price and time were agreed there); null otherwise. */
  quoteId: Id.nullable(),
  createdAt: Timestamp,
  /** The add-ons chosen, as they were when booked (in `durationMinutes` and `priceCents` already). */
  addons: z.array(BookingAddon),
});
export type Booking = z.infer<typeof Booking>;

export const BookingListQuery = z.object({
  as: z.enum(['client', 'coop']).default('client'),
  coopId: Id.optional(),
  scope: z.enum(['upcoming', 'past', 'all']).default('upcoming'),
  state: BookingStateSchema.optional(),
  /**
   * `exclude`: single bookings only, for lists that show each series as one line of its own.
   * `with_money`: single bookings, and the visits of series that have money on them (paid,
   * refunded, returned) once over or closed, so each one's receipt stays a tap away from the list
   * (the series' own line shows its coming visits).
   */
  series: z.enum(['include', 'exclude', 'with_money']).default('include'),
  /** A page of the list: at most `limit` bookings after the first `offset` (in the scope's order). */
  limit: z.coerce.number().int().min(1).max(200).default(200),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
/** A line of a list: the booking, with the person's unread messages in its conversation (its series' for a visit). */
export const BookingLine = Booking.extend({ unreadMessages: z.int() });
export const BookingList = z.object({ items: z.array(BookingLine) });

export const AcceptBody = z.object({ acceptSolidarity: z.boolean().optional() }).default({});
export const ReasonBody = z.object({ reason: text(3, 1000) });
export const OptionalReasonBody = z.object({ reason: text(0, 1000).optional() }).default({});
export const RescheduleBody = z.object({ startsAt: isoDateTime('choose_slot') });
export const AssignWorkersBody = z.object({
  userIds: z.array(Id).max(20),
  /** Why someone is taken off (required then: the history keeps it and she is told it). */
  reason: text(0, 500).optional(),
});
export const CompleteBody = z.object({
  hours: z.array(z.object({ userId: Id, minutes: z.number().int().min(0).max(24 * 60 * 14) })).max(20).default([]),
  /** Why a worker's minutes exceed the booking's length (required then, kept in the history). */
  reason: text(0, 1000).optional(),
});
export const ReviewBody = z.object({ rating: z.number().int().min(1).max(5), body: text(2, 3000) });
export const ReplyBody = z.object({ reply: text(2, 3000) });
export const ReviewList = z.object({
  average: z.number().nullable(),
  count: z.number().int(),
  items: z.array(Review),
});
