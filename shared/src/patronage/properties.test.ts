/**
 * Properties of the allocation over random years: every split adds up exactly, every member is
 * within one cent of their exact share (checked in BigInt rationals, not doubles), the order of
 * the input does not matter and more patronage never means less.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocatePatronage } from './allocate.js';
import { compareIds } from './arithmetic.js';
import { benchYear } from './bench.js';
import { PATRONAGE_CLASSES, PatronageAllocation, type AllocationInputLoose, type MemberClass } from './schemas.js';

const memberArb = fc.record({
  memberClass: fc.constantFrom<MemberClass>('producer', 'worker', 'user', 'supporting'),
  // Small units make ties; large ones push pool × units past 2^53 into BigInt.
  patronageUnits: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1_000_000_000 })),
  carriedInCents: fc.oneof(fc.constant(0), fc.nat(5_000)),
  withholdingApplies: fc.boolean(),
  ytdPaidCents: fc.oneof(fc.constant(0), fc.nat(50_000)),
  ytdWithheldCents: fc.oneof(fc.constant(0), fc.nat(6_000)),
  settleCarryForward: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
});

const yearArb: fc.Arbitrary<AllocationInputLoose> = fc.record({
  surplusCents: fc.oneof(
    { arbitrary: fc.integer({ min: -1_000_000, max: 0 }), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 1_000_000 }), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 1_000_000_000_000 }), weight: 2 },
  ),
  plan: fc.record({
    reserveBps: fc.oneof(fc.constant(0), fc.nat(10_000)),
    cashBps: fc.nat(10_000),
    classWeightsBps: fc.oneof(
      fc.tuple(fc.nat(10_000), fc.nat(10_000)).map(([a, b]) => ({ producer: Math.min(a, b), worker: Math.max(a, b) - Math.min(a, b), user: 10_000 - Math.max(a, b) })),
      fc.constantFrom({ producer: 10_000, worker: 0, user: 0 }, { producer: 0, worker: 10_000, user: 0 }, { producer: 0, worker: 0, user: 10_000 }),
    ),
  }),
  settings: fc.record({
    legalMinimumReserveBps: fc.nat(10_000),
    minimumApplies: fc.boolean(),
    minimumCashBps: fc.nat(10_000),
    paymentThresholdCents: fc.nat(10_000),
  }),
  members: fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 40 })
    .chain((ids) => fc.tuple(...ids.map((memberId) => memberArb.map((m) => ({ ...m, memberId }))))),
}) as fc.Arbitrary<AllocationInputLoose>;

/** Years full of ties: a handful of equal patronage figures and small pools, so leftover cents are decided by the tie-breaks. */
const tiedYearArb: fc.Arbitrary<AllocationInputLoose> = fc.record({
  surplusCents: fc.integer({ min: 1, max: 2_000 }),
  plan: fc.constant({ reserveBps: 0, cashBps: 0, classWeightsBps: { producer: 3_000, worker: 3_000, user: 4_000 } }),
  settings: fc.constant({ minimumApplies: false }),
  members: fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 30 })
    .chain((ids) => fc.tuple(...ids.map((memberId) => fc.record({ memberId: fc.constant(memberId), memberClass: fc.constantFrom<MemberClass>('producer', 'worker', 'user'), patronageUnits: fc.integer({ min: 1, max: 3 }) })))),
});

const B = BigInt;
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/**
 * Every invariant of the allocation, exactly; returns the violations (checked without expect()
 * per line so that 100,000 members take a moment, not a minute).
 */
