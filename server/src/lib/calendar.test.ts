import { describe, expect, it } from 'vitest';
import { booksDate, patronagePaymentDeadline, startOfBooksDay, yearBounds, yearFrom } from './calendar.js';

describe('the books’ calendar (America/Toronto)', () => {
  it('starts a day at local midnight on both sides of the daylight-saving changes', () => {
    expect(startOfBooksDay('2026-03-08').toISOString()).toBe('2026-03-08T05:00:00.000Z'); // EST, the day clocks spring forward
    expect(startOfBooksDay('2026-03-09').toISOString()).toBe('2026-03-09T04:00:00.000Z'); // EDT
    expect(startOfBooksDay('2026-11-01').toISOString()).toBe('2026-11-01T04:00:00.000Z'); // EDT, the day clocks fall back
    expect(startOfBooksDay('2026-11-02').toISOString()).toBe('2026-11-02T05:00:00.000Z'); // EST
  });

  it('dates an instant by the Toronto day it falls in', () => {
    expect(booksDate(new Date('2027-01-01T04:59:59Z'))).toBe('2026-12-31');
    expect(booksDate(new Date('2027-01-01T05:00:00Z'))).toBe('2027-01-01');
  });

  it('makes a year of twelve months, its bounds and its payment deadline (ITA s.135(1))', () => {
    expect(yearFrom('2026-01-01')).toEqual({ startsOn: '2026-01-01', endsOn: '2026-12-31', label: '2026' });
    expect(yearFrom('2026-04-01')).toEqual({ startsOn: '2026-04-01', endsOn: '2027-03-31', label: '2026–2027' });
    const { from, to } = yearBounds({ startsOn: '2026-01-01', endsOn: '2026-12-31' });
    expect([from.toISOString(), to.toISOString()]).toEqual(['2026-01-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z']);
    expect(patronagePaymentDeadline('2026-12-31')).toBe('2027-12-31');
  });
});
