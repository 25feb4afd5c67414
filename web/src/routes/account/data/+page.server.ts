import { redirect } from '@sveltejs/kit';
import { apiFailure } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

/** "Download my data": what the archive holds, her last request's state, and the button to ask. */
export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  try {
    const list = await ok(event.locals.api.GET('/me/data-exports'));
    return { latest: list.exports[0] ?? null, nextRequestAt: list.nextRequestAt, email: user.email, asked: event.url.searchParams.get('asked') === '1' };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  request: async (event) => {
    requireUser(event);
    try {
      await ok(event.locals.api.POST('/me/data-exports'));
    } catch (e) {
      return apiFailure(event, e, {});
    }
    redirect(303, '/account/data?asked=1');
  },
};
