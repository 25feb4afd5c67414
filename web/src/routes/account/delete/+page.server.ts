import { redirect } from '@sveltejs/kit';
import { DeleteAccountBody } from '@tissu/shared';
import { apiFailure, check, invalid, str } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { clearSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

/** "Supprimer mon compte": what goes, what stays and why, what must be settled first, then the form. */
export const load: PageServerLoad = async (event) => {
  requireUser(event);
  try {
    const { blockers } = await ok(event.locals.api.GET('/me/deletion'));
    return { blockers: blockers.map((b) => b.code) };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  default: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const input = { password: str(data, 'password'), confirmation: str(data, 'confirmation') };
    const values = { confirmation: input.confirmation };
    const checked = check(DeleteAccountBody, input);
    if (!checked.ok) return invalid(checked.errors, values);
    try {
      await ok(event.locals.api.POST('/me/delete', { body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, values);
    }
    clearSession(event.cookies, event.url);
    redirect(303, '/account/delete/done');
  },
};
