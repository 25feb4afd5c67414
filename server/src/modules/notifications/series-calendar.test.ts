import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { onItsRule, seriesCalendar } from './series-calendar.js';
import { icsProblems, readIcs } from '../../../../tests/support/ics.js';

const zone = 'America/Toronto';
// Weekly at 09:00 from Monday 2027-03-01: the 2027-03-14 change moves 09:00 from 14:00 to 13:00 UTC.
const rule = { startsOn: '2027-03-01', frequency: 'weekly' as const, time: '09:00', until: null };
const nine = (date: string) => DateTime.fromISO(`${date}T09:00`, { zone }).toJSDate();
const series = { id: 's1', timeZone: zone, durationMinutes: 120, sequence: 7, endsOn: '2027-04-05', pausedFrom: null, state: 'active', organizer: 'Tissu <bonjour@tissu.coop>' };
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

  it('keeps a rule paused before it ever ran confirmed, with its one date left out: a pause may be called off, and a cancelled event rarely comes back', () => {
    const paused = { ...series, endsOn: null, pausedFrom: '2027-03-01', state: 'paused' };
    const ics = seriesCalendar(paused, [rule], [{ date: '2027-03-01', startsAt: nine('2027-03-01'), state: 'cancelled_by_client' }], event);
    expect(icsProblems(ics)).toEqual([]);
    const ev = readIcs(ics).events.find((e) => e.uid === 'series-s1-2027-03-01@tissu.coop')!;
    expect(ev.props.get('STATUS')).toEqual([':CONFIRMED']);
    const flat = ics.replace(/\r?\n[ \t]/g, '');
    expect(flat).toMatch(/RRULE:FREQ=WEEKLY;COUNT=1/);
    expect(flat).toMatch(/EXDATE;TZID=America\/Toronto:20270301T090000/);
    // Ended instead, the same rule is cancelled.
    const ended = seriesCalendar({ ...paused, pausedFrom: null, endsOn: '2027-02-28', state: 'ended' }, [rule], [], event);
    expect(readIcs(ended).events[0]!.props.get('STATUS')).toEqual([':CANCELLED']);
  });

  it('knows a visit at its rule’s time from one moved away from it, across the change', () => {
    expect(onItsRule([rule], zone, { date: '2027-03-15', startsAt: nine('2027-03-15') })).toBe(true);
    expect(onItsRule([rule], zone, { date: '2027-03-15', startsAt: new Date(nine('2027-03-15').getTime() + 3_600_000) })).toBe(false);
    // 09:00 on the 15th is 13:00 UTC: the UTC hour of the 8th (14:00) would be 10:00 local.
    expect(onItsRule([rule], zone, { date: '2027-03-15', startsAt: new Date('2027-03-15T14:00:00Z') })).toBe(false);
    expect(onItsRule([{ ...rule, startsOn: '2027-04-01' }], zone, { date: '2027-03-15', startsAt: nine('2027-03-15') })).toBe(false);
  });

  it('writes DTSTAMP and UNTIL in UTC (RFC 5545), and sends a rule that will no longer run as cancelled rather than dropping it', () => {
    const later = { startsOn: '2027-04-12', frequency: 'every_2_weeks' as const, time: '10:00', until: null };
    // Ended from 2027-04-06: the new rule from 2027-04-12, sent in an earlier email, will never run.
    const ics = seriesCalendar(series, [rule, later], [{ date: '2027-03-01', startsAt: nine('2027-03-01'), state: 'paid' }], event).replace(/\r?\n[ \t]/g, '');
    const lines = ics.split(/\r?\n/);
    expect(lines.filter((l) => l.startsWith('DTSTAMP:')).every((l) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(l))).toBe(true);
    // 2027-04-05 23:59:59 in Toronto (EDT, UTC−4) is 03:59:59 UTC the next day.
    expect(lines.find((l) => l.startsWith('RRULE:FREQ=WEEKLY'))).toContain('UNTIL=20270406T035959Z');
    const cancelled = ics.slice(ics.indexOf('UID:series-s1-2027-04-12@tissu.coop'));
    expect(cancelled).toMatch(/^UID:series-s1-2027-04-12@tissu\.coop[\s\S]*?STATUS:CANCELLED[\s\S]*?END:VEVENT/);
    expect(cancelled.slice(0, cancelled.indexOf('END:VEVENT'))).not.toContain('RRULE');
  });

  it('sends a rule a change took away as cancelled (its UID gone from the calendar would leave it there), once, and not one still in force', () => {
    // A resume had made a rule from 2027-03-22; a later change from 2027-03-09 replaced it, and the 2027-03-01 rule was replaced by one of the same start.
    const ics = seriesCalendar(series, [rule], [], event, new Set(), [
      { startsOn: '2027-03-22', time: '09:00' }, { startsOn: '2027-03-22', time: '09:00' }, { startsOn: '2027-03-01', time: '10:00' },
    ]).replace(/\r?\n[ \t]/g, '');
    expect(ics.split('UID:series-s1-2027-03-22@tissu.coop').length - 1).toBe(1);
    const gone = ics.slice(ics.indexOf('UID:series-s1-2027-03-22@tissu.coop'));
    expect(gone.slice(0, gone.indexOf('END:VEVENT'))).toContain('STATUS:CANCELLED');
    expect(ics.split('UID:series-s1-2027-03-01@tissu.coop').length - 1).toBe(1);
  });

  it('is valid iTIP in every state: each event from the platform as ORGANIZER, with its STATUS, and a visit away from its rule with the small SEQUENCE its own emails give it', () => {
    const moved = { id: 'v2', date: '2027-03-15', startsAt: new Date(nine('2027-03-15').getTime() + 2 * 3_600_000), endsAt: new Date(nine('2027-03-15').getTime() + 4 * 3_600_000), updatedAt: new Date('2027-03-10T12:00:00Z'), sequence: 1, state: 'accepted' };
    const visits = [{ date: '2027-03-01', startsAt: nine('2027-03-01'), state: 'paid' }, moved];
    const later = { startsOn: '2027-04-12', frequency: 'every_2_weeks' as const, time: '10:00', until: null };
    const live = seriesCalendar(series, [rule, later], visits, event, new Set(), [{ startsOn: '2027-03-22', time: '09:00' }]);
    expect(icsProblems(live)).toEqual([]);
    const byUid = new Map(readIcs(live).events.map((ev) => [ev.uid, ev]));
    expect(byUid.get('series-s1-2027-03-01@tissu.coop')!.props.get('STATUS')).toEqual([':CONFIRMED']);
    expect(byUid.get('series-s1-2027-03-22@tissu.coop')!.props.get('STATUS')).toEqual([':CANCELLED']);
    expect(byUid.get('booking-v2@tissu.coop')!.sequence).toBe(1);
    for (const ev of byUid.values()) expect(ev.props.get('ORGANIZER')).toEqual([';CN="Tissu":mailto:bonjour@tissu.coop']);
    // Declined: the whole series is taken out (METHOD:CANCEL), every event CANCELLED.
    const gone = seriesCalendar({ ...series, state: 'declined' }, [rule], visits, event);
    expect(readIcs(gone).method).toBe('CANCEL');
    expect(icsProblems(gone)).toEqual([]);
  });
});
