import type { Photo, UploadCoopImageBody } from '@tissu/shared';
import type { Db } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { notFound } from '../../errors.js';
import type { Storage } from '../../plugins/storage.js';
import { coopImageToPhoto, photoRows, processPhoto, removePhotoFiles, writePhotoFiles } from '../media/index.js';
import { requireCoopRole } from './access.js';

export interface CoopImagesDeps {
  db: Db;
  storage: Storage;
  mediaBase: string;
  log: { warn(obj: object, msg: string): void };
}

type Kind = photoRows.CoopImageKind;
const NAMES: Record<Kind, string> = { logo: 'Logo', cover: 'Cover' };

/**
 * A co-op's logo and cover, set by its admins (others: 403, or 404 for a co-op they cannot see).
 * A new one gets a new id and new files; the one it replaces loses its files after the commit.
 */
export function createCoopImagesService(deps: CoopImagesDeps) {
  const { db, storage, mediaBase, log } = deps;
  return {
    async set(actor: Actor | null, coopId: string, kind: Kind, body: UploadCoopImageBody): Promise<Photo> {
      await requireCoopRole(db, actor, coopId, 'admin');
      const processed = await processPhoto(body.file);
      const files = await writePhotoFiles(storage, processed);
      try {
        const { row, replaced } = await db.transaction(async (tx) => {
          await requireCoopRole(tx, actor, coopId, 'admin');
          const previous = await photoRows.findCoopImage(tx, coopId, kind, true);
          const saved = await photoRows.upsertCoopImage(tx, {
            coopId, kind, id: files.id, altFr: body.altFr, altEn: body.altEn, width: processed.width, height: processed.height, widths: processed.widths,
          });
          return { row: saved, replaced: previous };
        });
        if (replaced) await removePhotoFiles(storage, log, replaced);
        return coopImageToPhoto(row, mediaBase);
      } catch (err) {
        await storage.delete(files.keys).catch((e) => log.warn({ err: e, photoId: files.id }, 'photo files not removed'));
        throw err;
      }
    },

    async remove(actor: Actor | null, coopId: string, kind: Kind): Promise<void> {
      const removed = await db.transaction(async (tx) => {
        await requireCoopRole(tx, actor, coopId, 'admin');
        const row = await photoRows.deleteCoopImage(tx, coopId, kind);
        if (!row) throw notFound(NAMES[kind]);
        return row;
      });
      await removePhotoFiles(storage, log, removed);
    },
  };
}
export type CoopImagesService = ReturnType<typeof createCoopImagesService>;
