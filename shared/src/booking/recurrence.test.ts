/** Regular visits: the rule keeps the wall clock, in the listing's zone, through daylight saving. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextOccurrences, occurrencesOn, rruleText, startsOnAllowed, untilForCount, type SeriesRule } from './recurrence.js';
import { SERIES_FREQUENCIES } from './series.js';

const TORONTO = 'America/Toronto';
const wall = (at: Date, zone = TORONTO) => DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('weekly visits at 09:00 in Toronto', () => {
  const rule: SeriesRule = { frequency: 'weekly', startsOn: '2027-03-01', time: '09:00', until: '2027-11-30' };

  it('stay at 09:00 local across 2027-03-14 and 2027-11-07, so the UTC hour moves', () => {
    const visits = occurrencesOn(rule, TORONTO, '2027-03-01', '2027-11-30');
    expect(visits.map((v) => wall(v.startsAt)).every((w) => w.endsWith('T09:00'))).toBe(true);
    const around = (d: string) => visits.find((v) => v.date === d)!.startsAt.toISOString();
    expect(around('2027-03-08')).toBe('2027-03-08T14:00:00.000Z'); // EST, before 14 March
    expect(around('2027-03-15')).toBe('2027-03-15T13:00:00.000Z'); // EDT, after
    expect(around('2027-11-01')).toBe('2027-11-01T13:00:00.000Z'); // EDT, before 7 November
    expect(around('2027-11-08')).toBe('2027-11-08T14:00:00.000Z'); // EST, after
    expect(visits[0]!.date).toBe('2027-03-01');
    expect(visits.at(-1)!.date).toBe('2027-11-29');
    expect(visits).toHaveLength(40);
  });

  it('are written as an RFC 5545 rule whose UNTIL is the end of the last local day in UTC', () => {
    expect(rruleText(rule, TORONTO)).toBe('FREQ=WEEKLY;UNTIL=20271201T045959Z');
    expect(rruleText({ ...rule, frequency: 'every_2_weeks', until: null }, TORONTO)).toBe('FREQ=WEEKLY;INTERVAL=2');
    expect(rruleText({ ...rule, frequency: 'weekdays', until: null }, TORONTO)).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
  });
});

describe('frequencies', () => {
  it('every 2 and 4 weeks keep the weekday; weekdays skip the weekend', () => {
    const start = { startsOn: '2027-01-04', time: '14:30', until: null }; // a Monday
    expect(occurrencesOn({ ...start, frequency: 'every_2_weeks' }, TORONTO, '2027-01-01', '2027-02-28').map((o) => o.date))
      .toEqual(['2027-01-04', '2027-01-18', '2027-02-01', '2027-02-15']);
    expect(occurrencesOn({ ...start, frequency: 'every_4_weeks' }, TORONTO, '2027-01-01', '2027-03-31').map((o) => o.date))
      .toEqual(['2027-01-04', '2027-02-01', '2027-03-01', '2027-03-29']);
    expect(occurrencesOn({ ...start, frequency: 'weekdays' }, TORONTO, '2027-01-07', '2027-01-12').map((o) => o.date))
      .toEqual(['2027-01-07', '2027-01-08', '2027-01-11', '2027-01-12']);
    expect([startsOnAllowed('weekdays', '2027-01-09'), startsOnAllowed('weekdays', '2027-01-08'), startsOnAllowed('weekly', '2027-01-09')]).toEqual([false, true, true]);
  });

  it('a number of visits becomes the date of the last one', () => {
    expect(untilForCount({ frequency: 'weekly', startsOn: '2027-01-04', time: '09:00' }, TORONTO, 10)).toBe('2027-03-08');
    expect(untilForCount({ frequency: 'weekdays', startsOn: '2027-01-08', time: '09:00' }, TORONTO, 3)).toBe('2027-01-12');
    expect(untilForCount({ frequency: 'every_4_weeks', startsOn: '2027-01-04', time: '09:00' }, TORONTO, 1)).toBe('2027-01-04');
  });

  it('the next visits after an instant, at least eight of them for the preview', () => {
    const rule: SeriesRule = { frequency: 'weekly', startsOn: '2027-01-04', time: '09:00', until: null };
    const next = nextOccurrences(rule, TORONTO, new Date('2027-01-11T14:00:00Z'), 8); // exactly the second visit: not after it
    expect(next.map((o) => o.date)).toEqual(['2027-01-18', '2027-01-25', '2027-02-01', '2027-02-08', '2027-02-15', '2027-02-22', '2027-03-01', '2027-03-08']);
    expect(nextOccurrences({ ...rule, until: '2027-01-20' }, TORONTO, new Date('2027-01-01T00:00:00Z'), 8).map((o) => o.date)).toEqual(['2027-01-04', '2027-01-11', '2027-01-18']);
  });

  it('a time the spring change skips moves forward by the gap, as clocks do', () => {
    const [v] = occurrencesOn({ frequency: 'weekly', startsOn: '2027-03-14', time: '02:30', until: null }, TORONTO, '2027-03-14', '2027-03-14');
    expect(wall(v!.startsAt)).toBe('2027-03-14T03:30');
    // 01:30 happens twice on 7 November: the visit is at the first (still daylight time).
    const [fold] = occurrencesOn({ frequency: 'weekly', startsOn: '2027-11-07', time: '01:30', until: null }, TORONTO, '2027-11-07', '2027-11-07');
    expect(fold!.startsAt.toISOString()).toBe('2027-11-07T05:30:00.000Z');
  });
});

describe('any rule, any zone', () => {
  const zones = ['America/Toronto', 'America/Vancouver', 'Europe/Paris', 'Australia/Sydney', 'America/Havana', 'UTC'];
  it('puts every visit on its rule\'s wall clock, on the rule\'s weekdays, in order, within its dates', () => {
    fc.assert(fc.property(
      fc.constantFrom(...SERIES_FREQUENCIES), fc.constantFrom(...zones), fc.date({ min: new Date('2026-01-01'), max: new Date('2029-12-31'), noInvalidDate: true }),
      fc.integer({ min: 4, max: 20 }).map((h) => `${String(h).padStart(2, '0')}:${['00', '15', '30', '45'][h % 4]}`), fc.integer({ min: 1, max: 400 }),
      (frequency, zone, d, time, spanDays) => {
        let startsOn = d.toISOString().slice(0, 10);
        while (!startsOnAllowed(frequency, startsOn)) startsOn = DateTime.fromISO(startsOn).plus({ days: 1 }).toISODate()!;
        const until = DateTime.fromISO(startsOn).plus({ days: spanDays }).toISODate()!;
        const visits = occurrencesOn({ frequency, startsOn, time, until }, zone, startsOn, until);
        expect(visits[0]!.date).toBe(startsOn);
        const step = { weekly: 7, every_2_weeks: 14, every_4_weeks: 28, weekdays: 0 }[frequency];
        visits.forEach((v, i) => {
          const local = DateTime.fromJSDate(v.startsAt, { zone });
          expect(local.toISODate()).toBe(v.date);
          // Only a time inside a spring gap may differ, and then by that gap.
          if (local.toFormat('HH:mm') !== time) expect(DateTime.fromISO(`${v.date}T${time}`, { zone }).isValid && local.offset !== DateTime.fromISO(`${v.date}T00:00`, { zone }).offset).toBe(true);
          expect(v.date <= until).toBe(true);
          if (i > 0) {
            expect(v.startsAt.getTime()).toBeGreaterThan(visits[i - 1]!.startsAt.getTime());
            if (step) expect(DateTime.fromISO(v.date).diff(DateTime.fromISO(visits[i - 1]!.date), 'days').days).toBe(step);
            else expect(local.weekday).toBeLessThanOrEqual(5);
          }
        });
      },
    ), { numRuns: 300 });
  });

  it('places each visit at the instant of its wall time: the first of two when clocks fall back, after the gap when they spring forward', () => {
    fc.assert(fc.property(
      fc.constantFrom(...zones), fc.date({ min: new Date('2026-01-01'), max: new Date('2029-12-31'), noInvalidDate: true }),
      fc.integer({ min: 0, max: 23 }), fc.constantFrom('00', '30', '45'),
      (zone, d, h, mi) => {
        const time = `${String(h).padStart(2, '0')}:${mi}`;
        const startsOn = d.toISOString().slice(0, 10);
        for (const v of occurrencesOn({ frequency: 'weekly', startsOn, time, until: null }, zone, startsOn, DateTime.fromISO(startsOn).plus({ weeks: 12 }).toISODate()!)) {
          const luxon = DateTime.fromISO(`${v.date}T${time}`, { zone }).toMillis();
          // Luxon picks between a repeated hour's two instants by today's offset; the earlier is meant.
          const earlier = DateTime.fromMillis(luxon - 3_600_000, { zone }).toFormat('HH:mm') === time ? luxon - 3_600_000 : luxon;
          expect(v.startsAt.getTime()).toBe(earlier);
        }
      },
    ), { numRuns: 300 });
  });
});
