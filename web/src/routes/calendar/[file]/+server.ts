import { CALENDAR_FEED_FILE } from '@tissu/shared';
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
  const refuse = (status: 404 | 429 | 503) => new Response(status === 404 ? 'Not Found' : status === 429 ? 'Too Many Requests' : 'Service Unavailable', {
    status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
  });
  // A name no feed can have is not worth asking the API about (and a too long one is refused there).
  if (!CALENDAR_FEED_FILE.test(params.file)) return refuse(404);
  try {
    const ics = await ok(locals.api.GET('/calendar-feeds/{file}', { params: { path: { file: params.file } }, parseAs: 'text' }));
    return new Response(ics, { headers: { ...headers, 'Content-Type': 'text/calendar; charset=utf-8' } });
  } catch (e) {
    if (isApiError(e) && e.status === 429) return refuse(429);
    // Any other refusal of the address: it opens no feed. The API out of reach: try again later.
    return refuse(isApiError(e) && e.status >= 400 && e.status < 500 ? 404 : 503);
  }
};
