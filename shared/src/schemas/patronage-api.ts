/**
 * The API contract of membership, fiscal years, surplus plans, the assembly, patronage statements
 * and the public transparency page. The allocation itself is in ../patronage (pure code).
 */
import { z } from 'zod';
import { AllocationStatus, AllocationTotals, ClassAllocation, ClassWeights, MemberClass, PatronageClass } from '../patronage/schemas.js';
import { Id, Timestamp, isoDate, text } from './common.js';

const cents = z.int().nonnegative();
const bps = z.int().min(0, { error: 'percent_too_low' }).max(10_000, { error: 'percent_too_high' });
export const CalendarDate = isoDate('choose_date');
export const YearIdParams = z.object({ id: z.coerce.number({ error: 'invalid_number' }).int().positive() });

// ── Settings adopted by the assembly ────────────────────────────────────────────────────────
export const CoopSettings = z.object({
  /** The qualifying share each class pays to join (cents). */
  qualifyingShareCents: z.object({ producer: cents, worker: cents, user: cents, supporting: cents }),
  /** Month and day the fiscal year starts, "MM-DD". */
  fiscalYearStart: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'month_day_format' }),
  legalMinimumReserveBps: bps,
  /** Whether the legal minimum reserve applies (equity below 40 % of debts), as the board found. */
  legalMinimumReserveApplies: z.boolean(),
  minimumCashBps: bps,
  paymentThresholdCents: cents,
  /** Classes whose refunds are taxed at source (ITA s.135(3)); user members buy consumer services. */
  withholdingClasses: z.array(PatronageClass),
  quorumBps: bps,
  votingDays: z.int().min(1).max(90),
});
export type CoopSettings = z.infer<typeof CoopSettings>;
/**
 * A vote needs at least 1 % of the members: a quorum of 0 would let a vote nobody cast decide. Set
 * here rather than on CoopSettings so that settings stored before this rule can still be read.
 * Whether the legal minimum reserve is above 0 % when it applies depends on the stored settings
 * too (a change may send one of the two), so the server checks it.
 */
export const QUORUM_MIN_BPS = 100;
export const UpdateCoopSettingsBody = CoopSettings.extend({
  quorumBps: z.int().min(QUORUM_MIN_BPS, { error: 'percent_too_low' }).max(10_000, { error: 'percent_too_high' }),
}).partial();

// ── Membership ──────────────────────────────────────────────────────────────────────────────
/** How a qualifying share was paid: through Stripe Checkout, or by other means a steward records. */
export const SHARE_PAYMENT_METHODS = ['stripe', 'cheque', 'cash', 'transfer'] as const;
export type SharePaymentMethod = (typeof SHARE_PAYMENT_METHODS)[number];
export const PaidBy = z.enum(SHARE_PAYMENT_METHODS).exclude(['stripe']);
export const CreateMembershipBody = z
  .object({ class: MemberClass, userId: Id.optional(), coopId: Id.optional(), paidBy: PaidBy, startedOn: CalendarDate })
  .superRefine((b, ctx) => {
    if (b.class === 'producer' && !b.coopId) ctx.addIssue({ code: 'custom', path: ['coopId'], message: 'producer_is_coop' });
    if (b.class !== 'producer' && !b.userId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'choose_person' });
    if (b.userId && b.coopId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'person_or_coop' });
  });
export type CreateMembershipBody = z.infer<typeof CreateMembershipBody>;
export const EndMembershipBody = z.object({ endedOn: CalendarDate });

