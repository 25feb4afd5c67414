import { describe, expect, it } from 'vitest';
import { allocatePatronage } from './allocate.js';
import { AllocationInput, PatronageAllocation, type AllocationInputLoose, type PatronagePlan } from './schemas.js';
import { simulate } from './simulate.js';

const onlyClass = (c: 'producer' | 'worker' | 'user') => ({ producer: 0, worker: 0, user: 0, [c]: 10_000 });
const plan = (p: Partial<PatronagePlan> = {}): PatronagePlan => ({ reserveBps: 0, cashBps: 2_000, classWeightsBps: onlyClass('producer'), ...p });
const noMinimum = { minimumApplies: false };
const line = (a: PatronageAllocation, id: string) => a.members.find((m) => m.memberId === id)!;

describe('patronage allocation: the examples', () => {
  it('shares 100.00 $ among three members with equal patronage as 33.34 / 33.33 / 33.33', () => {
    const a = allocatePatronage({
      surplusCents: 10_000, plan: plan(), settings: noMinimum,
      members: ['c', 'a', 'b'].map((memberId) => ({ memberId, memberClass: 'producer' as const, patronageUnits: 500 })),
    });
    expect(a.status).toBe('allocated');
    expect(a.reserveCents).toBe(0);
    // Lines in the order given; the spare cent goes to the lowest id, wherever it was listed.
    expect(a.members.map((m) => [m.memberId, m.allocationCents])).toEqual([['c', 3_333], ['a', 3_334], ['b', 3_333]]);
    // Cash 20 % rounded up: 6.67 each (6.668 and 6.666); below 25 $: carried forward.
    expect(a.members.map((m) => m.cashPartCents)).toEqual([667, 667, 667]);
    expect(a.members.map((m) => m.carryForwardCents)).toEqual([667, 667, 667]);
    expect(a.classes[0]!.rate).toEqual({ numerator: 20, denominator: 3 }); // 10 000 ¢ / 1 500 units
    expect(() => PatronageAllocation.parse(a)).not.toThrow();
  });

  it('raises a lower plan reserve to the legal minimum while it applies, rounding the reserve up', () => {
    // Surplus 10 000.01 $, plan 5 %, legal minimum 10 %: pool = floor(1 000 001 × 90 %) = 900 000.90 → 900 000;
    // reserve 100 001 ¢ ≥ the exact 10 % (100 000.1 ¢).
    const members = [{ memberId: 'u1', memberClass: 'user' as const, patronageUnits: 1 }];
    const withMinimum = allocatePatronage({ surplusCents: 1_000_001, plan: plan({ reserveBps: 500, classWeightsBps: onlyClass('user') }), settings: { minimumApplies: true }, members });
    expect(withMinimum).toMatchObject({ reserveBps: 1_000, reserveCents: 100_001, patronagePoolCents: 900_000 });
    // Equity ≥ 40 % of debts: the plan's 5 % holds. floor(950 000.95) = 950 000, reserve 50 001.
    const without = allocatePatronage({ surplusCents: 1_000_001, plan: plan({ reserveBps: 500, classWeightsBps: onlyClass('user') }), settings: noMinimum, members });
    expect(without).toMatchObject({ reserveBps: 500, reserveCents: 50_001, patronagePoolCents: 950_000 });
    // A plan above the minimum keeps its own figure.
    expect(allocatePatronage({ surplusCents: 1_000_001, plan: plan({ reserveBps: 2_500, classWeightsBps: onlyClass('user') }), settings: { minimumApplies: true }, members }).reserveBps).toBe(2_500);
  });

  it('pays a member who left mid-year for their member time: fewer minutes, same rate', () => {
    // Surplus 2 000 $, 10 % reserve → pool 1 800 $, all to workers. Minutes while a member:
    // w1 600 h = 36 000, w2 left in June after 200 h = 12 000, w3 300 h = 18 000; total 66 000.
    // Rate 180 000 / 66 000 = 30/11 ¢ per minute = 163.6 ¢ → "1.64 $ per hour".
    // Exact: w1 98 181.82, w2 32 727.27, w3 49 090.91 → floors sum to 179 998; the 2 cents go
    // to the largest remainders, w3 (.91) then w1 (.82): 98 182 / 32 727 / 49 091.
    const a = allocatePatronage({
      surplusCents: 200_000, plan: plan({ classWeightsBps: onlyClass('worker') }), settings: { minimumApplies: true },
      members: [
        { memberId: 'w1', memberClass: 'worker', patronageUnits: 36_000, withholdingApplies: true },
        { memberId: 'w2', memberClass: 'worker', patronageUnits: 12_000, withholdingApplies: true },
        { memberId: 'w3', memberClass: 'worker', patronageUnits: 18_000, withholdingApplies: true },
      ],
    });
    expect(a.members.map((m) => m.allocationCents)).toEqual([98_182, 32_727, 49_091]);
    expect(a.classes.find((c) => c.memberClass === 'worker')).toMatchObject({ classPoolCents: 180_000, rate: { numerator: 30, denominator: 11 }, displayRate: { per: 'hour', cents: 164 } });
    // w2: cash ceil(6 545.4) = 65.46 $, retained 261.81 $, paid (≥ 25 $), under 100 $: nothing withheld.
    expect(line(a, 'w2')).toMatchObject({ cashPartCents: 6_546, retainedPartCents: 26_181, paidCents: 6_546, withholdingCents: 0 });
    // w1: cash ceil(19 636.4) = 196.37 $; withholding 15 % × 96.37 $ = 14.4555 → 14.46 $.
    expect(line(a, 'w1')).toMatchObject({ cashPartCents: 19_637, paidCents: 19_637, withholdingCents: 1_446, netPaidCents: 18_191 });
  });

  it('carries a small cash part forward and pays it with the next year\'s', () => {
    // Year 1: 60.00 $ all to u1 (no reserve), cash 20 % = 12.00 $ < 25 $ → carried forward.
    const year = (surplusCents: number, carriedInCents: number) => allocatePatronage({
      surplusCents, plan: plan({ classWeightsBps: onlyClass('user') }), settings: noMinimum,
      members: [{ memberId: 'u1', memberClass: 'user', patronageUnits: 1_234, carriedInCents, withholdingApplies: true }],
    });
    const y1 = line(year(6_000, 0), 'u1');
    expect(y1).toMatchObject({ allocationCents: 6_000, cashPartCents: 1_200, retainedPartCents: 4_800, paidCents: 0, carryForwardCents: 1_200 });
    // Year 2: 75.00 $, cash 15.00 $ + 12.00 $ carried in = 27.00 $ ≥ 25 $ → paid, nothing carried.
    const y2 = line(year(7_500, y1.carryForwardCents), 'u1');
    expect(y2).toMatchObject({ cashPartCents: 1_500, carriedInCents: 1_200, paidCents: 2_700, carryForwardCents: 0, withholdingCents: 0 });
  });

  it('gives a class with no patronage nothing and its share to the others by their weights', () => {
    // Pool 1 000 $; weights 50/30/20 but no worker delivered any time: split 5 000 : 2 000.
    // Producers 71 428.57, users 28 571.43 → the cent left goes to the producers' .57.
    const a = allocatePatronage({
      surplusCents: 100_000, plan: plan({ classWeightsBps: { producer: 5_000, worker: 3_000, user: 2_000 } }), settings: noMinimum,
      members: [
        { memberId: 'coop-a', memberClass: 'producer', patronageUnits: 40_000 },
        { memberId: 'coop-b', memberClass: 'producer', patronageUnits: 60_000 },
        { memberId: 'w1', memberClass: 'worker', patronageUnits: 0 },
        { memberId: 'u1', memberClass: 'user', patronageUnits: 999_900 },
      ],
    });
    expect(a.classes.map((c) => [c.memberClass, c.classPoolCents, c.excludedBecause])).toEqual([
      ['producer', 71_429, null], ['worker', 0, 'no_patronage'], ['user', 28_571, null],
    ]);
    // Producers 40 : 60 of 71 429 → 28 571.6 / 42 857.4 → 28 572 / 42 857.
    expect(a.members.map((m) => [m.memberId, m.allocationCents])).toEqual([['coop-a', 28_572], ['coop-b', 42_857], ['w1', 0], ['u1', 28_571]]);
    expect(a.classes[1]).toMatchObject({ rate: null, displayRate: null });
    // Users: 28 571 ¢ for 9 999 $ paid → 28 571 × 10 000 / 999 900 = 285.74 ¢ per 100 $ ("2.86 $ per 100 $ paid").
    expect(a.classes[2]!.displayRate).toEqual({ per: 'hundredDollars', cents: 286 });
  });

  it('refunds nothing in a deficit or a nil year and says why; carried amounts are kept', () => {
    const members = [{ memberId: 'u1', memberClass: 'user' as const, patronageUnits: 5_000, carriedInCents: 2_400 }];
    for (const surplusCents of [-50_000, 0]) {
      const a = allocatePatronage({ surplusCents, plan: plan({ classWeightsBps: onlyClass('user') }), settings: { minimumApplies: true }, members });
      expect(a).toMatchObject({ status: 'no_surplus', reserveCents: 0, patronagePoolCents: 0 });
      expect(a.classes.every((c) => c.classPoolCents === 0 && c.rate === null)).toBe(true);
      expect(line(a, 'u1')).toMatchObject({ allocationCents: 0, paidCents: 0, carryForwardCents: 2_400 });
    }
  });

  it('sends the pool to the reserve when nobody weighted has patronage, or when it rounds to nothing', () => {
    const members = [{ memberId: 'w1', memberClass: 'worker' as const, patronageUnits: 600 }];
    // Only workers did anything, but the plan weighs only producers.
    const a = allocatePatronage({ surplusCents: 50_000, plan: plan(), settings: { minimumApplies: true }, members });
    expect(a).toMatchObject({ status: 'no_patronage', reserveCents: 50_000, patronagePoolCents: 0 });
    // 0.01 $ surplus, 10 % reserve: floor(0.9 ¢) = 0.
    expect(allocatePatronage({ surplusCents: 1, plan: plan({ classWeightsBps: onlyClass('worker') }), settings: { minimumApplies: true }, members })).toMatchObject({ status: 'no_pool', reserveCents: 1, patronagePoolCents: 0 });
    // A 100 % reserve.
    expect(allocatePatronage({ surplusCents: 9_999, plan: plan({ reserveBps: 10_000 }), settings: noMinimum, members }).status).toBe('no_pool');
  });

  it('gives supporting members nothing, but pays what they were owed from earlier years', () => {
    const a = allocatePatronage({
      surplusCents: 10_000, plan: plan({ classWeightsBps: onlyClass('user') }), settings: { minimumApplies: false, paymentThresholdCents: 1_000 },
      members: [
        { memberId: 's1', memberClass: 'supporting', patronageUnits: 0, carriedInCents: 1_500 },
        { memberId: 'u1', memberClass: 'user', patronageUnits: 10 },
      ],
    });
    expect(a.members.map((m) => [m.memberId, m.allocationCents, m.paidCents])).toEqual([['s1', 0, 1_500], ['u1', 10_000, 2_000]]);
  });

  it('raises the plan\'s cash percentage to the minimum cash setting', () => {
    const a = allocatePatronage({ surplusCents: 10_000, plan: plan({ cashBps: 500 }), settings: { minimumApplies: false, minimumCashBps: 3_000 }, members: [{ memberId: 'p', memberClass: 'producer', patronageUnits: 1 }] });
    expect(a.cashBps).toBe(3_000);
    expect(line(a, 'p')).toMatchObject({ cashPartCents: 3_000, retainedPartCents: 7_000 });
  });

  it('refuses a member listed twice and weights that do not add up to 100 %', () => {
    const m = { memberId: 'x', memberClass: 'user' as const, patronageUnits: 1 };
    expect(() => allocatePatronage({ surplusCents: 100, plan: plan(), settings: noMinimum, members: [m, { ...m, memberClass: 'worker' }] })).toThrow(/twice/);
    expect(() => allocatePatronage({ surplusCents: 100, plan: plan({ classWeightsBps: { producer: 5_000, worker: 0, user: 0 } }), settings: noMinimum, members: [m] })).toThrow(/10,000/);
    expect(() => allocatePatronage({ surplusCents: 100.5, plan: plan(), settings: noMinimum, members: [m] })).toThrow(RangeError);
  });
});

