import { fieldError, type FieldErrors, type ListingAddon, type PutAddonsBody } from '@tissu/shared';
import type { Db } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { badRequest } from '../../errors.js';
import { addonsFor, addonsOfListings, replaceAddons } from './addons-repository.js';
import { listingForAdmins } from './admin-access.js';

/**
 * A listing's add-ons are written by its co-op's admins only, the whole list at once (PUT): anyone
 * else who can see the listing gets 403, anyone who cannot gets the 404 of a listing that does not
 * exist (as for its photos). Under the listing's row lock, so two editors cannot interleave.
 */
export function createListingAddonsService(deps: { db: Db }) {
  const { db } = deps;
  return {
    async put(actor: Actor | null, listingId: string, body: PutAddonsBody): Promise<{ items: ListingAddon[] }> {
      return db.transaction(async (tx) => {
        await listingForAdmins(tx, actor, listingId, 'add-ons', true);
        const current = new Set((await addonsOfListings(tx, [listingId])).map((x) => x.id));
        const fields: FieldErrors = {};
        body.addons.forEach((x, i) => {
          if (x.id && !current.has(x.id)) fields[`addons.${i}.id`] = [fieldError('invalid_id')];
        });
        if (Object.keys(fields).length) throw badRequest('Some add-ons are not this listing\'s', fields);
        await replaceAddons(tx, listingId, body.addons.map((x, position) => ({ ...x, position })));
        const saved = await addonsFor(tx, [listingId], () => true);
        return { items: saved.get(listingId) ?? [] };
      });
    },
  };
}
