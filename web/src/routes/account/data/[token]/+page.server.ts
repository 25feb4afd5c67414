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
  if (!DATA_EXPORT_TOKEN.test(token)) error(404, { message: m.error_not_found_title() });
  try {
    return { archive: await ok(event.locals.api.GET('/me/data-exports/link/{token}', { params: { path: { token } } })), expired: false };
  } catch (e) {
    if (isApiError(e) && e.status === 410) return { archive: null, expired: true };
    loadFailure(event, e);
  }
};
