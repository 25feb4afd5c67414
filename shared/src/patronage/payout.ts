/**
 * From a member's allocation to what is paid: the cash part and the retained part, the payment
 * threshold with its carry-forward, and the income-tax withholding on what is paid.
 */
import { mulDivCeil, mulDivHalfUp } from './arithmetic.js';
import type { MemberAllocation, PatronageMemberInput } from './schemas.js';

/** ITA s.135(3): 15 % of patronage payments to a person in a calendar year beyond the first 100 $. */
export const WITHHOLDING_RATE_BPS = 1_500;
export const WITHHOLDING_EXEMPT_CENTS = 10_000;

/**
 * The cash part, rounded UP to the cent: the cash percentage is a minimum the member is owed in
 * money (it is there so members can pay the tax on the whole refund), so rounding never lets it
 * fall below; the retained part is the rest, to the cent.
 */
export function cashPart(allocationCents: number, cashBps: number): { cashPartCents: number; retainedPartCents: number } {
  const cashPartCents = mulDivCeil(allocationCents, cashBps, 10_000);
  return { cashPartCents, retainedPartCents: allocationCents - cashPartCents };
}

/**
 * Withholding on one patronage payment. It is computed on the calendar year's cumulative
 * payments — 15 % of (payments so far including this one − 100 $), rounded half up, minus what
 * was already withheld — so that rounding does not drift over several payments: the total
 * withheld in a year is always 15 % of the year's total beyond 100 $, to the cent.
 *   250 $ alone: 15 % × 150 $ = 22.50 $.
 *   80 $, 70 $, 250 $: 0.00 (under 100 $), 7.50 (15 % × 50 $), 37.50 (15 % × 300 $ − 7.50).
 * Never negative (a year over-withheld earlier is not refunded here: that is the tax return's
 * job), and never more than 15 % of this payment, rounded up to the cent — a payment does not
 * catch up on earlier under-withholding. With a consistent history that cap never binds.
 */
export function withholdingFor(ytdBeforeCents: number, paymentCents: number, withheldBeforeCents: number): number {
  const beyondExempt = Math.max(0, ytdBeforeCents + paymentCents - WITHHOLDING_EXEMPT_CENTS);
  const dueForYear = mulDivHalfUp(beyondExempt, WITHHOLDING_RATE_BPS, 10_000);
  const cap = mulDivCeil(paymentCents, WITHHOLDING_RATE_BPS, 10_000);
  return Math.min(cap, Math.max(0, dueForYear - withheldBeforeCents));
}

/**
 * A member's line once their allocation is known. `payRun` is false in a year without refunds
 * (deficit, nothing to share): then nothing is paid and whatever was carried in is carried on,
 * never forfeited.
 */
export function memberPayout(
  member: PatronageMemberInput,
  allocationCents: number,
  cashBps: number,
  paymentThresholdCents: number,
  payRun: boolean,
): MemberAllocation {
  const { cashPartCents, retainedPartCents } = cashPart(allocationCents, cashBps);
  const carriedInCents = member.carriedInCents ?? 0;
  const owed = cashPartCents + carriedInCents;
  // The threshold saves payment costs on tiny amounts; a member who has left has no next year.
  const pay = payRun && owed > 0 && (owed >= paymentThresholdCents || member.settleCarryForward === true);
  const paidCents = pay ? owed : 0;
  const withholdingCents = member.withholdingApplies && paidCents > 0 ? withholdingFor(member.ytdPaidCents ?? 0, paidCents, member.ytdWithheldCents ?? 0) : 0;
  return {
    memberId: member.memberId,
    memberClass: member.memberClass,
    patronageUnits: member.patronageUnits,
    allocationCents,
    cashPartCents,
    retainedPartCents,
    carriedInCents,
    paidCents,
    carryForwardCents: owed - paidCents,
    withholdingCents,
    netPaidCents: paidCents - withholdingCents,
  };
}
