import { redirect } from '@sveltejs/kit';
import { REFRESH_COOKIE, clearSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, '/');
};

export const actions: Actions = {
  default: async ({ locals, cookies, url }) => {
    const refreshToken = cookies.get(REFRESH_COOKIE);
    if (locals.user) {
      // The cookies go whatever the API says: signing out must always work from the browser's side.
      await locals.api.auth.signOut(refreshToken).catch((e) => console.warn('[sign-out] API refused', e));
    }
    clearSession(cookies, url);
    redirect(303, '/');
  },
};
