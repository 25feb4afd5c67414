import { describe, expect, it } from 'vitest';
import { bookingCalendar } from './ics.js';

const event = {
  uid: 'booking-1@tissu.coop',
  // 9:00 to 12:00 in Montréal (EDT, UTC−4) on the Monday after the March change.
  start: new Date('2026-03-16T13:00:00Z'),
  end: new Date('2026-03-16T16:00:00Z'),
  summary: 'Ménage',
  description: 'Voir la réservation',
  location: '4321, rue Saint-Denis',
  url: 'http://localhost/bookings/1',
  sequence: 1,
};

describe('bookingCalendar', () => {
  // A server runs in UTC: the invitation must still say 9:00 in Montréal, i.e. 13:00 UTC,
  // not 13:00 labelled as Montréal time (four hours late in every calendar app).
  it('writes the start and end as the exact instants, whatever the server clock zone', () => {
    const ics = bookingCalendar(event);
    expect(ics).toContain('DTSTART:20260316T130000Z');
    expect(ics).toContain('DTEND:20260316T160000Z');
    expect(ics).not.toMatch(/TZID=/);
  });
});
