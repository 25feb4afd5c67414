import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  // The home page stands on its own if the newest listings cannot be fetched.
  const newest = await ok(locals.api.GET('/listings', { params: { query: { sort: 'newest', limit: 6 } } }))
    .then((r) => r.items)
    .catch((e) => {
      console.warn('[home] newest listings unavailable', e);
      return [];
    });
  return { newest };
};
