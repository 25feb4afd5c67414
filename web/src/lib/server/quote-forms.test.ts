/**
 * The co-op's offer form read into the API's body: blank rows left out, each wrong row said under its
 * own row in French, the validity the end of the chosen day and the proposed times the wall clock of
 * the listing's zone (across the November clock change). Needs the compiled messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { offerRename, readOfferForm, wallClockInstant } from './quote-forms';

beforeAll(() => overwriteGetLocale(() => 'fr'));
afterAll(() => overwriteGetLocale(() => 'fr'));

const ZONE = 'America/Toronto';
const NOW = new Date('2026-10-28T14:00:00Z');

function form(rows: [string, 'unit' | 'fixed', string, string, string][], extra: Record<string, string | string[]> = {}): FormData {
  const f = new FormData();
  for (const [label, mode, quantity, unit, amount] of rows) {
    f.append('lineLabel', label);
    f.append('lineMode', mode);
    f.append('lineQuantity', quantity);
    f.append('lineUnitPrice', unit);
    f.append('lineAmount', amount);
  }
  const defaults = { validUntil: '2026-11-11', duration: '4', time: ['2026-11-02T09:00', '', ''], message: '' };
  for (const [k, v] of Object.entries({ ...defaults, ...extra })) for (const x of [v].flat()) f.append(k, x);
  return f;
}

describe('the offer form', () => {
  it('sends the rows typed, in cents and hundredths, and leaves the spare blank row out', () => {
    const r = readOfferForm(form([['Trois déménageurs', 'unit', '12', '45', ''], ['Camion', 'fixed', '1', '', '150,00'], ['', 'unit', '1', '', '']]), ZONE, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body.lines).toEqual([
      { label: 'Trois déménageurs', quantity: 12, unitPriceCents: 4500 },
      { label: 'Camion', quantity: null, unitPriceCents: 15000 },
    ]);
    expect(r.body.durationMinutes).toBe(240);
    // Valid to the end of 11 November in Montréal (EST by then): 23:59 − 5 h.
    expect(r.body.validUntil).toBe('2026-11-12T04:59:00.000Z');
    // 2 November, after the clocks went back: 9:00 EST is 14:00 UTC.
    expect(r.body.proposedTimes).toEqual(['2026-11-02T14:00:00.000Z']);
  });

  it('says under each wrong row what is wrong, and asks for at least one line', () => {
    const r = readOfferForm(form([['', 'unit', '0', 'abc', ''], ['Piano', 'fixed', '', '', '-5']]), ZONE, NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors['line-1']).toEqual(['Décrivez la ligne.', expect.stringMatching(/^Quantité/), expect.stringMatching(/^Un montant/)]);
    expect(r.errors['line-2']).toEqual([expect.stringMatching(/^Un montant/)]);
    const none = readOfferForm(form([['', 'unit', '1', '', '']]), ZONE, NOW);
    expect(!none.ok && none.errors.lines).toEqual(['Ajoutez au moins une ligne.']);
  });

  it('refuses a validity in the past or beyond 90 days, a time gone by, no time at all, a length of nothing', () => {
    const past = readOfferForm(form([['x', 'fixed', '', '', '10']], { validUntil: '2026-10-27', time: ['2026-10-27T09:00'], duration: '0' }), ZONE, NOW);
    expect(past.ok).toBe(false);
    if (past.ok) return;
    expect(Object.keys(past.errors).sort()).toEqual(['duration', 'times', 'validUntil']);
    expect(past.errors.times).toEqual(['Cette heure est passée : choisissez-en une à venir.']);
    const far = readOfferForm(form([['x', 'fixed', '', '', '10']], { validUntil: '2027-03-01', time: [''] }), ZONE, NOW);
    expect(!far.ok && far.errors.validUntil).toBeTruthy();
    expect(!far.ok && far.errors.times).toEqual(['Proposez au moins une heure.']);
  });

  it("puts the API's word on one proposed time under the field it was typed in, blank fields skipped", () => {
    const r = readOfferForm(form([['x', 'fixed', '', '', '10']], { time: ['', '2026-11-02T09:00', '', '2026-11-03T09:00'] }), ZONE, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.timeFields).toEqual(['time-2', 'time-4']);
    const rename = offerRename(r.body.lines.length, r.timeFields);
    // The API answers "proposedTimes.1" (its second time): the fourth field, where she typed it.
    expect([rename['proposedTimes.0'], rename['proposedTimes.1'], rename['proposedTimes.2']]).toEqual(['time-2', 'time-4', 'times']);
    expect(rename['lines.0.quantity']).toBe('line-1');
  });

  it('reads a datetime-local field in the zone, and nothing else', () => {
    expect(wallClockInstant('2026-07-01T09:30', ZONE)).toBe('2026-07-01T13:30:00.000Z');
    expect(wallClockInstant('2026-02-30T09:30', ZONE)).toBeNull();
    expect(wallClockInstant('demain', ZONE)).toBeNull();
  });

  it('reads regular visits instead of the times: the frequency, the first visit on the listing’s clock, the number of visits', () => {
    const r = readOfferForm(form([['Entretien', 'unit', '3', '60', '']], { kind: 'regular', frequency: 'every_2_weeks', seriesStart: '2026-11-03T09:00', seriesCount: '10', time: ['2026-11-02T09:00'] }), ZONE, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body.proposedTimes).toEqual([]);
    expect(r.body.recurrence).toEqual({ frequency: 'every_2_weeks', startsAt: '2026-11-03T14:00:00.000Z', count: 10 });
    const open = readOfferForm(form([['Entretien', 'fixed', '', '', '180']], { kind: 'regular', frequency: 'weekly', seriesStart: '2026-11-03T09:00', seriesCount: '' }), ZONE, NOW);
    expect(open.ok && open.body.recurrence).toEqual({ frequency: 'weekly', startsAt: '2026-11-03T14:00:00.000Z' });
  });

  it('says under each regular-visit field what is wrong', () => {
    const r = readOfferForm(form([['x', 'fixed', '', '', '10']], { kind: 'regular', frequency: 'daily', seriesStart: '2026-10-27T09:00', seriesCount: '1' }), ZONE, NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['frequency', 'seriesCount', 'seriesStart']);
    expect(r.errors.seriesStart).toEqual(['Choisissez la date et l’heure de la première visite, à venir.']);
  });
});
