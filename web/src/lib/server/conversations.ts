/**
 * The conversation's load and forms, shared by every page that shows one (/messages/[id], a
 * booking, a series): the feed marked read as it is read, the reply, a slot offered, a report, a
 * steward's hiding. The forms name the conversation in a hidden field, so the same actions serve
 * every page; "Écrire à la coop" (a listing's page, a co-op's page) starts one.
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { HideMessageBody, PostMessageBody, ReportMessageBody, StartConversationBody, type ConversationView, type Waiting } from '@tissu/shared';
import { conversationLimits, type ConversationLimits } from './conversation-limits';
import { m } from '$lib/paraglide/messages';
import { inLocale } from '$lib/i18n';
import { feedLines, instantAt, type FeedLine } from '$lib/conversation-text';
import { HOME_ZONE } from '$lib/time';
import { isApiError } from './api-error';
import { ok, type Api } from './api/client';
import { apiFailure, check, formValues, invalid, str, type FieldMessages, type FormState } from './forms';
import { requireUser } from './guards';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OfferListing {
  id: string;
  title: string;
}

export interface LoadedConversation {
  view: ConversationView;
  /** The co-op's listings a slot may be offered for (admins, in an inquiry); empty otherwise. */
  offerListings: OfferListing[];
  limits: ConversationLimits;
  /**
   * The header's counts read again after marking the conversation read, when it had unread
   * messages: the layout's own read may come first, and its badge would count them one page longer.
   */
  waiting?: Waiting;
}

/**
 * Marks it read for the person (what she sees is what she has read); a failure there hides nothing.
 * With unread messages in it, answers the header's counts as they are now.
 */
async function markRead(api: Api, view: ConversationView): Promise<Waiting | undefined> {
  try {
    await ok(api.POST('/conversations/{id}/read', { params: { path: { id: view.conversation.id } } }));
    if (view.conversation.unread > 0) return await ok(api.GET('/me/waiting'));
  } catch (e) {
    if (!isApiError(e)) console.error('[web] marking a conversation read failed', e);
  }
  return undefined;
}

async function withOfferListings(api: Api, view: ConversationView): Promise<LoadedConversation> {
  if (!view.can.offer) return { view, offerListings: [], limits: conversationLimits() };
  const listings = await ok(api.GET('/coops/{id}/listings', { params: { path: { id: view.conversation.coopId }, query: { status: 'active' } } }))
    .then((r) => r.items.map((l) => ({ id: l.id, title: inLocale(l.titleFr, l.titleEn) })))
    .catch(() => []);
  return { view, offerListings: listings, limits: conversationLimits() };
}

/** What a page sends the browser: the feed in words (`lines`), and the rest of the view without the feed itself. */
export type ConversationPanel = Omit<LoadedConversation, 'view'> & { view: Omit<ConversationView, 'feed'>; lines: FeedLine[] };

/**
 * The feed worded here, on the server (issue 11's JavaScript budget), and sent once: ConversationFeed
 * shows the lines, so the raw feed stays out of the page's data.
 */
export function conversationPanel(loaded: LoadedConversation, timeZone: string, opts?: Parameters<typeof feedLines>[2]): ConversationPanel {
  const { feed, ...view } = loaded.view;
  return { ...loaded, view, lines: feedLines(feed, timeZone, opts) };
}

/** A conversation by its id (throws the API's refusal, for the page's loadFailure). */
export async function loadConversation(api: Api, id: string): Promise<LoadedConversation> {
  const view = await ok(api.GET('/conversations/{id}', { params: { path: { id } } }));
  const waiting = await markRead(api, view);
  return { ...(await withOfferListings(api, view)), ...(waiting && { waiting }) };
}

/**
 * The conversation of a booking or a series, or null when it cannot be read (the page then shows
 * its history as before): a conversation never keeps the booking's own page from showing.
 */
export async function loadSubjectConversation(api: Api, subject: 'booking' | 'series', id: string): Promise<LoadedConversation | null> {
  try {
    const view =
      subject === 'booking'
        ? await ok(api.GET('/bookings/{id}/conversation', { params: { path: { id } } }))
        : await ok(api.GET('/series/{id}/conversation', { params: { path: { id } } }));
    const waiting = await markRead(api, view);
    return { ...(await withOfferListings(api, view)), ...(waiting && { waiting }) };
  } catch (e) {
    if (!isApiError(e)) console.error(`[web] the ${subject}'s conversation failed`, e);
    return null;
  }
}

