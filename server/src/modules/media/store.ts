import { randomUUID } from 'node:crypto';
import type { Storage } from '../../plugins/storage.js';
import { photoKey, photoKeys } from './dto.js';
import type { ProcessedPhoto } from './process.js';

export interface Logger {
  warn(obj: object, msg: string): void;
}

/**
 * Writes a processed photo's files under a new id, before any row names them: a row is only ever
 * inserted once its files are there. If writing fails part way, what was written is removed.
 */
export async function writePhotoFiles(storage: Storage, photo: ProcessedPhoto): Promise<{ id: string; keys: string[] }> {
  const id = randomUUID();
  const keys: string[] = [];
  try {
    for (const f of photo.files) {
      const key = photoKey(id, f.width, f.ext);
      keys.push(key);
      await storage.put(key, f.data, f.type);
    }
  } catch (err) {
    await storage.delete(keys).catch(() => undefined);
    throw err;
  }
  return { id, keys };
}

/**
 * Removes a photo's files once the change that dropped its row has committed. A failure leaves
 * files nothing points at (logged), never a row without its files.
 */
export async function removePhotoFiles(storage: Storage, log: Logger, photo: { id: string; widths: number[] }): Promise<void> {
  await storage.delete(photoKeys(photo.id, photo.widths)).catch((err) => log.warn({ err, photoId: photo.id }, 'photo files not removed'));
}
