import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A few S3 calls as an S3-compatible service answers them (path-style: /bucket/key): PUT, GET, HEAD
 * and DELETE of an object and the multi-object delete (POST ?delete). Enough to run the storage's
 * S3 side through the real AWS SDK without the network; objects live in memory. Every request must
 * carry an AWS Signature V4 Authorization header with the expected key id.
 */
export async function startFakeS3(opts: { bucket: string; accessKeyId: string }) {
  const objects = new Map<string, { body: Buffer; type: string; etag: string; cacheControl?: string }>();
  const requests: string[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  /** aws-chunked bodies: "<hex size>[;chunk-signature=...]\r\n<data>\r\n" ... "0\r\n<trailers>". */
  const unchunk = (raw: Buffer) => {
    const out: Buffer[] = [];
    let at = 0;
    for (;;) {
      const eol = raw.indexOf('\r\n', at);
      const size = parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0]!, 16);
      if (!size) break;
      out.push(raw.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    return Buffer.concat(out);
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const auth = String(req.headers.authorization ?? '');
    if (!auth.startsWith('AWS4-HMAC-SHA256 ') || !auth.includes(`Credential=${opts.accessKeyId}/`)) {
      res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (bucket !== opts.bucket) {
      res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchBucket</Code></Error>');
      return;
    }
    if (req.method === 'POST' && url.searchParams.has('delete')) {
      const xml = (await read(req)).toString('utf8');
      for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) objects.delete(m[1]!.replace(/&amp;/g, '&'));
      res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><DeleteResult></DeleteResult>');
      return;
    }
    if (req.method === 'PUT') {
      const raw = await read(req);
      const body = String(req.headers['content-encoding'] ?? '').includes('aws-chunked') || String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING') ? unchunk(raw) : raw;
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      objects.set(key, { body, type: String(req.headers['content-type'] ?? 'application/octet-stream'), etag, cacheControl: req.headers['cache-control'] });
      res.writeHead(200, { etag }).end();
      return;
    }
    const object = objects.get(key);
    if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204).end();
      return;
    }
    if (!object) {
      res.writeHead(404, { 'content-type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      return;
    }
    const headers = { 'content-type': object.type, 'content-length': String(object.body.length), etag: object.etag, ...(object.cacheControl ? { 'cache-control': object.cacheControl } : {}) };
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : object.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, objects, requests, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