describe('patronage schemas', () => {
  it('fill in the defaults and reject what the allocation would refuse', () => {
    const parsed = AllocationInput.parse({ surplusCents: 100, plan: plan(), settings: { minimumApplies: true }, members: [{ memberId: 'a', memberClass: 'user', patronageUnits: 3 }] });
    expect(parsed.settings).toEqual({ legalMinimumReserveBps: 1_000, minimumApplies: true, minimumCashBps: 2_000, paymentThresholdCents: 2_500 });
    expect(parsed.members[0]).toMatchObject({ carriedInCents: 0, withholdingApplies: false, ytdPaidCents: 0, ytdWithheldCents: 0, settleCarryForward: false });
    const bad: AllocationInputLoose = { ...parsed, plan: plan({ classWeightsBps: { producer: 1, worker: 1, user: 1 } }), members: [parsed.members[0]!, parsed.members[0]!] };
    const issues = AllocationInput.safeParse(bad).error!.issues.map((i) => i.message);
    expect(issues).toEqual(expect.arrayContaining(['weights_not_100', 'duplicate_member']));
    expect(AllocationInput.safeParse({ ...parsed, plan: plan({ reserveBps: 12_000 }) }).success).toBe(false);
    expect(AllocationInput.safeParse({ ...parsed, members: [{ memberId: 'a', memberClass: 'user', patronageUnits: 1.5 }] }).success).toBe(false);
  });
});