export const CapitalMovement = z.object({ occurredAt: Timestamp, kind: z.string(), memo: z.string(), amountCents: z.int() });
export const Membership = z.object({
  id: Id,
  memberClass: MemberClass,
  holder: z.object({ kind: z.enum(['person', 'coop']), id: Id, name: z.string() }),
  shareCents: cents,
  paidBy: z.string(),
  startedOn: CalendarDate,
  endedOn: CalendarDate.nullable(),
  open: z.boolean(),
  /** Qualifying share plus retained patronage, from the ledger. */
  capitalCents: z.int(),
  /** Patronage refunds owed and not paid yet (carried forward below the threshold). */
  patronagePayableCents: z.int(),
});
export type Membership = z.infer<typeof Membership>;
export const MemberRegister = z.object({
  members: z.array(Membership),
  counts: z.object({ producer: z.int(), worker: z.int(), user: z.int(), supporting: z.int(), open: z.int() }),
});
export const MyMembership = Membership.extend({ history: z.array(CapitalMovement) });
export const MyMemberships = z.object({
  memberships: z.array(MyMembership),
  /** What joining costs in each class (the qualifying share, in cents), shown before paying. */
  qualifyingShareCents: z.object({ producer: cents, worker: cents, user: cents, supporting: cents }),
});
/** Joining online: the signed-in person for themselves, or for a co-op they administer (producer). */
export const MembershipCheckoutBody = z
  .object({ class: MemberClass, coopId: Id.optional() })
  .superRefine((b, ctx) => {
    if (b.class === 'producer' && !b.coopId) ctx.addIssue({ code: 'custom', path: ['coopId'], message: 'producer_is_coop' });
    if (b.class !== 'producer' && b.coopId) ctx.addIssue({ code: 'custom', path: ['coopId'], message: 'coop_only_producer' });
  });
/**
 * A request to join by paying the share through Stripe. `unapplied`: paid, but the holder had become
 * a member meanwhile or was no longer eligible for the class; the money awaits a refund.
 */
export const SHARE_APPLICATION_STATUSES = ['open', 'paid', 'expired', 'unapplied'] as const;
export const MembershipCheckoutResult = z.object({ url: z.url(), memberClass: MemberClass, shareCents: cents });

// ── Fiscal years ────────────────────────────────────────────────────────────────────────────
export const FISCAL_STATUSES = ['open', 'closing', 'closed'] as const;
export const FiscalStatus = z.enum(FISCAL_STATUSES);
export const FISCAL_RECORD_KINDS = ['expense', 'income'] as const;
export const FiscalRecordKind = z.enum(FISCAL_RECORD_KINDS);
export type FiscalRecordKind = z.infer<typeof FiscalRecordKind>;
export const YearFigures = z.object({
  feeRevenueCents: z.int(),
  otherIncomeCents: z.int(),
  revenueCents: z.int(),
  processorFeesCents: z.int(),
  platformExpensesCents: z.int(),
  expensesCents: z.int(),
  surplusCents: z.int(),
});
export type YearFigures = z.infer<typeof YearFigures>;
export const FiscalYear = z.object({
  id: z.int(),
  label: z.string(),
  startsOn: CalendarDate,
  endsOn: CalendarDate,
  status: FiscalStatus,
  closedAt: Timestamp.nullable(),
  figures: YearFigures,
  /** Refunds of this year must be paid by then (ITA s.135(1): within 12 months after the year). */
  paymentDeadline: CalendarDate,
  measures: z.object({ members: z.int(), byClass: z.record(z.string(), z.object({ members: z.int(), units: z.int() })) }).nullable(),
  plans: z.array(z.object({ id: Id, status: z.string(), createdAt: Timestamp })),
});
export type FiscalYear = z.infer<typeof FiscalYear>;
export const FiscalYearList = z.object({ years: z.array(FiscalYear) });
export const CreateFiscalYearBody = z.object({
  startsOn: CalendarDate.optional(),
  /** The steward read the warning: this year's refunds are already past their payment deadline, create it anyway. */
  confirmPastDeadline: z.boolean().optional(),
}).default({});
export const FiscalRecordBody = z.object({
  kind: FiscalRecordKind,
  occurredOn: CalendarDate,
  category: text(2, 80),
  // The column is a 32-bit integer: 20 M$ is far above any one record of the platform co-op.
  amountCents: z.int().min(1, { error: 'amount_too_small' }).max(2_000_000_000, { error: 'amount_too_large' }),
  note: text(0, 1000).default(''),
});
export type FiscalRecordBody = z.infer<typeof FiscalRecordBody>;
export const FiscalRecord = z.object({ id: Id, kind: FiscalRecordKind, occurredOn: CalendarDate, category: z.string(), amountCents: z.int(), note: z.string(), createdAt: Timestamp });
export const FiscalRecordList = z.object({ records: z.array(FiscalRecord) });
export const FiscalRecordsQuery = z.object({ yearId: z.coerce.number().int().positive().optional() });

// ── Surplus plans ───────────────────────────────────────────────────────────────────────────
export const PlanParams = z.object({ reserveBps: bps, weights: ClassWeights, cashBps: bps, thresholdCents: cents.max(1_000_000) });
export type PlanParams = z.infer<typeof PlanParams>;
export const PlanBody = PlanParams;
export const UpdatePlanBody = PlanParams.partial();
export const PlanVariationBody = PlanParams.partial().extend({ label: text(1, 80).optional() });
export const SimulateBody = z.object({ variations: z.array(PlanVariationBody).min(1).max(8) });

