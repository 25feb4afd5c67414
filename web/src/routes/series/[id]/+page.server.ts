import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { SeriesChangeBody, SeriesDeclineBody, SeriesEndBody, SeriesPauseBody, SeriesResumeBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { apiFailure, check, formValues, invalid, str, strs, type FormState, type FormValues } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { localDate } from '$lib/time';
import { money } from '$lib/i18n';
import { calendarDay, seriesEventDetail, seriesEventTitle } from '$lib/series-text';
import { actorLabel } from '$lib/booking-text';
import { ok } from '$lib/server/api/client';
import { conversationActions, conversationPanel, loadSubjectConversation } from '$lib/server/conversations';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const { id } = event.params;
  if (!UUID.test(id)) error(404, { message: m.error_not_found_title() });
  const { api } = event.locals;
  let series;
  try {
    series = await ok(api.GET('/series/{id}', { params: { path: { id } } }));
  } catch (e) {
    loadFailure(event, e);
  }
  const listingId = series.listing.id;

  // The frequencies the listing offers, for the "change from a date" form.
  const frequencies = series.actions.includes('change')
    ? await ok(api.GET('/listings/{id}/schedule', { params: { path: { id: listingId } } }))
        .then((s) => s.seriesFrequencies)
        .catch(() => [series.rule.frequency])
    : [];
  const members = series.actions.includes('assign')
    ? await ok(api.GET('/coops/{id}/members', { params: { path: { id: series.coop.id } } }))
        .then((r) => r.members)
        .catch(() => null)
    : null;

  // How its visits get paid: the client's saved card, or a link by email for each one.
  const card = series.viewer.isClient ? await ok(api.GET('/me/card')).then((r) => r.card).catch(() => null) : null;
  // Messages and the series' changes in one feed (its history alone if the conversation cannot be read).
  const conversation = await loadSubjectConversation(api, 'series', id);

  return {
    series,
    card,
    // The feed and history in words here, not in the browser's scripts (issue 11's JS budget).
    conversation: conversation && conversationPanel(conversation, series.timeZone),
    history: conversation
      ? []
      : series.history.map((e) => ({ at: e.at, title: seriesEventTitle(e, series.timeZone), who: actorLabel(e), detail: seriesEventDetail(e) })),
    frequencies,
    members,
    today: localDate(new Date(), series.timeZone),
    flash: event.url.searchParams.get('done'),
    ...(conversation?.waiting && { waiting: conversation.waiting }),
  };
};

type Event = RequestEvent<{ id: string }>;
const path = (event: Event) => ({ params: { path: { id: event.params.id } } });

async function read(event: Event) {
  requireUser(event);
  const data = await event.request.formData();
  return { data, values: formValues(data, ['userIds']) };
}

/** Runs one API call for a form of the page and answers the way every action here does. */
async function act(event: Event, form: string, values: FormValues, call: () => Promise<unknown>, success: string) {
  try {
    await call();
  } catch (e) {
    return apiFailure(event, e, values, { form });
  }
  return { form, success } satisfies FormState;
}

type Stopped = { visits: { date: string; endedWithSeries: boolean; refundedCents: number | null }[] };
/**
 * After an end: from which date, and what the paid visits it cancelled were refunded (the API
 * answers once they are, with each visit's refund).
 */
function endedMessage(series: Stopped, from: string): string {
  // Null to a worker, who reads no amounts (only the client and the co-op's admins end a series).
  const refunded = series.visits.filter((v) => v.endedWithSeries && v.date >= from && (v.refundedCents ?? 0) > 0);
  const amount = money(refunded.reduce((a, v) => a + (v.refundedCents ?? 0), 0));
  const refund = refunded.length === 0 ? '' : refunded.length === 1
    ? m.series_done_ended_refunded_one({ amount })
    : m.series_done_ended_refunded_many({ count: refunded.length, amount });
  return [m.series_done_ended({ date: calendarDay(from) }), refund].filter(Boolean).join(' ');
}

/** What a pause or an end from `from` would cancel and refund, as the page's form state shows it. */
async function stopPreview(event: Event, stop: 'pause' | 'end', from: string) {
  const query = { params: { path: { id: event.params.id }, query: { from } } };
  return stop === 'pause'
    ? { pausePreview: await ok(event.locals.api.GET('/series/{id}/pause-preview', query)) }
    : { endPreview: await ok(event.locals.api.GET('/series/{id}/end-preview', query)) };
}

/**
 * A pause or an end, in two steps: first what it would cancel and refund (nothing saved), then,
 * from the confirmation's own hidden fields, the stop itself with the preview's digest: done as
 * shown, or, when what it cancels or refunds changed meanwhile (a deadline passed, a visit was
 * charged), nothing done and the new preview shown with why, to confirm again.
 */
