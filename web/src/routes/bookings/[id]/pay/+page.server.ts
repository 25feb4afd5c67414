import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { apiFailure } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  if (!UUID.test(event.params.id)) error(404, { message: m.error_not_found_title() });
  try {
    const [booking, payment] = await Promise.all([
      ok(event.locals.api.GET('/bookings/{id}', { params: { path: { id: event.params.id } } })),
      ok(event.locals.api.GET('/bookings/{id}/payment', { params: { path: { id: event.params.id } } })),
    ]);
    return {
      booking,
      payment,
      isClient: booking.viewer.isClient,
      cancelled: event.url.searchParams.get('cancelled') === '1',
    };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  /** Opens Stripe Checkout (the local emulator in development) and sends the person there. */
  default: async (event) => {
    requireUser(event);
    let url: string;
    try {
      url = (await ok(event.locals.api.POST('/bookings/{id}/checkout', { params: { path: { id: event.params.id } } }))).url;
    } catch (e) {
      if (isApiError(e) && e.code === 'already_paid') redirect(303, `/bookings/${event.params.id}/receipt`);
      return apiFailure(event, e, {});
    }
    redirect(303, url);
  },
};
