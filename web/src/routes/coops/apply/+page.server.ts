import { redirect } from '@sveltejs/kit';
import { CoopApplicationBody } from '@tissu/shared';
import { readCoopProfile } from '$lib/server/coop-form';
import { apiFailure, check, formValues, invalid } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { idempotencyKeyOf, newIdempotencyKey } from '$lib/server/idempotency';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  const user = requireUser(event);
  return { memberships: user.coops, idempotencyKey: newIdempotencyKey() };
};

export const actions: Actions = {
  default: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data, ['languages']);
    const checked = check(CoopApplicationBody, readCoopProfile(data));
    if (!checked.ok) return invalid(checked.errors, values);
    let coopId: string;
    try {
      coopId = (await ok(event.locals.api.POST('/coops', { params: { header: { 'idempotency-key': idempotencyKeyOf(data) } }, body: checked.data }))).id;
    } catch (e) {
      return apiFailure(event, e, values);
    }
    redirect(303, `/dashboard/coops/${coopId}?done=applied`);
  },
};