/**
 * "Écrire à la coop": signed out, to sign-in and back to the form; otherwise the first message,
 * and on to the conversation.
 */
export async function startConversation(event: RequestEvent, target: { coopId: string; listingId?: string }) {
  const data = await event.request.formData();
  const values = formValues(data);
  if (!event.locals.user) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const checked = check(StartConversationBody, { ...target, body: str(data, 'body') });
  if (!checked.ok) return invalid(checked.errors, values, 'write');
  let id: string;
  try {
    id = (await ok(event.locals.api.POST('/conversations', { body: checked.data }))).conversation.id;
  } catch (e) {
    return apiFailure(event, e, values, { form: 'write' });
  }
  redirect(303, `/messages/${id}`);
}

/** An id a form sent, or one that names nothing: anything else is the API's 404 to give, not a 400 of ours. */
const idOr = (id: string): string => (UUID.test(id) ? id : '00000000-0000-0000-0000-000000000000');
const conversationOf = (data: FormData): string => idOr(str(data, 'conversationId'));

/** The form actions of a conversation, for a page's `actions` (names unlike any booking or series action). */
export const conversationActions = {
  message: async (event: RequestEvent) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const checked = check(PostMessageBody, { body: str(data, 'body') });
    if (!checked.ok) return invalid(checked.errors, values, 'message');
    try {
      await ok(event.locals.api.POST('/conversations/{id}/messages', { params: { path: { id: conversationOf(data) } }, body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, values, { form: 'message' });
    }
    return { form: 'message', success: m.conv_sent() } satisfies FormState;
  },

  offer: async (event: RequestEvent) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const listingId = str(data, 'listingId');
    const errors: FieldMessages = {};
    if (!UUID.test(listingId)) errors.listingId = [m.conv_err_choose_listing()];
    if (!str(data, 'date')) errors.date = [m.err_choose_date()];
    if (!str(data, 'time')) errors.time = [m.err_required()];
    if (Object.keys(errors).length) return invalid(errors, values, 'offer');
    // The time is the listing's wall clock, as its slots are shown.
    const zone = await ok(event.locals.api.GET('/listings/{id}/schedule', { params: { path: { id: listingId } } }))
      .then((s) => s.timeZone)
      .catch(() => HOME_ZONE);
    const startsAt = instantAt(str(data, 'date'), str(data, 'time'), zone);
    if (!startsAt) return invalid({ date: [m.err_choose_date()] }, values, 'offer');
    if (Date.parse(startsAt) <= Date.now()) return invalid({ date: [m.conv_err_offer_past()] }, values, 'offer');
    const body = str(data, 'body').trim() || m.conv_offer_default_text();
    const checked = check(PostMessageBody, { body, offer: { listingId, startsAt } });
    if (!checked.ok) return invalid(checked.errors, values, 'offer');
    try {
      await ok(event.locals.api.POST('/conversations/{id}/messages', { params: { path: { id: conversationOf(data) } }, body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, values, { form: 'offer', rename: { 'offer.startsAt': 'date', 'offer.listingId': 'listingId' } });
    }
    return { form: 'offer', success: m.conv_offer_sent() } satisfies FormState;
  },

  report: async (event: RequestEvent) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const messageId = str(data, 'messageId');
    const form = `report-${messageId}`;
    const checked = check(ReportMessageBody, { reason: str(data, 'reason') });
    if (!checked.ok) return invalid(checked.errors, values, form);
    try {
      await ok(event.locals.api.POST('/messages/{id}/report', { params: { path: { id: idOr(messageId) } }, body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, values, { form });
    }
    return { form, success: m.conv_reported() } satisfies FormState;
  },

  hideMessage: async (event: RequestEvent) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const messageId = str(data, 'messageId');
    const form = `hide-${messageId}`;
    const checked = check(HideMessageBody, { reason: str(data, 'reason') });
    if (!checked.ok) return invalid(checked.errors, values, form);
    try {
      await ok(event.locals.api.POST('/messages/{id}/hide', { params: { path: { id: idOr(messageId) } }, body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, values, { form });
    }
    // Hiding resolves the message's reports: a steward goes back to the conversations still reported
    // (this one too, while another report in it is open), with the result.
    if (requireUser(event).isSteward) redirect(303, '/messages?reported=1&hidden=1');
    return { form, success: m.conv_hidden_done() } satisfies FormState;
  },
};
