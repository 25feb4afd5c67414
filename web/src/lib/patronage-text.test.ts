import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { paidTotals, paymentSum, paymentWords } from './patronage-text';

let current: 'fr' | 'en' = 'fr';
beforeAll(() => overwriteGetLocale(() => current));
afterAll(() => overwriteGetLocale(() => 'fr'));
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('a member’s totals since the start', () => {
  it('count paid plans only: a plan under vote or adopted but unpaid is not money received', () => {
    const statements = [
      { planStatus: 'paid' as const, netPaidCents: 26_742, retainedPartCents: 44_543 },
      { planStatus: 'proposed' as const, netPaidCents: 27_628, retainedPartCents: 46_107 },
      { planStatus: 'approved' as const, netPaidCents: 1_000, retainedPartCents: 2_000 },
      { planStatus: 'paid' as const, netPaidCents: 1, retainedPartCents: 0 },
    ];
    expect(paidTotals(statements)).toEqual({ years: 2, netCents: 26_743, retainedCents: 44_543 });
    expect(paidTotals(statements.slice(1, 3))).toEqual({ years: 0, netCents: 0, retainedCents: 0 });
  });
});

describe('a refund’s payment', () => {
  it('is said as paid only once the plan is paid: under vote or adopted it is to come', () => {
    for (const status of ['draft', 'proposed', 'approved']) {
      expect(paymentWords(status)).toEqual({ paid: 'À verser', net: 'Net à verser', retained: 'À porter au capital' });
    }
    expect(paymentWords('paid')).toEqual({ paid: 'Versé', net: 'Net versé', retained: 'Portée au capital' });
  });

  // The plan page showed 4 035,72 $ − 120,00 $ = 3 951,27 $: last year's 35,55 $ was left out.
  const totals = { cashPartCents: 403_572, carriedInCents: 3_555, carryForwardCents: 0, paidCents: 407_127, withholdingCents: 12_000, netPaidCents: 395_127 };
  it('adds up on the page, last year’s carried amount included', () => {
    expect(plain(paymentSum(totals, 'proposed'))).toBe(
      "4 035,72 $ (partie en argent) + 35,55 $ (reporté de l'an dernier) − 0,00 $ (reporté à l'an prochain) = 4 071,27 $ à verser ; " +
        "4 071,27 $ − 120,00 $ (retenue d'impôt) = 3 951,27 $ net à verser.",
    );
    expect(plain(paymentSum(totals, 'paid'))).toContain('= 4 071,27 $ versés ; 4 071,27 $ − 120,00 $ (retenue d\'impôt) = 3 951,27 $ net versés.');
    // The figures themselves add up, so the sentence is true.
    expect(totals.cashPartCents + totals.carriedInCents - totals.carryForwardCents).toBe(totals.paidCents);
    expect(totals.paidCents - totals.withholdingCents).toBe(totals.netPaidCents);
  });
});
