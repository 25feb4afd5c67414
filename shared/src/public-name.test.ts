import { describe, expect, it } from 'vitest';
import { publicName } from './public-name.js';

describe('publicName', () => {
  it('keeps the first name and the initial of the last name', () => {
    expect(publicName('Marie-Ève Tremblay')).toBe('Marie-Ève T.');
    expect(publicName('  Jean   de la Fontaine ')).toBe('Jean F.');
    expect(publicName('Élodie émond')).toBe('Élodie É.');
  });
  it('shows a single name as it is, and nothing for no name', () => {
    expect(publicName('Amina')).toBe('Amina');
    expect(publicName('   ')).toBe('');
  });
});