async function stopInTwoSteps(event: Event, stop: 'pause' | 'end', data: FormData, values: FormValues, body: { from: string; reason?: string }, success: string | ((series: Stopped) => string)) {
  let series: Stopped;
  try {
    if (str(data, 'confirmed') !== '1') return { form: stop, values, ...(await stopPreview(event, stop, body.from)) };
    const sent = { ...body, previewDigest: str(data, 'previewDigest') || undefined };
    if (stop === 'pause') series = await ok(event.locals.api.POST('/series/{id}/pause', { ...path(event), body: sent }));
    else series = await ok(event.locals.api.POST('/series/{id}/end', { ...path(event), body: sent }));
  } catch (e) {
    if (!isApiError(e) || e.code !== 'preview_changed') return apiFailure(event, e, values, { form: stop });
    try {
      return fail(409, { form: stop, values, message: m.series_err_preview_changed(), ...(await stopPreview(event, stop, body.from)) });
    } catch (again) {
      return apiFailure(event, again, values, { form: stop });
    }
  }
  return { form: stop, success: typeof success === 'string' ? success : success(series) } satisfies FormState;
}

export const actions: Actions = {
  ...conversationActions,
  accept: async (event) => {
    const { values } = await read(event);
    return act(event, 'accept', values, () => ok(event.locals.api.POST('/series/{id}/accept', { ...path(event), body: {} })), m.series_done_accepted());
  },

  decline: async (event) => {
    const { data, values } = await read(event);
    const checked = check(SeriesDeclineBody, { reason: str(data, 'reason') });
    if (!checked.ok) return invalid(checked.errors, values, 'decline');
    return act(event, 'decline', values, () => ok(event.locals.api.POST('/series/{id}/decline', { ...path(event), body: checked.data })), m.series_done_declined());
  },

  change: async (event) => {
    const { data, values } = await read(event);
    const time = str(data, 'time').trim();
    const frequency = str(data, 'frequency');
    const checked = check(SeriesChangeBody, { from: str(data, 'from'), time: time || undefined, frequency: frequency && frequency !== str(data, 'currentFrequency') ? frequency : undefined });
    if (!checked.ok) return invalid(checked.errors, values, 'change');
    const failed = (e: unknown) => {
      // There is no slot picker here: say that the time is not offered that day (closed, or outside
      // the hours), under the field the person chose, rather than "choose a free slot above".
      const field = isApiError(e) && e.fields ? Object.keys(e.fields).find((k) => e.fields![k]!.some((f) => f.code === 'choose_slot')) : undefined;
      if (field) return invalid({ [field]: [m.series_change_not_open()] }, values, 'change');
      return apiFailure(event, e, values, { form: 'change' });
    };
    // Two steps, as for a pause: first what the change would cancel and make (nothing saved, and
    // said plainly when its first visit comes soon after the one before), then the change itself,
    // from the confirmation's own hidden fields (the change shown is the change made).
    if (str(data, 'confirmed') !== '1') {
      try {
        const changePreview = await ok(event.locals.api.GET('/series/{id}/change-preview', { params: { path: { id: event.params.id }, query: checked.data } }));
        return { form: 'change', values, changePreview };
      } catch (e) {
        return failed(e);
      }
    }
    try {
      await ok(event.locals.api.POST('/series/{id}/change', { ...path(event), body: checked.data }));
    } catch (e) {
      return failed(e);
    }
    return { form: 'change', success: m.series_done_changed() } satisfies FormState;
  },

  pause: async (event) => {
    const { data, values } = await read(event);
    const reason = str(data, 'reason').trim();
    const checked = check(SeriesPauseBody, { from: str(data, 'from'), reason: reason || undefined });
    if (!checked.ok) return invalid(checked.errors, values, 'pause');
    return stopInTwoSteps(event, 'pause', data, values, checked.data, m.series_done_paused());
  },

  resume: async (event) => {
    const { data, values } = await read(event);
    const checked = check(SeriesResumeBody, { from: str(data, 'from') });
    if (!checked.ok) return invalid(checked.errors, values, 'resume');
    return act(event, 'resume', values, () => ok(event.locals.api.POST('/series/{id}/resume', { ...path(event), body: checked.data })), m.series_done_resumed());
  },

  end: async (event) => {
    const { data, values } = await read(event);
    const reason = str(data, 'reason').trim();
    const checked = check(SeriesEndBody, { from: str(data, 'from'), reason: reason || undefined });
    const errors = checked.ok ? {} : { ...checked.errors };
    // The co-op says why it ends the series; the client may.
    if (str(data, 'reasonRequired') === '1' && !reason) errors.reason = [m.err_required()];
    if (!checked.ok || Object.keys(errors).length) return invalid(errors, values, 'end');
    return stopInTwoSteps(event, 'end', data, values, checked.data, (ended) => endedMessage(ended, checked.data.from));
  },

  gap: async (event) => {
    const { data, values } = await read(event);
    const date = str(data, 'date');
    const picked = str(data, 'choice');
    const form = `gap-${date}`;
    if (!picked) return invalid({ choice: [m.series_choose_for_visit()] }, values, form);
    const body = picked === 'skip' ? { action: 'skip' as const } : { action: 'move' as const, startsAt: picked };
    return act(event, form, values, () => ok(event.locals.api.POST('/series/{id}/gaps/{date}', { params: { path: { id: event.params.id, date } }, body })), picked === 'skip' ? m.series_done_skipped() : m.series_done_moved());
  },

  assign: async (event) => {
    const { data, values } = await read(event);
    return act(event, 'assign', values, () => ok(event.locals.api.PUT('/series/{id}/workers', { ...path(event), body: { userIds: strs(data, 'userIds') } })), m.series_done_assigned());
  },
};
