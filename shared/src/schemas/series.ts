import { z } from 'zod';
import { AddressBody } from './addresses.js';
import { MAX_SERIES_VISITS, SERIES_EVENT_KINDS, SERIES_FREQUENCIES, SERIES_STATES } from '../booking/series.js';
import { BOOKING_ACTOR_ROLES } from '../booking/lifecycle.js';
import { BookingStateSchema, Phone } from './bookings.js';
import { Email } from './auth.js';
import { Id, Timestamp, isoDate, isoDateTime, text } from './common.js';
import { AnswerSnapshot, AnswersInput } from './questions.js';
import { AddonIds, AddonIdsQuery, BookingAddon } from './addons.js';

export const SeriesFrequencySchema = z.enum(SERIES_FREQUENCIES, { error: 'invalid_choice' });
export const SeriesStateSchema = z.enum(SERIES_STATES);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'invalid_time' });

/** How long a series runs: no end, until a date, or a number of visits. */
const SeriesEnd = {
  until: isoDate('choose_date').optional(),
  count: z.coerce.number().int({ error: 'invalid_number' }).min(2, { error: 'too_small' }).max(MAX_SERIES_VISITS, { error: 'too_large' }).optional(),
};

/** What a client asks before confirming: the first visit (a free slot) and how often it comes back. */
export const SeriesPreviewQuery = z
  /** `addons`: the add-ons chosen (`<id>,<id>`, as for /slots): every visit is longer by their minutes. */
  .object({ startsAt: isoDateTime('choose_slot'), frequency: SeriesFrequencySchema, ...SeriesEnd, addons: AddonIdsQuery.optional() })
  .refine((q) => !(q.until && q.count), { error: 'until_or_count', path: ['count'] });

/** For a date the rule gives that cannot be a visit: leave it out, or take another free time. */
export const SeriesChoice = z.object({
  date: isoDate('choose_date'),
  action: z.enum(['skip', 'move'], { error: 'invalid_choice' }),
  startsAt: isoDateTime('choose_slot').optional(),
}).refine((c) => c.action === 'skip' || c.startsAt, { error: 'choose_slot', path: ['startsAt'] });

export const CreateSeriesBody = z
  .object({
    listingId: Id,
    startsAt: isoDateTime('choose_slot'),
    frequency: SeriesFrequencySchema,
    ...SeriesEnd,
    choices: z.array(SeriesChoice).max(MAX_SERIES_VISITS).default([]),
    address: text(0, 300).default(''),
    notes: text(0, 2000).default(''),
    contactName: text(1, 120),
    contactPhone: Phone.default(''),
    contactEmail: Email,
    /** Booked from the client's inquiry with this co-op: it becomes the series' conversation. */
    conversationId: Id.optional(),
    // Saved addresses, as for a booking (CreateBookingBody): each visit copies the address and entry notes.
    addressId: Id.optional(),
    newAddress: AddressBody.extend({ label: text(0, 60).default('') }).optional(),
    saveAddress: z.boolean().optional(),
    /** Answers to the listing's questions, asked once for every visit (shared/booking/questions.ts checks them). */
    answers: AnswersInput.default([]),
    /** The listing's add-ons chosen for every visit: each lengthens it and adds its price. */
    addonIds: AddonIds.default([]),
  })
  .refine((q) => !(q.until && q.count), { error: 'until_or_count', path: ['count'] });
export type CreateSeriesBody = z.infer<typeof CreateSeriesBody>;

/** One coming date of a series before it is booked: free, or why not and what is free nearby. */
export const SeriesPreviewVisit = z.object({
  date: z.string(),
  startsAt: Timestamp,
  status: z.enum(['free', 'closed', 'taken']),
  /** Free times the same day or the day before or after, nearest first (for a date that is not free). */
  alternatives: z.array(Timestamp),
});
export type SeriesPreviewVisit = z.infer<typeof SeriesPreviewVisit>;

export const SeriesPreview = z.object({
  listingId: Id,
  timeZone: z.string(),
  frequency: SeriesFrequencySchema,
  /** HH:mm on the listing's wall clock. */
  time: z.string(),
  durationMinutes: z.number().int(),
  regularPriceCents: z.number().int(),
  priceCents: z.number().int(),
  discountBps: z.number().int(),
  /** The add-ons chosen: in `durationMinutes`, `regularPriceCents` and `priceCents` already (the discount is on the service alone). */
  addons: z.array(BookingAddon),
  /** The last date a visit may fall on (null: no end), and how many visits that makes (null: no end). */
  lastDate: z.string().nullable(),
  visitCount: z.number().int().nullable(),
  /** The first visits, at least eight, within the booking horizon of the series. */
  visits: z.array(SeriesPreviewVisit),
});
export type SeriesPreview = z.infer<typeof SeriesPreview>;

