/** The availability form's regular-visit settings: frequencies ticked and the discount typed as a percentage. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { readSchedule } from './schedule-form';

beforeAll(() => overwriteGetLocale(() => 'fr'));
afterAll(() => overwriteGetLocale(() => 'fr'));

const form = (frequencies: string[], discount: string) => {
  const d = new FormData();
  const base = { 'w1-1-start': '09:00', 'w1-1-end': '17:00', slotIntervalMinutes: '30', bufferMinutes: '0', minNoticeHours: '2', horizonDays: '60', capacity: '1', requestTtlHours: '48', freeCancellationHours: '24', lateCancellationPercent: '50', noShowPercent: '100' };
  for (const [k, v] of Object.entries(base)) d.set(k, v);
  for (const f of frequencies) d.append('seriesFrequencies', f);
  d.set('seriesDiscountPercent', discount);
  return d;
};

describe('regular visits in the availability form', () => {
  it('reads the frequencies offered and the discount in basis points', () => {
    const r = readSchedule(form(['every_2_weeks', 'weekly', 'made_up'], '7,5'));
    expect(r.errors).toEqual({});
    expect(r.body).toMatchObject({ seriesFrequencies: ['weekly', 'every_2_weeks'], seriesDiscountBps: 750 });
    expect(readSchedule(form([], '')).body).toMatchObject({ seriesFrequencies: [], seriesDiscountBps: 0 });
  });

  it('says so under the field when the discount is not a percentage from 0 to 50', () => {
    expect(readSchedule(form(['weekly'], '60')).errors.seriesDiscountPercent).toEqual(['Le rabais va de 0 à 50 %.']);
    expect(readSchedule(form(['weekly'], '-5')).errors.seriesDiscountPercent).toEqual(['Le rabais va de 0 à 50 %.']);
    expect(readSchedule(form(['weekly'], '-7,5')).errors.seriesDiscountPercent).toEqual(['Le rabais va de 0 à 50 %.']);
    expect(readSchedule(form(['weekly'], 'dix')).errors.seriesDiscountPercent).toEqual(['Un pourcentage de 0 à 50, par exemple 10 ou 7,5.']);
  });
});
