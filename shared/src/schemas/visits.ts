import { z } from 'zod';
import { BOOKING_STATES } from '../booking/lifecycle.js';
import { Id, Timestamp, text } from './common.js';
import { AnswerSnapshot } from './questions.js';

/**
 * "Mes visites": the visits a person is assigned to, across her co-ops, and the minutes she
 * delivered. GET /me/visits answers them; POST /bookings/:id/minutes is her report and
 * PUT /bookings/:id/minutes the co-op admin's confirmation or correction.
 */
export const VisitsQuery = z.object({
  /** upcoming: today in the listing's zone and later, soonest first; past: earlier days, latest first. */
  when: z.enum(['upcoming', 'past']).default('upcoming'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type VisitsQuery = z.infer<typeof VisitsQuery>;

export const VisitMinutes = z.object({
  /** What she reported (null: nothing yet), and when. */
  reported: z.number().int().nullable(),
  reportedAt: Timestamp.nullable(),
  /** What the co-op confirmed (booking_workers.minutes_delivered): the minutes that count for patronage. */
  confirmed: z.number().int().nullable(),
  /** Whether she may report (or correct her report) now: started, worked, not yet confirmed. */
  mayReport: z.boolean(),
  /** The most she may report for this visit. */
  maximum: z.number().int(),
});
export type VisitMinutes = z.infer<typeof VisitMinutes>;

export const Visit = z.object({
  bookingId: Id,
  state: z.enum(BOOKING_STATES),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timeZone: z.string(),
  durationMinutes: z.number().int(),
  listing: z.object({ id: Id, titleFr: z.string(), titleEn: z.string() }),
  coop: z.object({ id: Id, slug: z.string(), name: z.string() }),
  /** Null once the visit is more than VISIT_DETAILS_DAYS past (Law 25: kept from her once no longer needed). */
  address: z.string().nullable(),
  notes: z.string().nullable(),
  /** Door code, pets, parking: null once the visit is more than ENTRY_NOTES_VISIBLE_DAYS past. */
  entryNotes: z.string().nullable(),
  client: z.object({ firstName: z.string(), phone: z.string().nullable() }),
  /** Whether the address, notes and phone were left out for being old. */
  detailsHidden: z.boolean(),
  seriesId: Id.nullable(),
  team: z.array(z.object({ userId: Id, name: z.string() })),
  /** The client's answers to the listing's questions, as asked when she booked. */
  answers: z.array(AnswerSnapshot),
  /** The add-ons chosen: what to do and how long it adds (prices are not the worker's). */
  addons: z.array(z.object({ nameFr: z.string(), nameEn: z.string(), extraMinutes: z.number().int() })),
  minutes: VisitMinutes,
});
export type Visit = z.infer<typeof Visit>;

export const VisitList = z.object({
  items: z.array(Visit),
  /** The offset of the next page, null when this one is the last. */
  nextOffset: z.number().int().nullable(),
});
export type VisitList = z.infer<typeof VisitList>;

/** A worker's report; the visit's own bound (maxReportedMinutes) is checked by the server. */
export const ReportMinutesBody = z.object({
  minutes: z.number({ error: 'invalid_number' }).int({ error: 'invalid_number' }).min(1, { error: 'too_small' }).max(24 * 60 * 15, { error: 'too_large' }),
});
export type ReportMinutesBody = z.infer<typeof ReportMinutesBody>;

/** The co-op admin confirms a worker's minutes, or corrects them (a reason then, kept in the history). */
export const ConfirmMinutesBody = z.object({
  userId: Id,
  minutes: z.number({ error: 'invalid_number' }).int({ error: 'invalid_number' }).min(0, { error: 'too_small' }).max(24 * 60 * 15, { error: 'too_large' }),
  reason: text(0, 1000).optional(),
});
export type ConfirmMinutesBody = z.infer<typeof ConfirmMinutesBody>;
