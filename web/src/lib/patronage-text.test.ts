import { describe, expect, it } from 'vitest';
import { paidTotals } from './patronage-text';

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
