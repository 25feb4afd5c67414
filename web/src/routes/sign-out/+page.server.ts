import { redirect } from '@sveltejs/kit';
import { clearSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, '/');
};

export const actions: Actions = {
  default: async ({ locals, cookies, url }) => {
    if (locals.user) {
      // The cookies go whatever the API says: signing out must always work from the browser's side.
      await locals.api.POST('/auth/sign-out').catch((e) => console.warn('[sign-out] API refused', e));
    }
    clearSession(cookies, url);
    redirect(303, '/');
  },
};
