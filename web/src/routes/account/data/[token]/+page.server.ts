import { error } from '@sveltejs/kit';
import { DATA_EXPORT_TOKEN } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

/**
 * The emailed link: it opens the archive only for the person it was made for, signed in (a
 * forwarded email shows anyone else a 404). After its expiry the page says so.
 */
export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const token = event.params.token;
  // Unknown, mistyped or someone else's: one answer, which says what to do (and tells a stranger nothing).
  const unknown = () => error(404, { message: m.data_export_link_unknown() });
  if (!DATA_EXPORT_TOKEN.test(token)) unknown();
  try {
    return { archive: await ok(event.locals.api.GET('/me/data-exports/link/{token}', { params: { path: { token } } })), expired: false };
  } catch (e) {
    if (isApiError(e) && e.status === 410) return { archive: null, expired: true };
    if (isApiError(e) && e.status === 404) unknown();
    loadFailure(event, e);
  }
};
