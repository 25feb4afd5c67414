import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';

export interface CalendarEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  location: string;
  url: string;
  /**
   * Bumped on every change so calendar apps replace the earlier version: a small count (the
   * booking's changes of time or state), never a clock: some calendars refuse one past 2^31.
   */
  sequence: number;
  /** The platform's sender ("Tissu <bonjour@tissu.coop>"): iTIP wants an ORGANIZER, and Outlook removes an event only on its organizer's CANCEL. */
  organizer: string;
  cancelled?: boolean;
}

/** RFC 5545 ends every content line with CRLF, the last one too; ical-generator leaves the last bare. */
export const withFinalCrlf = (ics: string) => (ics.endsWith('\r\n') ? ics : `${ics}\r\n`);

/**
 * An iCalendar (RFC 5545) invitation; times are written in UTC, which every calendar app accepts.
 * No TZID: ical-generator would print the server clock's wall time under the listing's zone name,
 * hours off on a server running in UTC.
 */
export function bookingCalendar(e: CalendarEvent): string {
  const cal = ical({ name: 'Tissu', prodId: { company: 'Tissu', product: 'bookings', language: 'FR' } });
  cal.method(e.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH);
  cal.createEvent({
    id: e.uid,
    start: e.start,
    end: e.end,
    summary: e.summary,
    description: e.description,
    location: e.location || undefined,
    url: e.url,
    sequence: e.sequence,
    organizer: e.organizer,
    status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  // ical-generator writes these two in UTC but without their Z once the calendar has a zone.
  return withFinalCrlf(cal.toString().replace(/^(DTSTAMP|LAST-MODIFIED):(\d{8}T\d{6})(\r?)$/gm, '$1:$2Z$3'));
}

/** The UID of a booking's own event, the same in its emails' invitations and in every feed. */
export const bookingUid = (bookingId: string) => `booking-${bookingId}@tissu.coop`;

export interface FeedEvent extends Omit<CalendarEvent, 'organizer' | 'sequence'> {
  /** The listing's IANA zone: the event is written in it (TZID and its VTIMEZONE), 09:00 stays 09:00 across daylight saving. */
  timeZone: string;
  sequence: number;
  lastModified: Date;
  /** A request not answered yet (the co-op's own feed): its time is held, not promised. */
  tentative?: boolean;
}

/**
 * Folds content lines at 75 octets (RFC 5545 §3.1) as ical-generator does (at most 74 octets of the
 * line before each fold, never inside a character), but in one pass with slices: ical-generator's
 * own fold makes a TextEncoder per character, and spent ~80% of a 2,000-visit feed's build there.
 */
export function foldLines(ics: string): string {
  return ics.split('\r\n').map((line) => {
    if (line.length <= 24) return line; // 24 UTF-16 units are at most 72 octets
    let out = '';
    let from = 0;
    let octets = 0;
    for (let i = 0; i < line.length; i++) {
      const code = line.charCodeAt(i);
      const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < line.length;
      const size = pair ? 4 : code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
      if (octets + size > 74) {
        out += `${line.slice(from, i)}\r\n `;
        from = i;
        octets = 0;
      }
      octets += size;
      if (pair) i++;
    }
    return out + line.slice(from);
  }).join('\r\n');
}

/**
 * A subscription feed (RFC 5545, no METHOD: a calendar that subscribes reads it whole each time):
 * one event per visit with the UID and SEQUENCE its emails give it, so the subscribed calendar
 * replaces an event as it changes and drops one sent as CANCELLED. `refreshHours` is the polling
 * interval suggested to the apps that honour it (REFRESH-INTERVAL, X-PUBLISHED-TTL).
 * ical-generator writes each event; the calendar around them is joined and folded here (foldLines),
 * with one VTIMEZONE per zone the events use.
 */
export function feedCalendar(name: string, events: FeedEvent[], refreshHours = 1): string {
  const zones = [...new Set(events.map((e) => e.timeZone))];
  const options = { name, prodId: { company: 'Tissu', product: 'feed', language: 'FR' }, ttl: refreshHours * 3600, timezone: zones[0] ?? 'America/Toronto' };
  // The events' own calendar gives them its zone (their DTSTAMP is written from it); it is never printed whole.
  const owner = ical(options);
  const vevents = events.map((e) => owner.createEvent({
    id: e.uid, start: DateTime.fromJSDate(e.start, { zone: e.timeZone }), end: DateTime.fromJSDate(e.end, { zone: e.timeZone }), timezone: e.timeZone,
    summary: e.summary, description: e.description, location: e.location || undefined, url: e.url,
    // Without a METHOD, DTSTAMP means the same as LAST-MODIFIED (RFC 5545 §3.8.7.2): both the visit's last change.
    sequence: e.sequence, lastModified: e.lastModified, stamp: e.lastModified,
    status: e.cancelled ? ICalEventStatus.CANCELLED : e.tentative ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
  }).toString());
  const vtimezones = (zones.length ? zones : [options.timezone]).map((z) => getVtimezoneComponent(z)).filter((v): v is string => !!v)
    .map((v) => `${v.replace(/\r?\n/g, '\r\n').trim()}\r\n`);
  const shell = ical(options).toString();
  const end = shell.lastIndexOf('END:VCALENDAR');
  const ics = shell.slice(0, end) + foldLines(vtimezones.join('') + vevents.join('')) + shell.slice(end);
  // ical-generator writes these two in UTC but without their Z once the calendar has a zone.
  return withFinalCrlf(ics.replace(/^(DTSTAMP|LAST-MODIFIED):(\d{8}T\d{6})(\r?)$/gm, '$1:$2Z$3'));
}
