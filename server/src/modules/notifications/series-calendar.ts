import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import ical, { ICalCalendarMethod, ICalEventRepeatingFreq, ICalEventStatus, ICalWeekday } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { addCalendarDays, occurrencesOn, type AppLocale, type SeriesRule } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import { withFinalCrlf } from './ics.js';
import { bookingSequences } from './event-sequence.js';

/*
 * The calendar of a series: one repeating event (one per rule) that every email about the series
 * carries whole, and that replaces what the person's calendar had (same UID, higher SEQUENCE).
 *
 * A visit cancelled, lapsed or moved on its own re-issues that whole event (METHOD:PUBLISH, the
 * visit's date in EXDATE) rather than sending a METHOD:CANCEL with a RECURRENCE-ID, because:
 * - the series event is published (PUBLISH, the platform as ORGANIZER as iTIP wants, no ATTENDEE,
 *   imported by the person), and Google Calendar and Outlook apply a CANCEL of one occurrence as an
 *   organizer's answer to an invitation they track, which they do not do for an imported event; a
 *   newer PUBLISH of the same UID is what Apple Calendar, Outlook and Google's import all replace;
 * - RECURRENCE-ID must repeat the master's DTSTART exactly (same TZID, same local time): an
 *   instance a client matches by another zone or by UTC is the commonest reason a one-occurrence
 *   cancel is ignored or doubled, and a series has one UID per rule, so the right one must be named;
 * - the whole event is a state, not a delta: a calendar that missed an email (or got them out of
 *   order) is right again with the next one, since the highest SEQUENCE wins.
 */

/** A visit that is (or was) to happen at its time: any other is left out of the repeating event. */
export const LIVE = new Set(['requested', 'accepted', 'paid', 'completed']);

/**
 * The series as calendars read it: one event per rule, in the listing's zone (TZID with its
 * VTIMEZONE, so 09:00 stays 09:00 across daylight saving), repeating by RRULE, with EXDATE for
 * each date that is not a visit at the rule's time (skipped, cancelled, moved). Same UID on every
 * email, SEQUENCE bumped on every change: the person's calendar replaces what it had.
 */
