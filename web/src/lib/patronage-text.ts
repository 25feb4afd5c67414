/**
 * Member classes, patronage units, rates, plan and proposal statuses in words, for the active
 * locale. Every figure comes from the API; these only turn them into text.
 */
import type { MemberClass, Proposal, Statement } from '@tissu/shared';
import { dateTimeFormat, exactCents, exactDollars, numberFormat, patronageRateText, roundingOf, type ExactCents } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { intlLocale, locale, money } from '$lib/i18n';

const CLASSES: Record<MemberClass, () => string> = {
  producer: m.membership_class_producer,
  worker: m.membership_class_worker,
  user: m.membership_class_user,
  supporting: m.membership_class_supporting,
};
export const memberClassLabel = (c: MemberClass): string => CLASSES[c]?.() ?? c;

const CLASSES_PLURAL: Record<MemberClass, () => string> = {
  producer: m.membership_classes_producer,
  worker: m.membership_classes_worker,
  user: m.membership_classes_user,
  supporting: m.membership_classes_supporting,
};
/** "Les membres travailleurs" as the subject of a sentence. */
export const memberClassPlural = (c: MemberClass): string => CLASSES_PLURAL[c]?.() ?? c;

/** Minutes as hours: 750 → "12,5 h" / "12.5 hr". */
export function hours(minutes: number): string {
  return numberFormat(intlLocale(), { style: 'unit', unit: 'hour', maximumFractionDigits: 2 }).format(minutes / 60);
}

/** Shorter, for chart axes: 750 → "12,5 h" (no decimals past one). */
export function hoursShort(minutes: number): string {
  return numberFormat(intlLocale(), { style: 'unit', unit: 'hour', maximumFractionDigits: 1 }).format(minutes / 60);
}

/** An amount of patronage in its unit: hours for workers, money otherwise. */
export function patronageAmount(unit: Statement['unit'], units: number): string {
  return unit === 'minutes' ? hours(units) : money(units);
}

/** What the unit measures, as a column header: "Heures livrées", "Montant payé". */
export function patronageUnitLabel(unit: Statement['unit']): string {
  if (unit === 'minutes') return m.patronage_unit_minutes();
  if (unit === 'service_cents') return m.patronage_unit_service();
  return m.patronage_unit_paid();
}

