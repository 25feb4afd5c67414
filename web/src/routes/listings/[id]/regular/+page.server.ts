import { error, redirect } from '@sveltejs/kit';
import { CreateSeriesBody, SeriesPreviewQuery } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { apiErrorMessage, apiFailure, check, fieldMessages, formValues, invalid, signInPath, str, strs, type FieldMessages } from '$lib/server/forms';
import { loadFailure } from '$lib/server/guards';
import { ADDRESS_FIELDS, addressInput } from '$lib/server/address-choice';
import { idempotencyKeyOf, newIdempotencyKey } from '$lib/server/idempotency';
import { ok } from '$lib/server/api/client';
import { seriesLimitReached } from '$lib/server/series-room';
import { answerKeys, answersOf } from '$lib/server/booking-answers';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long the series runs, as the form says it: no end, until a date, or a number of visits. */
export interface SeriesTerms {
  startsAt: string;
  frequency: string;
  end: 'none' | 'until' | 'count';
  until: string;
  count: string;
  /** The add-ons chosen on the listing's page (`addon`, repeated): every visit comes with them. */
  addonIds: string[];
}

function termsOf(get: (key: string) => string, getAll: (key: string) => string[]): SeriesTerms {
  const end = get('end');
  return {
    startsAt: get('startsAt'),
    frequency: get('frequency'),
    end: end === 'until' || end === 'count' ? end : 'none',
    until: get('until').trim(),
    count: get('count').trim(),
    addonIds: [...new Set(getAll('addon'))],
  };
}

/** The terms as the API reads them, with what is missing said next to its field. */
function queryOf(t: SeriesTerms) {
  const input = {
    startsAt: t.startsAt,
    frequency: t.frequency,
    until: t.end === 'until' ? t.until : undefined,
    count: t.end === 'count' ? t.count : undefined,
  };
  const checked = check(SeriesPreviewQuery, { ...input, addons: t.addonIds.length ? t.addonIds.join(',') : undefined });
  const errors: FieldMessages = checked.ok ? {} : { ...checked.errors };
  if (t.end === 'until' && !t.until) errors.until = [m.err_required()];
  if (t.end === 'count' && !t.count) errors.count = [m.err_required()];
  // The query goes as the API reads it: the add-ons as `<id>,<id>`.
  const query = checked.ok && !Object.keys(errors).length ? { ...checked.data, addons: t.addonIds.length ? t.addonIds.join(',') : undefined } : null;
  return { input, query, errors };
}

export const load: PageServerLoad = async (event) => {
  const { id } = event.params;
  if (!UUID.test(id)) error(404, { message: m.error_not_found_title() });
  const { api, user } = event.locals;
  const params = event.url.searchParams;
  const terms = termsOf((k) => params.get(k) ?? '', (k) => params.getAll(k));
  let listing, schedule;
  try {
    [listing, schedule] = await Promise.all([
      ok(api.GET('/listings/{id}', { params: { path: { id } } })),
      ok(api.GET('/listings/{id}/schedule', { params: { path: { id } } })),
    ]);
  } catch (e) {
    loadFailure(event, e);
  }
  // Nothing asked yet (or the listing no longer offers it): the listing's own form is the way in.
  if (!schedule.seriesFrequencies.length || !terms.startsAt) redirect(303, `/listings/${id}#book`);
  if (!terms.frequency) terms.frequency = schedule.seriesFrequencies[0]!;
  // Only the add-ons the listing offers now, each once (as its page keeps them): an old link's others are left out.
  terms.addonIds = terms.addonIds.filter((id) => listing.addons.some((a) => a.active && a.id === id));

  const { query, errors } = queryOf(terms);
  let preview = null;
  let previewFailed: string | null = null;
  if (query) {
    try {
      preview = await ok(api.GET('/listings/{id}/series-preview', { params: { path: { id }, query } }));
    } catch (e) {
      if (isApiError(e) && e.fields) Object.assign(errors, fieldMessages(e.fields));
      else previewFailed = apiErrorMessage(e);
    }
  }
  // Already at the limit of regular visits: said here rather than after she fills the form.
  const full = user && preview ? await seriesLimitReached(api, id) : null;
  // Her saved addresses, offered when the co-op comes to her; the form still works without them.
  const addresses = user && preview && listing.locationMode === 'client_place'
    ? await ok(api.GET('/me/addresses')).then((r) => r.items, () => [])
    : [];
  const conversation = params.get('conversation');
  return {
    listing,
    schedule,
    full,
    /** Booked from a conversation: the series continues it. */
    conversationId: conversation && UUID.test(conversation) ? conversation : null,
    terms,
    errors,
    preview,
    previewFailed,
    contact: user ? { name: user.name, email: user.email } : null,
    addresses,
    idempotencyKey: newIdempotencyKey(),
  };
};

const CHOICE = 'choice-';

export const actions: Actions = {
  confirm: async (event) => {
    const data = await event.request.formData();
    const values = formValues(data, answerKeys(data));
    if (!event.locals.user) redirect(303, signInPath(event.url));
    const terms = termsOf((k) => str(data, k), (k) => strs(data, k));
    const { input: asked } = queryOf(terms);

    // Each date that is not free needs an answer: skip it, or one of the free times offered.
    const errors: FieldMessages = {};
    const choices = [];
    for (const date of strs(data, 'open')) {
      const picked = str(data, `${CHOICE}${date}`);
      if (picked === 'skip') choices.push({ date, action: 'skip' as const });
      else if (picked) choices.push({ date, action: 'move' as const, startsAt: picked });
      else errors[`visits.${date}`] = [m.series_choose_for_visit()];
    }
    const input = {
      listingId: event.params.id,
      ...asked,
      choices,
      ...addressInput(data),
      notes: str(data, 'notes'),
      contactName: str(data, 'contactName'),
      contactPhone: str(data, 'contactPhone'),
      contactEmail: str(data, 'contactEmail'),
      conversationId: UUID.test(str(data, 'conversationId')) ? str(data, 'conversationId') : undefined,
      answers: answersOf(data),
      addonIds: terms.addonIds,
    };
    const checked = check(CreateSeriesBody, input, ADDRESS_FIELDS);
    if (!checked.ok) Object.assign(errors, checked.errors);
    if (!checked.ok || Object.keys(errors).length) return invalid(errors, values, 'series');

    let seriesId: string;
    try {
      const key = idempotencyKeyOf(data);
      const header = { 'idempotency-key': key && `${key}-series` };
      seriesId = (await ok(event.locals.api.POST('/series', { params: { header }, body: checked.data }))).id;
    } catch (e) {
      return apiFailure(event, e, values, { form: 'series', rename: ADDRESS_FIELDS });
    }
    redirect(303, `/series/${seriesId}?done=booked`);
  },
};
