import type { VisitTerms } from '../bookings/index.js';
import type { SeriesRow } from './repository.js';

const HOUR = 3_600_000;
/** An unpaid visit of an active series lapses this long before it starts (the co-op must know who comes). */
export const VISIT_PAY_BY_HOURS = 2;
export const visitDeadline = (startsAt: Date) => new Date(startsAt.getTime() - VISIT_PAY_BY_HOURS * HOUR);

/** What every visit of a series copies from it. */
export function termsOf(s: SeriesRow): VisitTerms {
  return {
    seriesId: s.id, listingId: s.listingId, coopId: s.coopId, clientId: s.clientId, timeZone: s.timeZone, durationMinutes: s.durationMinutes,
    regularPriceCents: s.regularPriceCents, priceCents: s.priceCents, feeRateBps: s.feeRateBps,
    freeCancellationHours: s.freeCancellationHours, lateCancellationPercent: s.lateCancellationPercent,
    address: s.address, notes: s.notes, contactName: s.contactName, contactPhone: s.contactPhone, contactEmail: s.contactEmail,
  };
}

