import { ReportMinutesBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { pastPage } from '$lib/server/past-page';
import { localDate } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';

const COMING_PAGE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const pages = pastPage(event.url, (n) => `?page=${n}#past-title`);
  // The coming visits a page at a time too: a worker on regular visits has dozens ahead.
  const coming = Math.min(Math.max(Math.trunc(Number(event.url.searchParams.get('coming'))) || 1, 1), 1000);
  try {
    const [upcoming, past] = await Promise.all([
      ok(event.locals.api.GET('/me/visits', { params: { query: { when: 'upcoming', limit: COMING_PAGE, offset: (coming - 1) * COMING_PAGE } } })),
      ok(event.locals.api.GET('/me/visits', { params: { query: { when: 'past', ...pages.query } } })),
    ]);
    // "Today" is the day where the visit takes place (the API's upcoming list starts there too).
    const now = new Date();
    const isToday = (v: (typeof upcoming.items)[number]) => localDate(v.startsAt, v.timeZone) === localDate(now, v.timeZone);
    const { items, olderHref, newerHref } = pages.cut(past.items);
    // Her share of the tips of this year, in each co-op she works for (the API answers her own line only).
    const user = event.locals.user;
    const tips = (await Promise.all((user?.coops ?? []).map((c) =>
      ok(event.locals.api.GET('/coops/{id}/tips', { params: { path: { id: c.coopId } } }))
        .then((t) => ({ coopId: c.coopId, coopName: c.coopName, cents: t.workers.find((w) => w.userId === user?.id)?.cents ?? 0 }))
        .catch(() => null)))).filter((t): t is NonNullable<typeof t> => t !== null && t.cents > 0);
    return {
      tips,
      today: upcoming.items.filter(isToday),
      coming: upcoming.items.filter((v) => !isToday(v)),
      laterHref: upcoming.nextOffset !== null ? `?coming=${coming + 1}#coming-title` : null,
      soonerHref: coming > 1 ? `?coming=${coming - 1}#coming-title` : null,
      past: items,
      olderHref,
      newerHref,
    };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  /** Her minutes for one visit; each card's form says which visit (`form` is `minutes-<id>`). */
  minutes: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const bookingId = str(data, 'bookingId');
    if (!UUID.test(bookingId)) return invalid({ minutes: [m.err_invalid()] }, values, 'minutes');
    const form = `minutes-${bookingId}`;
    const text = str(data, 'minutes').trim();
    const checked = check(ReportMinutesBody, { minutes: /^\d+$/.test(text) ? Number(text) : text === '' ? undefined : Number.NaN });
    if (!checked.ok) return invalid(checked.errors, values, form);
    try {
      await ok(event.locals.api.POST('/bookings/{id}/minutes', { params: { path: { id: bookingId } }, body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, values, { form });
    }
    return { form, success: m.visits_minutes_sent() } satisfies FormState;
  },
};
