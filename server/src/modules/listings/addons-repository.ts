import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';
import type { ListingAddon } from '@tissu/shared';

const { listingAddons } = schema;

const columns = {
  id: listingAddons.id,
  listingId: listingAddons.listingId,
  nameFr: listingAddons.nameFr,
  nameEn: listingAddons.nameEn,
  priceCents: listingAddons.priceCents,
  extraMinutes: listingAddons.extraMinutes,
  position: listingAddons.position,
  active: listingAddons.active,
};

export type AddonRow = ListingAddon & { listingId: string };

/** The add-ons of these listings, each listing's in its order (one query for any number). */
export async function addonsOfListings(db: Tx, listingIds: string[]): Promise<AddonRow[]> {
  if (listingIds.length === 0) return [];
  return db.select(columns).from(listingAddons).where(inArray(listingAddons.listingId, listingIds)).orderBy(asc(listingAddons.listingId), asc(listingAddons.position));
}

export type AddonValues = Omit<ListingAddon, 'id'> & { id?: string };

/**
 * The listing's add-ons become exactly `list`: the ones left out go (their bookings keep their
 * copies), the named ones are updated in place, the new ones inserted.
 */
export async function replaceAddons(db: Tx, listingId: string, list: AddonValues[]): Promise<void> {
  const kept = list.flatMap((a) => (a.id ? [a.id] : []));
  await db.delete(listingAddons).where(and(eq(listingAddons.listingId, listingId), ...(kept.length ? [notInArray(listingAddons.id, kept)] : [])));
  const now = new Date();
  for (const a of list) {
    const { id, ...values } = a;
    if (id) await db.update(listingAddons).set({ ...values, updatedAt: now }).where(and(eq(listingAddons.id, id), eq(listingAddons.listingId, listingId)));
  }
  const fresh = list.filter((a) => !a.id).map(({ id: _id, ...values }) => ({ ...values, listingId }));
  if (fresh.length) await db.insert(listingAddons).values(fresh);
}

const toAddon = ({ listingId: _l, ...a }: AddonRow): ListingAddon => a;

/**
 * The add-ons each listing shows: the active ones to everyone; the inactive ones too to its
 * co-op's members and the stewards (`everything` for that listing), who edit them.
 */
export async function addonsFor(db: Tx, listingIds: string[], everything: (listingId: string) => boolean): Promise<Map<string, ListingAddon[]>> {
  const by = new Map<string, ListingAddon[]>(listingIds.map((id) => [id, []]));
  for (const row of await addonsOfListings(db, listingIds)) {
    if (row.active || everything(row.listingId)) by.get(row.listingId)?.push(toAddon(row));
  }
  return by;
}

