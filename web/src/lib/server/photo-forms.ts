/**
 * The photo forms of the co-op's pages (a listing's photos, the co-op's logo and cover): the file
 * and its text read from the form, checked for what can be told here (a file was chosen, not over
 * the size the API takes), then sent on to the API as multipart, one file per request.
 */
import { MAX_PHOTO_BYTES } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { str, type FieldMessages } from './forms';

export type PhotoUpload = { ok: true; body: FormData } | { ok: false; errors: FieldMessages };

/** The chosen file with its text in both languages, as the API's upload routes read them. */
export function readPhotoUpload(data: FormData, opts: { altRequired: boolean }): PhotoUpload {
  const file = data.get('file');
  const altFr = str(data, 'altFr').trim();
  const altEn = str(data, 'altEn').trim();
  const errors: FieldMessages = {};
  if (!(file instanceof File) || file.size === 0) errors.file = [m.photo_choose_file()];
  else if (file.size > MAX_PHOTO_BYTES) errors.file = [m.photo_err_file_too_large({ megabytes: MAX_PHOTO_BYTES / 1024 / 1024 })];
  if (opts.altRequired && !altFr && !altEn) errors.altFr = [m.photo_err_alt_required()];
  if (Object.keys(errors).length || !(file instanceof File)) return { ok: false, errors };
  const body = new FormData();
  body.set('altFr', altFr);
  body.set('altEn', altEn);
  // The file last: the API reads the text fields before the file's bytes arrive.
  body.set('file', file, file.name || 'photo');
  return { ok: true, body };
}

/**
 * The listing's photos after moving one a place up or down: the same ids, once each. Moving the
 * first up or the last down (or an id that is not there) changes nothing.
 */
export function movedPhotoOrder(ids: readonly string[], id: string, direction: 'up' | 'down'): string[] {
  const order = [...ids];
  const from = order.indexOf(id);
  const to = direction === 'up' ? from - 1 : from + 1;
  if (from < 0 || to < 0 || to >= order.length) return order;
  order.splice(from, 1);
  order.splice(to, 0, id);
  return order;
}
