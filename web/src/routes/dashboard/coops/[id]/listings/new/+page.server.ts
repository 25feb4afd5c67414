import { error, redirect } from '@sveltejs/kit';
import type { CreateListingBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, formValues, invalid } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { idempotencyKeyOf, newIdempotencyKey } from '$lib/server/idempotency';
import { LISTING_FIELD_NAMES, readListing } from '$lib/server/listing-form';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  let coop;
  try {
    coop = await ok(event.locals.api.GET('/coops/{idOrSlug}', { params: { path: { idOrSlug: event.params.id } } }));
  } catch (e) {
    loadFailure(event, e);
  }
  if (coop.status !== 'approved') error(403, { message: m.dashboard_listings_after_approval() });
  return { coop, idempotencyKey: newIdempotencyKey() };
};

export const actions: Actions = {
  default: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data, ['boroughs']);
    const checked = readListing(data, 'create');
    if (!checked.ok) return invalid(checked.errors, values);
    try {
      await event.locals.api.POST('/coops/{id}/listings', {
        params: { path: { id: event.params.id }, header: { 'idempotency-key': idempotencyKeyOf(data) } },
        body: checked.data as CreateListingBody,
      });
    } catch (e) {
      return apiFailure(event, e, values, { rename: LISTING_FIELD_NAMES });
    }
    redirect(303, `/dashboard/coops/${event.params.id}?done=listing-created#listings`);
  },
};
