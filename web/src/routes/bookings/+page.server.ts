import { isActive } from '@tissu/shared';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

/** Past bookings come a page at a time: a member of many years has hundreds. */
const PAST_PAGE = 20;

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const page = Math.min(Math.max(Math.trunc(Number(event.url.searchParams.get('page'))) || 1, 1), 1000);
  try {
    const [upcoming, past, series] = await Promise.all([
      // Each series is one line of its own (with its next visit and a visit to pay): its visits are not listed again.
      ok(event.locals.api.GET('/bookings', { params: { query: { as: 'client', scope: 'upcoming', series: 'exclude' } } })),
      ok(event.locals.api.GET('/bookings', { params: { query: { as: 'client', scope: 'past', series: 'exclude', limit: PAST_PAGE + 1, offset: (page - 1) * PAST_PAGE } } })),
      ok(event.locals.api.GET('/series', { params: { query: { as: 'client' } } })),
    ]);
    // A booking still to come but cancelled, declined or done is no longer "upcoming" for people.
    const closedAhead = upcoming.items.filter((b) => !isActive(b.state)).reverse();
    // Series still running come first, one line each; ended and declined ones follow the past bookings.
    const running = series.items.filter((x) => x.state === 'requested' || x.state === 'active' || x.state === 'paused');
    const over = series.items.filter((x) => !running.includes(x));
    const older = past.items.length > PAST_PAGE;
    return {
      series: running, seriesOver: over, upcoming: upcoming.items.filter((b) => isActive(b.state)),
      // Cancelled bookings still ahead head the first page only.
      past: [...(page === 1 ? closedAhead : []), ...past.items.slice(0, PAST_PAGE)],
      page, olderHref: older ? `?page=${page + 1}` : null, newerHref: page > 1 ? `?page=${page - 1}` : null,
    };
  } catch (e) {
    loadFailure(event, e);
  }
};
