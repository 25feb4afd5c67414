import { error, isHttpError, isRedirect, redirect, type RequestEvent } from '@sveltejs/kit';
import type { User } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { isApiError } from './api-error';
import { signInPath } from './forms';

/** The signed-in user, or a trip to the sign-in page that comes back here afterwards. */
export function requireUser(event: RequestEvent): User {
  const user = event.locals.user;
  if (!user) redirect(303, signInPath(event.url));
  return user;
}

/** Turns a failed API call in a load function into the right page: sign-in, 403, 404 or a clean error. */
export function loadFailure(event: RequestEvent, e: unknown): never {
  // A page already decided (a 404 for a malformed id, a trip to sign-in): that answer, not a 502.
  if (isHttpError(e) || isRedirect(e)) throw e;
  if (isApiError(e)) {
    if (e.status === 401) redirect(303, signInPath(event.url));
    if (e.status === 403) error(403, { message: m.err_forbidden(), code: e.code });
    if (e.status === 404) error(404, { message: m.error_not_found_title(), code: e.code });
    if (e.status === 400) error(400, { message: m.err_bad_request(), code: e.code });
    if (e.status === 503 && e.code === 'api_unreachable') error(503, { message: m.err_unreachable(), code: e.code });
  } else {
    console.error('[web] load failed', e);
  }
  error(502, { message: m.err_server() });
}

/** The signed-in steward (the platform co-op's board or staff), or a 403. */
export function requireSteward(event: RequestEvent): User {
  const user = requireUser(event);
  if (!user.isSteward) error(403, { message: m.steward_only() });
  return user;
}
