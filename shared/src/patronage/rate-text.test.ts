import { describe, expect, it } from 'vitest';
import { formatMoney } from '../money.js';
import { patronageRateText } from './rate-text.js';

// French money has narrow no-break spaces; compare with plain spaces.
const plain = (s: string) => s.replace(/[\s\u00a0\u202f]/g, ' ');
const said = (per: 'hour' | 'hundredDollars', memberClass: 'producer' | 'worker' | 'user', cents: number, l: 'fr' | 'en') =>
  plain(patronageRateText(per, memberClass, formatMoney(cents, l), l));

describe('patronageRateText', () => {
  it('says a worker rate per hour delivered', () => {
    expect(said('hour', 'worker', 129, 'fr')).toBe('1,29 $ par heure livrée');
    expect(said('hour', 'worker', 129, 'en')).toBe('$1.29 per hour delivered');
  });
  it('says a producer rate per hundred dollars of services sold', () => {
    expect(said('hundredDollars', 'producer', 247, 'fr')).toBe('2,47 $ par tranche de 100,00 $ de services vendus');
    expect(said('hundredDollars', 'producer', 247, 'en')).toBe('$2.47 per $100.00 of services sold');
  });
  it('says a user rate per hundred dollars paid', () => {
    expect(said('hundredDollars', 'user', 5, 'fr')).toBe('0,05 $ par tranche de 100,00 $ payés');
    expect(said('hundredDollars', 'user', 5, 'en')).toBe('$0.05 per $100.00 paid');
  });
  it('keeps an amount the caller formatted exactly', () => {
    expect(patronageRateText('hour', 'worker', '1,2865… $', 'fr')).toBe('1,2865… $ par heure livrée');
  });
});
