/** Words and dates of the stewards' patronage pages, in the reader's language. */
import { dateTimeFormat } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { intlLocale } from '$lib/i18n';

/** "31 janvier 2026" for a calendar date ("2026-01-31"), whatever the zone. */
export function calendarDate(date: string): string {
  return dateTimeFormat(intlLocale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

const CLASSES: Record<string, () => string> = {
  producer: m.steward_members_class_producer,
  worker: m.steward_members_class_worker,
  user: m.steward_members_class_user,
  supporting: m.steward_members_class_supporting,
};
export const classLabel = (c: string): string => CLASSES[c]?.() ?? c;

const PAID_BY: Record<string, () => string> = {
  cheque: m.steward_members_paid_cheque,
  cash: m.steward_members_paid_cash,
  transfer: m.steward_members_paid_transfer,
};
export const paidByLabel = (p: string): string => PAID_BY[p]?.() ?? p;

const YEAR_STATUSES: Record<string, () => string> = {
  open: m.steward_fiscal_status_open,
  closing: m.steward_fiscal_status_closing,
  closed: m.steward_fiscal_status_closed,
};
export const yearStatusLabel = (s: string): string => YEAR_STATUSES[s]?.() ?? s;

const PLAN_STATUSES: Record<string, () => string> = {
  draft: m.steward_patronage_status_draft,
  proposed: m.steward_patronage_status_proposed,
  approved: m.steward_patronage_status_approved,
  paid: m.steward_patronage_status_paid,
};
export const planStatusLabel = (s: string): string => PLAN_STATUSES[s]?.() ?? s;

const PROPOSAL_STATUSES: Record<string, () => string> = {
  open: m.steward_assembly_status_open,
  adopted: m.steward_assembly_status_adopted,
  rejected: m.steward_assembly_status_rejected,
  no_quorum: m.steward_assembly_status_no_quorum,
};
export const proposalStatusLabel = (s: string): string => PROPOSAL_STATUSES[s]?.() ?? s;

const PROPOSAL_KINDS: Record<string, () => string> = {
  surplus_plan: m.steward_assembly_kind_surplus_plan,
  fee_rate: m.steward_assembly_kind_fee_rate,
  bylaw: m.steward_assembly_kind_bylaw,
  resolution: m.steward_assembly_kind_resolution,
};
export const proposalKindLabel = (k: string): string => PROPOSAL_KINDS[k]?.() ?? k;

/** Badge colours of the app's stylesheet for each state. */
export function stateBadge(s: string): string {
  if (s === 'open' || s === 'draft' || s === 'closing' || s === 'proposed') return 'state-waiting';
  if (s === 'approved' || s === 'adopted') return 'state-ok';
  if (s === 'paid' || s === 'closed') return 'state-done';
  return 'state-off';
}

const UNITS: Record<string, () => string> = {
  producer: m.steward_fiscal_unit_producer,
  worker: m.steward_fiscal_unit_worker,
  user: m.steward_fiscal_unit_user,
  supporting: m.steward_fiscal_unit_supporting,
};
/** What a class's patronage counts. */
export const unitLabel = (c: string): string => UNITS[c]?.() ?? '';

/** "Trop-perçu" for a year that took in more than it spent, "Déficit" (shown as a positive amount) otherwise. */
export const surplusLabel = (cents: number): string => (cents < 0 ? m.steward_fiscal_deficit() : m.steward_fiscal_surplus());
