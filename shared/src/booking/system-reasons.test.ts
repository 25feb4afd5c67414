import { describe, expect, it } from 'vitest';
import { reasonIn } from './system-reasons.js';

describe("a history reason in the reader's language", () => {
  it("says Tissu's own reasons in French (a French client read 'series changed' and 'Not paid in time')", () => {
    expect(reasonIn('series changed', 'fr')).toBe('Visites régulières modifiées');
    expect(reasonIn('Regular visits changed by the co-op', 'fr')).toBe('Visites régulières modifiées par la coopérative');
    expect(reasonIn('Not paid in time', 'fr')).toBe('Pas payée à temps');
    // Stored as 'closed day' for closed hours too (10:00–14:00 closed, 14:00 still offered): said as such.
    expect(reasonIn('closed day', 'en')).toBe('The co-op is closed at that time');
    expect(reasonIn('closed day', 'fr')).toBe('La coopérative est fermée à cette heure-là');
  });

  it('shows what a person typed as typed, whatever it looks like', () => {
    expect(reasonIn('Plus de place le lundi', 'en')).toBe('Plus de place le lundi');
    expect(reasonIn('constructor', 'fr')).toBe('constructor');
    expect(reasonIn('toString', 'fr')).toBe('toString');
  });
});
