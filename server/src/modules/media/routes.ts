import type { FastifyPluginAsync } from 'fastify';
import { isMediaKey } from '../../plugins/storage.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * GET /media/<key>: a stored photo file. Keys are unique per photo (a replaced photo gets a new
 * one), so answers are cached for a year and never revalidated; an ETag still answers 304 to a
 * conditional request. A key outside the key pattern ("..", encoded slashes, absolute paths) is
 * a 404 before the storage is asked. No session is read.
 */
export const mediaRoutes: FastifyPluginAsync = async (app) => {
  app.get('/media/*', { schema: { hide: true } }, async (req, reply) => {
    const key = (req.params as { '*': string })['*'];
    const file = isMediaKey(key) ? await app.storage.open(key) : null;
    if (!file) {
      return reply.code(404).header('cache-control', 'no-store').send({ error: { code: 'not_found', message: 'File not found' } });
    }
    reply.header('cache-control', IMMUTABLE).header('etag', file.etag).header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === file.etag) {
      if (!Buffer.isBuffer(file.body)) file.body.destroy();
      return reply.code(304).send();
    }
    return reply.type(file.contentType).header('content-length', file.size).send(file.body);
  });
};