export function seriesCalendar(s: { id: string; timeZone: string; durationMinutes: number; sequence: number; endsOn: string | null; pausedFrom: string | null; state: string; organizer: string },
  rules: SeriesRule[], visits: { id?: string; date: string; startsAt: Date; endsAt?: Date; sequence?: number; state: string }[], e: { summary: string; description: string; location: string; url: string },
  gapDates: Set<string> = new Set(), replaced: { startsOn: string; time: string }[] = []): string {
  const cal = ical({ name: 'Tissu', prodId: { company: 'Tissu', product: 'series', language: 'FR' }, timezone: { name: s.timeZone, generator: getVtimezoneComponent } });
  const ended = s.state === 'declined' || (s.state === 'ended' && !visits.some((v) => LIVE.has(v.state)));
  cal.method(ended ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH);
  rules.forEach((rule, i) => {
    const next = rules[i + 1];
    const caps = [rule.until, next ? addCalendarDays(next.startsOn, -1) : null, s.endsOn, s.pausedFrom ? addCalendarDays(s.pausedFrom, -1) : null].filter((d): d is string => Boolean(d));
    const until = caps.length ? caps.sort()[0]! : null;
    const start = DateTime.fromISO(`${rule.startsOn}T${rule.time}`, { zone: s.timeZone });
    const common = {
      id: `series-${s.id}-${rule.startsOn}@tissu.coop`, start, end: start.plus({ minutes: s.durationMinutes }), timezone: s.timeZone,
      summary: e.summary, description: e.description, location: e.location || undefined, url: e.url, sequence: s.sequence, organizer: s.organizer,
    };
    if (until && until < rule.startsOn) {
      const repeating = { freq: ICalEventRepeatingFreq.WEEKLY, count: 1, exclude: [start] };
      const dead = [rule.until, next ? addCalendarDays(next.startsOn, -1) : null, s.endsOn].some((d) => d && d < rule.startsOn);
      // Paused before it ever ran: a pause may be called off, and many calendars never bring back an
      // event once cancelled, so it stays confirmed with its one date left out (no visit shows).
      if (!dead && !ended) cal.createEvent({ ...common, status: ICalEventStatus.CONFIRMED, repeating });
      // A rule that will never run now (the series ends before it): an earlier email may have put it
      // in the person's calendar, so it is sent again as cancelled rather than left out.
      else cal.createEvent({ ...common, status: ICalEventStatus.CANCELLED });
      return;
    }
    // Known dates that are not a visit at the rule's time: left out of the repeating event.
    const known = occurrencesOn({ ...rule, until }, s.timeZone, rule.startsOn, until ?? addCalendarDays(rule.startsOn, 366));
    // A date with no visit is left out too when it is a gap (skipped, or could not be a visit); one
    // beyond the visits made so far is not: the rule will make it.
    const exclude = known.filter((o) => {
      const here = visits.filter((v) => v.date === o.date);
      if (here.some((v) => LIVE.has(v.state) && v.startsAt.getTime() === o.startsAt.getTime())) return false;
      return here.length > 0 || gapDates.has(o.date);
    }).map((o) => DateTime.fromJSDate(o.startsAt, { zone: s.timeZone }));
    cal.createEvent({
      ...common,
      status: ended ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      repeating: {
        freq: ICalEventRepeatingFreq.WEEKLY,
        interval: rule.frequency === 'every_2_weeks' ? 2 : rule.frequency === 'every_4_weeks' ? 4 : 1,
        byDay: rule.frequency === 'weekdays' ? [ICalWeekday.MO, ICalWeekday.TU, ICalWeekday.WE, ICalWeekday.TH, ICalWeekday.FR] : undefined,
        until: until ? DateTime.fromISO(`${until}T23:59:59`, { zone: s.timeZone }) : undefined,
        exclude: exclude.length ? exclude : undefined,
      },
    });
  });
  // Rules a change took away (their dates now belong to another rule, or to none): an earlier email
  // may have put them in the person's calendar, so they are sent again as cancelled, once per UID.
  const kept = new Set(rules.map((r) => r.startsOn));
  for (const r of new Map(replaced.map((x) => [x.startsOn, x])).values()) {
    if (kept.has(r.startsOn)) continue;
    const start = DateTime.fromISO(`${r.startsOn}T${r.time}`, { zone: s.timeZone });
    cal.createEvent({
      id: `series-${s.id}-${r.startsOn}@tissu.coop`, start, end: start.plus({ minutes: s.durationMinutes }), timezone: s.timeZone,
      summary: e.summary, description: e.description, location: e.location || undefined, url: e.url, sequence: s.sequence, organizer: s.organizer, status: ICalEventStatus.CANCELLED,
    });
  }
  // A visit away from its rule's time (moved, or placed at another time for a date that was not
  // free) is left out of the repeating event: it comes as its own event, with the UID and SEQUENCE
  // its own emails give it, so the person's calendar holds it from the first email on.
  if (!ended) {
    for (const v of visits) {
      if (!v.id || !v.endsAt || !LIVE.has(v.state) || onItsRule(rules, s.timeZone, v)) continue;
      cal.createEvent({
        id: `booking-${v.id}@tissu.coop`, start: DateTime.fromJSDate(v.startsAt, { zone: s.timeZone }), end: DateTime.fromJSDate(v.endsAt, { zone: s.timeZone }),
        timezone: s.timeZone, summary: e.summary, description: e.description, location: e.location || undefined, url: e.url,
        sequence: v.sequence ?? 0, organizer: s.organizer, status: ICalEventStatus.CONFIRMED,
      });
    }
  }
  return withFinalCrlf(inUtc(cal.toString(), s.timeZone));
}

const UTC_FORMAT = "yyyyMMdd'T'HHmmss'Z'";

/**
 * RFC 5545 wants DTSTAMP in UTC (ical-generator writes it so, without the Z) and an RRULE's UNTIL
 * in UTC when its DTSTART has a TZID (ical-generator writes it on the calendar's wall clock).
 */
function inUtc(ics: string, timeZone: string): string {
  const utc = (local: string) => DateTime.fromFormat(local, "yyyyMMdd'T'HHmmss", { zone: timeZone }).toUTC().toFormat(UTC_FORMAT);
  return ics
    .replace(/^DTSTAMP:(\d{8}T\d{6})(\r?)$/gm, 'DTSTAMP:$1Z$2') // written in UTC already, without its Z
    .replace(/UNTIL=(\d{8}T\d{6})(?!Z)/g, (_, t: string) => `UNTIL=${utc(t)}`);
}


/**
 * The SEQUENCE of the series' event, the same on every email about it and never lower than an
 * earlier one: the series' own count of changes (bumped by each change from a date) plus the
 * visits changed on their own (cancelled, lapsed, declined, moved), read from the history, which
 * is append-only, and the dates that became gaps (each written once, never removed). Computed when the email is written, so whatever the order the outbox sends
 * them in, a later email carries at least the number of the one before.
 */
