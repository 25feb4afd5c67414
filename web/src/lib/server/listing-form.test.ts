/** The listing form's own reading of prices: what a co-op admin is told for each odd amount. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { readListing } from './listing-form';

let current: 'fr' | 'en' = 'fr';
beforeAll(() => overwriteGetLocale(() => current));
afterAll(() => overwriteGetLocale(() => 'fr'));

const form = (over: Record<string, string>) => {
  const d = new FormData();
  const base = { titleFr: 'Grand ménage', titleEn: 'Deep cleaning', descriptionFr: 'Tout le logement, de haut en bas.', descriptionEn: 'The whole home, top to bottom.', category: 'menage', priceKind: 'hourly', price: '45', durationMinutes: '120', locationMode: 'remote' };
  for (const [k, v] of Object.entries({ ...base, ...over })) d.set(k, v);
  return d;
};
const priceError = (price: string) => {
  const r = readListing(form({ price }), 'create');
  return r.ok ? null : r.errors.price?.[0];
};

describe('a listing price as typed', () => {
  it('reads dollars with a comma or a point, to the cent', () => {
    for (const [typed, cents] of [['12,50', 1250], ['12.5', 1250], ['1 200 $', 120000]] as const) {
      const r = readListing(form({ price: typed }), 'create');
      expect(r.ok ? r.data.priceCents : r.errors).toBe(cents);
    }
  });

  it('says a minus sign is the problem, in French and in English, and gives the format otherwise', () => {
    expect(priceError('-12')).toBe('Entrez un montant positif, sans signe moins.');
    expect(priceError('−12,50')).toBe('Entrez un montant positif, sans signe moins.');
    expect(priceError('douze')).toBe('Entrez un montant en dollars, par exemple 45 ou 45,50.');
    current = 'en';
    try {
      expect(priceError('-12')).toBe('Enter an amount of zero or more, without a minus sign.');
    } finally {
      current = 'fr';
    }
  });
});

describe('the deposit percent as typed', () => {
  it('becomes a number for the API (which refuses text), and text that is no percent is refused in words', () => {
    const r = readListing(form({ depositPercent: ' 30 ' }), 'create');
    expect(r.ok ? r.data.depositPercent : r.errors).toBe(30);
    const bad = readListing(form({ depositPercent: 'trente' }), 'create');
    expect(bad.ok ? null : bad.errors.depositPercent?.[0]).toBe('Un nombre entier.');
    const blank = readListing(form({ depositPercent: '' }), 'create');
    expect(blank.ok ? blank.data.depositPercent : blank.errors).toBe(0);
  });
});
