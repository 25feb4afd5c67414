/**
 * The contract of the patronage allocation (ristournes): what a steward's surplus plan and the
 * year's patronage records give it, and what it gives back to statements and the ledger.
 * Money is integer cents; rates are basis points (1 000 = 10 %), so no percentage is a float.
 */
import { z } from 'zod';

/** Who can be a member. Supporting members (membres de soutien) take no part in the refund. */
export const MEMBER_CLASSES = ['producer', 'worker', 'user', 'supporting'] as const;
/** The classes that share the patronage pool, in the order ties between them are broken. */
export const PATRONAGE_CLASSES = ['producer', 'worker', 'user'] as const;
export const MemberClass = z.enum(MEMBER_CLASSES);
export type MemberClass = z.infer<typeof MemberClass>;
export const PatronageClass = z.enum(PATRONAGE_CLASSES);
export type PatronageClass = z.infer<typeof PatronageClass>;

const cents = z.int().nonnegative();
const bps = z.int().min(0, { error: 'percent_too_low' }).max(10_000, { error: 'percent_too_high' });

export const ClassWeights = z
  .object({ producer: bps, worker: bps, user: bps })
  .refine((w) => w.producer + w.worker + w.user === 10_000, { error: 'weights_not_100' });
export type ClassWeights = z.infer<typeof ClassWeights>;

/** What the assembly adopts (the stewards draft it). */
export const PatronagePlan = z.object({
  /** Share of the surplus kept in the general reserve; raised to the legal minimum when it applies. */
  reserveBps: bps,
  /** Share of each member's allocation paid in cash; raised to the minimum cash setting. */
  cashBps: bps,
  classWeightsBps: ClassWeights,
});
export type PatronagePlan = z.infer<typeof PatronagePlan>;

/** The platform co-op's settings, and whether the legal minimum reserve applies this year. */
export const PatronageSettings = z.object({
  /** Legal minimum reserve (Québec Cooperatives Act s.146): 10 % by default. */
  legalMinimumReserveBps: bps.default(1_000),
  /** True while the co-op's equity is below 40 % of its debts (decided from the balance sheet). */
  minimumApplies: z.boolean(),
  minimumCashBps: bps.default(2_000),
  /** Cash below this (with what was carried in) is carried forward to next year, never forfeited. */
  paymentThresholdCents: cents.default(2_500),
});
export type PatronageSettings = z.infer<typeof PatronageSettings>;
export type PatronageSettingsInput = z.input<typeof PatronageSettings>;

/**
 * One member's patronage for the year, counted only while they were a member (a member who left
 * in June simply has fewer units). Units: producers — cents of completed bookings; workers —
 * minutes delivered; users — cents paid. A member belongs to one class (solidarity co-op rule).
 */
export const PatronageMember = z.object({
  memberId: z.string().min(1),
  memberClass: MemberClass,
  patronageUnits: z.int().nonnegative(),
  /** Cash carried forward from earlier years because it was below the threshold. */
  carriedInCents: cents.default(0),
  /** ITA s.135(3): individuals resident in Canada whose refunds are not business income. */
  withholdingApplies: z.boolean().default(false),
  /** Patronage payments to this member earlier in the calendar year, and what was withheld on them. */
  ytdPaidCents: cents.default(0),
  ytdWithheldCents: cents.default(0),
  /** Pay any carry-forward now even below the threshold (a member who has left: no next year). */
  settleCarryForward: z.boolean().default(false),
});
export type PatronageMember = z.infer<typeof PatronageMember>;
export type PatronageMemberInput = z.input<typeof PatronageMember>;

const Members = z.array(PatronageMember).superRefine((members, ctx) => {
  const seen = new Set<string>();
  const units = new Map<string, number>();
  members.forEach((m, i) => {
    if (seen.has(m.memberId)) ctx.addIssue({ code: 'custom', path: [i, 'memberId'], message: 'duplicate_member' });
    seen.add(m.memberId);
    units.set(m.memberClass, (units.get(m.memberClass) ?? 0) + m.patronageUnits);
  });
  for (const [memberClass, total] of units) {
    if (!Number.isSafeInteger(total)) ctx.addIssue({ code: 'custom', path: [], message: 'too_many_units' });
  }
});

