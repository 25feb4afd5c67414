import { PHOTO_WIDTHS, type Photo } from '@tissu/shared';
import type { CoopImageRow, ListingPhotoRow } from './repository.js';

/** The formats every photo is made in, modern first; JPEG is the fallback `src`. */
export const PHOTO_FORMATS = [
  { ext: 'avif', type: 'image/avif' },
  { ext: 'webp', type: 'image/webp' },
  { ext: 'jpg', type: 'image/jpeg' },
] as const;
export type PhotoExt = (typeof PHOTO_FORMATS)[number]['ext'];

export const photoKey = (id: string, width: number, ext: PhotoExt) => `photos/${id}/${width}.${ext}`;
export const photoKeys = (id: string, widths: number[]) => widths.flatMap((w) => PHOTO_FORMATS.map((f) => photoKey(id, w, f.ext)));

type Stored = Pick<ListingPhotoRow, 'id' | 'altFr' | 'altEn' | 'width' | 'height' | 'widths'> & { position?: number };

/** `base` is where URLs start: "/media" (same origin) or a bucket's or CDN's address. */
export function toPhoto(row: Stored, base: string): Photo {
  const widths = [...row.widths].sort((a, b) => a - b);
  const set = (ext: PhotoExt) => widths.map((w) => `${base}/${photoKey(row.id, w, ext)} ${w}w`).join(', ');
  return {
    id: row.id,
    width: row.width,
    height: row.height,
    alt: { fr: row.altFr, en: row.altEn },
    position: row.position ?? 0,
    src: `${base}/${photoKey(row.id, widths.at(-1) ?? PHOTO_WIDTHS[0], 'jpg')}`,
    srcset: set('jpg'),
    sources: [
      { type: 'image/avif', srcset: set('avif') },
      { type: 'image/webp', srcset: set('webp') },
    ],
  };
}

export const coopImageToPhoto = (row: CoopImageRow, base: string): Photo => toPhoto({ ...row, position: 0 }, base);
