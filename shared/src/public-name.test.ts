import { describe, expect, it } from 'vitest';
import { FORMER_MEMBER_NAME, publicName } from './public-name.js';

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
  it('shows a deleted account as such, never as "Compte S."', () => {
    expect(publicName(FORMER_MEMBER_NAME)).toBe(FORMER_MEMBER_NAME);
  });
});
