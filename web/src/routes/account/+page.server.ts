import { apiFailure, str, type FormState } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

/** "Mon compte": the emails a person gets about messages, and the ways to her calendar and her card. */
export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  return { messageEmails: user.messageEmails };
};

export const actions: Actions = {
  messageEmails: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const on = str(data, 'messageEmails') === 'on';
    try {
      await ok(event.locals.api.PATCH('/me', { body: { messageEmails: on } }));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'messageEmails' });
    }
    return { form: 'messageEmails', success: on ? m.account_message_emails_on() : m.account_message_emails_off() } satisfies FormState;
  },
};
