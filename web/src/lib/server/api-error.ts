import type { FieldErrors } from '@tissu/shared';

/** The API's field errors: each field path's codes with their limits (shared/errors.ts). */
export type { FieldErrors };

/**
 * What the API answered when it said no: `{ error: { code, message, fields? } }` plus the HTTP
 * status. The web says it in words from the codes (./error-text); `message` is the API's English,
 * kept for logs only.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
