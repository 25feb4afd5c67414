import { error, redirect } from '@sveltejs/kit';
import { DATA_EXPORT_TOKEN } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { RequestHandler } from './$types';

/** The archive itself, fetched with her session; an expired link goes back to the page that says so. */
export const GET: RequestHandler = async (event) => {
  requireUser(event);
  const token = event.params.token;
  if (!DATA_EXPORT_TOKEN.test(token)) error(404, { message: m.error_not_found_title() });
  let zip: ArrayBuffer;
  try {
    zip = await ok(event.locals.api.GET('/me/data-exports/archive/{token}', { params: { path: { token } }, parseAs: 'arrayBuffer' }));
  } catch (e) {
    if (isApiError(e) && e.status === 410) redirect(303, `/account/data/${token}`);
    loadFailure(event, e);
  }
  return new Response(zip, {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="tissu-${new Date().toISOString().slice(0, 10)}.zip"`,
      'Cache-Control': 'private, no-store',
      'Referrer-Policy': 'no-referrer',
    },
  });
};
