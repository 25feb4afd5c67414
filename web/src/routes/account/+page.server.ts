import { redirect } from '@sveltejs/kit';
import { ChangeEmailBody, ChangePasswordBody, IdParams, LocaleSchema, UpdateMeBody } from '@tissu/shared';
import { apiFailure, check, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { cookieMaxAge, cookieName } from '$lib/paraglide/runtime';
import { CHOSEN_HERE } from '$lib/server/chosen-here';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

/** The path she came by (/compte or /account): answers send her back to it. */
const here = (url: URL) => (url.pathname === '/compte' ? '/compte' : '/account');

/**
 * "Mon compte" (also /compte): her profile, language, address, password, the emails she chooses,
 * her signed-in devices, her co-ops, and the ways to her data. Each section is its own form.
 */
export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  let sessions;
  let pendingEmail;
  try {
    [sessions, pendingEmail] = await Promise.all([
      ok(event.locals.api.GET('/me/sessions')).then((r) => r.items),
      ok(event.locals.api.GET('/me/email-change')).then((r) => r.pending),
    ]);
  } catch (e) {
    loadFailure(event, e);
  }
  // The confirmation step of "leave this co-op": a page state of its own, so it works without JavaScript.
  const leaving = user.coops.find((c) => c.coopId === event.url.searchParams.get('leave')) ?? null;
  return {
    profile: { name: user.name, phone: user.phone, email: user.email, locale: user.locale, emailVerified: user.emailVerified },
    emails: { messageEmails: user.messageEmails, reminderEmails: user.reminderEmails, assemblyEmails: user.assemblyEmails },
    coops: user.coops,
    sessions,
    pendingEmail,
    leaving,
    left: event.url.searchParams.get('left'),
  };
};

export const actions: Actions = {
  profile: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = { name: str(data, 'name'), phone: str(data, 'phone') };
    const checked = check(UpdateMeBody, values);
    if (!checked.ok) return invalid(checked.errors, values, 'profile');
    try {
      await ok(event.locals.api.PATCH('/me', { body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, values, { form: 'profile' });
    }
    return { form: 'profile', success: m.account_profile_saved() } satisfies FormState;
  },

  /** The site's language here and now, and her emails' from now on. */
  language: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const parsed = LocaleSchema.safeParse(str(data, 'locale'));
    if (!parsed.success) return invalid({ locale: [m.err_choice()] }, {}, 'language');
    try {
      await ok(event.locals.api.PATCH('/me', { body: { locale: parsed.data } }));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'language' });
    }
    const secure = event.url.protocol === 'https:';
    event.cookies.set(cookieName, parsed.data, { path: '/', maxAge: cookieMaxAge, sameSite: 'lax', httpOnly: false, secure });
    event.cookies.set(CHOSEN_HERE, parsed.data, { path: '/', maxAge: cookieMaxAge, sameSite: 'lax', httpOnly: true, secure });
    redirect(303, `${here(event.url)}?saved=language`);
  },

  email: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = { newEmail: str(data, 'newEmail') };
    const checked = check(ChangeEmailBody, { ...values, currentPassword: str(data, 'currentPassword') });
    if (!checked.ok) return invalid(checked.errors, values, 'email');
    try {
      await ok(event.locals.api.POST('/me/email', { body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, values, { form: 'email' });
    }
    return { form: 'email', success: m.account_email_sent({ email: checked.data.newEmail }) } satisfies FormState;
  },

  /** "Send the link again" for the pending change of address. */
  resendEmail: async (event) => {
    requireUser(event);
    let pending;
    try {
      pending = (await ok(event.locals.api.GET('/me/email-change'))).pending;
      if (pending) await ok(event.locals.api.POST('/me/email-change/resend'));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'email' });
    }
    if (!pending) return { form: 'email', success: m.account_email_nothing_pending() } satisfies FormState;
    return { form: 'email', success: m.account_email_resent({ email: pending.newEmail }) } satisfies FormState;
  },

  /** "Cancel": the link sent to the new address stops working. */
  cancelEmail: async (event) => {
    requireUser(event);
    try {
      await ok(event.locals.api.DELETE('/me/email-change'));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'email' });
    }
    return { form: 'email', success: m.account_email_cancelled() } satisfies FormState;
  },

  password: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const checked = check(ChangePasswordBody, { currentPassword: str(data, 'currentPassword'), newPassword: str(data, 'newPassword') });
    if (!checked.ok) return invalid(checked.errors, {}, 'password');
    let changed;
    try {
      changed = await ok(event.locals.api.POST('/auth/password', { body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'password' });
    }
    return {
      form: 'password',
      success: changed.emailChangeCancelled ? m.account_password_saved_email_cancelled() : m.account_password_saved(),
    } satisfies FormState;
  },

  emails: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const body = {
      messageEmails: str(data, 'messageEmails') === 'on',
      reminderEmails: str(data, 'reminderEmails') === 'on',
      assemblyEmails: str(data, 'assemblyEmails') === 'on',
    };
    try {
      await ok(event.locals.api.PATCH('/me', { body }));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'emails' });
    }
    return { form: 'emails', success: m.account_emails_saved() } satisfies FormState;
  },

  signOutDevice: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const parsed = IdParams.safeParse({ id: str(data, 'sessionId') });
    if (!parsed.success) return invalid({}, {}, 'devices');
    try {
      await ok(event.locals.api.DELETE('/me/sessions/{id}', { params: { path: { id: parsed.data.id } } }));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'devices' });
    }
    return { form: 'devices', success: m.account_device_signed_out() } satisfies FormState;
  },

  signOutOthers: async (event) => {
    requireUser(event);
    let revoked: number;
    try {
      revoked = (await ok(event.locals.api.POST('/me/sessions/revoke-others'))).revoked;
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'devices' });
    }
    return { form: 'devices', success: m.account_devices_signed_out({ count: revoked }) } satisfies FormState;
  },

  leave: async (event) => {
    const user = requireUser(event);
    const data = await event.request.formData();
    const coop = user.coops.find((c) => c.coopId === str(data, 'coopId'));
    if (!coop || str(data, 'confirm') !== 'yes') return invalid({}, {}, 'coops');
    try {
      await ok(event.locals.api.POST('/coops/{id}/leave', { params: { path: { id: coop.coopId } } }));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'coops' });
    }
    redirect(303, `${here(event.url)}?left=1`);
  },
};
