import { isApiError } from '$lib/server/api-error';
import { ok } from '$lib/server/api/client';
import type { RequestHandler } from './$types';

/**
 * A private calendar feed, at the public address calendar apps subscribe to. The token in the
 * address is the credential: it is passed to the API as is and never written to a log here; any
 * refusal is a bare status, so nothing tells a wrong address from one that was reset.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
  const headers = { 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' };
  try {
    const ics = await ok(locals.api.GET('/calendar-feeds/{file}', { params: { path: { file: params.file } }, parseAs: 'text' }));
    return new Response(ics, { headers: { ...headers, 'Content-Type': 'text/calendar; charset=utf-8' } });
  } catch (e) {
    const status = isApiError(e) && (e.status === 404 || e.status === 429) ? e.status : 503;
    return new Response(status === 404 ? 'Not Found' : status === 429 ? 'Too Many Requests' : 'Service Unavailable', {
      status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
};
