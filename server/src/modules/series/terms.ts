import type { VisitTerms } from '../bookings/index.js';
import type { SeriesRow } from './repository.js';

const HOUR = 3_600_000;
/** An unpaid visit of an active series lapses this long before it starts (the co-op must know who comes). */
export const VISIT_PAY_BY_HOURS = 2;
/**
 * When an unpaid visit lapses. A visit made less than two hours ahead (an instant first visit, a
 * gap moved to this afternoon) would be born past that: it gets half an hour to be paid, never past
 * its start, rather than lapsing within the minute.
 */
export function visitDeadline(startsAt: Date, now?: Date): Date {
  const usual = startsAt.getTime() - VISIT_PAY_BY_HOURS * HOUR;
  if (!now || usual > now.getTime()) return new Date(usual);
  return new Date(Math.min(startsAt.getTime(), now.getTime() + HOUR / 2));
}

/** What every visit of a series copies from it. */
export function termsOf(s: SeriesRow): VisitTerms {
  return {
    seriesId: s.id, listingId: s.listingId, coopId: s.coopId, clientId: s.clientId, timeZone: s.timeZone, durationMinutes: s.durationMinutes,
    regularPriceCents: s.regularPriceCents, priceCents: s.priceCents, feeRateBps: s.feeRateBps,
    freeCancellationHours: s.freeCancellationHours, lateCancellationPercent: s.lateCancellationPercent,
    address: s.address, notes: s.notes, entryNotes: s.entryNotes, contactName: s.contactName, contactPhone: s.contactPhone, contactEmail: s.contactEmail,
    answers: s.answers, addons: s.addons, gstRegistered: s.gstRegistered, qstRegistered: s.qstRegistered,
  };
}

