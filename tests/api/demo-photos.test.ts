/**
 * The demo data's photos: every demo co-op has a logo and a cover, every demo listing 1 to 4
 * photos with text in both languages, each with all its files in the storage, served by /media;
 * drawn and processed here (nothing downloaded), quickly, and added once.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../scripts/seed/index.js';
import { seedDemoPhotos } from '../../scripts/seed/photos.js';
import { createStorage } from '../../server/src/plugins/storage.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { filesUnder } from '../support/photos.js';

let t: TestApp;
let seconds = 0;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.db);
  const t0 = Date.now();
  await seedDemo(t.db, { storage: createStorage(t.config.media) });
  seconds = (Date.now() - t0) / 1000;
}, 180_000);
afterAll(() => t?.close());

describe('the demo photos', () => {
  it('give every demo co-op a logo and a cover, and every listing 1 to 4 described photos, all of whose files are stored', async () => {
    console.log(`demo photos added in ${seconds.toFixed(1)} s`);
    const sql = t.database.sql;
    const coops = await sql`SELECT c.id, count(i.*)::int AS images FROM coops c LEFT JOIN coop_images i ON i.coop_id = c.id GROUP BY c.id`;
    expect(coops.length).toBeGreaterThan(5);
    expect(coops.every((c) => c.images === 2)).toBe(true);
    const listings = await sql`SELECT l.id, count(p.*)::int AS photos FROM listings l LEFT JOIN listing_photos p ON p.listing_id = l.id GROUP BY l.id`;
    expect(listings.every((l) => l.photos >= 1 && l.photos <= 4), JSON.stringify(listings.filter((l) => l.photos < 1 || l.photos > 4))).toBe(true);
    const [missingAlt] = await sql`SELECT count(*)::int AS n FROM listing_photos WHERE alt_fr = '' OR alt_en = ''`;
    expect(missingAlt!.n).toBe(0);
    const rows = await sql`SELECT id, widths FROM listing_photos UNION ALL SELECT id, widths FROM coop_images`;
    const stored = await filesUnder(path.join(t.config.media.dir, 'photos'));
    expect(stored.length).toBe(rows.reduce((n, r) => n + (r.widths as number[]).length * 3, 0));

    const search = (await t.app.inject({ method: 'GET', url: '/listings?limit=6&sort=newest' })).json();
    for (const item of search.items) {
      expect(item.photo, item.titleFr).not.toBeNull();
      const served = await t.app.inject({ method: 'GET', url: item.photo.src });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('image/jpeg');
    }
    const coop = (await t.app.inject({ method: 'GET', url: '/coops/menage-eclat' })).json();
    expect(coop.logo.alt.fr).toContain('Logo');
    expect(coop.cover.width).toBe(1280);
  });

  it('are added once', async () => {
    const before = (await filesUnder(t.config.media.dir)).length;
    expect(await seedDemoPhotos(t.db, createStorage(t.config.media))).toEqual({ photos: 0 });
    expect((await filesUnder(t.config.media.dir)).length).toBe(before);
  });
});
