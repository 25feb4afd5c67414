import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { ReasonBody, type QuoteOffer } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { apiFailure, check, formValues, invalid, str, type FormState, type FormValues } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { conversationActions, conversationPanel, loadConversation } from '$lib/server/conversations';
import { offerRename, readOfferForm } from '$lib/server/quote-forms';
import { quantityText, type LineDraft } from '$lib/quote-lines';
import { getLocale } from '$lib/paraglide/runtime';
import { formatDateTimeIn } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The rows the offer editor starts from: the latest version's lines (a revision changes them), then a spare one. */
function startingRows(offer: QuoteOffer | undefined): LineDraft[] {
  if (!offer) return [];
  const money = (cents: number) => (cents / 100).toFixed(2).replace('.', getLocale() === 'fr' ? ',' : '.');
  return offer.lines.map((l) =>
    l.quantity == null
      ? { label: l.label, mode: 'fixed' as const, quantity: '1', unitPrice: '', amount: money(l.unitPriceCents) }
      : { label: l.label, mode: 'unit' as const, quantity: quantityText(Math.round(l.quantity * 100), getLocale()).replace(/\s/g, ''), unitPrice: money(l.unitPriceCents), amount: '' },
  );
}

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const { id } = event.params;
  if (!UUID.test(id)) error(404, { message: m.error_not_found_title() });
  const { api } = event.locals;
  let quote;
  try {
    quote = await ok(api.GET('/quotes/{id}', { params: { path: { id } } }));
  } catch (e) {
    loadFailure(event, e);
  }
  const writesOffers = quote.actions.includes('offer');
  // What the offer editor needs to work out totals as the API will: the fee in force, the co-op's
  // tax registration, the listing's deposit. A failure there only hides the live totals.
  const [fee, account, listing, conversation] = await Promise.all([
    writesOffers ? ok(api.GET('/platform/fee')).catch(() => null) : null,
    writesOffers ? ok(api.GET('/coops/{id}/payments/account', { params: { path: { id: quote.coop.id } } })).catch(() => null) : null,
    writesOffers ? ok(api.GET('/listings/{id}', { params: { path: { id: quote.listing.id } } })).catch(() => null) : null,
    quote.conversationId
      ? loadConversation(api, quote.conversationId).catch((e) => {
          if (!isApiError(e)) console.error('[web] the quote conversation failed', e);
          return null;
        })
      : null,
  ]);
  const latest = quote.offers.at(-1);
  return {
    quote,
    // The feed in words here, not in the browser's scripts (issue 11's JS budget).
    conversation: conversation && conversationPanel(conversation, quote.timeZone, { visit: false }),
    editor: writesOffers
      ? {
          rows: startingRows(latest),
          feeRateBps: fee?.current.rateBps ?? latest?.feeRateBps ?? 0,
          taxes: { gst: account?.gstRegistered ?? false, qst: account?.qstRegistered ?? false },
          depositPercent: listing?.depositPercent ?? latest?.depositPercent ?? 0,
          regular: latest?.recurrence ?? null,
          durationMinutes: latest?.durationMinutes ?? listing?.durationMinutes ?? 120,
        }
      : null,
    flash: event.url.searchParams.get('done'),
    now: new Date().toISOString(),
    ...(conversation?.waiting && { waiting: conversation.waiting }),
  };
};

type Event = RequestEvent<{ id: string }>;
const path = (event: Event) => ({ params: { path: { id: event.params.id } } });

async function act(event: Event, form: string, values: FormValues, call: () => Promise<unknown>, success: string, rename?: Record<string, string>) {
  requireUser(event);
  try {
    await call();
  } catch (e) {
    return apiFailure(event, e, values, { form, rename });
  }
  return { form, success } satisfies FormState;
}

async function read(event: Event) {
  const data = await event.request.formData();
  return { data, values: formValues(data, ['lineLabel', 'lineMode', 'lineQuantity', 'lineUnitPrice', 'lineAmount', 'time']) };
}

