import type { Db, Tx } from '@tissu/db';
import {
  MAX_SAVED_ADDRESSES, addressText, fieldError,
  type AddressBody, type CreateBookingBody, type SavedAddress, type SavedAddressList, type UpdateAddressBody,
} from '@tissu/shared';
import { requireActor, type Actor } from '../../actor.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import * as repo from './repository.js';

const tooMany = () => conflict(`You can keep at most ${MAX_SAVED_ADDRESSES} addresses: remove one first`, 'too_many_addresses');

export function toSavedAddress(r: repo.AddressRow): SavedAddress {
  return {
    id: r.id, label: r.label, street: r.street, unit: r.unit, city: r.city, postalCode: r.postalCode, entryNotes: r.entryNotes,
    text: addressText(r), lastUsedAt: r.lastUsedAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString(),
  };
}

/** Whether she may keep one more address, under her lock so concurrent adds stop at the limit. */
async function hasRoom(tx: Tx, userId: string): Promise<boolean> {
  await repo.lockOwner(tx, userId);
  return (await repo.countOf(tx, userId)) < MAX_SAVED_ADDRESSES;
}

async function add(tx: Tx, userId: string, body: AddressBody, at: Date): Promise<repo.AddressRow> {
  if (!(await hasRoom(tx, userId))) throw tooMany();
  return repo.insert(tx, { userId, ...body, createdAt: at, updatedAt: at });
}

/**
 * A client's own addresses. Only she reads or changes them: another person's id answers 404, as
 * one that does not exist. The co-op never reads them here, only the copy a booking keeps.
 */
export function createAddressesService(deps: { db: Db; now?: () => Date }) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();
  return {
    async list(actor: Actor | null): Promise<SavedAddressList> {
      const a = requireActor(actor);
      return { items: (await repo.listOf(db, a.userId)).map(toSavedAddress), max: MAX_SAVED_ADDRESSES };
    },

    async create(actor: Actor | null, body: AddressBody): Promise<SavedAddress> {
      const a = requireActor(actor);
      return toSavedAddress(await db.transaction((tx) => add(tx, a.userId, body, now())));
    },

    async update(actor: Actor | null, id: string, body: UpdateAddressBody): Promise<SavedAddress> {
      const a = requireActor(actor);
      const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      if (Object.keys(changes).length === 0) throw badRequest('Nothing to change', { label: [fieldError('nothing_to_change')] });
      const row = await repo.update(db, a.userId, id, { ...changes, updatedAt: now() });
      if (!row) throw notFound('Address');
      return toSavedAddress(row);
    },

    async remove(actor: Actor | null, id: string): Promise<void> {
      const a = requireActor(actor);
      if (!(await repo.remove(db, a.userId, id))) throw notFound('Address');
    },
  };
}

/** Street, unit and postal code alike but for case and spaces. */
const squeeze = (s: string) => s.trim().replace(/\s+/g, ' ').toLocaleLowerCase('fr-CA');
const sameAddress = (a: Pick<AddressBody, 'street' | 'unit' | 'postalCode'>, b: Pick<AddressBody, 'street' | 'unit' | 'postalCode'>) =>
  squeeze(a.street) === squeeze(b.street) && squeeze(a.unit ?? '') === squeeze(b.unit ?? '') && squeeze(a.postalCode) === squeeze(b.postalCode);

/**
 * The address a new booking copies, in the booking's transaction: one of hers by id (another's is a
 * field error, as any id that is not hers), or the new one she typed, saved when she asks. Without
 * either, the booking keeps the free text it was given and no entry notes.
 */
export async function addressForBooking(
  tx: Tx, userId: string, body: Pick<CreateBookingBody, 'address' | 'addressId' | 'newAddress' | 'saveAddress'>, at: Date,
): Promise<{ address: string; entryNotes: string }> {
  if (body.addressId) {
    const saved = await repo.findOwned(tx, userId, body.addressId);
    if (!saved) throw badRequest('Some fields are not valid', { addressId: [fieldError('unknown_address')] });
    await repo.update(tx, userId, saved.id, { lastUsedAt: at });
    return { address: addressText(saved), entryNotes: saved.entryNotes };
  }
  if (body.newAddress) {
    const typed = body.newAddress;
    // Kept in her addresses when she asked and has room: a full address book never costs her the booking.
    if (body.saveAddress) {
      // The same address typed again is the one she has (its notes refreshed when she typed some), not a copy.
      const same = (await repo.listOf(tx, userId)).find((a) => sameAddress(a, typed));
      if (same) await repo.update(tx, userId, same.id, { lastUsedAt: at, updatedAt: at, ...(typed.entryNotes ? { entryNotes: typed.entryNotes } : {}) });
      else if (await hasRoom(tx, userId)) await repo.insert(tx, { userId, ...typed, label: typed.label || typed.street.slice(0, 60), createdAt: at, updatedAt: at, lastUsedAt: at });
    }
    return { address: addressText(typed), entryNotes: typed.entryNotes };
  }
  return { address: body.address, entryNotes: '' };
}
