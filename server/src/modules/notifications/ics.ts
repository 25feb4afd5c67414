import ical, { ICalCalendarMethod } from 'ical-generator';

export interface CalendarEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  location: string;
  url: string;
  /** Bumped on every change so calendar apps replace the earlier version. */
  sequence: number;
  cancelled?: boolean;
}

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
  });
  return cal.toString();
}