export const actions: Actions = {
  ...conversationActions,

  /** The co-op's offer, or its revision. */
  sendOffer: async (event) => {
    requireUser(event);
    const { data, values } = await read(event);
    const quote = await ok(event.locals.api.GET('/quotes/{id}', path(event))).catch(() => null);
    const read_ = readOfferForm(data, quote?.timeZone ?? 'America/Toronto');
    if (!read_.ok) return invalid(read_.errors, values, 'sendOffer');
    const body = read_.body;
    let sent;
    try {
      sent = await ok(event.locals.api.POST('/quotes/{id}/offers', { ...path(event), body }));
    } catch (e) {
      return apiFailure(event, e, values, { form: 'sendOffer', rename: offerRename(body.lines.length, read_.timeFields) });
    }
    // Sent; times outside the listing's hours are allowed (a Sunday agreed to), and said so.
    const outside = sent.offers.at(-1)?.outsideHours ?? [];
    const warning = outside.length ? m.quote_offer_outside_hours_warning({ times: outside.map((t) => formatDateTimeIn(t, sent.timeZone)).join(' ; ') }) : null;
    return { form: 'sendOffer', success: warning ? `${m.quote_offer_sent()} ${warning}` : m.quote_offer_sent() } satisfies FormState;
  },

  accept: async (event) => {
    const { data, values } = await read(event);
    const startsAt = str(data, 'startsAt');
    const offerVersion = Number(str(data, 'offerVersion'));
    // Regular visits: no time to pick (the first visit is the offer's).
    const regular = str(data, 'regular') === '1';
    if (!startsAt && !regular) return invalid({ startsAt: [m.err_quote_choose_time()] }, values, 'accept');
    let made: { bookingId: string | null; seriesId: string | null };
    try {
      made = await ok(event.locals.api.POST('/quotes/{id}/accept', { ...path(event), body: regular ? { offerVersion } : { offerVersion, startsAt } }));
    } catch (e) {
      return apiFailure(event, e, values, { form: 'accept', rename: { offerVersion: 'startsAt' } });
    }
    // On to the payment of the booking it made (the deposit, when the offer has one), or to the
    // series' page, which asks for the card its visits are charged to, as booking a series does.
    if (made.seriesId) redirect(303, `/series/${made.seriesId}?done=booked`);
    redirect(303, made.bookingId ? `/bookings/${made.bookingId}/pay` : `/quotes/${event.params.id}`);
  },

  decline: async (event) => {
    const { data, values } = await read(event);
    const reason = str(data, 'reason').trim();
    return act(event, 'decline', values, () => ok(event.locals.api.POST('/quotes/{id}/decline', { ...path(event), body: { reason: reason || undefined } })), m.quote_done_declined());
  },

  requestChanges: async (event) => {
    const { data, values } = await read(event);
    const checked = check(ReasonBody, { reason: str(data, 'reason') });
    if (!checked.ok) return invalid(checked.errors, values, 'requestChanges');
    return act(event, 'requestChanges', values, () => ok(event.locals.api.POST('/quotes/{id}/request-changes', { ...path(event), body: checked.data })), m.quote_done_changes());
  },

  withdraw: async (event) => {
    const { values } = await read(event);
    return act(event, 'withdraw', values, () => ok(event.locals.api.POST('/quotes/{id}/withdraw', { ...path(event), body: {} })), m.quote_done_withdrawn());
  },

  refuse: async (event) => {
    const { data, values } = await read(event);
    const checked = check(ReasonBody, { reason: str(data, 'reason') });
    if (!checked.ok) return invalid(checked.errors, values, 'refuse');
    return act(event, 'refuse', values, () => ok(event.locals.api.POST('/quotes/{id}/refuse', { ...path(event), body: checked.data })), m.quote_done_refused());
  },
};
