import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  if (!UUID.test(event.params.id)) error(404, { message: m.error_not_found_title() });
  try {
    const [booking, payment] = await Promise.all([
      ok(event.locals.api.GET('/bookings/{id}', { params: { path: { id: event.params.id } } })),
      ok(event.locals.api.GET('/bookings/{id}/payment', { params: { path: { id: event.params.id } } })),
    ]);
    // The tip on a completed visit, shown apart (its own line, no tax); only the client has one to see.
    const tip = booking.viewer.isClient && booking.state === 'completed'
      ? await ok(event.locals.api.GET('/bookings/{id}/tip', { params: { path: { id: event.params.id } } })).then((o) => o.tip).catch(() => null)
      : null;
    return { booking, payment, tip: tip?.status === 'paid' ? tip : null, justPaid: event.url.searchParams.get('paid') === '1' };
  } catch (e) {
    loadFailure(event, e);
  }
};
