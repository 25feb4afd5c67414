import type { Tx } from '@tissu/db';
import * as repo from './repository.js';

/**
 * The assembly voted on a proposed plan: adopted, it is approved and never changes again; not
 * adopted, the stewards rework the draft and the frozen numbers go with the proposal's record.
 */
export async function planDecided(tx: Tx, planId: string, adopted: boolean, at: Date): Promise<void> {
  if (adopted) {
    await repo.updatePlan(tx, planId, { status: 'approved', approvedAt: at });
  } else {
    await repo.updatePlan(tx, planId, { status: 'draft', result: null, surplusCents: null, proposedAt: null });
    await repo.deleteAllocations(tx, planId);
  }
}
