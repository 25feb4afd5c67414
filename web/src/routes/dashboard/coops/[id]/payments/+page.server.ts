import { error, redirect } from '@sveltejs/kit';
import { TaxSettingsBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const { id } = event.params;
  if (!UUID.test(id)) error(404, { message: m.error_not_found_title() });
  const params = event.url.searchParams;
  const back = params.get('onboarding') === 'done';
  // Back from Stripe, or asked: read the account's state from Stripe rather than our copy.
  const refresh = back || params.get('refresh') === '1';
  try {
    const [coop, account] = await Promise.all([
      ok(event.locals.api.GET('/coops/{idOrSlug}', { params: { path: { idOrSlug: id } } })),
      ok(event.locals.api.GET('/coops/{id}/payments/account', { params: { path: { id }, query: { refresh: refresh ? '1' : undefined } } })),
    ]);
    return { coop, account, back, retry: params.get('onboarding') === 'retry', refreshed: refresh };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  /** Stripe's hosted onboarding: the admin goes there and comes back with ?onboarding=done. */
  onboarding: async (event) => {
    requireUser(event);
    let url: string;
    try {
      url = (await ok(event.locals.api.POST('/coops/{id}/payments/onboarding', { params: { path: { id: event.params.id } } }))).url;
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'onboarding' });
    }
    redirect(303, url);
  },

  taxes: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const gstRegistered = str(data, 'gstRegistered') === 'on';
    const qstRegistered = str(data, 'qstRegistered') === 'on';
    const input = {
      gstRegistered,
      gstNumber: gstRegistered ? str(data, 'gstNumber').trim() || null : null,
      qstRegistered,
      qstNumber: qstRegistered ? str(data, 'qstNumber').trim() || null : null,
    };
    const checked = check(TaxSettingsBody, input);
    if (!checked.ok) return invalid(checked.errors, values, 'taxes');
    try {
      await event.locals.api.PUT('/coops/{id}/payments/taxes', {
        params: { path: { id: event.params.id } },
        body: {
          gstRegistered: checked.data.gstRegistered,
          gstNumber: checked.data.gstNumber ?? null,
          qstRegistered: checked.data.qstRegistered,
          qstNumber: checked.data.qstNumber ?? null,
        },
      });
    } catch (e) {
      return apiFailure(event, e, values, { form: 'taxes' });
    }
    return { form: 'taxes', success: m.payments_taxes_saved() } satisfies FormState;
  },
};
