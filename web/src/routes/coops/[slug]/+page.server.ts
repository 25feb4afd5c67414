import { loadFailure } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, params } = event;
  try {
    const coop = await ok(locals.api.GET('/coops/{idOrSlug}', { params: { path: { idOrSlug: params.slug } } }));
    const listings = coop.status === 'approved' ? (await ok(locals.api.GET('/coops/{id}/listings', { params: { path: { id: coop.id }, query: { status: 'active' } } }))).items : [];
    const isAdmin = Boolean(locals.user?.coops.some((c) => c.coopId === coop.id && c.role === 'admin'));
    return { coop, listings, isAdmin };
  } catch (e) {
    loadFailure(event, e);
  }
};
