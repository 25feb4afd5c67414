import { describe, expect, it } from 'vitest';
import { calendarSummary } from './calendar.js';

const series = [
  'BEGIN:VCALENDAR', 'METHOD:PUBLISH', 'BEGIN:VTIMEZONE', 'TZID:America/Toronto', 'BEGIN:STANDARD', 'DTSTART:19701101T020000', 'END:STANDARD', 'END:VTIMEZONE',
  'BEGIN:VEVENT', 'SUMMARY:Ménage\\, régulier', 'DTSTART;TZID=America/Toronto:20261208T090000', 'DTEND;TZID=America/Toronto:20261208T120000', 'END:VEVENT', 'END:VCALENDAR',
].join('\r\n');

describe('the development mailbox reading a calendar invitation', () => {
  it("reads the event's start, not the time zone block's, on the zone's wall clock", () => {
    expect(calendarSummary(series)).toEqual({ summary: 'Ménage, régulier', start: '2026-12-08T14:00:00.000Z', end: '2026-12-08T17:00:00.000Z', cancelled: false });
  });

  it('reads a start in UTC and a cancellation', () => {
    const ics = ['BEGIN:VCALENDAR', 'METHOD:CANCEL', 'BEGIN:VEVENT', 'SUMMARY:X', 'DTSTART:20270314T150000Z', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    expect(calendarSummary(ics)).toMatchObject({ start: '2027-03-14T15:00:00.000Z', end: null, cancelled: true });
  });
});
