import { redirect } from '@sveltejs/kit';
import { SignInBody } from '@tissu/shared';
import { apiFailure, check, formValues, invalid, str } from '$lib/server/forms';
import { storeSession } from '$lib/server/session';
import { adoptChosenLanguage } from '$lib/server/chosen-language';
import { safeRedirect } from '$lib/redirect';
import { landingPage } from '$lib/server/landing';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const redirectTo = safeRedirect(url.searchParams.get('redirectTo'), '');
  if (locals.user) redirect(303, redirectTo || '/');
  return { redirectTo, reset: url.searchParams.get('reset') === '1' };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = formValues(data);
    const checked = check(SignInBody, { email: str(data, 'email'), password: str(data, 'password') });
    if (!checked.ok) return invalid(checked.errors, values);
    let landing: string;
    try {
      const auth = await ok(event.locals.api.POST('/auth/sign-in', { body: checked.data }));
      storeSession(event.cookies, event.url, auth);
      await adoptChosenLanguage(event, auth);
      landing = landingPage(auth.user);
    } catch (e) {
      return apiFailure(event, e, values);
    }
    // The page that sent them here, else where their work is.
    redirect(303, safeRedirect(str(data, 'redirectTo') || event.url.searchParams.get('redirectTo'), landing));
  },
};
