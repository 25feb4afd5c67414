import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { inLocale } from '$lib/i18n';
import { speaksForCoop } from '$lib/conversation-text';
import { ok, type Api } from '$lib/server/api/client';
import { startConversation } from '$lib/server/conversations';
import { conversationLimits } from '$lib/server/conversation-limits';
import { loadFailure, requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whom "Écrire à la coop" writes to: the co-op of `?listing=<id>` about it, or `?coop=<id or slug>`. */
async function targetOf(api: Api, url: URL) {
  const listingId = url.searchParams.get('listing');
  if (listingId) {
    if (!UUID.test(listingId)) error(404, { message: m.error_not_found_title() });
    const listing = await ok(api.GET('/listings/{id}', { params: { path: { id: listingId } } }));
    return { coopId: listing.coop.id, coopName: listing.coop.name, listingId, about: inLocale(listing.titleFr, listing.titleEn), back: `/listings/${listingId}` };
  }
  const coopKey = url.searchParams.get('coop');
  if (!coopKey || coopKey.length > 200) error(404, { message: m.error_not_found_title() });
  const coop = await ok(api.GET('/coops/{idOrSlug}', { params: { path: { idOrSlug: coopKey } } }));
  return { coopId: coop.id, coopName: coop.legalName, listingId: undefined, about: null, back: `/coops/${coop.slug}` };
}

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  try {
    const target = await targetOf(event.locals.api, event.url);
    return { ...target, ownCoop: speaksForCoop(user, target.coopId), limits: conversationLimits() };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  default: async (event) => {
    let target;
    try {
      target = await targetOf(event.locals.api, event.url);
    } catch (e) {
      loadFailure(event, e);
    }
    return startConversation(event, { coopId: target.coopId, listingId: target.listingId });
  },
};
