import { SERIES_PER_CLIENT, SERIES_PER_LISTING, type AnswerSnapshot, type SeriesFrequency, type TaxRegistration } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import { conflict, pgErrorCode } from '../../errors.js';
import { availabilityOf, visitFit } from '../bookings/index.js';
import { firstVisits, ruleFor } from './plan.js';
import { extendSeries } from './horizon.js';
import { recordSeries } from './history.js';
import { tellSeries } from './tell.js';
import * as repo from './repository.js';

/** What an accepted offer of regular visits books: its rule, the price of one visit, its length, the client's details. */
export interface QuotedSeriesTerms {
  quoteId: string;
  listingId: string;
  clientId: string;
  frequency: SeriesFrequency;
  /** The first visit: its time on the listing's clock is every visit's. */
  startsAt: Date;
  until: string | null;
  count: number | null;
  durationMinutes: number;
  /** The offer's subtotal, one visit's price: taxes and the fee are computed on it for each visit, as for any booking. */
  priceCents: number;
  feeRateBps: number;
  /** The GST and QST the accepted offer was taxed with: the series keeps them and every visit is paid with them. */
  taxes: TaxRegistration;
  address: string;
  notes: string;
  contactName: string;
  contactEmail: string;
  /** The answers given with the request: every visit carries them, as a series booked on the listing does. */
  answers: AnswerSnapshot[];
  now: Date;
}

/**
 * Makes the series of an accepted offer, in the caller's (the quote's) transaction: active at once
 * (the co-op agreed by offering, the client by accepting), at the offer's price with no regular-visit
 * discount, its first visits made as the horizon job makes them (a later date that is not free becomes
 * a gap for the client to skip or move). The first visit must be free, or nothing is written (409
 * slot_unavailable). One series per quote (booking_series_quote_key). Its visits are then paid as any
 * series' are: the saved card when the free cancellation ends, or each visit's link.
 */
export async function placeQuotedSeries(tx: Tx, t: QuotedSeriesTerms): Promise<{ seriesId: string }> {
  const found = await repo.listingOfSeries(tx, t.listingId, t.now);
  if (!found || found.listing.status === 'archived' || found.coopStatus !== 'approved') throw conflict('This listing no longer exists', 'listing_archived');
  if (found.listing.status !== 'active') throw conflict('This listing is paused and cannot be booked right now', 'listing_paused');
  // Its visits are charged as they come: a co-op that cannot take payments cannot run regular visits.
  if (!found.chargesEnabled) throw conflict('This co-op cannot take payments yet, so it cannot be booked', 'coop_not_ready');
  const av = availabilityOf(found.schedule);
  const zone = av.timeZone;
  const rule = ruleFor({ startsAt: t.startsAt.toISOString(), frequency: t.frequency, until: t.until ?? undefined, count: t.count ?? undefined }, zone);
  if (t.startsAt.getTime() <= t.now.getTime()) throw conflict('This time has passed: ask the co-op for another', 'slot_unavailable');
  // The same limits as regular visits asked on the listing's form.
  await repo.lockClient(tx, t.clientId);
  const running = await repo.runningSeriesOf(tx, t.clientId, t.listingId);
  if (running.here >= SERIES_PER_LISTING || running.total >= SERIES_PER_CLIENT) {
    throw conflict(`You already have ${running.here} regular visits of this service and ${running.total} in all running`, 'series_limit');
  }
  if (await repo.hasVisitAt(tx, t.clientId, t.listingId, t.startsAt)) throw conflict('You already have regular visits of this service at this time', 'series_exists');
  const series = await repo.insertSeries(tx, {
    listingId: t.listingId, coopId: found.listing.coopId, clientId: t.clientId, state: 'active', timeZone: zone, durationMinutes: t.durationMinutes,
    regularPriceCents: t.priceCents, priceCents: t.priceCents, discountBps: 0, feeRateBps: t.feeRateBps, gstRegistered: t.taxes.gst, qstRegistered: t.taxes.qst,
    freeCancellationHours: av.freeCancellationHours, lateCancellationPercent: av.lateCancellationPercent,
    address: t.address, notes: t.notes, contactName: t.contactName, contactEmail: t.contactEmail,
    // Nothing made yet: the horizon starts the day before the first visit.
    generatedThrough: dayBefore(rule.startsOn), endsOn: rule.until, quoteId: t.quoteId, answers: t.answers,
  }).catch((err: unknown) => {
    if (pgErrorCode(err) === '23505') throw conflict('This quote is already accepted', 'invalid_transition');
    throw err;
  });
  await repo.insertRule(tx, { seriesId: series.id, ...rule });
  // At least the eight visits the series form shows, as a series booked on the listing gets.
  await extendSeries(tx, series, t.now, firstVisits(rule, zone, t.now).through);
  if (!(await repo.hasVisitAt(tx, t.clientId, t.listingId, t.startsAt))) {
    throw conflict('The first visit\u2019s time has just been taken: ask the co-op for another', 'slot_unavailable');
  }
  await recordSeries(tx, series.id, { id: t.clientId, role: 'client' }, 'booked', { from: rule.startsOn, reason: 'Quote accepted', detail: { time: rule.time, frequency: rule.frequency } });
  await tellSeries(tx, series, 'booked', found.adminIds, `${series.id}:created`);
  await tellSeries(tx, series, 'accepted', [t.clientId], `${series.id}:created`);
  return { seriesId: series.id };
}

/**
 * Whether the listing's hours offer a visit of this length at this time (another booking there is
 * judged at acceptance): an offer of regular visits at 9:30 where visits start on the hour would
 * make every visit a gap, so the offer is refused on its field instead.
 */
export async function regularTimeOpen(tx: Tx, listingId: string, startsAt: Date, durationMinutes: number, now: Date): Promise<boolean> {
  const found = await repo.listingOfSeries(tx, listingId, now);
  return visitFit(availabilityOf(found?.schedule ?? null), [], startsAt, durationMinutes, now, false) !== 'closed';
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
