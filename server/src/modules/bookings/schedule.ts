import type { Availability, FieldErrors, Schedule, ScheduleBody, ScheduleSaved, SlotsResult } from '@tissu/shared';
import { computeSlots, dateTimeFormat, ScheduleBody as ScheduleDefaults, fieldError } from '@tissu/shared';
import type { Db } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { requireCoopRole } from '../coops/index.js';
import { badRequest, notFound } from '../../errors.js';
import * as repo from './repository.js';
import { visitFit } from './visits.js';
import { chosenAddons, visitLength } from './addons.js';

/** A listing that never set its hours gets these: no opening rules, so no slots until it does. */
const DEFAULTS = ScheduleDefaults.parse({ weekly: [] });

export function availabilityOf(s: Omit<repo.ScheduleRow, 'listingId' | 'updatedAt'> | null): Availability & ScheduleBody {
  const v = s ?? { ...DEFAULTS };
  return {
    timeZone: v.timeZone,
    weekly: v.weekly,
    exceptions: v.exceptions,
    slotIntervalMinutes: v.slotIntervalMinutes,
    bufferMinutes: v.bufferMinutes,
    minNoticeMinutes: v.minNoticeMinutes,
    horizonDays: v.horizonDays,
    capacity: v.capacity,
    instantBooking: v.instantBooking,
    requestTtlHours: v.requestTtlHours,
    freeCancellationHours: v.freeCancellationHours,
    lateCancellationPercent: v.lateCancellationPercent,
    noShowPercent: v.noShowPercent,
    seriesFrequencies: v.seriesFrequencies,
    seriesDiscountBps: v.seriesDiscountBps,
  };
}

/** Today's date (YYYY-MM-DD) in the listing's zone (one cached formatter per zone). */
const todayIn = (timeZone: string, now: Date) =>
  dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

/**
 * Special hours for a day that has passed change nothing a client can book: a new one is a mistake
 * (a wrong year), so it is refused. Past days already saved are kept, so the form still saves.
 */
function refusePastDays(body: ScheduleBody, saved: ScheduleBody['exceptions'], now: Date) {
  const today = todayIn(body.timeZone, now);
  const known = new Set(saved.map((e) => JSON.stringify(e)));
  const fields: FieldErrors = {};
  body.exceptions.forEach((e, i) => {
    if (e.date < today && !known.has(JSON.stringify(e))) fields[`exceptions.${i}.date`] = [fieldError('day_passed')];
  });
  if (Object.keys(fields).length) throw badRequest('Special hours can only be set for today or a later day', fields);
}

export function createScheduleService(db: Db, clock: () => Date = () => new Date()) {
  async function load(listingId: string) {
    const row = await repo.findListingWithSchedule(db, listingId);
    if (!row) throw notFound('Listing');
    return row;
  }

  return {
    /** Public: clients read the terms (cancellation, instant booking) before they book. */
    async get(listingId: string): Promise<Schedule> {
      const row = await load(listingId);
      return { listingId, configured: row.schedule !== null, ...availabilityOf(row.schedule) };
    },

    async put(actor: Actor | null, listingId: string, body: ScheduleBody): Promise<Schedule> {
      const row = await load(listingId);
      await requireCoopRole(db, actor, row.listing.coopId, 'admin');
      refusePastDays(body, row.schedule?.exceptions ?? [], clock());
      if (!(await repo.databaseKnowsZone(db, body.timeZone))) {
        throw badRequest('Some fields are not valid', { timeZone: [fieldError('unknown_time_zone')] });
      }
      const saved = await repo.upsertSchedule(db, { listingId, ...body });
      return { listingId, configured: true, ...availabilityOf(saved) };
    },

    /**
     * The live bookings from now on that the listing's hours no longer open (a day closed, hours
     * cut): what saving the hours did not settle, for the co-op to cancel with its refund or keep.
     */
    async stillBooked(listingId: string, now = new Date()): Promise<ScheduleSaved['stillBooked']> {
      const row = await load(listingId);
      const av = availabilityOf(row.schedule);
      const held = await repo.liveBookingsFrom(db, listingId, now);
      return held
        .filter((b) => visitFit(av, [], b.startsAt, b.durationMinutes, now, false) === 'closed')
        .map((b) => ({ id: b.id, startsAt: b.startsAt.toISOString(), state: b.state, seriesId: b.seriesId }));
    },

    /** `addonIds`: the add-ons chosen, which lengthen the visit (an unknown or inactive one: 400, as booking it would). */
    async slots(listingId: string, from: Date, to: Date, now = new Date(), addonIds: readonly string[] = []): Promise<SlotsResult> {
      const row = await load(listingId);
      const bookable = row.listing.status === 'active' && row.coopStatus === 'approved';
      const av = availabilityOf(row.schedule);
      const duration = visitLength(row.listing.durationMinutes, await chosenAddons(db, listingId, addonIds));
      // Only the bookings that can touch a slot starting in [from, to): none reaches further than a
      // slot's length and the buffer (today's, which may have grown since a booking was made).
      const reach = (duration + av.bufferMinutes) * 60_000;
      const busy = bookable ? await repo.busyBookings(db, listingId, new Date(from.getTime() - reach), new Date(to.getTime() + reach)) : [];
      const slots = bookable ? computeSlots(av, busy, { from, to, now, durationMinutes: duration }) : [];
      return {
        listingId,
        timeZone: av.timeZone,
        durationMinutes: duration,
        slots: slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString(), remaining: s.remaining })),
      };
    },
  };
}
