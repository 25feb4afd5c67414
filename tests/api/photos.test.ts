/**
 * Photos through the API: a co-op admin's upload is read by its content, made in three widths and
 * three formats with no metadata left, stored, served with a year's cache and shown on the listing,
 * the search card and the co-op. Bad files are refused with a 4xx and leave nothing behind, in the
 * storage folder or the tables; removing a photo removes its files.
 */
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LISTING_PHOTOS, type Photo } from '@tissu/shared';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, publishListing, setSchedule } from '../support/fixtures.js';
import { filesUnder, multipart, photo, pngBomb } from '../support/photos.js';

let t: TestApp;
let steward: SignedIn;
let adminA: SignedIn;
let adminB: SignedIn;
let client: SignedIn;
let coopA: { id: string; slug: string };
let coopB: { id: string };
let mediaDir: string;

beforeAll(async () => {
  t = await createTestApp({ UPLOAD_RATE_LIMIT_PER_MINUTE: '1000' });
  mediaDir = t.config.media.dir;
  steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  adminA = await signUp(t.app);
  adminB = await signUp(t.app);
  client = await signUp(t.app);
  coopA = await approvedCoop(t, steward, adminA, 'Ménage Lumière');
  coopB = await approvedCoop(t, steward, adminB, 'Jardins Partagés');
}, 60_000);
afterAll(() => t?.close());