/** A plan's allocation as members see it: the pool, the reserve, each class, the totals. */
export const PlanFigures = z.object({
  allocationStatus: AllocationStatus,
  reserveBps: bps,
  cashBps: bps,
  reserveCents: cents,
  patronagePoolCents: cents,
  thresholdCents: cents,
  classes: z.array(ClassAllocation),
  totals: AllocationTotals,
  membersPaid: z.int(),
  membersCarriedForward: z.int(),
});
export type PlanFigures = z.infer<typeof PlanFigures>;

/**
 * What a plan freezes when it is proposed (surplus_plans.result): the year's figures, the settings
 * applied and the allocation, as members saw them; later changes to the books or settings do not move them.
 */
export const FrozenPlanResult = z.object({
  figures: YearFigures,
  settings: z.object({ legalMinimumReserveBps: bps, legalMinimumReserveApplies: z.boolean(), minimumCashBps: bps }),
  allocation: PlanFigures,
});
export type FrozenPlanResult = z.infer<typeof FrozenPlanResult>;
export const SimulationColumn = PlanFigures.extend({ label: z.string(), params: PlanParams });
export const SimulationResult = z.object({ surplusCents: z.int(), columns: z.array(SimulationColumn) });

export const ProposeBody = z.object({ opensAt: Timestamp.optional(), closesAt: Timestamp.optional(), title: text(3, 200).optional(), body: text(0, 5000).optional() }).default({});
export const PLAN_STATUSES = ['draft', 'proposed', 'approved', 'paid'] as const;
export const PlanStatus = z.enum(PLAN_STATUSES);
export const PlanView = z.object({
  id: Id,
  fiscalYear: z.object({ id: z.int(), label: z.string(), startsOn: CalendarDate, endsOn: CalendarDate }),
  status: PlanStatus,
  params: PlanParams,
  figures: YearFigures,
  /** The frozen allocation (proposed and after); a draft shows the current simulation. */
  allocation: PlanFigures,
  proposal: z.object({ id: Id, status: z.string(), opensAt: Timestamp, closesAt: Timestamp }).nullable(),
  paymentDeadline: CalendarDate,
  proposedAt: Timestamp.nullable(),
  approvedAt: Timestamp.nullable(),
  paidAt: Timestamp.nullable(),
});
export type PlanView = z.infer<typeof PlanView>;
export const PlanPayment = z.object({
  plan: PlanView,
  transfers: z.int(),
  recordedAsPaid: z.int(),
  netPaidCents: z.int(),
  withholdingCents: z.int(),
  retainedCents: z.int(),
  carriedForwardCents: z.int(),
});

// ── Assembly ────────────────────────────────────────────────────────────────────────────────
export const PROPOSAL_KINDS = ['surplus_plan', 'fee_rate', 'bylaw', 'resolution'] as const;
export const ProposalKind = z.enum(PROPOSAL_KINDS);
export const PROPOSAL_STATUSES = ['open', 'adopted', 'rejected', 'no_quorum'] as const;
export const ProposalStatus = z.enum(PROPOSAL_STATUSES);
export const CreateProposalBody = z
  .object({
    kind: ProposalKind.exclude(['surplus_plan']),
    title: text(3, 200),
    body: text(1, 20_000),
    feeRateBps: z.int().min(0).max(3000, { error: 'percent_too_high' }).optional(),
    feeEffectiveFrom: Timestamp.optional(),
    opensAt: Timestamp,
    closesAt: Timestamp,
  })
  .superRefine((b, ctx) => {
    if (Date.parse(b.closesAt) <= Date.parse(b.opensAt)) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'close_before_open' });
    if (b.kind === 'fee_rate') {
      if (b.feeRateBps === undefined) ctx.addIssue({ code: 'custom', path: ['feeRateBps'], message: 'required' });
      if (!b.feeEffectiveFrom) ctx.addIssue({ code: 'custom', path: ['feeEffectiveFrom'], message: 'choose_date' });
      else if (Date.parse(b.feeEffectiveFrom) < Date.parse(b.closesAt)) ctx.addIssue({ code: 'custom', path: ['feeEffectiveFrom'], message: 'rate_before_vote_end' });
    }
  });
