import { allocatePatronage, type CoopSettings, type FrozenPlanResult, type PatronageAllocation, type PatronageMemberInput, type PlanFigures, type PlanParams } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import { booksDate, startOfBooksDay } from '../../lib/calendar.js';
import * as repo from './repository.js';

/** The frozen result of a plan past draft: proposing writes it together with the status. */
export function frozenResult(plan: { id: string; result: FrozenPlanResult | null }): FrozenPlanResult {
  if (!plan.result) throw new Error(`Plan ${plan.id} is past draft but has no frozen result`);
  return plan.result;
}

/**
 * The year's members as the allocation sees them. Withholding (ITA s.135(3)) applies to people in
 * the classes the settings name, on their calendar year's payments so far; a member who has left
 * has no next year, so whatever is carried in is settled now even below the threshold.
 */
export async function allocationMembers(tx: Tx, year: { id: number; startsOn: string; endsOn: string }, settings: CoopSettings, now: Date) {
  const members = await repo.allocationMembers(tx, year);
  const calendarYear = Number(booksDate(now).slice(0, 4));
  const ytd = await repo.paidToPeople(tx, startOfBooksDay(`${calendarYear}-01-01`), startOfBooksDay(`${calendarYear + 1}-01-01`));
  const input: PatronageMemberInput[] = members.map((m) => {
    const before = m.userId ? ytd.get(m.userId) : undefined;
    return {
      memberId: m.membershipId,
      memberClass: m.memberClass,
      patronageUnits: m.units,
      carriedInCents: m.carriedInCents,
      withholdingApplies: m.userId !== null && (settings.withholdingClasses as string[]).includes(m.memberClass),
      ytdPaidCents: before?.paidCents ?? 0,
      ytdWithheldCents: before?.withheldCents ?? 0,
      settleCarryForward: m.endedOn !== null,
    };
  });
  return { members, input };
}

export function allocate(params: PlanParams, surplusCents: number, settings: CoopSettings, members: PatronageMemberInput[]): PatronageAllocation {
  return allocatePatronage({
    surplusCents,
    plan: { reserveBps: params.reserveBps, cashBps: params.cashBps, classWeightsBps: params.weights },
    settings: {
      legalMinimumReserveBps: settings.legalMinimumReserveBps,
      minimumApplies: settings.legalMinimumReserveApplies,
      minimumCashBps: settings.minimumCashBps,
      paymentThresholdCents: params.thresholdCents,
    },
    members,
  });
}

export function planFigures(a: PatronageAllocation): PlanFigures {
  return {
    allocationStatus: a.status,
    reserveBps: a.reserveBps,
    cashBps: a.cashBps,
    reserveCents: a.reserveCents,
    patronagePoolCents: a.patronagePoolCents,
    thresholdCents: a.paymentThresholdCents,
    classes: a.classes,
    totals: a.totals,
    membersPaid: a.members.filter((m) => m.paidCents > 0).length,
    membersCarriedForward: a.members.filter((m) => m.carryForwardCents > 0).length,
  };
}

export const paramsOf = (p: repo.PlanRow): PlanParams => ({ reserveBps: p.reserveBps, weights: p.weights, cashBps: p.cashBps, thresholdCents: p.thresholdCents });
