/**
 * The patronage refund (ristourne) of a fiscal year, following the Québec Cooperatives Act
 * (s.143, s.146), the Income Tax Act s.135 and Subchapter T practice:
 *   surplus → reserve first → patronage pool → class pools by the plan's weights
 *   → each member's allocation at one rate per unit of patronage in their class
 *   → cash part / retained part → paid or carried forward → withholding.
 * Pure: the ledger, the plan and the patronage records come in, numbers go out; every step is
 * integer cents and every split adds up exactly:
 *   reserve + Σ class pools = surplus (when there is one; otherwise everything is 0)
 *   Σ allocations in a class = class pool;  cash + retained = allocation;
 *   paid + carry-forward = cash + carried in;  withholding ≤ paid.
 */
import { compareIds, gcd, largestRemainder, mulDivFloor, mulDivMod } from './arithmetic.js';
import { memberPayout } from './payout.js';
import {
  PATRONAGE_CLASSES,
  type AllocationInputLoose,
  type AllocationStatus,
  type AllocationTotals,
  type ClassAllocation,
  type DisplayRate,
  type MemberAllocation,
  type MemberClass,
  type PatronageAllocation,
  type PatronageClass,
  type PatronageMemberInput,
  type PatronagePlan,
  type PatronageSettings,
  type PatronageSettingsInput,
  type Rational,
} from './schemas.js';

export const DEFAULT_PATRONAGE_SETTINGS = { legalMinimumReserveBps: 1_000, minimumCashBps: 2_000, paymentThresholdCents: 2_500 } as const;

/** How a class's rate reads on a statement: workers per hour (units are minutes), others per 100 $ (units are cents). */
const DISPLAY: Record<PatronageClass, { per: DisplayRate['per']; unitsPer: number }> = {
  producer: { per: 'hundredDollars', unitsPer: 10_000 },
  worker: { per: 'hour', unitsPer: 60 },
  user: { per: 'hundredDollars', unitsPer: 10_000 },
};