describe('simulate', () => {
  it('allocates the same year under several plans side by side', () => {
    const rows = simulate(
      {
        surplusCents: 100_000, settings: { minimumApplies: true }, focusMemberIds: ['w1'],
        members: [
          { memberId: 'coop', memberClass: 'producer', patronageUnits: 1_000_000 },
          { memberId: 'w1', memberClass: 'worker', patronageUnits: 6_000 },
          { memberId: 'u1', memberClass: 'user', patronageUnits: 20_000 },
        ],
      },
      [
        { label: 'Workers first', plan: { reserveBps: 1_000, cashBps: 2_000, classWeightsBps: { producer: 2_000, worker: 6_000, user: 2_000 } } },
        { label: 'Co-ops first', plan: { reserveBps: 2_000, cashBps: 5_000, classWeightsBps: { producer: 6_000, worker: 2_000, user: 2_000 } } },
      ],
    );
    // Pool 900 $ then 800 $; the worker gets 60 % of 900 $ = 540 $, then 20 % of 800 $ = 160 $.
    expect(rows.map((r) => [r.label, r.reserveCents, r.patronagePoolCents, r.focus.map((m) => m.allocationCents)])).toEqual([
      ['Workers first', 10_000, 90_000, [54_000]],
      ['Co-ops first', 20_000, 80_000, [16_000]],
    ]);
    expect(rows[1]!.totals.cashPartCents).toBe(40_000);
    expect(rows[0]!.classes[1]!.displayRate).toEqual({ per: 'hour', cents: 54_000 / 100 });
  });
});
