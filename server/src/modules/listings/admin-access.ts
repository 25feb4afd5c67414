import type { Tx } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import { roleOf } from '../coops/index.js';
import * as repo from './repository.js';
import { canSeeListing } from './service.js';

/**
 * The listing a co-op admin is about to change (its photos, add-ons, questions), read with its row
 * locked when `lock`: anyone else who can see the listing gets 403 (it is public, its existence is
 * no secret), anyone who cannot gets the 404 of a listing that does not exist; archived ones are
 * not changed (409).
 */
export async function listingForAdmins(tx: Tx, actor: Actor | null, listingId: string, what: string, lock = false) {
  const a = requireActor(actor);
  const row = await repo.findListing(tx, listingId, lock);
  if (!row) throw notFound('Listing');
  const role = await roleOf(tx, a, row.coopId);
  if (role !== 'admin') {
    if (!(await canSeeListing(tx, row, a, role))) throw notFound('Listing');
    throw forbidden(`Only this co-op's admins can change its listing's ${what}`);
  }
  if (row.status === 'archived') throw conflict('An archived listing cannot be changed', 'listing_archived');
  return row;
}
