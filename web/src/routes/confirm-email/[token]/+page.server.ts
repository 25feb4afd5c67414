import { ConfirmEmailChangeBody } from '@tissu/shared';
import { apiErrorMessage } from '$lib/server/forms';
import { ok } from '$lib/server/api/client';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

/**
 * The link mailed to a new address: opening it moves the account to that address, on any device,
 * signed in or not (as the sign-up confirmation link does).
 */
export const load: PageServerLoad = async ({ params, locals }) => {
  if (!ConfirmEmailChangeBody.safeParse({ token: params.token }).success) return { email: null, message: m.err_email_change_link_invalid() };
  try {
    const { email } = await ok(locals.api.POST('/auth/email-change/confirm', { body: { token: params.token } }));
    return { email, message: null };
  } catch (e) {
    return { email: null, message: apiErrorMessage(e) };
  }
};
