import { isActive, isQuoteOpen } from '@tissu/shared';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { pastPage } from '$lib/server/past-page';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const pages = pastPage(event.url, (n) => `?page=${n}`);
  try {
    const [upcoming, past, series, quotes] = await Promise.all([
      // Each series is one line of its own (with its next visit and a visit to pay): its visits are
      // not listed again, but for those with money on them once over or closed (paid, refunded),
      // so a visit's receipt is found from here too.
      ok(event.locals.api.GET('/bookings', { params: { query: { as: 'client', scope: 'upcoming', series: 'with_money' } } })),
      ok(event.locals.api.GET('/bookings', { params: { query: { as: 'client', scope: 'past', series: 'with_money', ...pages.query } } })),
      ok(event.locals.api.GET('/series', { params: { query: { as: 'client' } } })),
      // Her quote requests, open ones first: a quote is on its way to becoming a booking.
      ok(event.locals.api.GET('/quotes', { params: { query: { as: 'client', scope: 'all' } } })),
    ]);
    // A booking still to come but cancelled, declined or done is no longer "upcoming" for people.
    const closedAhead = upcoming.items.filter((b) => !isActive(b.state)).reverse();
    // Series still running come first, one line each; ended and declined ones follow the past bookings.
    const running = series.items.filter((x) => x.state === 'requested' || x.state === 'active' || x.state === 'paused');
    const over = series.items.filter((x) => !running.includes(x));
    const { items, olderHref, newerHref } = pages.cut(past.items);
    return {
      quotes: [...quotes.items.filter((q) => isQuoteOpen(q.state)), ...quotes.items.filter((q) => !isQuoteOpen(q.state))],
      series: running, seriesOver: over, upcoming: upcoming.items.filter((b) => isActive(b.state)),
      // Cancelled bookings still ahead head the first page only.
      past: [...(pages.page === 1 ? closedAhead : []), ...items],
      olderHref, newerHref,
    };
  } catch (e) {
    loadFailure(event, e);
  }
};