export const SeriesRuleView = z.object({ startsOn: z.string(), frequency: SeriesFrequencySchema, time: z.string(), until: z.string().nullable() });

/**
 * `toPay`: unpaid after its charge to the saved card was refused or found no card; the client pays it on its page.
 * `endedWithSeries`: cancelled by a change to the whole series (a change, pause or end from a date),
 * not on its own: the series' history tells it, and it is no visit to come.
 */
/**
 * `createdAt`: when the visit was made; of several visits of one date, the latest made is the one that counts (a move may start earlier).
 * `refundedCents`: what was refunded on a cancelled visit once paid (taxes included; 0 otherwise); null to a worker on the team, who reads no amounts.
 */
export const SeriesVisit = z.object({ bookingId: Id, date: z.string(), startsAt: Timestamp, state: BookingStateSchema, toPay: z.boolean(), endedWithSeries: z.boolean(), refundedCents: z.number().int().nullable(), createdAt: Timestamp });
export const SeriesGap = z.object({ date: z.string(), startsAt: Timestamp, reason: z.enum(['closed', 'taken', 'client', 'cancelled']), resolution: z.enum(['skipped', 'moved']).nullable(), alternatives: z.array(Timestamp) });

/** One line of the series' own history (each visit keeps its own). */
export const SeriesEvent = z.object({
  at: Timestamp,
  kind: z.enum(SERIES_EVENT_KINDS),
  actorRole: z.enum(BOOKING_ACTOR_ROLES),
  actorName: z.string().nullable(),
  from: z.string().nullable(),
  time: z.string().nullable(),
  frequency: SeriesFrequencySchema.nullable(),
  team: z.array(z.string()).nullable(),
  /** A moved visit's new start (gap_moved, visit_moved); a cancelled visit's start (visit_cancelled). */
  startsAt: Timestamp.nullable(),
  /** visit_moved: the visit's start before the move. */
  movedFrom: Timestamp.nullable(),
  reason: z.string().nullable(),
});
export type SeriesEvent = z.infer<typeof SeriesEvent>;

export const SeriesAction = z.enum(['accept', 'decline', 'assign', 'change', 'pause', 'resume', 'end']);

export const Series = z.object({
  id: Id,
  state: SeriesStateSchema,
  listing: z.object({ id: Id, titleFr: z.string(), titleEn: z.string(), locationMode: z.string() }),
  coop: z.object({ id: Id, slug: z.string(), name: z.string() }),
  client: z.object({ id: Id, name: z.string() }),
  timeZone: z.string(),
  durationMinutes: z.number().int(),
  /** Null to a worker on the team: she reads the job, not what the client pays. */
  regularPriceCents: z.number().int().nullable(),
  priceCents: z.number().int().nullable(),
  /** Null to a worker on the team too. */
  discountBps: z.number().int().nullable(),
  /** The rule in force today (or the first, before it starts), and every rule with its dates. */
  rule: SeriesRuleView,
  rules: z.array(SeriesRuleView),
  /** RFC 5545 text of the rule in force, for people who read it and for calendars. */
  rrule: z.string(),
  endsOn: z.string().nullable(),
  pausedFrom: z.string().nullable(),
  endReason: z.string().nullable(),
  address: z.string(),
  notes: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  contactEmail: z.string(),
  freeCancellationHours: z.number().int(),
  lateCancellationPercent: z.number().int(),
  team: z.array(z.object({ userId: Id, name: z.string() })),
  /** The add-ons every visit carries, as chosen when booked (in `durationMinutes` and the prices already); a worker reads no prices. */
  addons: z.array(BookingAddon),
  /** The answers to the listing's questions as asked when booked; null for whoever may not see them (a worker not on its team). */
  answers: z.array(AnswerSnapshot).nullable(),
  nextVisit: SeriesVisit.nullable(),
  /** Past and coming visits, oldest first; a date that could not be a visit is a gap. */
  visits: z.array(SeriesVisit),
  gaps: z.array(SeriesGap),
  history: z.array(SeriesEvent),
  actions: z.array(SeriesAction),
  viewer: z.object({ isClient: z.boolean(), isCoopAdmin: z.boolean(), isWorker: z.boolean(), isSteward: z.boolean() }),
  /** The offer it was made from, or null. Its time and frequency were agreed there: only the co-op's admins change them. */
  quoteId: Id.nullable(),
  createdAt: Timestamp,
});
export type Series = z.infer<typeof Series>;

/** How many regular visits the signed-in client runs, here and in all, against the limits: the listing page says a full one upfront. */
export const SeriesRoom = z.object({ here: z.number().int(), total: z.number().int(), perListing: z.number().int(), perClient: z.number().int(), full: z.boolean() });
export type SeriesRoom = z.infer<typeof SeriesRoom>;

