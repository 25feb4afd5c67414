import { MAX_LISTING_PHOTOS, fieldError, type Photo, type UpdatePhotoBody, type UploadListingPhotoBody } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { Storage } from '../../plugins/storage.js';
import { photoRows, processPhoto, removePhotoFiles, toPhoto, writePhotoFiles } from '../media/index.js';
import { listingForAdmins } from './admin-access.js';

export interface ListingPhotosDeps {
  db: Db;
  storage: Storage;
  /** Where photos' URLs start. */
  mediaBase: string;
  log: { warn(obj: object, msg: string): void };
}

const tooMany = () => conflict(`A listing has at most ${MAX_LISTING_PHOTOS} photos: remove one first`, 'too_many_photos');
const altRequired = () => badRequest('Say what the photo shows', { altFr: [fieldError('alt_required')] });

/**
 * A listing's photos, changed by its co-op's admins only: anyone else who can see the listing gets
 * 403, anyone who cannot gets the 404 of a listing that does not exist. Every change takes the
 * listing's row lock, so the count limit and the positions hold under concurrent requests.
 */
export function createListingPhotosService(deps: ListingPhotosDeps) {
  const { db, storage, mediaBase, log } = deps;
  const photo = (row: photoRows.ListingPhotoRow): Photo => toPhoto(row, mediaBase);

  const requireAdmin = (tx: Tx, actor: Actor | null, listingId: string) => listingForAdmins(tx, actor, listingId, 'photos');

  /** Locks the listing (after checking access again, inside the transaction) and answers its photos. */
  async function lockPhotos(tx: Tx, actor: Actor | null, listingId: string) {
    await requireAdmin(tx, actor, listingId);
    const locked = await photoRows.lockListing(tx, listingId);
    if (!locked) throw notFound('Listing');
    if (locked.status === 'archived') throw conflict('An archived listing cannot be changed', 'listing_archived');
    return photoRows.photosOfListings(tx, [listingId]);
  }

  return {
    /**
     * Checked before the image is read (who, how many), processed outside any transaction, written
     * to the storage under a new id, then the row inserted under the lock with the limit checked
     * again. A refusal at that point removes the files just written.
     */
    async add(actor: Actor | null, listingId: string, body: UploadListingPhotoBody): Promise<Photo> {
      await requireAdmin(db, actor, listingId);
      if ((await photoRows.photosOfListings(db, [listingId])).length >= MAX_LISTING_PHOTOS) throw tooMany();
      const processed = await processPhoto(body.file);
      const files = await writePhotoFiles(storage, processed);
      try {
        const row = await db.transaction(async (tx) => {
          const existing = await lockPhotos(tx, actor, listingId);
          if (existing.length >= MAX_LISTING_PHOTOS) throw tooMany();
          return photoRows.insertListingPhoto(tx, {
            id: files.id, listingId, position: existing.length, altFr: body.altFr, altEn: body.altEn,
            width: processed.width, height: processed.height, widths: processed.widths,
          });
        });
        return photo(row);
      } catch (err) {
        await storage.delete(files.keys).catch((e) => log.warn({ err: e, photoId: files.id }, 'photo files not removed'));
        throw err;
      }
    },

    async describe(actor: Actor | null, listingId: string, photoId: string, body: UpdatePhotoBody): Promise<Photo> {
      return photo(await db.transaction(async (tx) => {
        const current = (await lockPhotos(tx, actor, listingId)).find((p) => p.id === photoId);
        if (!current) throw notFound('Photo');
        const altFr = body.altFr ?? current.altFr;
        const altEn = body.altEn ?? current.altEn;
        if (!altFr && !altEn) throw altRequired();
        return (await photoRows.updateListingPhoto(tx, listingId, photoId, { altFr, altEn }))!;
      }));
    },

    /** The new order names every photo of the listing exactly once. */
    async reorder(actor: Actor | null, listingId: string, photoIds: string[]): Promise<Photo[]> {
      return db.transaction(async (tx) => {
        const current = await lockPhotos(tx, actor, listingId);
        const ids = new Set(current.map((p) => p.id));
        if (photoIds.length !== ids.size || new Set(photoIds).size !== photoIds.length || !photoIds.every((id) => ids.has(id))) {
          throw badRequest("The order must list each of the listing's photos once", { photoIds: [fieldError('photo_order_mismatch')] });
        }
        await photoRows.setPositions(tx, listingId, photoIds);
        return (await photoRows.photosOfListings(tx, [listingId])).map(photo);
      });
    },

    /** The row goes in the transaction; its files once it has committed. */
    async remove(actor: Actor | null, listingId: string, photoId: string): Promise<void> {
      const removed = await db.transaction(async (tx) => {
        await lockPhotos(tx, actor, listingId);
        const row = await photoRows.deleteListingPhoto(tx, listingId, photoId);
        if (!row) throw notFound('Photo');
        return row;
      });
      await removePhotoFiles(storage, log, removed);
    },
  };
}
export type ListingPhotosService = ReturnType<typeof createListingPhotosService>;