const upload = (listingId: string, who: SignedIn | null, fields: Record<string, string>, file?: Parameters<typeof multipart>[1]) => {
  const body = multipart(fields, file);
  return t.app.inject({ method: 'POST', url: `/listings/${listingId}/photos`, headers: { ...(who?.auth ?? {}), ...body.headers }, payload: body.payload });
};
const setImage = (coopId: string, kind: 'logo' | 'cover', who: SignedIn, fields: Record<string, string>, data: Buffer) => {
  const body = multipart(fields, { data });
  return t.app.inject({ method: 'PUT', url: `/coops/${coopId}/${kind}`, headers: { ...who.auth, ...body.headers }, payload: body.payload });
};
const keysOf = (p: Photo) => [p.src, ...p.srcset.split(', '), ...p.sources.flatMap((s) => s.srcset.split(', '))]
  .map((s) => s.split(' ')[0]!.replace(/^\/media\//, ''));
const rowCount = async (table: 'listing_photos' | 'coop_images') => (await t.database.sql`SELECT count(*)::int AS n FROM ${t.database.sql(table)}`)[0]!.n as number;

describe('uploading a listing photo', () => {
  it('strips EXIF and GPS, honours the orientation, never upscales, stores every variant and shows it on the listing', async () => {
    const listing = await publishListing(t, adminA, coopA.id);
    // 800 × 600 stored, orientation 6 (turned a quarter): the photo is 600 wide and 800 high.
    const phone = await photo(800, 600, { gps: true, orientation: 6 });
    expect((await sharp(phone).metadata()).exif).toBeDefined();
    const res = await upload(listing.id, adminA, { altFr: 'Une cuisine propre', altEn: 'A clean kitchen' }, { data: phone, filename: 'IMG_0001.JPG' });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json() as Photo;
    expect(p).toMatchObject({ width: 600, height: 800, alt: { fr: 'Une cuisine propre', en: 'A clean kitchen' }, position: 0 });
    expect(p.src).toBe(`/media/photos/${p.id}/600.jpg`);
    expect(p.srcset).toBe(`/media/photos/${p.id}/320.jpg 320w, /media/photos/${p.id}/600.jpg 600w`);
    expect(p.sources).toEqual([
      { type: 'image/avif', srcset: `/media/photos/${p.id}/320.avif 320w, /media/photos/${p.id}/600.avif 600w` },
      { type: 'image/webp', srcset: `/media/photos/${p.id}/320.webp 320w, /media/photos/${p.id}/600.webp 600w` },
    ]);
    const stored = await filesUnder(path.join(mediaDir, 'photos', p.id));
    expect(stored).toEqual(['320.avif', '320.jpg', '320.webp', '600.avif', '600.jpg', '600.webp']);
    for (const key of new Set(keysOf(p))) {
      const served = await t.app.inject({ method: 'GET', url: `/media/${key}` });
      expect(served.statusCode, key).toBe(200);
      const meta = await sharp(served.rawPayload).metadata();
      expect(meta.exif, key).toBeUndefined();
      expect(meta.xmp, key).toBeUndefined();
      expect(meta.orientation ?? 1, key).toBe(1);
      expect(meta.height! > meta.width!, key).toBe(true);
    }
    const read = await t.app.inject({ method: 'GET', url: `/listings/${listing.id}` });
    expect(read.json().photos).toEqual([p]);
    expect(read.json().photo).toEqual(p);
  });

  it('serves files with a year of immutable cache, their type, an ETag and 304, and nothing outside the media folder', async () => {
    const listing = await publishListing(t, adminA, coopA.id);
    const p = (await upload(listing.id, adminA, { altFr: 'Salon' }, { data: await photo(1600, 900, { format: 'png' }), type: 'image/png', filename: 'a.png' })).json() as Photo;
    expect(p).toMatchObject({ width: 1280, height: 720 });
    const types = { avif: 'image/avif', webp: 'image/webp', jpg: 'image/jpeg' } as const;
    for (const [ext, type] of Object.entries(types)) {
      const res = await t.app.inject({ method: 'GET', url: `/media/photos/${p.id}/1280.${ext}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-length']).toBe(String(res.rawPayload.length));
      expect(res.headers.etag).toMatch(/^".+"$/);
      const again = await t.app.inject({ method: 'GET', url: `/media/photos/${p.id}/1280.${ext}`, headers: { 'if-none-match': String(res.headers.etag) } });
      expect(again.statusCode).toBe(304);
      expect(again.rawPayload.length).toBe(0);
    }
    for (const url of [
      '/media/../package.json', '/media/%2e%2e/%2e%2e/package.json', '/media/photos/..%2f..%2fjwt-secret', '/media/..%2fjwt-secret',
      '/media/photos/%2e%2e/%2e%2e/jwt-secret', '/media//etc/passwd', '/media/%2Fetc%2Fpasswd', `/media/photos/${p.id}/9999.jpg`, '/media/', '/media/photos',
      `/media/photos/${p.id}`, '/media/jwt-secret',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain(t.config.jwtSecret);
    }
  });

  it('limits uploads per person per minute', async () => {
    const limited = await createTestApp({ UPLOAD_RATE_LIMIT_PER_MINUTE: '7' });
    try {
      const s = await signUp(limited.app);
      await makeSteward(limited, s.userId);
      const admin = await signUp(limited.app);
      const coop = await approvedCoop(limited, s, admin);
      const listing = await publishListing(limited, admin, coop.id);
      const body = multipart({ altFr: 'x' }, { data: Buffer.from('not an image') });
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        statuses.push((await limited.app.inject({ method: 'POST', url: `/listings/${listing.id}/photos`, headers: { ...admin.auth, ...body.headers }, payload: body.payload })).statusCode);
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 429]);
    } finally {
      await limited.close();
    }
  });

  it('refuses what is not a real image, or too big, with a clear 4xx, and stores nothing', async () => {
    const listing = await publishListing(t, adminA, coopA.id);
    const before = { files: await filesUnder(mediaDir), rows: await rowCount('listing_photos') };
    const jpeg = await photo(640, 480);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(document.cookie)</script><rect width="100" height="100"/></svg>');
    const cases: { name: string; file: Buffer; type?: string; filename?: string; status: number; code: string; field?: string }[] = [
      { name: 'a PDF renamed .jpg', file: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'), filename: 'photo.jpg', status: 400, code: 'not_an_image' },
      { name: 'an SVG with a script', file: svg, type: 'image/svg+xml', filename: 'logo.svg', status: 400, code: 'not_an_image' },
      { name: 'the same SVG named .png', file: svg, type: 'image/png', filename: 'logo.png', status: 400, code: 'not_an_image' },
      { name: 'a truncated JPEG', file: jpeg.subarray(0, Math.floor(jpeg.length / 2)), status: 400, code: 'not_an_image' },
      { name: 'a JPEG header alone', file: jpeg.subarray(0, 200), status: 400, code: 'not_an_image' },
      { name: 'text', file: Buffer.from('hello, world'), type: 'text/plain', status: 400, code: 'not_an_image' },
      { name: 'a GIF', file: Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'), type: 'image/gif', status: 400, code: 'not_an_image' },
      { name: 'a 30,000 × 30,000 PNG', file: pngBomb(), type: 'image/png', status: 400, code: 'image_too_many_pixels' },
      { name: 'a 50 MB file', file: Buffer.alloc(50 * 1024 * 1024, 0xff), status: 413, code: 'file_too_large' },
    ];
    for (const c of cases) {
      const t0 = Date.now();
      const res = await upload(listing.id, adminA, { altFr: 'Photo' }, { data: c.file, type: c.type, filename: c.filename });
      expect(res.statusCode, `${c.name}: ${res.body}`).toBe(c.status);
      expect(res.json().error.fields.file.map((e: { code: string }) => e.code), c.name).toEqual([c.code]);
      // Refused from the header: no decoding, whatever the image claims.
      expect(Date.now() - t0, c.name).toBeLessThan(3_000);
    }
    const noFile = await upload(listing.id, adminA, { altFr: 'Photo' });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.fields.file[0].code).toBe('required');
    const noAlt = await upload(listing.id, adminA, { altFr: '  ', altEn: '' }, { data: jpeg });
    expect(noAlt.statusCode).toBe(400);
    expect(noAlt.json().error.fields.altFr[0].code).toBe('alt_required');
    const twoFiles = multipart({ altFr: 'x' }, { data: jpeg });
    const doubled = Buffer.concat([twoFiles.payload.subarray(0, twoFiles.payload.lastIndexOf('--' + twoFiles.headers['content-type'].split('=')[1] + '--')),
      multipart({}, { data: jpeg }).payload]);
    const two = await t.app.inject({ method: 'POST', url: `/listings/${listing.id}/photos`, headers: { ...adminA.auth, ...twoFiles.headers }, payload: doubled });
    expect(two.statusCode, two.body).toBeGreaterThanOrEqual(400);
    expect(two.statusCode, two.body).toBeLessThan(500);
    expect(two.statusCode).toBeLessThan(500);
    const json = await t.app.inject({ method: 'POST', url: `/listings/${listing.id}/photos`, headers: adminA.auth, payload: { file: jpeg.toString('base64'), altFr: 'x' } });
    expect(json.statusCode).toBe(400);
    expect(await filesUnder(mediaDir)).toEqual(before.files);
    expect(await rowCount('listing_photos')).toBe(before.rows);
  }, 60_000);

  it(`takes at most ${MAX_LISTING_PHOTOS} photos: the next one is refused and leaves no file`, async () => {
    const listing = await publishListing(t, adminA, coopA.id);
    const small = await photo(400, 300, { format: 'webp' });
    for (let i = 0; i < MAX_LISTING_PHOTOS; i++) {
      const res = await upload(listing.id, adminA, { altEn: `Photo ${i + 1}` }, { data: small, type: 'image/webp' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().position).toBe(i);
    }
    const files = await filesUnder(mediaDir);
    const ninth = await upload(listing.id, adminA, { altEn: 'One more' }, { data: small });
    expect(ninth.statusCode).toBe(409);
    expect(ninth.json().error.code).toBe('too_many_photos');
    expect(await filesUnder(mediaDir)).toEqual(files);
    // Nine sent at once to a listing with room for one: one gets in.
    const removed = (await t.app.inject({ method: 'GET', url: `/listings/${listing.id}` })).json().photos[0] as Photo;
    expect((await t.app.inject({ method: 'DELETE', url: `/listings/${listing.id}/photos/${removed.id}`, headers: adminA.auth })).statusCode).toBe(200);
    const racing = await Promise.all(Array.from({ length: 4 }, (_, i) => upload(listing.id, adminA, { altEn: `Race ${i}` }, { data: small })));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    const [{ n }] = await t.database.sql`SELECT count(*)::int AS n FROM listing_photos WHERE listing_id = ${listing.id}` as unknown as [{ n: number }];
    expect(n).toBe(MAX_LISTING_PHOTOS);
    const dirs = new Set((await filesUnder(path.join(mediaDir, 'photos'))).map((f) => f.split('/')[0]));
    const ids = (await t.database.sql`SELECT id FROM listing_photos UNION ALL SELECT id FROM coop_images`).map((r) => r.id as string);
    expect([...dirs].sort()).toEqual([...ids].sort());
  }, 120_000);

  it("lets only the listing's co-op admins upload: 401, 403 or 404 for everyone else, with nothing stored", async () => {
    const listing = await publishListing(t, adminA, coopA.id);
    const paused = await publishListing(t, adminA, coopA.id);
    await t.app.inject({ method: 'PATCH', url: `/listings/${paused.id}`, headers: adminA.auth, payload: { status: 'paused' } });
    const data = await photo(400, 300);
    const files = await filesUnder(mediaDir);
    expect((await upload(listing.id, null, { altFr: 'x' }, { data })).statusCode).toBe(401);
    expect((await upload(listing.id, client, { altFr: 'x' }, { data })).statusCode).toBe(403);
    expect((await upload(listing.id, adminB, { altFr: 'x' }, { data })).statusCode).toBe(403);
    expect((await upload(listing.id, steward, { altFr: 'x' }, { data })).statusCode).toBe(403);
    // A listing they cannot see does not exist for them.
    expect((await upload(paused.id, adminB, { altFr: 'x' }, { data })).statusCode).toBe(404);
    expect((await upload(paused.id, client, { altFr: 'x' }, { data })).statusCode).toBe(404);
    expect((await upload('00000000-0000-4000-8000-000000000000', adminA, { altFr: 'x' }, { data })).statusCode).toBe(404);
    expect(await filesUnder(mediaDir)).toEqual(files);
    // B's admin cannot reach A's photo through B's listing either.
    const mine = (await upload(listing.id, adminA, { altFr: 'x' }, { data })).json() as Photo;
    const ofB = await publishListing(t, adminB, coopB.id);
    expect((await t.app.inject({ method: 'DELETE', url: `/listings/${ofB.id}/photos/${mine.id}`, headers: adminB.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PATCH', url: `/listings/${ofB.id}/photos/${mine.id}`, headers: adminB.auth, payload: { altFr: 'volé' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/listings/${listing.id}/photos/${mine.id}`, headers: adminB.auth })).statusCode).toBe(403);
    expect(await filesUnder(path.join(mediaDir, 'photos', mine.id))).toHaveLength(6);
  });
});

describe("changing a listing's photos", () => {
  it('describes, orders exactly the listing’s photos, and removes a photo with its files', async () => {
    const listing = await publishListing(t, adminA, coopA.id);
    const ids: string[] = [];
    for (const alt of ['Un', 'Deux', 'Trois']) {
      ids.push((await upload(listing.id, adminA, { altFr: alt }, { data: await photo(500, 400) })).json().id);
    }
    const patch = (id: string, payload: object) => t.app.inject({ method: 'PATCH', url: `/listings/${listing.id}/photos/${id}`, headers: adminA.auth, payload });
    const described = await patch(ids[0]!, { altEn: 'One' });
    expect(described.json().alt).toEqual({ fr: 'Un', en: 'One' });
    const emptied = await patch(ids[0]!, { altFr: '', altEn: '' });
    expect(emptied.statusCode, emptied.body).toBe(400);
    expect(emptied.json().error.fields.altFr[0].code).toBe('alt_required');

    const order = (photoIds: string[]) => t.app.inject({ method: 'PUT', url: `/listings/${listing.id}/photos/order`, headers: adminA.auth, payload: { photoIds } });
    for (const wrong of [[ids[0]!, ids[1]!], [ids[0]!, ids[1]!, ids[1]!], [ids[0]!, ids[1]!, '00000000-0000-4000-8000-000000000000'], [...ids, ids[0]!]]) {
      const res = await order(wrong);
      expect(res.statusCode, JSON.stringify(wrong)).toBe(400);
      expect(res.json().error.fields.photoIds[0].code).toBe('photo_order_mismatch');
    }
    const reordered = await order([ids[2]!, ids[0]!, ids[1]!]);
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json().items.map((p: Photo) => [p.id, p.position])).toEqual([[ids[2], 0], [ids[0], 1], [ids[1], 2]]);
    expect((await t.app.inject({ method: 'GET', url: `/listings/${listing.id}` })).json().photo.id).toBe(ids[2]);

    const gone = await t.app.inject({ method: 'DELETE', url: `/listings/${listing.id}/photos/${ids[0]}`, headers: adminA.auth });
    expect(gone.statusCode).toBe(200);
    expect(await filesUnder(path.join(mediaDir, 'photos', ids[0]!))).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/media/photos/${ids[0]}/500.jpg` })).statusCode).toBe(404);
    const left = (await t.app.inject({ method: 'GET', url: `/listings/${listing.id}` })).json().photos as Photo[];
    expect(left.map((p) => [p.id, p.position])).toEqual([[ids[2], 0], [ids[1], 1]]);
    expect((await t.app.inject({ method: 'DELETE', url: `/listings/${listing.id}/photos/${ids[0]}`, headers: adminA.auth })).statusCode).toBe(404);
  });
});

describe("a co-op's logo and cover", () => {
  it('are set and replaced by its admins (the old files go), shown on the co-op and on cards of listings without photos', async () => {
    const coop = await approvedCoop(t, steward, adminA, 'Couverture Coop');
    const withPhoto = await publishListing(t, adminA, coop.id, { titleFr: 'Avec photo' });
    const without = await publishListing(t, adminA, coop.id, { titleFr: 'Sans photo' });
    await setSchedule(t, adminA, withPhoto.id);
    await setSchedule(t, adminA, without.id);
    const own = (await upload(withPhoto.id, adminA, { altFr: 'Photo propre' }, { data: await photo(700, 500) })).json() as Photo;

    expect((await setImage(coop.id, 'logo', client, {}, await photo(300, 300))).statusCode).toBe(403);
    expect((await setImage(coop.id, 'logo', adminB, {}, await photo(300, 300))).statusCode).toBe(403);
    const logo = await setImage(coop.id, 'logo', adminA, {}, await photo(300, 300, { format: 'png' }));
    expect(logo.statusCode, logo.body).toBe(200);
    expect(logo.json()).toMatchObject({ width: 300, height: 300, alt: { fr: '', en: '' } });
    const first = await setImage(coop.id, 'cover', adminA, { altFr: 'Notre équipe', altEn: 'Our team' }, await photo(2000, 800));
    const second = await setImage(coop.id, 'cover', adminA, { altFr: 'Notre équipe au travail', altEn: 'Our team at work' }, await photo(1800, 600));
    expect(second.statusCode, second.body).toBe(200);
    const cover = second.json() as Photo;
    expect(cover.id).not.toBe(first.json().id);
    expect(cover).toMatchObject({ width: 1280, height: 427 });
    expect(await filesUnder(path.join(mediaDir, 'photos', first.json().id))).toEqual([]);
    expect(await filesUnder(path.join(mediaDir, 'photos', cover.id))).toHaveLength(9);

    const read = (await t.app.inject({ method: 'GET', url: `/coops/${coop.slug}` })).json();
    expect(read.logo).toEqual(logo.json());
    expect(read.cover).toEqual(cover);
    expect((await t.app.inject({ method: 'GET', url: '/coops' })).json().items.find((c: { id: string }) => c.id === coop.id).cover).toEqual(cover);
    const search = (await t.app.inject({ method: 'GET', url: `/listings?coop=${coop.slug}` })).json().items as { id: string; photo: Photo | null; photos: Photo[] }[];
    expect(search.find((l) => l.id === withPhoto.id)).toMatchObject({ photo: own, photos: [own] });
    expect(search.find((l) => l.id === without.id)).toMatchObject({ photo: cover, photos: [] });

    expect((await t.app.inject({ method: 'DELETE', url: `/coops/${coop.id}/cover`, headers: client.auth })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/coops/${coop.id}/cover`, headers: adminA.auth })).statusCode).toBe(200);
    expect(await filesUnder(path.join(mediaDir, 'photos', cover.id))).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: `/coops/${coop.id}/cover`, headers: adminA.auth })).statusCode).toBe(404);
    const after = (await t.app.inject({ method: 'GET', url: `/listings/${without.id}` })).json();
    expect(after.photo).toBeNull();
    expect((await t.app.inject({ method: 'GET', url: `/coops/${coop.id}` })).json()).toMatchObject({ cover: null, logo: logo.json() });
  });
});