export type CreateProposalBody = z.infer<typeof CreateProposalBody>;
export const VOTE_CHOICES = ['yes', 'no', 'abstain'] as const;
export const VoteChoice = z.enum(VOTE_CHOICES);
export type VoteChoice = z.infer<typeof VoteChoice>;
export const VoteBody = z.object({ choice: VoteChoice, membershipId: Id.optional() });
export const ProposalResults = z.object({
  eligible: z.int(),
  cast: z.int(),
  yes: z.int(),
  no: z.int(),
  abstain: z.int(),
  quorumReached: z.boolean(),
});
export const Proposal = z.object({
  id: Id,
  kind: ProposalKind,
  title: z.string(),
  body: z.string(),
  planId: Id.nullable(),
  feeRateBps: z.int().nullable(),
  feeEffectiveFrom: Timestamp.nullable(),
  opensAt: Timestamp,
  closesAt: Timestamp,
  quorumBps: z.int(),
  status: ProposalStatus,
  decidedAt: Timestamp.nullable(),
  /** Ballots cast so far; the tally is published when the vote closes. */
  votesCast: z.int(),
  results: ProposalResults.nullable(),
  /** The signed-in person's memberships that may still vote on it, and their ballots. */
  canVoteAs: z.array(z.object({ membershipId: Id, holderName: z.string() })),
  myVotes: z.array(z.object({ membershipId: Id, choice: VoteChoice })),
});
export type Proposal = z.infer<typeof Proposal>;
export const ProposalList = z.object({ open: z.array(Proposal), past: z.array(Proposal) });
export const VoteReceipt = z.object({ proposalId: Id, membershipId: Id, choice: VoteChoice, castAt: Timestamp });

// ── Statements ──────────────────────────────────────────────────────────────────────────────
/** The CSV's language: its headers, words and number format (fr: ";" and a decimal comma; en: "," and a point). */
const CsvLang = z.enum(['fr', 'en']).optional();
export const StatementsQuery = z.object({ year: z.coerce.number().int().min(2000).max(2200).optional(), membershipId: Id.optional(), lang: CsvLang });
export const StewardStatementsQuery = z.object({ planId: Id, lang: CsvLang });
export const Explanation = z.object({ key: z.string(), values: z.record(z.string(), z.union([z.string(), z.number()])) });
export const Statement = z.object({
  planId: Id,
  planStatus: PlanStatus,
  fiscalYear: z.object({ id: z.int(), label: z.string(), startsOn: CalendarDate, endsOn: CalendarDate }),
  membershipId: Id,
  holderName: z.string(),
  memberClass: MemberClass,
  /** cents of service (producers), minutes delivered (workers), cents paid (users). */
  unit: z.enum(['service_cents', 'minutes', 'paid_cents']).nullable(),
  patronageUnits: z.int(),
  classUnits: z.int(),
  /** The member's share of the class's patronage, in millionths. */
  classSharePpm: z.int(),
  classPoolCents: cents,
  rate: z.object({ per: z.enum(['hour', 'hundredDollars']), cents, fr: z.string(), en: z.string() }).nullable(),
  allocationCents: cents,
  cashPartCents: cents,
  retainedPartCents: cents,
  carriedInCents: cents,
  paidCents: cents,
  withholdingCents: cents,
  netPaidCents: cents,
  carryForwardCents: cents,
  months: z.array(z.object({ month: z.string(), units: z.int() })),
  paymentDeadline: CalendarDate,
  explanation: z.array(Explanation),
});
export type Statement = z.infer<typeof Statement>;
export const StatementList = z.object({ statements: z.array(Statement) });

// ── Transparency (public) ───────────────────────────────────────────────────────────────────
export const TransparencyYear = z.object({
  label: z.string(),
  startsOn: CalendarDate,
  endsOn: CalendarDate,
  status: FiscalStatus,
  feeRates: z.array(z.object({ rateBps: z.int(), effectiveFrom: Timestamp })),
  bookings: z.object({ count: z.int(), valueCents: z.int() }),
  coops: z.int(),
  members: z.int(),
  figures: YearFigures,
  reserveCents: z.int().nullable(),
  returnedToMembersCents: z.int().nullable(),
  planStatus: PlanStatus.nullable(),
});
export const TransparencyReport = z.object({ years: z.array(TransparencyYear) });