export const AllocationInput = z.object({
  /** Revenue − expenses of the fiscal year, from the ledger; may be negative. */
  surplusCents: z.int(),
  plan: PatronagePlan,
  settings: PatronageSettings,
  members: Members,
});
export type AllocationInput = z.infer<typeof AllocationInput>;
/** What callers may pass: defaults (0 carried in, no withholding, default settings) filled in. */
export type AllocationInputLoose = z.input<typeof AllocationInput>;

/** allocated, or why nothing was: a deficit or nil surplus, a pool rounded to 0, nobody with patronage. */
export const AllocationStatus = z.enum(['allocated', 'no_surplus', 'no_pool', 'no_patronage']);
export type AllocationStatus = z.infer<typeof AllocationStatus>;

/** An exact rate: numerator / denominator cents per unit, reduced (both ≤ 2^53, so plain integers). */
export const Rational = z.object({ numerator: cents, denominator: z.int().positive() });
export type Rational = z.infer<typeof Rational>;

/** A rate for statements: "1.23 $ per hour delivered", "2.47 $ per 100 $ paid" (half up to the cent). */
export const DisplayRate = z.object({ per: z.enum(['hour', 'hundredDollars']), cents });
export type DisplayRate = z.infer<typeof DisplayRate>;

export const ClassAllocation = z.object({
  memberClass: PatronageClass,
  weightBps: bps,
  /** Why the class got nothing although the plan gave it a weight (its share went to the others). */
  excludedBecause: z.enum(['no_patronage']).nullable(),
  memberCount: z.int().nonnegative(),
  patronageUnits: z.int().nonnegative(),
  classPoolCents: cents,
  rate: Rational.nullable(),
  displayRate: DisplayRate.nullable(),
});
export type ClassAllocation = z.infer<typeof ClassAllocation>;

export const MemberAllocation = z.object({
  memberId: z.string(),
  memberClass: MemberClass,
  patronageUnits: z.int().nonnegative(),
  allocationCents: cents,
  cashPartCents: cents,
  /** Credited to the member's capital account. */
  retainedPartCents: cents,
  carriedInCents: cents,
  /** cash + carried in, when it reaches the threshold; otherwise 0 and all of it carried forward. */
  paidCents: cents,
  carryForwardCents: cents,
  withholdingCents: cents,
  netPaidCents: cents,
});
export type MemberAllocation = z.infer<typeof MemberAllocation>;

export const AllocationTotals = z.object({
  allocationCents: cents,
  cashPartCents: cents,
  retainedPartCents: cents,
  carriedInCents: cents,
  paidCents: cents,
  carryForwardCents: cents,
  withholdingCents: cents,
  netPaidCents: cents,
});
export type AllocationTotals = z.infer<typeof AllocationTotals>;

export const PatronageAllocation = z.object({
  status: AllocationStatus,
  surplusCents: z.int(),
  /** Effective rates: the plan's, raised to the legal / settings minimums. */
  reserveBps: bps,
  cashBps: bps,
  reserveCents: cents,
  patronagePoolCents: cents,
  paymentThresholdCents: cents,
  classes: z.array(ClassAllocation),
  /** One line per member, in the order the members were given. */
  members: z.array(MemberAllocation),
  totals: AllocationTotals,
});
export type PatronageAllocation = z.infer<typeof PatronageAllocation>;

export const PlanVariation = z.object({ label: z.string().min(1).max(80), plan: PatronagePlan });
export type PlanVariation = z.infer<typeof PlanVariation>;

export const SimulationInput = AllocationInput.omit({ plan: true }).extend({
  plans: z.array(PlanVariation).min(1).max(10),
  /** Members whose lines to show under each plan ("what would I get?"). */
  focusMemberIds: z.array(z.string()).max(50).default([]),
});
export type SimulationInput = z.infer<typeof SimulationInput>;

export const SimulationRow = z.object({
  label: z.string(),
  plan: PatronagePlan,
  status: AllocationStatus,
  reserveBps: bps,
  cashBps: bps,
  reserveCents: cents,
  patronagePoolCents: cents,
  classes: z.array(ClassAllocation),
  totals: AllocationTotals,
  focus: z.array(MemberAllocation),
});
export type SimulationRow = z.infer<typeof SimulationRow>;