export async function calendarSequence(tx: Tx, s: { id: string; clientId: string; sequence: number }): Promise<number> {
  const { bookings, bookingEvents } = schema;
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(bookingEvents)
    .innerJoin(bookings, eq(bookings.id, bookingEvents.bookingId))
    // By client first: the client's index finds the series' visits without reading every booking.
    .where(and(eq(bookings.clientId, s.clientId), eq(bookings.seriesId, s.id), or(
      eq(bookingEvents.kind, 'rescheduled'),
      inArray(bookingEvents.toState, ['declined', 'expired', 'cancelled_by_client', 'cancelled_by_coop']),
    )));
  const [gaps] = await tx.select({ n: sql<number>`count(*)::int` }).from(schema.bookingSeriesGaps).where(eq(schema.bookingSeriesGaps.seriesId, s.id));
  return s.sequence + (row?.n ?? 0) + (gaps?.n ?? 0);
}

type SeriesRow = typeof schema.bookingSeries.$inferSelect;
type Visit = { id: string; date: string; startsAt: Date; endsAt: Date; state: string };
/** What the series' emails put in its calendar besides the series: the listing's words and the platform's sender as ORGANIZER. */
export type SeriesIcsText = { title: string; coop: string; locale: AppLocale; webOrigin: string; organizer: string };
const SEE = { fr: 'Voir les visites :', en: 'See the visits:' };

/** The series' calendar as its emails attach it, with the SEQUENCE in force now. */
export async function seriesIcs(tx: Tx, s: SeriesRow, rules: SeriesRule[], visits: Visit[], e: SeriesIcsText): Promise<string> {
  const url = `${e.webOrigin}/series/${s.id}`;
  // A visit away from its rule's time is its own event: the same SEQUENCE as its own emails give it.
  const apart = visits.filter((v) => LIVE.has(v.state) && !onItsRule(rules, s.timeZone, v));
  const sequences = await bookingSequences(tx, apart.map((v) => v.id));
  const gaps = await tx.select({ date: schema.bookingSeriesGaps.date }).from(schema.bookingSeriesGaps).where(eq(schema.bookingSeriesGaps.seriesId, s.id));
  const history = await tx.select({ detail: schema.bookingSeriesEvents.detail }).from(schema.bookingSeriesEvents).where(eq(schema.bookingSeriesEvents.seriesId, s.id));
  return seriesCalendar({ ...s, sequence: await calendarSequence(tx, s), organizer: e.organizer }, rules, visits.map((v) => ({ ...v, sequence: sequences.get(v.id) ?? 0 })),
    { summary: `${e.title} — ${e.coop}`, description: `${SEE[e.locale]} ${url}`, location: s.address, url }, new Set(gaps.map((g) => g.date)),
    history.flatMap((h) => h.detail.replaced ?? []));
}

/** Everything `seriesIcs` needs, read for one series (a visit's own email). */
export async function seriesIcsOf(tx: Tx, seriesId: string, e: SeriesIcsText) {
  const [s] = await tx.select().from(schema.bookingSeries).where(eq(schema.bookingSeries.id, seriesId));
  if (!s) return null;
  const rules = await seriesRules(tx, seriesId);
  const visits = (await tx.select({ id: schema.bookings.id, date: schema.bookings.seriesDate, startsAt: schema.bookings.startsAt, endsAt: schema.bookings.endsAt, state: schema.bookings.state })
    .from(schema.bookings).where(and(eq(schema.bookings.clientId, s.clientId), eq(schema.bookings.seriesId, s.id))).orderBy(asc(schema.bookings.startsAt)))
    .map((v) => ({ ...v, date: v.date! }));
  return { ics: await seriesIcs(tx, s, rules, visits, e), series: s, rules };
}

export function seriesRules(tx: Tx, seriesId: string) {
  return tx.select().from(schema.bookingSeriesRules).where(eq(schema.bookingSeriesRules.seriesId, seriesId)).orderBy(asc(schema.bookingSeriesRules.startsOn));
}

/**
 * Whether a visit is where its rule puts it (its date, the rule's time): then the series' event
 * shows it; otherwise (moved, or placed at another time for a gap) it has an event of its own.
 */
export function onItsRule(rules: SeriesRule[], timeZone: string, v: { date: string; startsAt: Date }): boolean {
  const rule = rules.filter((r) => r.startsOn <= v.date).at(-1);
  if (!rule) return false;
  const [o] = occurrencesOn(rule, timeZone, v.date, v.date);
  return o !== undefined && o.startsAt.getTime() === v.startsAt.getTime();
}

/** What calendars read the attachment as: its METHOD, also in the MIME type (Outlook wants both). */
export const calendarMethod = (ics: string) => (ics.includes('METHOD:CANCEL') ? 'CANCEL' : 'PUBLISH');
