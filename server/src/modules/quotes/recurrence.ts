import { DateTime } from 'luxon';
import {
  MAX_SERIES_DAYS, addCalendarDays, fieldError, occurrencesOn, startsOnAllowed, untilForCount, type FieldErrors, type OfferRecurrenceBody,
} from '@tissu/shared';

const DAY = 86_400_000;

/**
 * An offer's regular visits, checked as a series asked on the listing's form is (plan.ts ruleFor),
 * on the listing's clock, with each error on its `recurrence.*` field: the first visit to come and
 * within a year, weekday visits starting on a weekday, an end after the start, within three years,
 * that leaves at least two visits.
 */
export function recurrenceErrors(r: OfferRecurrenceBody, timeZone: string, now: Date): FieldErrors {
  const errors: FieldErrors = {};
  const start = new Date(r.startsAt);
  if (start.getTime() <= now.getTime()) errors['recurrence.startsAt'] = [fieldError('time_in_past')];
  else if (start.getTime() > now.getTime() + 366 * DAY) errors['recurrence.startsAt'] = [fieldError('time_too_far_ahead')];
  const local = DateTime.fromJSDate(start, { zone: timeZone });
  const startsOn = local.toISODate()!;
  const time = local.toFormat('HH:mm');
  if (!errors['recurrence.startsAt'] && !startsOnAllowed(r.frequency, startsOn)) errors['recurrence.startsAt'] = [fieldError('weekday_start')];
  const latest = addCalendarDays(startsOn, MAX_SERIES_DAYS);
  if (r.until && r.until < startsOn) errors['recurrence.until'] = [fieldError('end_before_start')];
  else if (r.until && r.until > latest) errors['recurrence.until'] = [fieldError('series_too_long', { date: latest })];
  else if (r.until && occurrencesOn({ frequency: r.frequency, startsOn, time, until: r.until }, timeZone, startsOn, r.until).length < 2) {
    errors['recurrence.until'] = [fieldError('too_few_visits', { minimum: 2 })];
  } else if (r.count && untilForCount({ frequency: r.frequency, startsOn, time }, timeZone, r.count) > latest) {
    errors['recurrence.count'] = [fieldError('series_too_long', { date: latest })];
  }
  return errors;
}
