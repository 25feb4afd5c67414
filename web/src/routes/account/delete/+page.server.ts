import { fail, redirect } from '@sveltejs/kit';
import { DeleteAccountBody } from '@tissu/shared';
import { apiErrorMessage, apiFailure, check, invalid, str } from '$lib/server/forms';
import { isApiError } from '$lib/server/api-error';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { clearSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

type Blocker = { code: string; count: number; items: { id: string; name: string; startsAt: string | null }[] };

/** "Supprimer mon compte": what goes, what stays and why, what must be settled first, then the form. */
export const load: PageServerLoad = async (event) => {
  requireUser(event);
  try {
    const { blockers } = await ok(event.locals.api.GET('/me/deletion'));
    return { blockers };
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
      // Something came up since the page was shown (a booking made in another tab): list it.
      if (isApiError(e) && e.code === 'account_deletion_blocked') {
        // The list with its links, as the page shows it.
        let blockers: Blocker[] = [];
        try {
          blockers = (await ok(event.locals.api.GET('/me/deletion'))).blockers;
        } catch {
          blockers = (e.fields?.blockers ?? []).map((f) => ({ code: f.code, count: 1, items: [] }));
        }
        return fail(409, { message: apiErrorMessage(e), values, blockers });
      }
      return apiFailure(event, e, values);
    }
    clearSession(event.cookies, event.url);
    redirect(303, '/account/delete/done');
  },
};
