import { CreateFiscalYearBody, patronagePaymentDeadline, yearFrom } from '@tissu/shared';
import { fail, redirect } from '@sveltejs/kit';
import { isApiError } from '$lib/server/api-error';
import { apiFailure, check, formValues, invalid, str } from '$lib/server/forms';
import { loadFailure, requireSteward } from '$lib/server/guards';
import { idempotencyKeyOf, newIdempotencyKey } from '$lib/server/idempotency';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireSteward(event);
  try {
    const [{ years }, settings] = await Promise.all([ok(event.locals.api.GET('/steward/fiscal-years')), ok(event.locals.api.GET('/steward/settings'))]);
    return { years, fiscalYearStart: settings.fiscalYearStart, idempotencyKey: newIdempotencyKey() };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  create: async (event) => {
    requireSteward(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const checked = check(CreateFiscalYearBody, { startsOn: str(data, 'startsOn') || undefined, confirmPastDeadline: data.get('confirmPastDeadline') === 'on' });
    if (!checked.ok) return invalid(checked.errors, values, 'create');
    let yearId: number;
    try {
      const { startsOn, confirmPastDeadline } = checked.data;
      const created = event.locals.api.POST('/steward/fiscal-years', {
        params: { header: { 'idempotency-key': idempotencyKeyOf(data) } },
        body: { startsOn, confirmPastDeadline: confirmPastDeadline || undefined },
      });
      yearId = (await ok(created)).id;
    } catch (e) {
      const failure = apiFailure(event, e, values, { form: 'create' });
      // The form then asks the steward to confirm (a checkbox) and says by when the refunds had to
      // be paid, rather than refusing outright: one warning, not a field error repeating it.
      if (isApiError(e) && e.code === 'payment_deadline_passed') {
        const startsOn = checked.data.startsOn;
        return fail(failure.status, { form: 'create', values, confirmPastDeadline: true, deadline: startsOn ? patronagePaymentDeadline(yearFrom(startsOn).endsOn) : null });
      }
      return failure;
    }
    redirect(303, `/steward/fiscal/${yearId}`);
  },
};
