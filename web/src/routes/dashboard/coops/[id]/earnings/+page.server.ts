import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { loadFailure, requireUser } from '$lib/server/guards';
import { HOME_ZONE, localDate } from '$lib/time';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIRST_YEAR = 2020;

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const { id } = event.params;
  if (!UUID.test(id)) error(404, { message: m.error_not_found_title() });
  // The year as Montréal counts it, as the API does: New Year's Eve evening is still the old year.
  const thisYear = Number(localDate(new Date(), HOME_ZONE).slice(0, 4));
  const asked = Number(event.url.searchParams.get('year'));
  const year = Number.isInteger(asked) && asked >= FIRST_YEAR && asked <= thisYear ? asked : thisYear;
  try {
    const [coop, earnings, tips] = await Promise.all([
      ok(event.locals.api.GET('/coops/{idOrSlug}', { params: { path: { idOrSlug: id } } })),
      ok(event.locals.api.GET('/coops/{id}/earnings', { params: { path: { id }, query: { year } } })),
      // Tips per worker, apart from the earnings: no fee, no tax, owed to the team.
      ok(event.locals.api.GET('/coops/{id}/tips', { params: { path: { id }, query: { year } } })).catch(() => null),
    ]);
    const years = Array.from({ length: thisYear - FIRST_YEAR + 1 }, (_, i) => thisYear - i);
    return { coop, earnings, tips, years };
  } catch (e) {
    loadFailure(event, e);
  }
};
