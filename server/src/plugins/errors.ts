import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { MAX_PHOTO_BYTES, fieldError, fieldErrorOf, valueAt, type ErrorCode, type FieldErrors } from '@tissu/shared';
import { HttpError, pgErrorCode } from '../errors.js';

/** postgres.js connection failures and PostgreSQL's "cannot serve now" codes (class 08, shutdown, starting up). */
const CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03']);

function databaseUnreachable(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  }
  return false;
}

function send(reply: FastifyReply, status: number, code: ErrorCode, message: string, fields?: FieldErrors) {
  return reply.code(status).send({ error: fields ? { code, message, fields } : { code, message } });
}

/** "/pricing/0/amountCents" -> "pricing.0.amountCents"; a missing path names the whole part. */
function fieldName(instancePath: string | undefined, context: string | undefined): string {
  const path = (instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  return path || (context === 'body' ? '_body' : (context ?? '_'));
}

/** Postgres error codes a request can cause; everything else is our bug and answers 500. */
const PG_ERRORS: Record<string, [number, ErrorCode, string]> = {
  '23505': [409, 'conflict', 'This already exists'],
  '23P01': [409, 'conflict', 'This conflicts with an existing record'],
  '23503': [409, 'conflict', 'A related record does not exist or is still in use'],
  // Raised by the triggers that freeze history (ledger, booking events, approved surplus plans).
  '23001': [409, 'conflict', 'This record can no longer be changed'],
  '22P02': [400, 'validation_failed', 'A value has the wrong format'],
  '22001': [400, 'validation_failed', 'A value is too long'],
  '22003': [400, 'validation_failed', 'A number is out of range'],
  '22021': [400, 'validation_failed', 'A value contains characters that cannot be stored'],
  '22P05': [400, 'validation_failed', 'A value contains characters that cannot be stored'],
  '54001': [400, 'validation_failed', 'The request is too complex'],
  // Two requests took the same rows in opposite orders (PostgreSQL ended one) or could not be serialized:
  // the one that lost wrote nothing and can be sent again.
  '40P01': [409, 'busy', 'Someone changed this at the same moment: try again'],
  '40001': [409, 'busy', 'Someone changed this at the same moment: try again'],
};

export default fp(
  async (app) => {
    app.setNotFoundHandler((req, reply) => send(reply, 404, 'not_found', `Route ${req.method} ${req.url.split('?')[0]} not found`));

    app.setErrorHandler((err: FastifyError & { code?: string }, req, reply) => {
      if (err instanceof HttpError) {
        if (err.headers) reply.headers(err.headers);
        return send(reply, err.statusCode, err.code, err.message, err.fields);
      }

      if (hasZodFastifySchemaValidationErrors(err)) {
        // Each issue as a code with its limit (shared/errors.ts); a field not sent at all is "required".
        const sent = err.validationContext ? (req as unknown as Record<string, unknown>)[err.validationContext] : undefined;
        const fields: FieldErrors = {};
        for (const v of err.validation) {
          const key = fieldName(v.instancePath, err.validationContext);
          const path = (v.instancePath ?? '').split('/').slice(1);
          const error = fieldErrorOf({ ...v.params, code: v.keyword, message: v.message ?? '' }, path.length > 0 && valueAt(sent, path) === undefined);
          const list = (fields[key] ??= []);
          if (!list.some((e) => e.code === error.code)) list.push(error);
        }
        return send(reply, 400, 'validation_failed', 'Some fields are not valid', fields);
      }
      if (isResponseSerializationError(err)) {
        req.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
        return send(reply, 500, 'internal', 'Internal Server Error');
      }
      const pgCode = pgErrorCode(err);
      const pg = pgCode ? PG_ERRORS[pgCode] : undefined;
      if (pg) {
        req.log.warn({ pgCode }, 'database refused the change');
        return send(reply, pg[0], pg[1], pg[2]);
      }
      if (databaseUnreachable(err)) {
        // The database is restarting or out of reach: nothing was written; the client may retry soon.
        req.log.warn({ err }, 'database unavailable');
        reply.header('retry-after', '2');
        return send(reply, 503, 'database_unavailable', 'The service is briefly unavailable; please try again in a moment.');
      }
      // An upload over its limits (plugins/uploads.ts): busboy stopped reading at the limit.
      if (err.code === 'FST_REQ_FILE_TOO_LARGE') {
        return send(reply, 413, 'payload_too_large', 'The file is too large', { file: [fieldError('file_too_large', { maximum: MAX_PHOTO_BYTES })] });
      }
      if (err.code === 'FST_FILES_LIMIT' || err.code === 'FST_FIELDS_LIMIT' || err.code === 'FST_PARTS_LIMIT') {
        return send(reply, 413, 'payload_too_large', 'One file and a few short fields per upload');
      }
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        // Fastify's own 4xx: malformed JSON, body too large, unsupported media type, rate limit...
        const code: ErrorCode = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'payload_too_large'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type'
          : err.code?.startsWith('FST_ERR_CTP') || err.code === 'FST_ERR_VALIDATION' ? 'bad_request'
          : status === 429 ? 'rate_limited'
          : 'bad_request';
        return send(reply, status, code, err.message || 'Bad request');
      }
      req.log.error({ err }, 'unhandled error');
      return send(reply, 500, 'internal', 'Internal Server Error');
    });
  },
  { name: 'errors' },
);