/** A share in millionths: 34_567 → "3,46 %". */
export function sharePercent(ppm: number): string {
  return numberFormat(intlLocale(), { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(ppm / 1_000_000);
}

/**
 * An exact figure for the statement's calculations: the digits past the cent are truncated,
 * never rounded, and "…" says more follow, so what a member types into a calculator gives back
 * what the page shows. `hundredths` is a × b ÷ c in hundredths (cents, or hundredths of a percent).
 */
function exactFigure(x: ExactCents, extraDigits: number, options: Intl.NumberFormatOptions): string {
  const { decimal, truncated } = exactDollars(x, extraDigits);
  const f = numberFormat(intlLocale(), { ...options, minimumFractionDigits: 2, maximumFractionDigits: 2 + extraDigits });
  // Intl formats a decimal string exactly (no trip through a double).
  const parts = f.formatToParts(decimal as Intl.StringNumericLiteral);
  let text = '';
  for (const p of parts) text += p.value + (truncated && p.type === 'fraction' ? '…' : '');
  return text;
}

/** a × b ÷ c cents, exactly: "815,6776… $". */
export const exactMoney = (a: number, b: number, c: number, extraDigits = 2): string =>
  exactFigure(exactCents(a, b, c), extraDigits, { style: 'currency', currency: 'CAD' });

/** units ÷ total as an exact percentage: "20,2120… %". */
export const exactPercent = (units: number, total: number): string =>
  exactFigure(exactCents(units, 10_000, total), 2, { style: 'unit', unit: 'percent' });

/** Which way a shown amount was rounded from a × b ÷ c cents. */
export const roundedFrom = (shownCents: number, a: number, b: number, c: number) => roundingOf(shownCents, exactCents(a, b, c));

/**
 * Two patronage figures for one calculation, in the same unit: hours when both are exact with
 * two decimals (minutes a multiple of 3), minutes otherwise, so that the figures typed into a
 * calculator are the real ones.
 */
export function patronagePairForCalc(unit: Statement['unit'], a: number, b: number): [string, string] {
  if (unit !== 'minutes' || (a % 3 === 0 && b % 3 === 0)) return [patronageAmount(unit, a), patronageAmount(unit, b)];
  const f = numberFormat(intlLocale(), { style: 'unit', unit: 'minute' });
  return [f.format(a), f.format(b)];
}

/** The class's exact rate (class pool ÷ class patronage), per hour or per 100 $: "1,2865… $ par heure livrée". */
export function exactRateText(per: 'hour' | 'hundredDollars', classPoolCents: number, classUnits: number, memberClass: MemberClass): string {
  return patronageRateText(per, memberClass, exactMoney(classPoolCents, per === 'hour' ? 60 : 10_000, classUnits), locale());
}

/** "1,23 $ par heure livrée" / "$1.23 per hour delivered"; "2,47 $ par tranche de 100,00 $ payés". */
export function rateText(rate: { per: 'hour' | 'hundredDollars'; cents: number }, memberClass: MemberClass): string {
  return patronageRateText(rate.per, memberClass, money(rate.cents), locale());
}

const PLAN_STATUSES: Record<Statement['planStatus'], () => string> = {
  draft: m.patronage_plan_draft,
  proposed: m.patronage_plan_proposed,
  approved: m.patronage_plan_approved,
  paid: m.patronage_plan_paid,
};
export const planStatusLabel = (s: Statement['planStatus']): string => PLAN_STATUSES[s]?.() ?? s;
export const planStatusTone = (s: Statement['planStatus']): 'waiting' | 'ok' | 'done' | 'off' =>
  s === 'proposed' ? 'waiting' : s === 'approved' ? 'ok' : s === 'paid' ? 'done' : 'off';

/** "6 janvier 2025" for a calendar date ("YYYY-MM-DD"), read at noon UTC so no zone shifts the day. */
export function calendarDate(date: string): string {
  return dateTimeFormat(intlLocale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

/** "janv. 2025" for a "YYYY-MM" month (a calendar month, no time zone involved). */
export function monthLabel(month: string, style: 'short' | 'long' = 'short'): string {
  const [y, mo] = month.split('-').map(Number);
  return dateTimeFormat(intlLocale(), { month: style, year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y ?? 2000, (mo ?? 1) - 1, 15)),
  );
}

/** The twelve "YYYY-MM" months of a fiscal year from its first day, so a month without patronage still shows. */
export function monthsOfYear(startsOn: string): string[] {
  const [y, mo] = startsOn.split('-').map(Number);
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(y ?? 2000, (mo ?? 1) - 1 + i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

const PROPOSAL_KINDS: Record<Proposal['kind'], () => string> = {
  surplus_plan: m.assembly_kind_surplus_plan,
  fee_rate: m.assembly_kind_fee_rate,
  bylaw: m.assembly_kind_bylaw,
  resolution: m.assembly_kind_resolution,
};
export const proposalKindLabel = (k: Proposal['kind']): string => PROPOSAL_KINDS[k]?.() ?? k;

const PROPOSAL_STATUSES: Record<Proposal['status'], () => string> = {
  open: m.assembly_status_open,
  adopted: m.assembly_status_adopted,
  rejected: m.assembly_status_rejected,
  no_quorum: m.assembly_status_no_quorum,
};
export const proposalStatusLabel = (s: Proposal['status']): string => PROPOSAL_STATUSES[s]?.() ?? s;
export const proposalStatusTone = (s: Proposal['status']): 'waiting' | 'ok' | 'off' | 'todo' =>
  s === 'open' ? 'waiting' : s === 'adopted' ? 'ok' : s === 'rejected' ? 'todo' : 'off';

const CHOICES: Record<'yes' | 'no' | 'abstain', () => string> = {
  yes: m.assembly_choice_yes,
  no: m.assembly_choice_no,
  abstain: m.assembly_choice_abstain,
};
export const voteChoiceLabel = (c: 'yes' | 'no' | 'abstain'): string => CHOICES[c]?.() ?? c;

/**
 * What a member has really received over the years: paid plans only. A plan still in draft, put
 * to the vote or adopted but not yet paid is a promise, not money in her account or her capital.
 */
export function paidTotals(statements: readonly Pick<Statement, 'planStatus' | 'netPaidCents' | 'retainedPartCents'>[]) {
  const paid = statements.filter((s) => s.planStatus === 'paid');
  return {
    years: paid.length,
    netCents: paid.reduce((sum, s) => sum + s.netPaidCents, 0),
    retainedCents: paid.reduce((sum, s) => sum + s.retainedPartCents, 0),
  };
}

/**
 * The words of a refund's payment figures: past once the plan is paid, future before (a plan in
 * draft, under vote or adopted is money to come, not money received).
 */
export function paymentWords(status: string) {
  const paid = status === 'paid';
  return {
    paid: paid ? m.patronage_paid() : m.patronage_to_pay(),
    net: paid ? m.patronage_net_paid() : m.patronage_net_to_pay(),
    retained: paid ? m.patronage_retained_part() : m.patronage_retained_part_to_come(),
  };
}

type PaymentTotals = Pick<Statement, 'cashPartCents' | 'carriedInCents' | 'paidCents' | 'carryForwardCents' | 'withholdingCents' | 'netPaidCents'>;

/**
 * How the cash part becomes what is paid, as a sum anyone can redo on the page: cash part + carried
 * in from last year − carried forward to next year = paid; paid − tax withheld = net.
 */
export function paymentSum(t: PaymentTotals, status: string): string {
  const values = {
    cash: money(t.cashPartCents),
    carriedIn: money(t.carriedInCents),
    carryForward: money(t.carryForwardCents),
    paid: money(t.paidCents),
    withholding: money(t.withholdingCents),
    net: money(t.netPaidCents),
  };
  return status === 'paid' ? m.patronage_payment_sum(values) : m.patronage_payment_sum_to_come(values);
}
