import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { RequestHandler } from './$types';

/** The signed-in member's statements as CSV in the page's language (one year with ?year=), fetched with their session. */
export const GET: RequestHandler = async (event) => {
  requireUser(event);
  const raw = event.url.searchParams.get('year');
  if (raw !== null && !/^\d{4}$/.test(raw)) error(400, { message: m.err_bad_request() });
  const year = raw === null ? undefined : Number(raw);
  let csv: string;
  try {
    csv = await ok(event.locals.api.GET('/patronage/statements.csv', { params: { query: { year, lang: getLocale() } }, parseAs: 'text' }));
  } catch (e) {
    loadFailure(event, e);
  }
  // Reading the answer as text drops its byte-order mark, which spreadsheets need to read UTF-8.
  return new Response(csv.startsWith('\ufeff') ? csv : `\ufeff${csv}`, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="ristournes${year ? `-${year}` : ''}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
};
