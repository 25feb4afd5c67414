/**
 * Photos: a photo file served from disk by the API (GET /media/<key>, autocannon, target
 * >= 1,000 req/s) and through the web's /media proxy (reported); then the listing page with 8
 * photos against the same listing with none, asked for one at a time, alternating, so both see the
 * same machine (target: the median with photos within 10 % of the median without). The stack runs
 * on the demo data, whose photos the seed draws.
 *
 *   pnpm bench photos   (builds the web first, unless `pnpm bench web`, `pages` or `series` just did)
 */
import path from 'node:path';
import sharp from 'sharp';
import { schema } from '@tissu/db';
import { MAX_LISTING_PHOTOS } from '@tissu/shared';
import { processPhoto, writePhotoFiles } from '../../server/src/modules/media/index.js';
import { diskStorage } from '../../server/src/plugins/storage.js';
import { alternate, copyListing, NO_SLOWER } from './calendar.js';
import { httpLoad, type Measured } from './measure.js';
import type { BenchServer } from './scratch-db.js';
import { target, type Figure } from './table.js';
import { benchStack } from './web.js';

export const PHOTO_RPS_TARGET = 1_000;

export interface PhotosBench {
  key: string;
  bytes: number;
  api: Measured;
  web: Measured;
  page: { with: Measured; without: Measured };
}

const get = async (url: string) => {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
};

export async function benchPhotos(server: BenchServer, opts: { seconds?: number; connections?: number; runs?: number; build?: boolean } = {}): Promise<PhotosBench> {
  const seconds = opts.seconds ?? 10;
  const connections = opts.connections ?? 10;
  const runs = opts.runs ?? 200;
  const dataDir = 'bench-photos';
  const { stack, scratch } = await benchStack(server, { build: opts.build ?? true, dataDir });
  try {
    const { sql, db } = scratch.database;
    // A card-sized photo of the demo, as a phone on a search page asks for it.
    const [photo] = await sql<{ id: string }[]>`SELECT id FROM listing_photos ORDER BY position, id LIMIT 1`;
    if (!photo) throw new Error('photos bench: the demo data has no photos');
    const key = `photos/${photo.id}/640.webp`;
    const probe = await fetch(`${stack.apiUrl}/media/${key}`);
    const bytes = (await probe.arrayBuffer()).byteLength;
    if (probe.status !== 200) throw new Error(`photos bench: /media/${key} answered ${probe.status}`);
    const api = await httpLoad(stack.apiUrl, [{ method: 'GET', path: `/media/${key}` }], seconds, connections);
    const web = await httpLoad(stack.webUrl, [{ method: 'GET', path: `/media/${key}` }], seconds, connections);

    const [source] = await sql<{ id: string }[]>`
      SELECT l.id FROM listings l JOIN coops c ON c.id = l.coop_id JOIN listing_schedules s ON s.listing_id = l.id
      WHERE l.status = 'active' AND c.status = 'approved' ORDER BY l.created_at LIMIT 1`;
    const without = await copyListing(sql, source!.id);
    const withPhotos = await copyListing(sql, source!.id);
    // Eight real photos, processed and stored as an upload is, in the stack's own storage.
    const storage = diskStorage(path.join(process.cwd(), '.data', dataDir, 'media'));
    const image = await sharp({ create: { width: 1600, height: 1067, channels: 3, background: '#2a6f97' } }).jpeg().toBuffer();
    const processed = await processPhoto(image);
    for (let i = 0; i < MAX_LISTING_PHOTOS; i++) {
      const { id } = await writePhotoFiles(storage, processed);
      await db.insert(schema.listingPhotos).values({
        id, listingId: withPhotos, position: i, altFr: `Photo ${i + 1}`, altEn: `Photo ${i + 1}`, width: processed.width, height: processed.height, widths: processed.widths,
      });
    }
    const page = (id: string) => () => get(`${stack.webUrl}/listings/${id}`);
    const [pageWith, pageWithout] = await alternate(runs, 'listing page', page(withPhotos), page(without));
    return { key, bytes, api, web, page: { with: pageWith, without: pageWithout } };
  } finally {
    await stack.stop();
    await scratch.drop();
  }
}

export function photosFigures(b: PhotosBench): Figure[] {
  const size = `${(b.bytes / 1024).toFixed(0)} KB WebP`;
  return [
    { scenario: `a photo served from disk (${size})`, via: 'api', ...b.api, target: target(`>= ${PHOTO_RPS_TARGET.toLocaleString('en')} req/s`, b.api.rps >= PHOTO_RPS_TARGET) },
    { scenario: `the same photo through the web's /media proxy`, via: 'web', ...b.web },
    { scenario: 'listing page, no photos', via: 'web', ...b.page.without },
    {
      scenario: `listing page, ${MAX_LISTING_PHOTOS} photos`, via: 'web', ...b.page.with,
      target: target(`p50 <= ${NO_SLOWER} x without (${(b.page.without.p50 * NO_SLOWER).toFixed(1)} ms)`, b.page.with.p50 <= b.page.without.p50 * NO_SLOWER),
    },
  ];
}
