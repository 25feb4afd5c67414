import { SERIES_FREQUENCIES, ScheduleBody, type Schedule, type SeriesFrequency } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import type { FieldMessages } from './forms';
import { check, str, strs } from './forms';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
/** Opening ranges shown per weekday (more are kept when a schedule already has them). */
export const RANGES_PER_DAY = 2;

/** The numbers of the form, with the unit people type them in. */
export const NUMBER_FIELDS = [
  'slotIntervalMinutes',
  'bufferMinutes',
  'minNoticeHours',
  'horizonDays',
  'capacity',
  'requestTtlHours',
  'freeCancellationHours',
  'lateCancellationPercent',
  'noShowPercent',
] as const;

export function rangesOf(schedule: Pick<Schedule, 'weekly'>, weekday: number): { start: string; end: string }[] {
  return schedule.weekly.filter((r) => r.weekday === weekday).map((r) => ({ start: r.start, end: r.end }));
}

/**
 * Reads the availability form into the API's ScheduleBody. Weekly ranges are named
 * `w{weekday}-{n}-start|end`; existing exceptions come back as `ex-{i}-*` with a `ex-{i}-remove`
 * box; one new exception may be added with `new-*`. Errors come back under the form's names.
 */
export function readSchedule(data: FormData): {
  body: ScheduleBody | null;
  errors: FieldMessages;
  /** Turns the API's field paths into the form's names. */
  rename: (fields: FieldMessages) => FieldMessages;
} {
  const errors: FieldMessages = {};
  const weekly: { weekday: number; start: string; end: string }[] = [];
  const weeklyNames: string[] = [];
  for (const weekday of WEEKDAYS) {
    const count = Math.max(RANGES_PER_DAY, Number(str(data, `w${weekday}-count`)) || 0);
    for (let n = 1; n <= count; n++) {
      const start = str(data, `w${weekday}-${n}-start`).trim();
      const end = str(data, `w${weekday}-${n}-end`).trim();
      if (!start && !end) continue;
      if (!start || !end) {
        errors[`w${weekday}-${n}-${start ? 'end' : 'start'}`] = [m.err_both_range_times()];
        continue;
      }
      weekly.push({ weekday, start, end });
      weeklyNames.push(`w${weekday}-${n}`);
    }
  }

  const exceptions: { date: string; kind: 'closed' | 'extra'; start?: string; end?: string }[] = [];
  const exceptionNames: string[] = [];
  const exCount = Number(str(data, 'ex-count')) || 0;
  const readException = (prefix: string) => {
    const date = str(data, `${prefix}-date`).trim();
    const kind = str(data, `${prefix}-kind`) === 'extra' ? ('extra' as const) : ('closed' as const);
    const start = str(data, `${prefix}-start`).trim() || undefined;
    const end = str(data, `${prefix}-end`).trim() || undefined;
    return { date, kind, start, end };
  };
  for (let i = 0; i < exCount; i++) {
    if (str(data, `ex-${i}-remove`) === 'on') continue;
    exceptions.push(readException(`ex-${i}`));
    exceptionNames.push(`ex-${i}`);
  }
  const added = readException('new');
  if (added.date) {
    exceptions.push(added);
    exceptionNames.push('new');
  } else if (added.start || added.end) {
    errors['new-date'] = [m.err_choose_date()];
  }

  const numbers: Record<string, number | undefined> = {};
  for (const name of NUMBER_FIELDS) {
    const text = str(data, name).trim();
    if (!text) errors[name] = [m.err_required()];
    // A minus sign is read: the schema then says the field's minimum ("Au moins 5."), which helps more.
    else if (!/^-?\d+$/.test(text)) errors[name] = [m.err_number()];
    else numbers[name] = Number(text);
  }

  // Regular visits: the frequencies ticked, and the discount typed as a percentage ("10", "7,5").
  const seriesFrequencies = SERIES_FREQUENCIES.filter((f: SeriesFrequency) => strs(data, 'seriesFrequencies').includes(f));
  const discountText = str(data, 'seriesDiscountPercent').trim().replace(',', '.');
  let seriesDiscountBps = 0;
  if (discountText) {
    // A minus sign is a number out of range, not a format error: say the range.
    if (/^-\s*\d+(\.\d+)?$/.test(discountText)) errors.seriesDiscountPercent = [m.availability_series_discount_range()];
    else if (!/^\d+(\.\d{1,2})?$/.test(discountText)) errors.seriesDiscountPercent = [m.availability_series_discount_format()];
    else {
      seriesDiscountBps = Math.round(Number(discountText) * 100);
      if (seriesDiscountBps > 5000) errors.seriesDiscountPercent = [m.availability_series_discount_range()];
    }
  }

  const input = {
    timeZone: str(data, 'timeZone') || 'America/Toronto',
    weekly,
    exceptions,
    slotIntervalMinutes: numbers.slotIntervalMinutes,
    bufferMinutes: numbers.bufferMinutes,
    minNoticeMinutes: numbers.minNoticeHours === undefined ? undefined : numbers.minNoticeHours * 60,
    horizonDays: numbers.horizonDays,
    capacity: numbers.capacity,
    instantBooking: str(data, 'instantBooking') === 'on',
    requestTtlHours: numbers.requestTtlHours,
    freeCancellationHours: numbers.freeCancellationHours,
    lateCancellationPercent: numbers.lateCancellationPercent,
    noShowPercent: numbers.noShowPercent,
    seriesFrequencies,
    seriesDiscountBps,
  };
  const rename = (fields: FieldMessages) => renameScheduleErrors(fields, weeklyNames, exceptionNames);
  const checked = check(ScheduleBody, input);
  // The form's own findings win over the schema's for the same field.
  const all = checked.ok ? errors : { ...rename(checked.errors), ...errors };
  return { body: checked.ok && !Object.keys(all).length ? checked.data : null, errors: all, rename };
}

/** "weekly.3.end" → "w2-1-end", "exceptions.0.date" → "ex-0-date", "minNoticeMinutes" → "minNoticeHours". */
export function renameScheduleErrors(fields: FieldMessages, weeklyNames: string[], exceptionNames: string[]): FieldMessages {
  const out: FieldMessages = {};
  for (const [path, messages] of Object.entries(fields)) {
    const parts = path.split('.');
    let name = path;
    if (parts[0] === 'weekly' && parts[1] !== undefined) name = `${weeklyNames[Number(parts[1])] ?? 'weekly'}-${parts[2] ?? 'start'}`;
    else if (parts[0] === 'exceptions' && parts[1] !== undefined)
      name = `${exceptionNames[Number(parts[1])] ?? 'new'}-${parts[2] ?? 'date'}`;
    else if (parts[0] === 'minNoticeMinutes') name = 'minNoticeHours';
    else if (parts[0] === 'seriesDiscountBps') name = 'seriesDiscountPercent';
    else if (parts[0] === 'seriesFrequencies') name = 'seriesFrequencies';
    (out[name] ??= []).push(...messages);
  }
  return out;
}
