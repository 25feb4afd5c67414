import type { ErrorCode, FieldErrors } from '@tissu/shared';

/**
 * An error a service throws to answer the request with a 4xx; the error plugin shapes the body.
 * `code` and the fields' codes come from shared/errors.ts; the message is English for API readers.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, fields?: FieldErrors) =>
  new HttpError(400, 'validation_failed', message, fields);
export const unauthorized = (message = 'Sign in first', code: ErrorCode = 'unauthorized') => new HttpError(401, code, message);
export const forbidden = (message = 'You are not allowed to do this') => new HttpError(403, 'forbidden', message);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, code: ErrorCode = 'conflict') => new HttpError(409, code, message);

/** The PostgreSQL error code behind an error, whether thrown by postgres.js or wrapped by Drizzle. */
export function pgErrorCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown; severity?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === 'string' && 'severity' in e) return e.code;
  }
  return undefined;
}
