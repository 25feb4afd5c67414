import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { apiFailure, formValues, invalid, fieldMessages, type FormState } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { readSchedule } from '$lib/server/schedule-form';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  let listing, schedule;
  try {
    [listing, schedule] = await Promise.all([
      ok(event.locals.api.GET('/listings/{id}', { params: { path: { id: event.params.listingId } } })),
      ok(event.locals.api.GET('/listings/{id}/schedule', { params: { path: { id: event.params.listingId } } })),
    ]);
  } catch (e) {
    loadFailure(event, e);
  }
  if (listing.coop.id !== event.params.id) error(404, { message: m.error_not_found_title() });
  return { listing, schedule };
};

export const actions: Actions = {
  default: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data, ['seriesFrequencies']);
    const { body, errors, rename } = readSchedule(data);
    if (!body) return invalid(errors, values);
    let saved;
    try {
      saved = await ok(event.locals.api.PUT('/listings/{id}/schedule', { params: { path: { id: event.params.listingId } }, body }));
    } catch (e) {
      if (isApiError(e) && e.fields) return invalid(rename(fieldMessages(e.fields)), values);
      return apiFailure(event, e, values);
    }
    return { success: m.availability_saved(), stillBooked: saved.stillBooked, timeZone: saved.timeZone };
  },
};
