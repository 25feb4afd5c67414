import { describe, expect, it } from 'vitest';
import { bookingCalendar, foldLines } from './ics.js';
import { icsProblems, readIcs } from '../../../../tests/support/ics.js';

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
  organizer: 'Tissu <bonjour@tissu.coop>',
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

  // Outlook removes an event on a CANCEL only from its organizer (RFC 5546 wants one in PUBLISH and
  // CANCEL alike); a calendar reads STATUS, not the METHOD alone, to know an event is off.
  it('is a valid iTIP PUBLISH (STATUS:CONFIRMED) and CANCEL (STATUS:CANCELLED), both from the platform as ORGANIZER', () => {
    const live = bookingCalendar(event);
    const gone = bookingCalendar({ ...event, sequence: 2, cancelled: true });
    expect(icsProblems(live)).toEqual([]);
    expect(icsProblems(gone)).toEqual([]);
    expect(readIcs(live).events[0]!.props.get('STATUS')).toEqual([':CONFIRMED']);
    expect([readIcs(gone).method, readIcs(gone).events[0]!.props.get('STATUS')]).toEqual(['CANCEL', [':CANCELLED']]);
    for (const ics of [live, gone]) expect(readIcs(ics).events[0]!.props.get('ORGANIZER')).toEqual([';CN="Tissu":mailto:bonjour@tissu.coop']);
  });
});

describe('foldLines', () => {
  it('cuts every line at 75 octets at most, never inside a character, and unfolds back to the same text', () => {
    const lines = ['SUMMARY:court', `DESCRIPTION:Notes : ${'é😀a'.repeat(60)}`, `LOCATION:${'x'.repeat(200)}`, `X:${'€'.repeat(30)}`];
    const folded = foldLines(lines.join('\r\n'));
    const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;
    for (const l of folded.split('\r\n')) {
      expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
      expect(l).not.toMatch(loneSurrogate);
    }
    expect(folded.replace(/\r\n /g, '')).toBe(lines.join('\r\n'));
    expect(folded.split('\r\n')[0]).toBe('SUMMARY:court');
  });
});
