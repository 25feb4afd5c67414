import { loadFailure } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { writeToCoopHtml } from '$lib/server/write-to-coop';
import { speaksForCoop } from '$lib/conversation-text';
import type { PageServerLoad } from './$types';

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
      // "Écrire à la coop" (HTML): to an approved co-op, by anyone but its own people.
      write:
        coop.status === 'approved' && !speaksForCoop(locals.user, coop.id)
          ? writeToCoopHtml({ coop: coop.slug }, { coopName: coop.legalName, signedIn: Boolean(locals.user), open: event.url.searchParams.has('write') })
          : null,
    };
  } catch (e) {
    loadFailure(event, e);
  }
};
