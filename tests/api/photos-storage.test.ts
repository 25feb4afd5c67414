/**
 * The storage behind photos: the same contract for the folder on disk and for an S3-compatible
 * bucket through the official AWS SDK. There is no S3 service here, so the bucket is a small
 * S3-compatible server in the test (tests/support/s3-fake.ts) that the SDK talks to over HTTP,
 * signed; the full upload path then runs on it: files go to the bucket, /media streams them from
 * it, removal deletes them.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Photo } from '@tissu/shared';
import { diskStorage, s3Storage, type Storage } from '../../server/src/plugins/storage.js';
import { createTestApp, makeSteward, signUp } from '../support/test-app.js';
import { approvedCoop, publishListing } from '../support/fixtures.js';
import { filesUnder, multipart, photo } from '../support/photos.js';
import { startFakeS3 } from '../support/s3-fake.js';

let s3: Awaited<ReturnType<typeof startFakeS3>>;
let dir: string;
const KEYS = { bucket: 'tissu-photos', accessKeyId: 'AKIATISSUTEST', secretAccessKey: 'secret-for-tests' };

beforeAll(async () => {
  s3 = await startFakeS3(KEYS);
  dir = await mkdtemp(path.join(tmpdir(), 'tissu-storage-'));
});
afterAll(async () => {
  await s3?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const bucket = (prefix = '') => s3Storage({ bucket: KEYS.bucket, region: 'us-east-1', endpoint: s3.url, accessKeyId: KEYS.accessKeyId, secretAccessKey: KEYS.secretAccessKey, forcePathStyle: true, prefix });
const read = async (s: Storage, key: string) => {
  const file = await s.open(key);
  if (!file) return null;
  if (Buffer.isBuffer(file.body)) return { ...file, data: file.body };
  const chunks: Buffer[] = [];
  for await (const c of file.body) chunks.push(Buffer.from(c as Uint8Array));
  return { ...file, data: Buffer.concat(chunks) };
};

describe.each([
  ['disk', () => diskStorage(dir)],
  ['S3 (through the AWS SDK)', () => bucket('tissu/')],
])('the %s storage', (_name, make) => {
  it('puts, gets, opens with size, type and ETag, and deletes; a missing key is null, deleting it again is no error', async () => {
    const s = make();
    const data = Buffer.from('not really an image, but bytes');
    await s.put('photos/0b0e7c4e-5d2a-4f53-9f0e-1d1c2b3a4f5e/320.webp', data, 'image/webp');
    expect(await s.get('photos/0b0e7c4e-5d2a-4f53-9f0e-1d1c2b3a4f5e/320.webp')).toEqual(data);
    const opened = await read(s, 'photos/0b0e7c4e-5d2a-4f53-9f0e-1d1c2b3a4f5e/320.webp');
    expect(opened).toMatchObject({ size: data.length, contentType: 'image/webp', data });
    expect(opened!.etag).toMatch(/^".+"$/);
    expect(await s.get('photos/0b0e7c4e-5d2a-4f53-9f0e-1d1c2b3a4f5e/640.webp')).toBeNull();
    expect(await s.open('photos/0b0e7c4e-5d2a-4f53-9f0e-1d1c2b3a4f5e/640.webp')).toBeNull();
    await s.delete(['photos/0b0e7c4e-5d2a-4f53-9f0e-1d1c2b3a4f5e/320.webp']);
    expect(await s.get('photos/0b0e7c4e-5d2a-4f53-9f0e-1d1c2b3a4f5e/320.webp')).toBeNull();
    await s.delete(['photos/0b0e7c4e-5d2a-4f53-9f0e-1d1c2b3a4f5e/320.webp']);
  });

  it('refuses keys that leave their place', async () => {
    const s = make();
    for (const key of ['../x.jpg', 'photos/../../x.jpg', '/etc/passwd', 'photos//x.jpg', 'photos/a\\b.jpg', '']) {
      await expect(s.put(key, Buffer.from('x'), 'image/jpeg'), key).rejects.toThrow(/Invalid storage key/);
      expect(await s.open(key), key).toBeNull();
    }
  });
});

describe('the disk storage’s folders', () => {
  it('a photo’s folder goes with its last file (and each emptied folder up to "photos/"); a folder still holding files stays', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tissu-storage-dirs-'));
    try {
      const s = diskStorage(root);
      const a = 'photos/1a2b3c4d-0000-4000-8000-000000000001';
      const b = 'photos/1a2b3c4d-0000-4000-8000-000000000002';
      const deep = 'photos/nested/1a2b3c4d-0000-4000-8000-000000000003';
      for (const key of [`${a}/320.webp`, `${a}/640.webp`, `${b}/320.webp`, `${deep}/320.webp`]) await s.put(key, Buffer.from('x'), 'image/webp');
      await s.delete([`${a}/320.webp`]);
      expect(await readdir(path.join(root, a))).toEqual(['640.webp']);
      await s.delete([`${a}/640.webp`]);
      await s.delete([`${deep}/320.webp`]);
      expect((await readdir(path.join(root, 'photos'))).sort()).toEqual([b.split('/')[1]]);
      await s.delete([`${b}/320.webp`]);
      expect(await readdir(path.join(root, 'photos'))).toEqual([]);
      expect(await readdir(root)).toEqual(['photos']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('photos in an S3 bucket', () => {
  it('are uploaded to the bucket, served from it through /media, and deleted from it', async () => {
    const t = await createTestApp({
      S3_BUCKET: KEYS.bucket, S3_ENDPOINT: s3.url, S3_ACCESS_KEY_ID: KEYS.accessKeyId, S3_SECRET_ACCESS_KEY: KEYS.secretAccessKey, S3_PREFIX: 'app/',
    });
    try {
      const steward = await signUp(t.app);
      await makeSteward(t, steward.userId);
      const admin = await signUp(t.app);
      const coop = await approvedCoop(t, steward, admin);
      const listing = await publishListing(t, admin, coop.id);
      const body = multipart({ altFr: 'Un vélo réparé' }, { data: await photo(700, 500) });
      const res = await t.app.inject({ method: 'POST', url: `/listings/${listing.id}/photos`, headers: { ...admin.auth, ...body.headers }, payload: body.payload });
      expect(res.statusCode, res.body).toBe(201);
      const p = res.json() as Photo;
      const inBucket = [...s3.objects.keys()].filter((k) => k.startsWith(`app/photos/${p.id}/`)).sort();
      expect(inBucket).toEqual(['320.avif', '320.jpg', '320.webp', '640.avif', '640.jpg', '640.webp', '700.avif', '700.jpg', '700.webp'].map((f) => `app/photos/${p.id}/${f}`));
      expect(s3.objects.get(`app/photos/${p.id}/700.jpg`)).toMatchObject({ type: 'image/jpeg', cacheControl: 'public, max-age=31536000, immutable' });
      // Nothing on disk.
      expect(await filesUnder(t.config.media.dir)).toEqual([]);

      const served = await t.app.inject({ method: 'GET', url: p.src });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('image/jpeg');
      expect(served.rawPayload).toEqual(s3.objects.get(`app/photos/${p.id}/700.jpg`)!.body);
      const again = await t.app.inject({ method: 'GET', url: p.src, headers: { 'if-none-match': String(served.headers.etag) } });
      expect(again.statusCode).toBe(304);

      const gone = await t.app.inject({ method: 'DELETE', url: `/listings/${listing.id}/photos/${p.id}`, headers: admin.auth });
      expect(gone.statusCode).toBe(200);
      expect([...s3.objects.keys()].filter((k) => k.includes(p.id))).toEqual([]);
      expect((await t.app.inject({ method: 'GET', url: p.src })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('have their URLs at MEDIA_PUBLIC_URL when a bucket or CDN serves them', async () => {
    const t = await createTestApp({ MEDIA_PUBLIC_URL: 'https://cdn.example.org/tissu/' });
    try {
      const steward = await signUp(t.app);
      await makeSteward(t, steward.userId);
      const admin = await signUp(t.app);
      const coop = await approvedCoop(t, steward, admin);
      const listing = await publishListing(t, admin, coop.id);
      const body = multipart({ altEn: 'A bike' }, { data: await photo(400, 300) });
      const p = (await t.app.inject({ method: 'POST', url: `/listings/${listing.id}/photos`, headers: { ...admin.auth, ...body.headers }, payload: body.payload })).json() as Photo;
      expect(p.src).toBe(`https://cdn.example.org/tissu/photos/${p.id}/400.jpg`);
      expect(p.sources[0]!.srcset).toBe(`https://cdn.example.org/tissu/photos/${p.id}/320.avif 320w, https://cdn.example.org/tissu/photos/${p.id}/400.avif 400w`);
    } finally {
      await t.close();
    }
  });
});
