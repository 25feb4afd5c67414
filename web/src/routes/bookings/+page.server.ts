import { isActive } from '@tissu/shared';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  try {
    const [upcoming, past] = await Promise.all([
      ok(event.locals.api.GET('/bookings', { params: { query: { as: 'client', scope: 'upcoming' } } })),
      ok(event.locals.api.GET('/bookings', { params: { query: { as: 'client', scope: 'past' } } })),
    ]);
    // A booking still to come but cancelled, declined or done is no longer "upcoming" for people.
    const closedAhead = upcoming.items.filter((b) => !isActive(b.state)).reverse();
    return { upcoming: upcoming.items.filter((b) => isActive(b.state)), past: [...closedAhead, ...past.items] };
  } catch (e) {
    loadFailure(event, e);
  }
};
