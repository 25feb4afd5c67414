import { z } from 'zod';
import { Id, text } from './common.js';

/** A listing shows at most this many photos. */
export const MAX_LISTING_PHOTOS = 8;
/** The largest upload the API reads, in bytes. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** The largest image the API decodes, in pixels (width × height): a bigger one is refused before decoding. */
export const MAX_PHOTO_PIXELS = 50_000_000;
/** The widths each photo is made in (never larger than the original). */
export const PHOTO_WIDTHS = [320, 640, 1280] as const;
export const PHOTO_KINDS = ['listing', 'logo', 'cover'] as const;

/** One modern format of a photo, for a `<source>` inside `<picture>`. */
export const PhotoSource = z.object({
  type: z.enum(['image/avif', 'image/webp']),
  srcset: z.string().describe('"url 320w, url 640w, ..."'),
});

/**
 * A photo as pages show it: `<picture>` with `sources`, then `<img src srcset width height alt>`.
 * `width` and `height` are the largest variant's, so the page reserves the right shape before it
 * loads. URLs are same-origin (`/media/...`) unless the media are served from a bucket or CDN.
 * A photo's files never change: a replaced photo has new URLs.
 */
export const Photo = z.object({
  id: Id,
  width: z.number().int(),
  height: z.number().int(),
  /** Alternative text; an empty one means decorative (a logo beside the co-op's name). */
  alt: z.object({ fr: z.string(), en: z.string() }),
  /** 0-based order among the listing's photos (0 for a logo or cover). */
  position: z.number().int(),
  /** The largest JPEG: the fallback `src`. */
  src: z.string(),
  /** The JPEG in every width. */
  srcset: z.string(),
  sources: z.array(PhotoSource),
});
export type Photo = z.infer<typeof Photo>;

const alt = text(0, 300);

/**
 * The file is read from the multipart body; its content decides what it is (JPEG, PNG, WebP, AVIF,
 * HEIC), never its name or declared type. The zod check only says a file part was sent.
 */
const file = z
  .custom<Buffer>((v) => Buffer.isBuffer(v) && v.length > 0, { error: 'required' })
  .meta({ type: 'string', format: 'binary', description: `An image file: JPEG, PNG, WebP, AVIF or HEIC, at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB` });

const needsAlt = (b: { altFr?: string; altEn?: string }, ctx: z.RefinementCtx) => {
  if (!b.altFr && !b.altEn) ctx.addIssue({ code: 'custom', path: ['altFr'], message: 'alt_required' });
};

/** multipart/form-data: a listing photo says what it shows in at least one language. */
export const UploadListingPhotoBody = z
  .object({ file, altFr: alt.default(''), altEn: alt.default('') })
  .superRefine(needsAlt);
export type UploadListingPhotoBody = z.infer<typeof UploadListingPhotoBody>;

/** multipart/form-data: a logo or cover; empty alternative text makes it decorative. */
export const UploadCoopImageBody = z.object({ file, altFr: alt.default(''), altEn: alt.default('') });
export type UploadCoopImageBody = z.infer<typeof UploadCoopImageBody>;

/** Changing a photo's text; a listing photo keeps text in at least one language. */
export const UpdatePhotoBody = z.object({ altFr: alt.optional(), altEn: alt.optional() });
export type UpdatePhotoBody = z.infer<typeof UpdatePhotoBody>;

/** Every photo of the listing, once each, in the new order. */
export const PhotoOrderBody = z.object({
  photoIds: z.array(Id).max(MAX_LISTING_PHOTOS, { error: 'too_many' }),
});
export type PhotoOrderBody = z.infer<typeof PhotoOrderBody>;

export const PhotoList = z.object({ items: z.array(Photo) });
export type PhotoList = z.infer<typeof PhotoList>;

export const PhotoParams = z.object({ id: Id, photoId: Id });
/** A stored file's key: letters, digits, "-", "_", "." and "/" between parts; never "..". */
export const MediaKey = z.string().regex(/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/i).max(200).refine((k) => !k.includes('..'));