function violations(input: AllocationInputLoose, a: PatronageAllocation): string[] {
  const bad: string[] = [];
  const ok = (cond: boolean, what: string) => void (cond || bad.push(what));
  const byId = new Map(input.members.map((m) => [m.memberId, m]));
  ok(a.members.length === input.members.length && a.members.every((m, i) => m.memberId === input.members[i]!.memberId), 'one line per member, in order');
  if (input.surplusCents <= 0) {
    ok(a.status === 'no_surplus' && a.reserveCents === 0 && a.patronagePoolCents === 0, 'nothing in a deficit');
  } else {
    ok(a.reserveCents + sum(a.classes.map((c) => c.classPoolCents)) === input.surplusCents, 'reserve + Σ class pools = surplus');
    ok(B(a.reserveCents) * 10_000n >= B(input.surplusCents) * B(a.reserveBps), 'reserve ≥ its percentage');
  }
  ok(sum(a.classes.map((c) => c.classPoolCents)) === a.patronagePoolCents, 'Σ class pools = pool');
  const minimum = input.settings.minimumApplies ? input.settings.legalMinimumReserveBps ?? 1_000 : 0;
  ok(a.reserveBps === Math.max(input.plan.reserveBps, minimum), 'reserve % = max(plan, legal minimum)');

  // Class pools within one cent of pool × weight / Σ weights of the classes with patronage.
  const effective = a.classes.map((c) => (c.patronageUnits > 0 ? c.weightBps : 0));
  const W = B(sum(effective));
  a.classes.forEach((c, i) => {
    if (a.status !== 'allocated') return ok(c.classPoolCents === 0, 'no class pool without an allocation');
    const diff = B(c.classPoolCents) * W - B(a.patronagePoolCents) * B(effective[i]!);
    ok(diff < W && -diff < W, `class ${c.memberClass} within a cent of its weight`);
  });

  for (const c of a.classes) {
    const lines = a.members.filter((m) => m.memberClass === c.memberClass);
    ok(sum(lines.map((m) => m.patronageUnits)) === c.patronageUnits, 'class units');
    ok(sum(lines.map((m) => m.allocationCents)) === c.classPoolCents || (c.patronageUnits === 0 && c.classPoolCents === 0), 'Σ allocations = class pool');
    const U = B(c.patronageUnits);
    for (const m of lines) {
      // Within one cent of the exact share pool × units / Σ units: |alloc × U − pool × u| < U.
      const diff = B(m.allocationCents) * U - B(c.classPoolCents) * B(m.patronageUnits);
      ok(U === 0n ? m.allocationCents === 0 : diff < U && -diff < U, `${m.memberId} within a cent of the exact share`);
    }
  }

  for (const m of a.members) {
    const given = byId.get(m.memberId)!;
    const owed = m.cashPartCents + (given.carriedInCents ?? 0);
    ok(m.memberClass !== 'supporting' || m.allocationCents === 0, 'supporting members get nothing');
    ok(m.cashPartCents + m.retainedPartCents === m.allocationCents, 'cash + retained = allocation');
    // cash = ceil(allocation × cash %): at least the percentage, less than a cent above it.
    const exactCash = B(m.allocationCents) * B(a.cashBps);
    ok(B(m.cashPartCents) * 10_000n >= exactCash && B(m.cashPartCents - 1) * 10_000n < exactCash, 'cash = ceil(allocation × cash %)');
    ok(m.paidCents + m.carryForwardCents === owed, 'paid + carried forward = cash + carried in');
    ok(m.paidCents === 0 || m.paidCents === owed, 'all or nothing is paid');
    ok(m.paidCents === 0 || given.settleCarryForward === true || m.paidCents >= a.paymentThresholdCents, 'nothing paid below the threshold');
    ok(m.withholdingCents >= 0 && m.withholdingCents <= m.paidCents, '0 ≤ withholding ≤ paid');
    ok(given.withholdingApplies === true || m.withholdingCents === 0, 'withholding only where it applies');
    ok(m.netPaidCents === m.paidCents - m.withholdingCents, 'net = paid − withholding');
  }
  ok(a.totals.allocationCents === a.patronagePoolCents, 'Σ allocations = pool');
  ok(a.totals.paidCents + a.totals.carryForwardCents === a.totals.cashPartCents + a.totals.carriedInCents, 'totals: paid + carried = cash + carried in');
  return bad;
}

describe('patronage allocation properties', () => {
  it('preserves every sum exactly and keeps every member within one cent of their exact share', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: yearArb, weight: 3 }, { arbitrary: tiedYearArb, weight: 1 }), (input) => {
        const a = allocatePatronage(input);
        expect(violations(input, a)).toEqual([]);
        expect(PatronageAllocation.safeParse(a).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order members are listed in', () => {
    fc.assert(
      fc.property(
        fc.oneof(yearArb, tiedYearArb).chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray(input.members, { minLength: input.members.length }))),
        ([input, shuffled]) => {
          // Lines follow the input order; everything else, and each member's line, is the same.
          const byId = (a: PatronageAllocation) => ({ ...a, members: [...a.members].sort((x, y) => compareIds(x.memberId, y.memberId)) });
          expect(byId(allocatePatronage({ ...input, members: shuffled }))).toEqual(byId(allocatePatronage(input)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never gives a member with more patronage a smaller allocation than one in the same class with less', () => {
    // Within one allocation. (Across two runs, adding to one member's units can cost them the
    // leftover cent: still within one cent of their exact share, which only grows.)
    fc.assert(
      fc.property(fc.oneof(yearArb, tiedYearArb), (input) => {
        const a = allocatePatronage(input);
        for (const c of PATRONAGE_CLASSES) {
          const lines = a.members.filter((m) => m.memberClass === c).sort((x, y) => x.patronageUnits - y.patronageUnits);
          for (let i = 1; i < lines.length; i++) {
            if (lines[i]!.patronageUnits > lines[i - 1]!.patronageUnits) expect(lines[i]!.allocationCents).toBeGreaterThanOrEqual(lines[i - 1]!.allocationCents);
            else expect(Math.abs(lines[i]!.allocationCents - lines[i - 1]!.allocationCents)).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('holds for a year of 100,000 members', () => {
    const input = benchYear(100_000);
    const a = allocatePatronage(input);
    expect(a.status).toBe('allocated');
    expect(violations(input, a)).toEqual([]);
  });
});
