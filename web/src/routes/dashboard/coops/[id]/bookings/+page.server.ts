import { error } from '@sveltejs/kit';
import { ReasonBody, SeriesDeclineBody, isActive } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { pastPage } from '$lib/server/past-page';
import { managesCoop } from '$lib/coop-access';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const { id } = event.params;
  if (!UUID.test(id)) error(404, { message: m.error_not_found_title() });
  const past = event.url.searchParams.get('scope') === 'past';
  const pages = pastPage(event.url, (n) => `?scope=past&page=${n}`);
  try {
    // The co-op's series are its admins' to answer, each on one line (its visits are not listed
    // again, but for those with money on them once over or closed, for their receipts and
    // refunds): a worker sees her own visits, one by one.
    const manages = managesCoop(user, id);
    const [coop, list, series] = await Promise.all([
      ok(event.locals.api.GET('/coops/{idOrSlug}', { params: { path: { idOrSlug: id } } })),
      ok(event.locals.api.GET('/bookings', {
        params: { query: { as: 'coop', coopId: id, scope: past ? 'past' : 'upcoming', series: manages ? 'with_money' : 'include', ...(past ? pages.query : {}) } },
      })),
      manages ? ok(event.locals.api.GET('/series', { params: { query: { as: 'coop', coopId: id } } })) : { items: [] },
    ]);
    const seriesRequests = series.items.filter((s) => s.state === 'requested');
    const seriesRunning = series.items.filter((s) => s.state === 'active' || s.state === 'paused');
    const seriesOver = series.items.filter((s) => s.state === 'ended' || s.state === 'declined');
    const requests = past ? [] : list.items.filter((b) => b.state === 'requested');
    const { items: pastItems, olderHref, newerHref } = past ? pages.cut(list.items) : { items: [], olderHref: null, newerHref: null };
    const others = past ? pastItems : list.items.filter((b) => b.state !== 'requested' && isActive(b.state));
    // Closed bookings whose time is still ahead (cancelled, declined…) are listed apart.
    const closed = past ? [] : list.items.filter((b) => !isActive(b.state));
    return { coop, past, requests, others, closed, manages, seriesRequests: past ? [] : seriesRequests, seriesRunning: past ? [] : seriesRunning, seriesOver: past && pages.page === 1 ? seriesOver : [], olderHref, newerHref };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  accept: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const bookingId = str(data, 'bookingId');
    const choice = str(data, 'acceptSolidarity');
    try {
      const acceptSolidarity = choice === 'yes' ? true : choice === 'no' ? false : undefined;
      await event.locals.api.POST('/bookings/{id}/accept', { params: { path: { id: bookingId } }, body: { acceptSolidarity } });
    } catch (e) {
      return apiFailure(event, e, {}, { form: `booking-${bookingId}` });
    }
    return { form: 'inbox', success: m.booking_done_accepted() } satisfies FormState;
  },

  decline: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const bookingId = str(data, 'bookingId');
    const values = formValues(data);
    const form = `booking-${bookingId}`;
    const checked = check(ReasonBody, { reason: str(data, 'reason') });
    if (!checked.ok) return invalid(checked.errors, values, form);
    try {
      await event.locals.api.POST('/bookings/{id}/decline', { params: { path: { id: bookingId } }, body: { reason: checked.data.reason } });
    } catch (e) {
      return apiFailure(event, e, values, { form });
    }
    return { form: 'inbox', success: m.booking_done_declined() } satisfies FormState;
  },

  acceptSeries: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const seriesId = str(data, 'seriesId');
    try {
      await ok(event.locals.api.POST('/series/{id}/accept', { params: { path: { id: seriesId } }, body: {} }));
    } catch (e) {
      return apiFailure(event, e, {}, { form: `series-${seriesId}` });
    }
    return { form: 'inbox', success: m.series_done_accepted() } satisfies FormState;
  },

  declineSeries: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const seriesId = str(data, 'seriesId');
    const values = formValues(data);
    const form = `series-${seriesId}`;
    const checked = check(SeriesDeclineBody, { reason: str(data, 'reason') });
    if (!checked.ok) return invalid(checked.errors, values, form);
    try {
      await ok(event.locals.api.POST('/series/{id}/decline', { params: { path: { id: seriesId } }, body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, values, { form });
    }
    return { form: 'inbox', success: m.series_done_declined() } satisfies FormState;
  },
};
