/**
 * What-if table for the stewards and the assembly: the same year (surplus, settings, members'
 * patronage) allocated under several draft plans, side by side.
 */
import { allocatePatronage } from './allocate.js';
import type { AllocationInputLoose, PlanVariation, SimulationRow } from './schemas.js';

export interface SimulationBase extends Omit<AllocationInputLoose, 'plan'> {
  /** Members whose own lines to show under each plan ("what would I get?"). */
  focusMemberIds?: readonly string[];
}

export function simulate(base: SimulationBase, plans: readonly PlanVariation[]): SimulationRow[] {
  const focus = new Set(base.focusMemberIds ?? []);
  return plans.map(({ label, plan }) => {
    const a = allocatePatronage({ surplusCents: base.surplusCents, settings: base.settings, members: base.members, plan });
    return {
      label,
      plan,
      status: a.status,
      reserveBps: a.reserveBps,
      cashBps: a.cashBps,
      reserveCents: a.reserveCents,
      patronagePoolCents: a.patronagePoolCents,
      classes: a.classes,
      totals: a.totals,
      focus: focus.size === 0 ? [] : a.members.filter((m) => focus.has(m.memberId)),
    };
  });
}
