import { redirect } from '@sveltejs/kit';
import { PasswordResetBody } from '@tissu/shared';
import { apiFailure, check, invalid, str } from '$lib/server/forms';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const checked = check(PasswordResetBody, { token: event.params.token, password: str(data, 'password') });
    if (!checked.ok) return invalid(checked.errors, {});
    try {
      await event.locals.api.POST('/auth/password-reset/confirm', { body: checked.data });
    } catch (e) {
      return apiFailure(event, e, {});
    }
    redirect(303, '/sign-in?reset=1');
  },
};
