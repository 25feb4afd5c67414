import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { apiFailure } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  try {
    const invitation = await event.locals.api.invitations.get(event.params.token);
    return { invitation };
  } catch (e) {
    // A malformed token is simply an invitation that does not exist.
    if (isApiError(e) && e.status === 400) error(404, { message: m.error_not_found_title() });
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  accept: async (event) => {
    requireUser(event);
    let coopId: string;
    let role: string;
    try {
      const invitation = await event.locals.api.invitations.get(event.params.token);
      const user = await event.locals.api.invitations.accept(event.params.token);
      coopId = invitation.coopId;
      role = user.coops.find((c) => c.coopId === coopId)?.role ?? invitation.role;
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'accept' });
    }
    redirect(303, role === 'admin' ? `/dashboard/coops/${coopId}` : '/dashboard?done=joined');
  },
};
