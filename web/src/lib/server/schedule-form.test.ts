/** The availability form's numbers: a negative one is told its minimum, not "a whole number". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { readSchedule } from './schedule-form';

let current: 'fr' | 'en' = 'fr';
beforeAll(() => overwriteGetLocale(() => current));
afterAll(() => overwriteGetLocale(() => 'fr'));

const form = (over: Record<string, string>) => {
  const d = new FormData();
  const base = {
    timeZone: 'America/Toronto', 'w1-1-start': '09:00', 'w1-1-end': '17:00',
    slotIntervalMinutes: '30', bufferMinutes: '0', minNoticeHours: '24', horizonDays: '60', capacity: '1',
    requestTtlHours: '48', freeCancellationHours: '24', lateCancellationPercent: '50', noShowPercent: '100',
  };
  for (const [k, v] of Object.entries({ ...base, ...over })) d.set(k, v);
  return d;
};

describe('a number in the availability form', () => {
  it('below its minimum is told the minimum, in French and in English', () => {
    expect(readSchedule(form({ slotIntervalMinutes: '-3' })).errors.slotIntervalMinutes).toEqual(['Au moins 5.']);
    expect(readSchedule(form({ capacity: '-1' })).errors.capacity).toEqual(['Au moins 1.']);
    expect(readSchedule(form({ minNoticeHours: '-2' })).errors.minNoticeHours).toEqual(['Au moins 0.']);
    current = 'en';
    try {
      expect(readSchedule(form({ slotIntervalMinutes: '-3' })).errors.slotIntervalMinutes).toEqual(['At least 5.']);
    } finally {
      current = 'fr';
    }
  });

  it('that is not a whole number is still told so', () => {
    expect(readSchedule(form({ slotIntervalMinutes: '7,5' })).errors.slotIntervalMinutes).toEqual(['Un nombre entier.']);
    expect(readSchedule(form({ slotIntervalMinutes: '- 3' })).errors.slotIntervalMinutes).toEqual(['Un nombre entier.']);
  });

  it('that is fine gives the body', () => {
    expect(readSchedule(form({})).body).toMatchObject({ slotIntervalMinutes: 30, minNoticeMinutes: 1_440 });
  });
});
