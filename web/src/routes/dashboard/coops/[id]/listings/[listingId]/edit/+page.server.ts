import { error, redirect } from '@sveltejs/kit';
import type { UpdateListingBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, formValues, invalid } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { LISTING_FIELD_NAMES, readListing } from '$lib/server/listing-form';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  let listing;
  try {
    listing = await ok(event.locals.api.GET('/listings/{id}', { params: { path: { id: event.params.listingId } } }));
  } catch (e) {
    loadFailure(event, e);
  }
  if (listing.coop.id !== event.params.id) error(404, { message: m.error_not_found_title() });
  return { listing };
};

export const actions: Actions = {
  default: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data, ['boroughs']);
    const checked = readListing(data, 'update');
    if (!checked.ok) return invalid(checked.errors, values);
    try {
      await event.locals.api.PATCH('/listings/{id}', { params: { path: { id: event.params.listingId } }, body: checked.data as UpdateListingBody });
    } catch (e) {
      return apiFailure(event, e, values, { rename: LISTING_FIELD_NAMES });
    }
    redirect(303, `/dashboard/coops/${event.params.id}?done=listing-saved#listings`);
  },
};
