import fp from 'fastify-plugin';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MediaKey } from '@tissu/shared';
import type { Config, S3Settings } from './env.js';

/**
 * Where photos' files live, behind one interface: a folder on disk by default, any S3-compatible
 * bucket when configured. Keys look like "photos/<id>/640.webp"; a key is written once and never
 * changed (a new photo gets a new id), which is what lets /media answer with an immutable cache.
 */
export interface StoredFile {
  /** Small files come whole (one read, sent in one write); larger ones as a stream. */
  body: Readable | Buffer;
  size: number;
  etag: string;
  contentType: string;
}

export interface Storage {
  readonly kind: 'disk' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  /** The file as a stream with what an HTTP answer needs, or null when there is none. */
  open(key: string): Promise<StoredFile | null>;
  /** Removes the keys; a key already gone is not an error. */
  delete(keys: string[]): Promise<void>;
}

export const isMediaKey = (key: string): boolean => MediaKey.safeParse(key).success;

function checkKey(key: string): string {
  if (!isMediaKey(key)) throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
  return key;
}

const CONTENT_TYPES: Record<string, string> = { '.avif': 'image/avif', '.webp': 'image/webp', '.jpg': 'image/jpeg', '.png': 'image/png' };
export const contentTypeOf = (key: string): string => CONTENT_TYPES[path.extname(key).toLowerCase()] ?? 'application/octet-stream';

/** Files up to this size are read in one call rather than streamed: a card's photo is a few KB. */
const WHOLE_FILE_BYTES = 256 * 1024;

/** A folder: each key a file under it. A file is written beside its place and renamed in, so a reader never sees half of one. */
export function diskStorage(root: string): Storage {
  const base = path.resolve(root);
  const fileOf = (key: string) => {
    const file = path.resolve(base, checkKey(key));
    if (!file.startsWith(base + path.sep)) throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
    return file;
  };
  const missing = (err: unknown) => (err as { code?: string }).code === 'ENOENT' || (err as { code?: string }).code === 'ENOTDIR';
  return {
    kind: 'disk',
    async put(key, body) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomBytes(6).toString('hex')}.part`;
      try {
        await writeFile(temp, body);
        await rename(temp, file);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async get(key) {
      try {
        return await readFile(fileOf(key));
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },
    async open(key) {
      if (!isMediaKey(key)) return null;
      const file = fileOf(key);
      try {
        const s = await stat(file);
        if (!s.isFile()) return null;
        const body = s.size <= WHOLE_FILE_BYTES ? await readFile(file) : createReadStream(file);
        return { body, size: s.size, etag: `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}"`, contentType: contentTypeOf(key) };
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },
    async delete(keys) {
      const folders = new Set<string>();
      for (const key of keys) {
        const file = fileOf(key);
        await rm(file, { force: true });
        folders.add(path.dirname(file));
      }
      // A photo's folder goes with its last file, and so does each emptied folder above it, up to
      // the key's first folder ("photos/"), which stays: another photo's upload may be creating
      // its own folder in it at this moment. rmdir removes a folder only when it is empty.
      for (const folder of folders) {
        for (let dir = folder; path.dirname(dir) !== base && dir.startsWith(base + path.sep); dir = path.dirname(dir)) {
          try {
            await rmdir(dir);
          } catch {
            break; // not empty (or already gone): nothing above it is empty either
          }
        }
      }
    },
  };
}

/** Any S3-compatible bucket through the official AWS SDK. */
export function s3Storage(s: S3Settings, client?: S3Client): Storage {
  const s3 = client ?? new S3Client({
    region: s.region,
    endpoint: s.endpoint,
    forcePathStyle: s.forcePathStyle,
    credentials: s.accessKeyId && s.secretAccessKey ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } : undefined,
  });
  const Key = (key: string) => s.prefix + checkKey(key);
  const absent = (err: unknown) => {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
  };
  return {
    kind: 's3',
    async put(key, body, contentType) {
      await s3.send(new PutObjectCommand({
        Bucket: s.bucket, Key: Key(key), Body: body, ContentType: contentType, CacheControl: 'public, max-age=31536000, immutable',
      }));
    },
    async get(key) {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: s.bucket, Key: Key(key) }));
        return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : null;
      } catch (err) {
        if (absent(err)) return null;
        throw err;
      }
    },
    async open(key) {
      if (!isMediaKey(key)) return null;
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: s.bucket, Key: Key(key) }));
        const out = await s3.send(new GetObjectCommand({ Bucket: s.bucket, Key: Key(key), IfMatch: head.ETag }));
        return { body: out.Body as Readable, size: Number(out.ContentLength ?? head.ContentLength ?? 0), etag: out.ETag ?? head.ETag ?? '""', contentType: contentTypeOf(key) };
      } catch (err) {
        if (absent(err)) return null;
        throw err;
      }
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        await s3.send(new DeleteObjectsCommand({ Bucket: s.bucket, Delete: { Objects: batch.map((k) => ({ Key: Key(k) })), Quiet: true } }));
      }
    },
  };
}

export function createStorage(media: Config['media']): Storage {
  return media.s3 ? s3Storage(media.s3) : diskStorage(media.dir);
}

declare module 'fastify' {
  interface FastifyInstance {
    storage: Storage;
  }
}

/** The storage is chosen by the caller (server.ts from the config, or a test) and handed in. */
export default fp<{ storage: Storage }>(
  async (app, { storage }) => {
    app.decorate('storage', storage);
  },
  { name: 'storage' },
);
