import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { loadFailure } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  if (!UUID.test(event.params.id)) error(404, { message: m.error_not_found_title() });
  try {
    const listing = await event.locals.api.listings.get(event.params.id);
    const canManage = Boolean(
      event.locals.user?.coops.some((c) => c.coopId === listing.coop.id && c.role === 'admin'),
    );
    return { listing, canManage };
  } catch (e) {
    loadFailure(event, e);
  }
};
