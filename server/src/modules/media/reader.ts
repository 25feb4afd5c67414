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
    /** A listing's photos in order and its co-op's cover, for many listings in one query. */
    async forCards(db: Tx, listings: { id: string; coopId: string }[]): Promise<{ photos: Map<string, Photo[]>; covers: Map<string, Photo> }> {
      const photos = new Map<string, Photo[]>(listings.map((l) => [l.id, []]));
      const covers = new Map<string, Photo>();
      if (listings.length === 0) return { photos, covers };
      for (const row of await repo.cardPhotos(db, listings.map((l) => l.id), [...new Set(listings.map((l) => l.coopId))])) {
        if (row.isCover) covers.set(row.owner, toPhoto(row, base));
        else photos.get(row.owner)?.push(toPhoto(row, base));
      }
      return { photos, covers };
    },
    /** A card's photos and cover from the columns `photoRows.cardPhotoColumns` added to the listing's statement. */
    fromCardColumns(photos: repo.CardPhotoJson[] | null, cover: repo.CardPhotoJson | null): { photos: Photo[]; cover: Photo | null } {
      return { photos: (photos ?? []).map((p) => toPhoto(p, base)), cover: cover && toPhoto(cover, base) };
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
