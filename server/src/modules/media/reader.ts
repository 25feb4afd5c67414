import type { Photo } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import { coopImageToPhoto, toPhoto } from './dto.js';
import * as repo from './repository.js';

export interface CoopImages {
  logo: Photo | null;
  cover: Photo | null;
}

/** Photos as answers carry them, for many listings or co-ops in one query each. `base` starts their URLs. */
export function createPhotoReader(base: string) {
  return {
    async ofListings(db: Tx, listingIds: string[]): Promise<Map<string, Photo[]>> {
      const byListing = new Map<string, Photo[]>(listingIds.map((id) => [id, []]));
      for (const row of await repo.photosOfListings(db, listingIds)) byListing.get(row.listingId)?.push(toPhoto(row, base));
      return byListing;
    },
    async coversOf(db: Tx, coopIds: string[]): Promise<Map<string, Photo>> {
      return new Map((await repo.coversOfCoops(db, [...new Set(coopIds)])).map((r) => [r.coopId, coopImageToPhoto(r, base)]));
    },
    async imagesOfCoops(db: Tx, coopIds: string[]): Promise<Map<string, CoopImages>> {
      const out = new Map<string, CoopImages>(coopIds.map((id) => [id, { logo: null, cover: null }]));
      for (const row of await repo.imagesOfCoops(db, coopIds)) {
        const images = out.get(row.coopId);
        if (images) images[row.kind] = coopImageToPhoto(row, base);
      }
      return out;
    },
  };
}
export type PhotoReader = ReturnType<typeof createPhotoReader>;
