import { redirect } from '@sveltejs/kit';
import { CALENDAR_FEED_KINDS, type CalendarFeedKind } from '@tissu/shared';
import { apiFailure } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

/** A feed's key on this page (its anchor and its `?reset=` confirmation): "client", "worker-<coop>", "coop-<coop>". */
const feedKey = (kind: CalendarFeedKind, coopId: string | null) => (coopId ? `${kind}-${coopId}` : kind);

export const load: PageServerLoad = async (event) => {
  // The page shows the secret addresses: no cache, shared or the browser's, may keep it.
  event.setHeaders({ 'Cache-Control': 'private, no-store' });
  requireUser(event);
  try {
    const { feeds } = await ok(event.locals.api.GET('/me/calendar-feeds'));
    const q = event.url.searchParams;
    return { feeds: feeds.map((f) => ({ ...f, key: feedKey(f.kind, f.coopId) })), confirmReset: q.get('reset'), done: q.get('done'), was: q.get('was') };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  /** Makes the feed's address; replacing one that exists goes through the confirmation step first (`?reset=<key>`). */
  reset: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const kind = String(data.get('kind') ?? '') as CalendarFeedKind;
    const coopId = String(data.get('coopId') ?? '') || null;
    if (!CALENDAR_FEED_KINDS.includes(kind)) redirect(303, '/account/calendar');
    const key = feedKey(kind, coopId);
    const replacing = data.get('replacing') === 'yes';
    if (replacing && data.get('confirm') !== 'yes') redirect(303, `/account/calendar?reset=${encodeURIComponent(key)}#${key}`);
    try {
      await ok(event.locals.api.POST('/me/calendar-feeds', { body: { kind, coopId } }));
    } catch (e) {
      return apiFailure(event, e, {}, { form: key });
    }
    redirect(303, `/account/calendar?done=${encodeURIComponent(key)}&was=${replacing ? 'reset' : 'created'}#${key}`);
  },
};
