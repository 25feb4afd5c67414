import { loadFailure } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { apiFailure } from '$lib/server/forms';
import { startConversation, writeLimit } from '$lib/server/conversations';
import { speaksForCoop } from '$lib/conversation-text';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, params } = event;
  try {
    const coop = await ok(locals.api.GET('/coops/{idOrSlug}', { params: { path: { idOrSlug: params.slug } } }));
    const listings = coop.status === 'approved' ? (await ok(locals.api.GET('/coops/{id}/listings', { params: { path: { id: coop.id }, query: { status: 'active' } } }))).items : [];
    const isAdmin = Boolean(locals.user?.coops.some((c) => c.coopId === coop.id && c.role === 'admin'));
    return {
      coop,
      listings,
      isAdmin,
      signedIn: Boolean(locals.user),
      // "Écrire à la coop": to an approved co-op, by anyone but its own people.
      canWrite: coop.status === 'approved' && !speaksForCoop(locals.user, coop.id),
      writeOpen: event.url.searchParams.has('write'),
      writeLimit: writeLimit(),
    };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  write: async (event) => {
    let coopId: string;
    try {
      coopId = (await ok(event.locals.api.GET('/coops/{idOrSlug}', { params: { path: { idOrSlug: event.params.slug } } }))).id;
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'write' });
    }
    return startConversation(event, { coopId });
  },
};
