import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { ok } from '$lib/server/api/client';

/**
 * A signed-in client who already runs as many regular visits as she may (here, or in all) is told
 * before she fills the form, in the words of the limit she reached; null when she may book more.
 */
export async function seriesLimitReached(api: App.Locals['api'], listingId: string): Promise<string | null> {
  try {
    const room = await ok(api.GET('/listings/{id}/series-room', { params: { path: { id: listingId } } }));
    if (!room.full) return null;
    return room.here >= room.perListing ? m.series_limit_here({ max: String(room.perListing) }) : m.series_limit_total({ max: String(room.perClient) });
  } catch (e) {
    // Not known: the form stays, and booking still says so if it must.
    if (!isApiError(e)) console.error('[web] series room failed', e);
    return null;
  }
}
