import { freeUnits, isBookableStart, type AnswerSnapshot, type TaxRegistration } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import { conflict, pgErrorCode } from '../../errors.js';
import * as repo from './repository.js';
import { availabilityOf } from './schedule.js';
import { notify } from './transitions.js';

const HOUR = 3_600_000;

/** What an accepted quote books: the offer's price and duration at the time the client chose. */
export interface QuotedTerms {
  quoteId: string;
  listingId: string;
  clientId: string;
  startsAt: Date;
  durationMinutes: number;
  serviceCents: number;
  feeRateBps: number;
  depositPercent: number;
  /** The GST and QST the accepted offer was taxed with: every part of the booking is paid with them. */
  taxes: TaxRegistration;
  address: string;
  notes: string;
  contactName: string;
  contactEmail: string;
  /** The answers to the listing's questions given with the quote request: the booking keeps them (the assigned workers see them). */
  answers: AnswerSnapshot[];
  /** How long the client has to pay once accepted (the same window as any acceptance). */
  paymentWindowHours: number;
  now: Date;
}

/**
 * Books an accepted quote, in the caller's transaction: the booking starts `accepted` (the co-op
 * agreed by offering, the client by accepting) at the agreed price. The co-op proposed the time, so
 * its opening hours are not asked; the time must still be free (the same locks, and the exclusion
 * constraint decides in the end: 409 slot_unavailable). One booking per quote (bookings_quote_key).
 */
export async function placeQuotedBooking(tx: Tx, t: QuotedTerms): Promise<repo.BookingRow> {
  const found = await repo.findListingWithSchedule(tx, t.listingId);
  if (!found || found.listing.status === 'archived' || found.coopStatus !== 'approved') throw conflict('This listing no longer exists', 'listing_archived');
  // As at booking: a paused listing takes nothing, an offer on it included (accepted once it is active again, if still valid).
  if (found.listing.status !== 'active') throw conflict('This listing is paused and cannot be booked right now', 'listing_paused');
  const av = availabilityOf(found.schedule);
  const endsAt = new Date(t.startsAt.getTime() + t.durationMinutes * 60_000);
  const blockedUntil = new Date(endsAt.getTime() + av.bufferMinutes * 60_000);
  if (t.startsAt.getTime() <= t.now.getTime()) throw conflict('This time has passed: ask the co-op for another', 'slot_unavailable');
  await repo.lockBookingTimes(tx, t.listingId, t.startsAt, blockedUntil, t.clientId);
  const busy = await repo.busyBookings(tx, t.listingId, new Date(t.startsAt.getTime() - 86_400_000), new Date(endsAt.getTime() + 86_400_000));
  const [unit] = freeUnits(av, busy, t.startsAt, endsAt);
  if (unit === undefined) throw conflict('This time has just been booked: choose another proposed time, or ask the co-op for another', 'slot_unavailable');
  const b = await repo.insertBooking(tx, {
    listingId: t.listingId,
    coopId: found.listing.coopId,
    clientId: t.clientId,
    state: 'accepted',
    startsAt: t.startsAt,
    endsAt,
    blockedUntil,
    unit,
    timeZone: av.timeZone,
    durationMinutes: t.durationMinutes,
    regularPriceCents: t.serviceCents,
    priceCents: t.serviceCents,
    address: t.address,
    notes: t.notes,
    contactName: t.contactName,
    contactEmail: t.contactEmail,
    freeCancellationHours: av.freeCancellationHours,
    lateCancellationPercent: av.lateCancellationPercent,
    noShowPercent: av.noShowPercent,
    feeRateBps: t.feeRateBps,
    quoteId: t.quoteId,
    answers: t.answers,
    depositPercent: t.depositPercent,
    gstRegistered: t.taxes.gst,
    qstRegistered: t.taxes.qst,
    expiresAt: new Date(Math.min(t.now.getTime() + t.paymentWindowHours * HOUR, t.startsAt.getTime())),
  }).catch((err: unknown) => {
    if (pgErrorCode(err) === '23P01') throw conflict('This time has just been booked: choose another proposed time', 'slot_unavailable');
    if (pgErrorCode(err) === '23505') throw conflict('This quote is already accepted', 'invalid_transition');
    throw err;
  });
  await repo.insertEvent(tx, { bookingId: b.id, actorId: t.clientId, actorRole: 'client', kind: 'created', fromState: null, toState: 'accepted', reason: 'Quote accepted' });
  await notify(tx, b, `created:${b.createdAt.getTime()}`, [
    { message: 'booked_to_pay', to: [b.clientId] },
    { message: 'booked', to: await repo.coopAdminIds(tx, b.coopId) },
  ]);
  return b;
}

/** How a time an offer proposes fits the listing: `full` (every unit of its capacity taken then), and `outsideHours` (not within its opening hours). */
export interface ProposedTimeFit {
  full: boolean;
  outsideHours: boolean;
}

/**
 * Checks the times of an offer as a booking would be checked, but only for what the co-op cannot
 * agree away: its team (the listing's capacity) being fully booked then. Opening hours are only
 * reported: a co-op may agree to a Sunday. Read without locks: accepting re-checks under them.
 */
export async function proposedTimesFit(tx: Tx, listingId: string, times: readonly Date[], durationMinutes: number): Promise<ProposedTimeFit[]> {
  if (times.length === 0) return [];
  const found = await repo.findListingWithSchedule(tx, listingId);
  if (!found) return times.map(() => ({ full: false, outsideHours: false }));
  const av = availabilityOf(found.schedule);
  const ms = times.map((t) => t.getTime());
  const busy = await repo.busyBookings(tx, listingId, new Date(Math.min(...ms) - 86_400_000), new Date(Math.max(...ms) + durationMinutes * 60_000 + 86_400_000));
  // Within the hours on any minute (an agreed 9:10 is not off the 30-minute grid), whatever the notice and the horizon.
  const hours = { ...av, slotIntervalMinutes: 1, minNoticeMinutes: 0, horizonDays: 3660 };
  // A listing on quote only may set no hours at all: then no time is "outside" them.
  const hasHours = av.weekly.length > 0 || av.exceptions.some((e) => e.kind === 'extra');
  return times.map((start) => ({
    full: freeUnits(av, busy, start, new Date(start.getTime() + durationMinutes * 60_000)).length === 0,
    outsideHours: hasHours && !isBookableStart(hours, [], start, durationMinutes, new Date(start.getTime() - 60_000)),
  }));
}
