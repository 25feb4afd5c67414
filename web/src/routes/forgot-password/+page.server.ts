import { PasswordResetRequestBody } from '@tissu/shared';
import { apiFailure, check, formValues, invalid, str } from '$lib/server/forms';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = formValues(data);
    const checked = check(PasswordResetRequestBody, { email: str(data, 'email') });
    if (!checked.ok) return invalid(checked.errors, values);
    try {
      await event.locals.api.POST('/auth/password-reset', { body: { email: checked.data.email, locale: getLocale() } });
    } catch (e) {
      return apiFailure(event, e, values);
    }
    // The same answer whether or not the address has an account.
    return { sentTo: checked.data.email };
  },
};
