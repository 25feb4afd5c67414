import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

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
  return withFinalCrlf(cal.toString());
}
