import type { ConversationSummary, ConversationView, FeedItem, Message, QuoteEvent } from '@tissu/shared';
import { publicName } from '@tissu/shared';
import type { schema, Tx } from '@tissu/db';
import { bookingEventsOf } from '../bookings/index.js';
import { seriesEventsOf } from '../series/index.js';
import * as repo from './repository.js';
import * as lists from './summaries.js';
import type { Part } from './access.js';

/** The feed holds the last this many items (messages and state changes together). */
export const FEED_LENGTH = 200;
const PREVIEW_LENGTH = 140;

const subjectOf = (c: repo.ConversationRow) => (c.bookingId ? 'booking' : c.seriesId ? 'series' : 'inquiry') as ConversationSummary['subject'];
/** A client is shown to the co-op by first name and initial; a co-op member by her own name. */
const nameOf = (name: string, role: string) => (role === 'client' ? publicName(name) : name);

/** The first `max` characters, never cutting a character in two. */
export function preview(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

export function toSummaries(
  rows: lists.SummaryRow[], last: Awaited<ReturnType<typeof lists.lastVisibleMessages>>, locale: 'fr' | 'en', isSteward: boolean,
): ConversationSummary[] {
  return rows.map((r) => {
    const c = r.conversation;
    const m = last.get(c.id);
    return {
      id: c.id,
      subject: subjectOf(c),
      coopId: c.coopId,
      coopName: r.coopName,
      coopSlug: r.coopSlug,
      clientName: publicName(r.clientName),
      listingId: c.listingId,
      title: (locale === 'en' ? r.titleEn : r.titleFr) ?? r.coopName,
      bookingId: c.bookingId,
      seriesId: c.seriesId,
      lastMessage: m ? { preview: preview(m.body, PREVIEW_LENGTH), authorName: nameOf(m.authorName, m.authorRole), at: m.createdAt.toISOString() } : null,
      unread: r.unread,
      // Reports are the stewards' business: the others are not told who reported what.
      reports: isSteward ? r.reports : 0,
    };
  });
}

export function toMessage(m: repo.MessageJoined, viewer: { userId: string; steward: boolean; reported: Set<string> }, locale: 'fr' | 'en'): Message {
  const x = m.message;
  const hidden = x.hiddenAt !== null;
  return {
    id: x.id,
    conversationId: x.conversationId,
    authorName: nameOf(m.authorName, x.authorRole),
    authorRole: x.authorRole,
    mine: x.authorId === viewer.userId,
    body: hidden && !viewer.steward ? null : x.body,
    offer: x.offerListingId && x.offerStartsAt
      ? { listingId: x.offerListingId, startsAt: x.offerStartsAt.toISOString(), listingTitle: (locale === 'en' ? m.offerTitleEn : m.offerTitleFr) ?? '' }
      : null,
    hidden,
    reportedByMe: viewer.reported.has(x.id),
    createdAt: x.createdAt.toISOString(),
  };
}

/** A row of a quote's history as its page and its conversation show it (a job's steps name no one). */
export function toQuoteEvent(e: typeof schema.quoteEvents.$inferSelect, actorName: string | null): QuoteEvent {
  return {
    at: e.createdAt.toISOString(), actorName: e.actorRole === 'system' ? null : actorName, actorRole: e.actorRole, kind: e.kind,
    from: e.fromState, to: e.toState, offerVersion: e.offerVersion, reason: e.reason,
  };
}

/** The conversation as this person sees it: its summary, the feed of messages and state changes, what she may do. */
export async function conversationView(db: Tx, c: repo.ConversationRow, viewer: { userId: string; isSteward: boolean }, part: Part): Promise<ConversationView> {
  // Moderation (the reports, hiding) only for a steward reading as one, never in a conversation she is a party to.
  const steward = part === 'steward';
  const [summary, locale, msgs, reported, bookingEvents, seriesEvents, quoteEvents, reports, clientLeft] = await Promise.all([
    lists.summaryOf(db, c.id, viewer.userId),
    repo.localeOf(db, viewer.userId),
    repo.messagesOf(db, c.id, FEED_LENGTH),
    repo.reportedByUser(db, c.id, viewer.userId),
    c.bookingId ? bookingEventsOf(db, [c.bookingId], part === 'coop_admin' || part === 'worker') : Promise.resolve([]),
    c.seriesId ? seriesEventsOf(db, c.seriesId) : Promise.resolve([]),
    repo.quoteEventsOf(db, c.id),
    steward ? repo.reportsOf(db, c.id) : Promise.resolve([]),
    repo.accountDeleted(db, c.clientId),
  ]);
  const last = await lists.lastVisibleMessages(db, [c.id]);
  const feed: FeedItem[] = [
    ...msgs.map((m): FeedItem => ({ type: 'message', at: m.message.createdAt.toISOString(), message: toMessage(m, { userId: viewer.userId, steward, reported }, locale) })),
    ...bookingEvents.map((e): FeedItem => ({ type: 'booking_event', at: e.event.at, bookingId: e.bookingId, event: e.event })),
    ...seriesEvents.map((e): FeedItem => ({ type: 'series_event', at: e.at, seriesId: c.seriesId!, event: e })),
    ...quoteEvents.map(({ event: e, actorName }): FeedItem => ({ type: 'quote_event', at: e.createdAt.toISOString(), quoteId: e.quoteId, event: toQuoteEvent(e, actorName) })),
  ];
  // Stable: at the same instant, a state change and a message keep the order they were read in.
  feed.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const inIt = part !== null && part !== 'steward';
  return {
    conversation: toSummaries([summary!], last, locale, steward)[0]!,
    feed: feed.slice(-FEED_LENGTH),
    can: { post: inIt && !clientLeft, offer: part === 'coop_admin' && !c.bookingId && !c.seriesId && !clientLeft, hide: steward },
    clientLeft,
    reports: reports.map((r) => ({
      id: r.report.id, messageId: r.report.messageId, reporterName: r.reporterName, reason: r.report.reason,
      createdAt: r.report.createdAt.toISOString(), resolvedAt: r.report.resolvedAt?.toISOString() ?? null,
    })),
  };
}
