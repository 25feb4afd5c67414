import { DateTime } from 'luxon';
import {
  MAX_SERIES_DAYS, SERIES_HORIZON_DAYS, SERIES_PREVIEW_VISITS, addCalendarDays, bookingPrice, fieldError, nextOccurrences, occurrencesOn,
  startsOnAllowed, untilForCount, type Availability, type BusyBooking, type FieldErrors, type Occurrence, type SeriesFrequency, type SeriesRule,
} from '@tissu/shared';
import { nearbyFreeTimes, visitFit, type VisitFit } from '../bookings/index.js';
import { badRequest } from '../../errors.js';

/** The local date and wall-clock time of an instant in a zone. */
export function localParts(at: Date, zone: string): { date: string; time: string } {
  const d = DateTime.fromJSDate(at, { zone });
  return { date: d.toISODate()!, time: d.toFormat('HH:mm') };
}

export const todayIn = (zone: string, now: Date) => localParts(now, zone).date;

/**
 * A series paused from a later date: 'paused' from the moment it is asked (the page and the lists
 * show the date beside the badge, the same for a pause next week or in six months, and no state
 * flips overnight without anyone acting), but its visits keep coming until the day before, and it
 * can still be changed before then, its pause moved, or called off by resuming.
 */
export const pauseAhead = (s: { state: string; pausedFrom: string | null; timeZone: string }, now: Date): boolean =>
  s.state === 'paused' && s.pausedFrom !== null && s.pausedFrom > todayIn(s.timeZone, now);

/** One visit's price after the regular-visit discount, rounded to the cent. */
export function discounted(regularCents: number, discountBps: number): number {
  return Math.round((regularCents * (10_000 - discountBps)) / 10_000);
}

/**
 * One visit's price: the service's, less the regular-visit discount, and the add-ons chosen at their
 * own prices (the discount is on the service alone, as a solidarity rate replaces the service's
 * price and not the add-ons'; the receipt's service line is then the visit's price less its add-ons).
 */
export function visitPrice(listing: { priceKind: 'hourly' | 'fixed'; priceCents: number; durationMinutes: number }, discountBps: number, addons: readonly { priceCents: number }[] = []) {
  const service = bookingPrice(listing.priceKind, listing.priceCents, listing.durationMinutes);
  const extra = addons.reduce((sum, a) => sum + a.priceCents, 0);
  return { regularPriceCents: service + extra, priceCents: discounted(service, discountBps) + extra };
}

/**
 * The rule a client asks for, checked: the first visit's local date and time, an end that comes
 * after it and within three years, weekdays starting on a weekday. A number of visits becomes the
 * date of the last one, so later changes and skips work on dates alone.
 */
export function ruleFor(q: { startsAt: string; frequency: SeriesFrequency; until?: string; count?: number }, zone: string): SeriesRule {
  const { date, time } = localParts(new Date(q.startsAt), zone);
  const fields: FieldErrors = {};
  if (!startsOnAllowed(q.frequency, date)) fields.startsAt = [fieldError('weekday_start')];
  const latest = addCalendarDays(date, MAX_SERIES_DAYS);
  if (q.until && q.until < date) fields.until = [fieldError('end_before_start')];
  else if (q.until && q.until > latest) fields.until = [fieldError('series_too_long', { date: latest })];
  if (Object.keys(fields).length) throw badRequest('Some fields are not valid', fields);
  const until = q.until ?? (q.count ? untilForCount({ frequency: q.frequency, startsOn: date, time }, zone, q.count) : null);
  if (until && until > latest) throw badRequest('Some fields are not valid', { count: [fieldError('series_too_long', { date: latest })] });
  // An end that leaves a single visit is a booking, not regular visits (as a count of 1 is refused).
  if (q.until && occurrencesOn({ frequency: q.frequency, startsOn: date, time, until }, zone, date, q.until).length < 2) {
    throw badRequest('Some fields are not valid', { until: [fieldError('too_few_visits', { minimum: 2 })] });
  }
  return { frequency: q.frequency, startsOn: date, time, until };
}

/**
 * The visits made when the series is booked: every date of the rule up to the rolling horizon,
 * and at least the first eight (a visit every four weeks reaches further than eight weeks).
 */
export function firstVisits(rule: SeriesRule, zone: string, now: Date): { visits: Occurrence[]; through: string } {
  const horizon = addCalendarDays(todayIn(zone, now), SERIES_HORIZON_DAYS);
  const withinHorizon = occurrencesOn(rule, zone, rule.startsOn, horizon);
  const visits = withinHorizon.length >= SERIES_PREVIEW_VISITS
    ? withinHorizon
    : nextOccurrences(rule, zone, new Date(DateTime.fromISO(`${rule.startsOn}T00:00`, { zone }).toMillis() - 1), SERIES_PREVIEW_VISITS);
  const last = visits.at(-1)?.date ?? rule.startsOn;
  const through = [horizon, last].sort().at(-1)!;
  return { visits, through: rule.until && rule.until < through ? rule.until : through };
}

export interface JudgedVisit extends Occurrence {
  status: VisitFit;
  alternatives: Date[];
}

/** Whether each visit can be made now, and for one that cannot, the free times nearby. */
export function judgeVisits(av: Availability, busy: BusyBooking[], visits: Occurrence[], durationMinutes: number, now: Date): JudgedVisit[] {
  return visits.map((v, i) => {
    const status = visitFit(av, busy, v.startsAt, durationMinutes, now, i === 0);
    return { ...v, status, alternatives: status === 'free' ? [] : nearbyFreeTimes(av, busy, v.startsAt, durationMinutes, now) };
  });
}

/** How many visits a rule with an end makes in all (null: no end). */
export function visitCount(rule: SeriesRule, zone: string): number | null {
  return rule.until ? occurrencesOn(rule, zone, rule.startsOn, rule.until).length : null;
}
