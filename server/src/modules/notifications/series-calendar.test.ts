import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { onItsRule, seriesCalendar } from './series-calendar.js';

const zone = 'America/Toronto';
// Weekly at 09:00 from Monday 2027-03-01: the 2027-03-14 change moves 09:00 from 14:00 to 13:00 UTC.
const rule = { startsOn: '2027-03-01', frequency: 'weekly' as const, time: '09:00', until: null };
const nine = (date: string) => DateTime.fromISO(`${date}T09:00`, { zone }).toJSDate();
const series = { id: 's1', timeZone: zone, durationMinutes: 120, sequence: 7, endsOn: '2027-04-05', pausedFrom: null, state: 'active' };
const event = { summary: 'Ménage', description: 'Voir les visites', location: '', url: 'http://localhost/series/s1' };

describe('the series calendar', () => {
  it('leaves out, at 09:00 local on both sides of the daylight-saving change, a cancelled visit, a moved one and a skipped date, and nothing else', () => {
    const visits = [
      { date: '2027-03-01', startsAt: nine('2027-03-01'), state: 'paid' },
      { date: '2027-03-08', startsAt: nine('2027-03-08'), state: 'cancelled_by_client' },
      { date: '2027-03-15', startsAt: new Date(nine('2027-03-15').getTime() + 2 * 3_600_000), state: 'accepted' },
      // 2027-03-22: skipped (a gap, no visit); 2027-03-29: a visit; 2027-04-05: not made yet.
      { date: '2027-03-29', startsAt: nine('2027-03-29'), state: 'accepted' },
    ];
    const ics = seriesCalendar(series, [rule], visits, event, new Set(['2027-03-22'])).replace(/\r?\n[ \t]/g, '');
    const exdates = ics.split(/\r?\n/).filter((l) => l.startsWith('EXDATE')).flatMap((l) => l.slice(l.lastIndexOf(':') + 1).split(','));
    expect(exdates.sort()).toEqual(['20270308T090000', '20270315T090000', '20270322T090000']);
    expect(ics).toMatch(/EXDATE;TZID=America\/Toronto:/);
    expect(ics).toContain('SEQUENCE:7');
    expect(ics).toContain('UID:series-s1-2027-03-01@tissu.coop');
  });

  it('knows a visit at its rule’s time from one moved away from it, across the change', () => {
    expect(onItsRule([rule], zone, { date: '2027-03-15', startsAt: nine('2027-03-15') })).toBe(true);
    expect(onItsRule([rule], zone, { date: '2027-03-15', startsAt: new Date(nine('2027-03-15').getTime() + 3_600_000) })).toBe(false);
    // 09:00 on the 15th is 13:00 UTC: the UTC hour of the 8th (14:00) would be 10:00 local.
    expect(onItsRule([rule], zone, { date: '2027-03-15', startsAt: new Date('2027-03-15T14:00:00Z') })).toBe(false);
    expect(onItsRule([{ ...rule, startsOn: '2027-04-01' }], zone, { date: '2027-03-15', startsAt: nine('2027-03-15') })).toBe(false);
  });
});
