import { VerifyEmailBody } from '@tissu/shared';
import { apiErrorMessage } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

/** Opening the emailed link confirms the address: one click, on any device, signed in or not. */
export const load: PageServerLoad = async ({ params, locals }) => {
  if (!VerifyEmailBody.safeParse({ token: params.token }).success) return { confirmed: false, message: m.err_verification_link_invalid() };
  try {
    await locals.api.POST('/auth/verify-email', { body: { token: params.token } });
    return { confirmed: true, message: null };
  } catch (e) {
    return { confirmed: false, message: apiErrorMessage(e) };
  }
};
