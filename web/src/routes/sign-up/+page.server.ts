import { redirect } from '@sveltejs/kit';
import { SignUpBody } from '@tissu/shared';
import { apiFailure, check, formValues, invalid, str } from '$lib/server/forms';
import { safeRedirect } from '$lib/redirect';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const redirectTo = safeRedirect(url.searchParams.get('redirectTo'), '');
  if (locals.user) redirect(303, redirectTo || '/');
  return { redirectTo };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = formValues(data);
    const checked = check(SignUpBody, {
      name: str(data, 'name'),
      email: str(data, 'email'),
      password: str(data, 'password'),
      locale: event.locals.locale,
    });
    if (!checked.ok) return invalid(checked.errors, values);
    try {
      await event.locals.api.POST('/auth/sign-up', { body: checked.data });
    } catch (e) {
      return apiFailure(event, e, values);
    }
    // Nobody is signed in here: a taken address must read exactly like a new one.
    return { sentTo: checked.data.email };
  },
};
