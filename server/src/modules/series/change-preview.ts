import { addCalendarDays, FREQUENCY_DAYS, SERIES_PREVIEW_VISITS, type SeriesChangePreview, type SeriesRule } from '@tissu/shared';
import { DateTime } from 'luxon';
import type { GapRow, VisitOfSeries } from './repository.js';
import { ruleOn } from './view.js';

const LIVE = new Set(['requested', 'accepted', 'paid']);
/** A visit that is or was to happen: the one before a change's first visit may be over already. */
const HELD = new Set([...LIVE, 'completed']);

/**
 * What a change from a date did, read from the series' visits before it and after it (in the
 * change's own transaction, before it is rolled back): the visits it cancelled, the coming visits
 * from that date as they now are (the new rule's, and the ones that stay: a paid one, one the
 * client moved there; a visit not made before has no booking to name), the dates of the new rule that are not free, and how far its first visit
 * falls from the last one kept before it, against the new frequency's usual step.
 */
export function changeOutcome(
  s: { timeZone: string }, from: string, rules: SeriesRule[],
  before: VisitOfSeries[], after: VisitOfSeries[], gaps: GapRow[], now: Date,
): SeriesChangePreview {
  const rule = ruleOn(rules, from);
  const existed = new Set(before.map((v) => v.id));
  const wasLive = new Set(before.filter((v) => LIVE.has(v.state)).map((v) => v.id));
  const day = (at: Date) => DateTime.fromJSDate(at, { zone: s.timeZone }).toISODate()!;
  const visit = (v: VisitOfSeries) => ({ bookingId: v.id, date: v.date!, startsAt: v.startsAt.toISOString() });

  const cancels = after.filter((v) => wasLive.has(v.id) && !LIVE.has(v.state)).map(visit);
  const coming = after
    .filter((v) => LIVE.has(v.state) && v.startsAt.getTime() > now.getTime() && (v.date! >= from || day(v.startsAt) >= from))
    .map((v) => existed.has(v.id) ? { ...visit(v), status: 'kept' as const } : { ...visit(v), bookingId: null, status: 'new' as const });
  // Dates of the new rule that could not be visits: the client will be asked about them, as the job asks.
  const notFree = gaps.filter((g) => g.resolution === null && g.date >= from && (g.reason === 'closed' || g.reason === 'taken')).map((g) => ({
    bookingId: null, date: g.date, status: g.reason as 'closed' | 'taken',
    startsAt: DateTime.fromISO(`${g.date}T${ruleOn(rules, g.date).time}`, { zone: s.timeZone }).toJSDate().toISOString(),
  }));
  const next = [...coming, ...notFree].sort((x, y) => x.startsAt.localeCompare(y.startsAt)).slice(0, SERIES_PREVIEW_VISITS);

  const first = coming.find((v) => v.status === 'new');
  // Before it: a visit of the rule's dates before the change (made already, or made by the preview
  // past the horizon), or one that stays after it (paid, moved).
  const ofNewRule = (v: VisitOfSeries) => !existed.has(v.id) && v.date! >= from;
  const kept = first && after.filter((v) => HELD.has(v.state) && !ofNewRule(v) && v.startsAt.toISOString() < first.startsAt).at(-1);
  const days = first && kept ? DateTime.fromISO(day(new Date(first.startsAt))).diff(DateTime.fromISO(day(kept.startsAt)), 'days').days : null;
  return {
    from, time: rule.time, frequency: rule.frequency, cancels, next,
    previous: kept ? { ...visit(kept), bookingId: existed.has(kept.id) ? kept.id : null } : null,
    daysAfterPrevious: days,
    closerThanUsual: days !== null && days < FREQUENCY_DAYS[rule.frequency],
    stepKeptFrom: kept ? firstStartFrom(addCalendarDays(day(kept.startsAt), FREQUENCY_DAYS[rule.frequency]), from, rule.frequency) : null,
  };
}

/**
 * The first date on or after `earliest` a change could start from and keep what was asked: the
 * weekday of `from` (a change's visits fall on its date's weekday), or a weekday for "weekdays".
 * The last visit plus the usual step alone fell on the old weekday (a walk: "from 17 December", a
 * Thursday, for visits asked for on Tuesdays).
 */
function firstStartFrom(earliest: string, from: string, frequency: SeriesRule['frequency']): string {
  const weekday = (date: string) => DateTime.fromISO(date).weekday;
  if (frequency === 'weekdays') return addCalendarDays(earliest, weekday(earliest) >= 6 ? 8 - weekday(earliest) : 0);
  return addCalendarDays(earliest, (weekday(from) - weekday(earliest) + 7) % 7);
}
