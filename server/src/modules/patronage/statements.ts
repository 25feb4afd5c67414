import type { DisplayRate, Locale, MemberClass, Statement } from '@tissu/shared';
import { formatMoney, patronageRateText, WITHHOLDING_EXEMPT_CENTS, WITHHOLDING_RATE_BPS } from '@tissu/shared';
import type { Db } from '@tissu/db';
import { requireActor, requireSteward, type Actor } from '../../actor.js';
import { notFound } from '../../errors.js';
import { membershipIdsOfPerson } from '../membership/index.js';
import { patronagePaymentDeadline } from '../../lib/calendar.js';
import { frozenResult } from './allocation.js';
import * as repo from './repository.js';

type Row = Awaited<ReturnType<typeof repo.statementRows>>[number];

const UNIT: Record<string, Statement['unit']> = { producer: 'service_cents', worker: 'minutes', user: 'paid_cents', supporting: null };

/** What one unit of patronage earned in the class, in both languages, worded as the web says it. */
function rateText(rate: DisplayRate, memberClass: MemberClass) {
  const said = (l: Locale) => patronageRateText(rate.per, memberClass, formatMoney(rate.cents, l), l);
  return { ...rate, fr: said('fr'), en: said('en') };
}

function toStatement(r: Row, months: { month: string; units: number }[]): Statement {
  const result = frozenResult(r.plan);
  const cls = result.allocation.classes.find((c) => c.memberClass === r.a.memberClass);
  const a = r.a;
  const classUnits = cls?.patronageUnits ?? 0;
  const sharePpm = classUnits > 0 ? Math.floor((a.units * 1_000_000) / classUnits) : 0;
  const deadline = patronagePaymentDeadline(r.year.endsOn);
  const explanation: Statement['explanation'] = [];
  if (r.a.memberClass === 'supporting') explanation.push({ key: 'supporting_member', values: {} });
  else if (a.units === 0) explanation.push({ key: 'no_patronage', values: { memberClass: a.memberClass } });
  else explanation.push({ key: 'class_share', values: { memberClass: a.memberClass, units: a.units, classUnits, sharePpm, classPoolCents: cls?.classPoolCents ?? 0 } });
  if (a.allocationCents > 0) explanation.push({ key: 'cash_and_retained', values: { cashBps: result.allocation.cashBps, cashPartCents: a.cashCents, retainedPartCents: a.retainedCents } });
  if (a.carriedInCents > 0) explanation.push({ key: 'carried_in', values: { carriedInCents: a.carriedInCents } });
  if (a.carriedForwardCents > 0) explanation.push({ key: 'carried_forward', values: { thresholdCents: result.allocation.thresholdCents, carryForwardCents: a.carriedForwardCents } });
  if (a.withholdingCents > 0) explanation.push({ key: 'withholding', values: { rateBps: WITHHOLDING_RATE_BPS, exemptCents: WITHHOLDING_EXEMPT_CENTS, withholdingCents: a.withholdingCents } });
  explanation.push(
    r.plan.status === 'proposed' ? { key: 'pending_vote', values: {} }
      : r.plan.status === 'approved' ? { key: 'to_be_paid', values: { deadline } }
      : { key: 'paid', values: { paidAt: r.plan.paidAt?.toISOString() ?? '' } },
  );
  return {
    planId: r.plan.id,
    planStatus: r.plan.status,
    fiscalYear: { id: r.year.id, label: r.year.label, startsOn: r.year.startsOn, endsOn: r.year.endsOn },
    membershipId: a.membershipId,
    holderName: r.holderName,
    memberClass: a.memberClass as Statement['memberClass'],
    unit: UNIT[a.memberClass] ?? null,
    patronageUnits: a.units,
    classUnits,
    classSharePpm: sharePpm,
    classPoolCents: cls?.classPoolCents ?? 0,
    rate: cls?.displayRate ? rateText(cls.displayRate, a.memberClass) : null,
    allocationCents: a.allocationCents,
    cashPartCents: a.cashCents,
    retainedPartCents: a.retainedCents,
    carriedInCents: a.carriedInCents,
    paidCents: a.paidCents,
    withholdingCents: a.withholdingCents,
    netPaidCents: a.paidCents - a.withholdingCents,
    carryForwardCents: a.carriedForwardCents,
    months,
    paymentDeadline: deadline,
    explanation,
  };
}

/** Patronage statements: each member sees their own; stewards export a whole plan. */
export function createStatementsService(db: Db) {
  async function build(rows: Row[], withMonths: boolean, membershipIds: string[] | null): Promise<Statement[]> {
    const months = withMonths ? await repo.monthlyMeasures(db, [...new Set(rows.map((r) => r.year.id))], membershipIds) : [];
    const key = (yearId: number, membershipId: string) => `${yearId}:${membershipId}`;
    const byMember = new Map<string, { month: string; units: number }[]>();
    for (const m of months) {
      const k = key(m.fiscalYearId, m.membershipId);
      byMember.set(k, [...(byMember.get(k) ?? []), { month: m.month, units: m.units }]);
    }
    return rows.map((r) => toStatement(r, byMember.get(key(r.year.id, r.a.membershipId)) ?? []));
  }

  return {
    /** The signed-in person's own statements (theirs and their co-ops'); anyone else's membership answers 404. */
    async mine(actor: Actor | null, q: { year?: number; membershipId?: string }) {
      const a = requireActor(actor);
      let ids = await membershipIdsOfPerson(db, a.userId);
      if (q.membershipId) {
        if (!ids.includes(q.membershipId)) throw notFound('Membership');
        ids = [q.membershipId];
      }
      const rows = await repo.statementRows(db, ids, { startYear: q.year });
      return { statements: await build(rows, true, ids) };
    },

    async ofPlan(actor: Actor | null, planId: string) {
      requireSteward(actor);
      if (!(await repo.findPlan(db, planId))) throw notFound('Plan');
      return build(await repo.statementRows(db, null, { planId }), false, null);
    },
  };
}
