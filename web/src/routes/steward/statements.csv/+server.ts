import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { loadFailure, requireSteward } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { RequestHandler } from './$types';

/** Every member's statement of one plan as CSV in the page's language, fetched from the API with the steward's session. */
export const GET: RequestHandler = async (event) => {
  requireSteward(event);
  const planId = event.url.searchParams.get('planId') ?? '';
  if (!/^[0-9a-f-]{36}$/i.test(planId)) error(400, { message: m.err_bad_request() });
  let csv: string;
  try {
    csv = await ok(event.locals.api.GET('/steward/statements.csv', { params: { query: { planId, lang: getLocale() } }, parseAs: 'text' }));
  } catch (e) {
    loadFailure(event, e);
  }
  // Reading the answer as text drops its byte-order mark, which spreadsheets need to read UTF-8.
  return new Response(csv.startsWith('\ufeff') ? csv : `\ufeff${csv}`, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="ristournes-${planId}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
};
