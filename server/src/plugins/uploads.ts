import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { MAX_PHOTO_BYTES } from '@tissu/shared';
import { HttpError } from '../errors.js';

/** What busboy throws on a body that is not well-formed multipart: the sender's fault, never a 500. */
const MALFORMED = /multipart|boundary|terminated early|malformed|unexpected end|part header/i;

/**
 * multipart/form-data for the routes registered in the same scope (and only there: elsewhere a
 * multipart body stays 415). One file of at most MAX_PHOTO_BYTES and a few short text fields; the
 * file is read into memory (bounded by that limit) and handed to the route's zod schema as a
 * Buffer with the text fields beside it. Busboy stops reading at the limit, so a 50 MB upload
 * costs 10 MB at most before its 413.
 */
export async function acceptUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 4 * 1024, fieldNameSize: 50, headerPairs: 20 },
  });
  // Thrown from here, an error goes on to the app's error handler, which shapes the answer.
  app.setErrorHandler((err: Error & { statusCode?: number }) => {
    if (err.statusCode === undefined && !(err instanceof HttpError) && !('severity' in err) && MALFORMED.test(err.message)) {
      throw new HttpError(400, 'bad_request', 'The multipart body is not well formed');
    }
    throw err;
  });
}

/** Per person: an uploader behind a shared address is not limited by the others. */
export const uploadsPerPerson = (max: number) => ({
  rateLimit: { max, timeWindow: '1 minute', keyGenerator: (req: { actor?: { userId: string } | null; ip: string }) => req.actor?.userId ?? req.ip },
});
