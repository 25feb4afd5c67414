import { redirect } from '@sveltejs/kit';
import { CATEGORY_SLUGS, REGION_SLUGS, SERVICE_LANGUAGES, SearchSort, parseMoneyToCents } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { apiErrorMessage, fieldMessages, type FieldMessages, amountFormatText } from '$lib/server/forms';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 20;

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | '' {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : '';
}

export const load: PageServerLoad = async ({ url, locals }) => {
  const p = url.searchParams;
  // What the form shows back: prices stay in dollars as typed, the API gets cents.
  const filters = {
    q: (p.get('q') ?? '').trim(),
    category: oneOf(p.get('category'), CATEGORY_SLUGS),
    borough: oneOf(p.get('borough'), REGION_SLUGS),
    language: oneOf(p.get('language'), SERVICE_LANGUAGES),
    minPrice: (p.get('minPrice') ?? '').trim(),
    maxPrice: (p.get('maxPrice') ?? '').trim(),
    remote: p.get('remote') === 'true',
    regular: p.get('regular') === 'true',
    sort: SearchSort.safeParse(p.get('sort')).data ?? 'relevance',
  };
  const cursor = p.get('cursor') || undefined;

  const errors: FieldMessages = {};
  const minCents = filters.minPrice ? parseMoneyToCents(filters.minPrice) : undefined;
  const maxCents = filters.maxPrice ? parseMoneyToCents(filters.maxPrice) : undefined;
  if (minCents === null) errors.minPrice = [amountFormatText(filters.minPrice)];
  if (maxCents === null) errors.maxPrice = [amountFormatText(filters.maxPrice)];
  if (minCents != null && maxCents != null && minCents > maxCents) errors.maxPrice = [m.err_max_below_min()];
  if (filters.q.length > 200) errors.q = [m.err_max_chars({ count: 200 })];

  const empty = { items: [], total: 0, totalCapped: false, nextCursor: null };
  if (Object.keys(errors).length) return { filters, errors, message: null, result: empty, nextHref: null, cursor };

  try {
    const query = {
      q: filters.q || undefined,
      category: filters.category || undefined,
      borough: filters.borough || undefined,
      language: filters.language || undefined,
      minPrice: minCents ?? undefined,
      maxPrice: maxCents ?? undefined,
      remote: filters.remote ? ('true' as const) : undefined,
      regular: filters.regular ? ('true' as const) : undefined,
      sort: filters.sort,
      cursor,
      limit: PAGE_SIZE,
    };
    const result = await ok(locals.api.GET('/listings', { params: { query } }));
    let nextHref: string | null = null;
    if (result.nextCursor) {
      const next = new URLSearchParams(p);
      next.set('cursor', result.nextCursor);
      nextHref = `/search?${next}`;
    }
    return { filters, errors, message: null, result, nextHref, cursor };
  } catch (e) {
    // A stale or foreign cursor: start again from the first page of the same search.
    if (isApiError(e) && e.status === 400 && e.fields?.cursor && cursor) {
      const first = new URLSearchParams(p);
      first.delete('cursor');
      redirect(303, `/search?${first}`);
    }
    // A bad filter is answered on the page, never with an error page.
    const fields = isApiError(e) && e.fields ? fieldMessages(e.fields) : {};
    return { filters, errors: fields, message: apiErrorMessage(e), result: empty, nextHref: null, cursor };
  }
};
