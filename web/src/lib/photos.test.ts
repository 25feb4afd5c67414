import { describe, expect, it } from 'vitest';
import { cardPhoto, coopInitials, largestInSrcset, photoAlt, placeholderTone, PLACEHOLDER_TONES } from './photos';

describe('photoAlt', () => {
  it("says the page's language first", () => {
    expect(photoAlt({ fr: 'Une cuisine', en: 'A kitchen' }, 'fr')).toBe('Une cuisine');
    expect(photoAlt({ fr: 'Une cuisine', en: 'A kitchen' }, 'en')).toBe('A kitchen');
  });
  it('falls back to the other language, never "undefined"', () => {
    expect(photoAlt({ fr: 'Une cuisine', en: '' }, 'en')).toBe('Une cuisine');
    expect(photoAlt({ fr: '  ', en: 'A kitchen' }, 'fr')).toBe('A kitchen');
    expect(photoAlt({ fr: '', en: '' }, 'fr')).toBe('');
    expect(photoAlt(undefined, 'en')).toBe('');
    expect(photoAlt({ fr: null, en: undefined }, 'fr')).toBe('');
  });
});

describe('coopInitials', () => {
  it('takes the first letters of the first two words that say something', () => {
    expect(coopInitials('Coop de ménage Éclair')).toBe('MÉ');
    expect(coopInitials('Les Pattes du Plateau')).toBe('PP');
    expect(coopInitials("L'Atelier")).toBe('A');
    expect(coopInitials('écoute')).toBe('É');
  });
  it('never answers nothing', () => {
    expect(coopInitials('')).toBe('?');
    expect(coopInitials('de la')).toBe('DL');
  });
});

describe('placeholderTone', () => {
  it('is one of the tones and the same for the same co-op', () => {
    expect(PLACEHOLDER_TONES).toContain(placeholderTone('menage-eclair'));
    expect(placeholderTone('menage-eclair')).toBe(placeholderTone('menage-eclair'));
  });
});

describe('cardPhoto and largestInSrcset', () => {
  const p = (src: string) => ({ width: 1, height: 1, alt: { fr: '', en: '' }, src, srcset: '', sources: [] });
  it("shows search's chosen photo, else the listing's first, else none", () => {
    expect(cardPhoto({ photo: p('a'), photos: [p('b')] })?.src).toBe('a');
    expect(cardPhoto({ photo: null, photos: [p('b'), p('c')] })?.src).toBe('b');
    expect(cardPhoto({ photos: [] })).toBeNull();
    expect(cardPhoto({})).toBeNull();
  });
  it('picks the widest image', () => {
    expect(largestInSrcset('/m/a-320.jpg 320w, /m/a-1280.jpg 1280w, /m/a-640.jpg 640w', '/m/a.jpg')).toBe('/m/a-1280.jpg');
    expect(largestInSrcset('', '/m/a.jpg')).toBe('/m/a.jpg');
  });
});
