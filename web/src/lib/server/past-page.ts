/** Past bookings come a page at a time: a client or a co-op of some years has hundreds. */
export const PAST_PAGE = 20;

/**
 * The page of past bookings the URL asks for (`?page=`, 1 to 1000, anything else is 1): what to ask
 * the API (one more than a page, to know whether older ones follow), and the links either way.
 */
export function pastPage(url: URL, linkTo: (page: number) => string) {
  const page = Math.min(Math.max(Math.trunc(Number(url.searchParams.get('page'))) || 1, 1), 1000);
  return {
    page,
    query: { limit: PAST_PAGE + 1, offset: (page - 1) * PAST_PAGE },
    /** This page's bookings, and the links to older and more recent ones. */
    cut<T>(items: T[]) {
      return {
        items: items.slice(0, PAST_PAGE),
        olderHref: items.length > PAST_PAGE ? linkTo(page + 1) : null,
        newerHref: page > 1 ? linkTo(page - 1) : null,
      };
    },
  };
}