export const SeriesListQuery = z.object({ as: z.enum(['client', 'coop']).default('client'), coopId: Id.optional() });
export const SeriesSummary = Series.pick({ id: true, state: true, listing: true, coop: true, client: true, timeZone: true, rule: true, endsOn: true, pausedFrom: true, nextVisit: true, createdAt: true })
  /** `laterRules`: after `rule` (the one in force), every rule still to come, in the order they begin. */
  .extend({ priceCents: z.number().int(), openGaps: z.number().int(), toPay: SeriesVisit.nullable(), laterRules: z.array(SeriesRuleView) });
export const SeriesList = z.object({ items: z.array(SeriesSummary) });

export const SeriesDeclineBody = z.object({ reason: text(3, 1000) });
const seriesChange = { from: isoDate('choose_date'), time: hhmm.optional(), frequency: SeriesFrequencySchema.optional() };
/** From a date on: a new time, a new frequency, or both (the visits from that date follow it). */
export const SeriesChangeBody = z.object(seriesChange).refine((b) => b.time || b.frequency, { error: 'nothing_to_change', path: ['time'] });
/** A change asked about before it is made: the change's own fields. */
export const SeriesChangePreviewQuery = z.object(seriesChange).refine((b) => b.time || b.frequency, { error: 'nothing_to_change', path: ['time'] });
const PreviewVisit = z.object({ bookingId: Id, date: z.string(), startsAt: Timestamp });
/**
 * What a change from a date would do, before it is made (the change itself, written nowhere):
 * - `cancels`: the visits it cancels (a paid one keeps its time and is not among them);
 * - `next`: the coming visits from that date as they would be, oldest first: `new` (made by the
 *   new rule; no booking yet, so no id), `kept` (a paid one, or one the client moved there), or a
 *   date of the new rule that is not free (`closed`, `taken`), asked about as the job asks;
 * - `previous`: the last visit kept before the first new one (no id when the job has not made it
 *   yet: a change from beyond the horizon shows the visits the job will make), and how many days lie between
 *   their dates; `closerThanUsual` when that is less than the new frequency's step (a weekly
 *   visit the day after the one before), and `stepKeptFrom`, the first date a change could start
 *   from and keep that step.
 */
export const SeriesChangePreview = z.object({
  from: z.string(),
  time: z.string(),
  frequency: SeriesFrequencySchema,
  cancels: z.array(PreviewVisit),
  next: z.array(z.object({ bookingId: Id.nullable(), date: z.string(), startsAt: Timestamp, status: z.enum(['new', 'kept', 'closed', 'taken']) })),
  previous: PreviewVisit.extend({ bookingId: Id.nullable() }).nullable(),
  daysAfterPrevious: z.number().int().nullable(),
  closerThanUsual: z.boolean(),
  stepKeptFrom: z.string().nullable(),
});
export type SeriesChangePreview = z.infer<typeof SeriesChangePreview>;
/**
 * `previewDigest`: the preview's own digest, sent with the confirmation: when what it would cancel
 * or refund has changed since (a deadline passed, a visit was charged), the answer is 409
 * `preview_changed` and nothing is done, rather than do something other than what was shown.
 */
const PreviewDigest = z.string().max(100).optional();
export const SeriesPauseBody = z.object({ from: isoDate('choose_date'), reason: text(0, 1000).optional(), previewDigest: PreviewDigest });
export const SeriesResumeBody = z.object({ from: isoDate('choose_date') });
/** A pause or an end asked about before it is made: from which date. */
export const SeriesStopPreviewQuery = z.object({ from: isoDate('choose_date') });
/**
 * What a pause or an end from a date would cancel, before it is made: each visit it ends and, for
 * a paid one, what its cancellation would refund and keep, as cancelling that visit alone by the
 * same side would (cents, taxes included): the listing's policy for the client, everything back
 * when the co-op stops the visits. `side`: whose cancellation it would be.
 */
export const SeriesStopPreview = z.object({
  from: z.string(),
  side: z.enum(['client', 'coop']),
  visits: z.array(z.object({
    bookingId: Id,
    date: z.string(),
    startsAt: Timestamp,
    state: BookingStateSchema,
    refund: z.object({ paidCents: z.number().int(), refundCents: z.number().int(), keptCents: z.number().int() }).nullable(),
  })),
  /** Stands for the visits and amounts above: the confirmation sends it back (`previewDigest`). */
  digest: z.string(),
});
export type SeriesStopPreview = z.infer<typeof SeriesStopPreview>;
export const SeriesEndBody = z.object({ from: isoDate('choose_date'), reason: text(0, 1000).optional(), previewDigest: PreviewDigest });
export const SeriesGapParams = z.object({ id: Id, date: isoDate('choose_date') });
export const SeriesGapBody = z.object({ action: z.enum(['skip', 'move'], { error: 'invalid_choice' }), startsAt: isoDateTime('choose_slot').optional() })
  .refine((c) => c.action === 'skip' || c.startsAt, { error: 'choose_slot', path: ['startsAt'] });