export function resolveSettings(settings: PatronageSettingsInput): PatronageSettings {
  return { ...DEFAULT_PATRONAGE_SETTINGS, ...stripUndefined(settings) } as PatronageSettings;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The plan's reserve, raised to the legal minimum while it applies (equity < 40 % of debts). */
export function effectiveReserveBps(plan: Pick<PatronagePlan, 'reserveBps'>, settings: PatronageSettings): number {
  return Math.max(plan.reserveBps, settings.minimumApplies ? settings.legalMinimumReserveBps : 0);
}

/**
 * Reserve and patronage pool. The pool is floor(surplus × (100 % − reserve %)); the reserve is
 * the rest, i.e. the reserve % rounded UP. Our choice, because the reserve percentage is a legal
 * minimum: rounding must never take the reserve below it. What the members give up is under one
 * cent for the whole co-op, and it stays in the reserve — the members' collective property.
 */
export function reserveAndPool(surplusCents: number, reserveBps: number): { reserveCents: number; patronagePoolCents: number } {
  if (surplusCents <= 0) return { reserveCents: 0, patronagePoolCents: 0 };
  const patronagePoolCents = mulDivFloor(surplusCents, 10_000 - reserveBps, 10_000);
  return { reserveCents: surplusCents - patronagePoolCents, patronagePoolCents };
}

/**
 * Class pools by the plan's weights, largest remainder (ties: larger weight, then the order
 * producer, worker, user — splitByWeights' rule). A class whose members have no patronage at all
 * gets nothing and its weight drops out, so its share goes to the other classes in proportion
 * to their weights: the pool is split once over the remaining weights, which is the same thing
 * and rounds only once. If no weighted class has patronage, the pool is not allocated (the
 * caller sends it to the reserve).
 */
export function classPools(patronagePoolCents: number, weights: Record<PatronageClass, number>, unitsByClass: Record<PatronageClass, number>): Record<PatronageClass, number> {
  const effective = PATRONAGE_CLASSES.map((c) => (unitsByClass[c] > 0 ? weights[c] : 0));
  const parts = largestRemainder(patronagePoolCents, effective, (a, b) => a - b);
  return { producer: parts[0]!, worker: parts[1]!, user: parts[2]! };
}

function classRate(memberClass: PatronageClass, classPoolCents: number, units: number): { rate: Rational | null; displayRate: DisplayRate | null } {
  if (units === 0) return { rate: null, displayRate: null };
  const g = gcd(classPoolCents, units) || 1;
  const rate = { numerator: classPoolCents / g, denominator: units / g };
  const { per, unitsPer } = DISPLAY[memberClass];
  // A display figure too large for a safe integer (an absurdly small class) is left out rather than rounded.
  const [q, r] = safeMulDivMod(classPoolCents, unitsPer, units);
  return { rate, displayRate: q === null ? null : { per, cents: 2 * r >= units ? q + 1 : q } };
}

function safeMulDivMod(a: number, b: number, c: number): [number, number] | [null, 0] {
  try {
    return mulDivMod(a, b, c);
  } catch {
    return [null, 0];
  }
}

function checkInput(input: AllocationInputLoose): void {
  if (!Number.isSafeInteger(input.surplusCents)) throw new RangeError('surplusCents must be integer cents');
  const w = input.plan.classWeightsBps;
  if (w.producer + w.worker + w.user !== 10_000) throw new RangeError('class weights must add up to 10,000 basis points');
}

/** Indexes of the members of each class, refusing a member listed twice. */
function membersByClass(members: readonly PatronageMemberInput[]): Record<MemberClass, number[]> {
  const byClass: Record<MemberClass, number[]> = { producer: [], worker: [], user: [], supporting: [] };
  const seen = new Set<string>();
  members.forEach((m, i) => {
    if (seen.has(m.memberId)) throw new RangeError(`member ${m.memberId} appears twice`);
    seen.add(m.memberId);
    byClass[m.memberClass].push(i);
  });
  return byClass;
}

/**
 * Allocates the year's surplus. members[i] of the result is the line of input.members[i]. The
 * order of the input changes nothing else: every tie is broken on the data (patronage, then
 * memberId), never on position. (Sorting 100,000 ids to give the output a canonical order
 * would cost more than the whole allocation; callers that want one sort what they store.)
 * Accepts the zod input shape (defaults optional); validate with AllocationInput at the API edge.
 */
export function allocatePatronage(input: AllocationInputLoose): PatronageAllocation {
  checkInput(input);
  const settings = resolveSettings(input.settings);
  const { plan, surplusCents, members } = input;
  const reserveBps = effectiveReserveBps(plan, settings);
  const cashBps = Math.max(plan.cashBps, settings.minimumCashBps);

  const byClass = membersByClass(members);
  const unitsByClass = {} as Record<PatronageClass, number>;
  for (const c of PATRONAGE_CLASSES) unitsByClass[c] = byClass[c].reduce((s, i) => s + members[i]!.patronageUnits, 0);

  let { reserveCents, patronagePoolCents } = reserveAndPool(surplusCents, reserveBps);
  let pools = classPools(patronagePoolCents, plan.classWeightsBps, unitsByClass);
  let status: AllocationStatus = 'allocated';
  if (surplusCents <= 0) status = 'no_surplus';
  else if (patronagePoolCents === 0) status = 'no_pool';
  else if (pools.producer + pools.worker + pools.user === 0) {
    // Nobody the plan weighs did business through the platform: the pool goes to the reserve.
    status = 'no_patronage';
    reserveCents = surplusCents;
    patronagePoolCents = 0;
  }
  if (status !== 'allocated') pools = { producer: 0, worker: 0, user: 0 };

  const payRun = status === 'allocated';
  const lines = new Array<MemberAllocation>(members.length);
  const classes: ClassAllocation[] = PATRONAGE_CLASSES.map((c) => {
    const idx = byClass[c];
    const byMemberId = (a: number, b: number) => compareIds(members[idx[a]!]!.memberId, members[idx[b]!]!.memberId);
    const shares = largestRemainder(pools[c], idx.map((i) => members[i]!.patronageUnits), byMemberId);
    idx.forEach((i, k) => (lines[i] = memberPayout(members[i]!, shares[k]!, cashBps, settings.paymentThresholdCents, payRun)));
    const units = unitsByClass[c];
    return {
      memberClass: c,
      weightBps: plan.classWeightsBps[c],
      excludedBecause: payRun && units === 0 && plan.classWeightsBps[c] > 0 ? ('no_patronage' as const) : null,
      memberCount: idx.length,
      patronageUnits: units,
      classPoolCents: pools[c],
      ...(payRun ? classRate(c, pools[c], units) : { rate: null, displayRate: null }),
    };
  });
  for (const i of byClass.supporting) lines[i] = memberPayout(members[i]!, 0, cashBps, settings.paymentThresholdCents, payRun);

  return {
    status,
    surplusCents,
    reserveBps,
    cashBps,
    reserveCents,
    patronagePoolCents,
    paymentThresholdCents: settings.paymentThresholdCents,
    classes,
    members: lines,
    totals: totalsOf(lines),
  };
}

export function totalsOf(lines: readonly MemberAllocation[]): AllocationTotals {
  const t: AllocationTotals = { allocationCents: 0, cashPartCents: 0, retainedPartCents: 0, carriedInCents: 0, paidCents: 0, carryForwardCents: 0, withholdingCents: 0, netPaidCents: 0 };
  for (const l of lines) {
    t.allocationCents += l.allocationCents;
    t.cashPartCents += l.cashPartCents;
    t.retainedPartCents += l.retainedPartCents;
    t.carriedInCents += l.carriedInCents;
    t.paidCents += l.paidCents;
    t.carryForwardCents += l.carryForwardCents;
    t.withholdingCents += l.withholdingCents;
    t.netPaidCents += l.netPaidCents;
  }
  return t;
}
