import { redirect } from '@sveltejs/kit';
import { apiFailure, signInPath } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (!locals.user) redirect(303, signInPath(url));
  return {};
};

export const actions: Actions = {
  /** A fresh confirmation link to the signed-in account's address (the banner's "Resend the link"). */
  resend: async (event) => {
    if (!event.locals.user) redirect(303, signInPath(event.url));
    try {
      await event.locals.api.POST('/auth/verify-email/resend');
    } catch (e) {
      return apiFailure(event, e, {});
    }
    return { resentTo: event.locals.user.email };
  },
};
