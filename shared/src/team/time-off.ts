import { DateTime } from 'luxon';

/** The instants an absence covers, from what a person typed on the co-op's clock. */
export interface LocalAbsence {
  allDay: boolean;
  startDate: string;
  endDate: string;
  startTime?: string;
  endTime?: string;
}

/**
 * All day: from the first day's midnight to the midnight after the last day (so a day of 23 or 25
 * hours at a clock change is covered whole). Otherwise from the start's wall-clock time to the
 * end's; a time the clock skips (02:30 on the March change) is read as the instant after the gap.
 */
export function absenceInstants(a: LocalAbsence, timeZone: string): { startsAt: Date; endsAt: Date } {
  if (a.allDay) {
    return {
      startsAt: DateTime.fromISO(a.startDate, { zone: timeZone }).startOf('day').toJSDate(),
      endsAt: DateTime.fromISO(a.endDate, { zone: timeZone }).plus({ days: 1 }).startOf('day').toJSDate(),
    };
  }
  return {
    startsAt: DateTime.fromISO(`${a.startDate}T${a.startTime ?? '00:00'}`, { zone: timeZone }).toJSDate(),
    endsAt: DateTime.fromISO(`${a.endDate}T${a.endTime ?? '00:00'}`, { zone: timeZone }).toJSDate(),
  };
}

/** The first instant of the month `at` falls in, on the zone's clock. */
export function monthStart(at: Date, timeZone: string): Date {
  return DateTime.fromJSDate(at, { zone: timeZone }).startOf('month').toJSDate();
}

/**
 * The typed times that do not exist on the co-op's clock that day (the hour skipped at the spring
 * change): the form says so on the field rather than reading them as the instant after the gap.
 */
export function skippedTimes(a: LocalAbsence, timeZone: string): Array<'startTime' | 'endTime'> {
  if (a.allDay) return [];
  const out: Array<'startTime' | 'endTime'> = [];
  for (const [field, date, time] of [['startTime', a.startDate, a.startTime], ['endTime', a.endDate, a.endTime]] as const) {
    if (!time) continue;
    const read = DateTime.fromISO(`${date}T${time}`, { zone: timeZone });
    if (read.isValid && read.toFormat("yyyy-MM-dd'T'HH:mm") !== `${date}T${time}`) out.push(field);
  }
  return out;
}
