import type { UpdateCoopBody } from '@tissu/shared';
import type { Actor } from '../actor.js';
import type { CoopsService } from '../modules/coops/index.js';
import { moveListingsHeldAtCoop } from '../modules/listings/index.js';

/** A co-op that moves carries the listings held at its premises to the new region, in the same transaction. */
export function updateCoop(coops: CoopsService) {
  return (actor: Actor | null, id: string, body: UpdateCoopBody) =>
    coops.update(actor, id, body, (tx, region) => moveListingsHeldAtCoop(tx, id, region));
}
