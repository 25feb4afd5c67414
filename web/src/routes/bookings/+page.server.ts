import { isActive } from '@tissu/shared';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  try {
    const [upcoming, past, series] = await Promise.all([
      // Each series is one line of its own (with its next visit and a visit to pay): its visits are not listed again.
      ok(event.locals.api.GET('/bookings', { params: { query: { as: 'client', scope: 'upcoming', series: 'exclude' } } })),
      ok(event.locals.api.GET('/bookings', { params: { query: { as: 'client', scope: 'past', series: 'exclude' } } })),
      ok(event.locals.api.GET('/series', { params: { query: { as: 'client' } } })),
    ]);
    // A booking still to come but cancelled, declined or done is no longer "upcoming" for people.
    const closedAhead = upcoming.items.filter((b) => !isActive(b.state)).reverse();
    // Series still running come first, one line each; ended and declined ones follow the past bookings.
    const running = series.items.filter((x) => x.state === 'requested' || x.state === 'active' || x.state === 'paused');
    const over = series.items.filter((x) => !running.includes(x));
    return { series: running, seriesOver: over, upcoming: upcoming.items.filter((b) => isActive(b.state)), past: [...closedAhead, ...past.items] };
  } catch (e) {
    loadFailure(event, e);
  }
};
