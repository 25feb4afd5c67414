/**
 * A conversation in words: its feed (messages and the booking's, series' or quote's state changes, oldest
 * first) as lines to show, who the other party is in a list, and the link a slot offered in a
 * message opens. No rules here: who may post, offer or hide comes from the API's `can`.
 */
import type { ConversationSummary, ConversationView, FeedItem, Message, User } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { actorLabel, eventDetail, eventTitle } from '$lib/booking-text';
import { seriesEventDetail, seriesEventTitle } from '$lib/series-text';
import { quoteEventTitle } from '$lib/quote-text';
import { instantOfWallClock } from '$lib/time';

export type FeedLine =
  | { kind: 'message'; key: string; at: string; message: Message }
  | { kind: 'event'; key: string; at: string; title: string; who: string; detail: string | null; refusal: boolean };

/**
 * The feed as lines, in time order. A state change's reason is its detail; a refusal (declined)
 * is marked so the page shows its reason plainly, not as a footnote.
 */
export function feedLines(feed: FeedItem[], timeZone: string, opts: { visit?: boolean; quoted?: boolean } = {}): FeedLine[] {
  // A booking in a quote's conversation was made by accepting its offer.
  const quoted = opts.quoted ?? feed.some((item) => item.type === 'quote_event');
  return feed.map((item, i): FeedLine => {
    if (item.type === 'message') return { kind: 'message', key: `m-${item.message.id}`, at: item.at, message: item.message };
    if (item.type === 'booking_event') {
      const e = item.event;
      return {
        kind: 'event',
        key: `b-${i}`,
        at: item.at,
        title: eventTitle(e, opts.visit ?? false, quoted),
        who: actorLabel(e),
        detail: eventDetail(e, timeZone),
        refusal: e.to === 'declined' && e.from !== e.to,
      };
    }
    if (item.type === 'quote_event') {
      const e = item.event;
      return { kind: 'event', key: `q-${i}`, at: item.at, title: quoteEventTitle(e), who: actorLabel(e), detail: e.reason, refusal: e.to === 'refused' || e.to === 'declined' };
    }
    const e = item.event;
    return {
      kind: 'event',
      key: `s-${i}`,
      at: item.at,
      title: seriesEventTitle(e, timeZone),
      who: actorLabel(e),
      detail: seriesEventDetail(e),
      refusal: e.kind === 'declined',
    };
  });
}

/** Who wrote, with the side they speak for: "Amina Diallo (coopérative)". */
export function authorLabel(message: Pick<Message, 'authorName' | 'authorRole'>): string {
  const side = message.authorRole === 'client' ? m.actor_client() : m.actor_coop();
  return `${message.authorName} (${side})`;
}

/** The person speaks for the conversation's co-op (an admin or a worker of it), not as its client. */
export function speaksForCoop(user: Pick<User, 'coops'> | null, coopId: string): boolean {
  return Boolean(user?.coops.some((c) => c.coopId === coopId && (c.role === 'admin' || c.role === 'worker')));
}

/** The other party in a list of conversations: the client for the co-op's people, the co-op for the client. */
export function otherParty(s: Pick<ConversationSummary, 'coopId' | 'coopName' | 'clientName'>, user: Pick<User, 'coops'> | null): string {
  return speaksForCoop(user, s.coopId) ? s.clientName : s.coopName;
}

/**
 * The client may book a slot the co-op offered: she can write here and does not speak for the
 * co-op, the offer came from the co-op's side and still shows, and the inquiry has not become a
 * booking or a series yet (then it is booked).
 */
export function canBookOffer(
  view: Pick<ConversationView, 'can'> & { conversation: Pick<ConversationSummary, 'coopId' | 'bookingId' | 'seriesId'> },
  message: Pick<Message, 'mine' | 'authorRole' | 'offer' | 'hidden'>,
  user: Pick<User, 'coops'> | null,
): boolean {
  const c = view.conversation;
  if (!message.offer || message.hidden || message.mine || message.authorRole === 'client') return false;
  return view.can.post && !speaksForCoop(user, c.coopId) && !c.bookingId && !c.seriesId;
}

/** The listing's booking form at the offered time, carrying the conversation (the booking then continues it). */
export function offerHref(offer: { listingId: string; startsAt: string }, conversationId: string): string {
  const q = new URLSearchParams({ slot: offer.startsAt, conversation: conversationId });
  return `/listings/${offer.listingId}?${q}#book`;
}

/**
 * The instant a wall-clock date and time ("2027-03-14", "10:30") is in a zone (null for a date or
 * time that is not one). A time in the hour skipped in March lands an hour off; the booking form
 * it leads to only offers real free slots.
 */
export function instantAt(date: string, hhmm: string, timeZone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(hhmm)) return null;
  const wall = Date.parse(`${date}T${hhmm}:00Z`);
  if (Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 10) !== date) return null;
  return instantOfWallClock(date, hhmm, timeZone).toISOString();
}

/** "Lu" marks: the count said in words for a badge's hidden label. */
export const unreadLabel = (count: number): string => m.conv_unread({ count });
