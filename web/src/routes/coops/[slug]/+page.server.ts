import { loadFailure } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, params } = event;
  try {
    const coop = await locals.api.coops.get(params.slug);
    const listings = coop.status === 'approved' ? (await locals.api.coops.listings(coop.id, 'active')).items : [];
    const isAdmin = Boolean(locals.user?.coops.some((c) => c.coopId === coop.id && c.role === 'admin'));
    return { coop, listings, isAdmin };
  } catch (e) {
    loadFailure(event, e);
  }
};
