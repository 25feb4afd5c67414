import { z } from 'zod';
import { Id, Timestamp, isoDateTime } from './common.js';
import { BookingEvent } from './bookings.js';
import { SeriesEvent } from './series.js';
import { QuoteEvent } from './quotes.js';

/**
 * Conversations between a client and a co-op. Each belongs to one subject: an inquiry (written
 * from a listing or the co-op's page, before any booking), a booking, or a series of regular
 * visits. Who is in it: the client, the co-op's admins, and (for a booking or a series) the workers
 * assigned to it. Anyone else gets 404, as for the booking itself; a steward reads a conversation
 * only once someone in it reported a message.
 *
 * An inquiry becomes the booking's (or the series') conversation when the client books from it
 * (`conversationId` on the booking or series she creates), so the thread carries on in one place.
 * Messages never change a booking's state.
 */
export const CONVERSATION_SUBJECTS = ['inquiry', 'booking', 'series'] as const;
export const ConversationSubject = z.enum(CONVERSATION_SUBJECTS);
export type ConversationSubject = z.infer<typeof ConversationSubject>;

/** Who wrote: the client, one of the co-op's admins or assigned workers (both speak for the co-op). */
export const MESSAGE_AUTHOR_ROLES = ['client', 'coop_admin', 'worker'] as const;
export const MessageAuthorRole = z.enum(MESSAGE_AUTHOR_ROLES);

/** The longest message, in characters, after trimming: stated on the form. */
export const MESSAGE_MAX_LENGTH = 4000;
/** The longest report reason. */
export const REPORT_MAX_LENGTH = 1000;

/**
 * A time the co-op suggests in an inquiry ("turn it into a booking"): the client's page shows a
 * button that opens the listing's booking form at that time, carrying the conversation's id. It
 * holds nothing: the booking checks the time like any other.
 */
export const MessageOffer = z.object({ listingId: Id, startsAt: isoDateTime('invalid_time') });
export type MessageOffer = z.infer<typeof MessageOffer>;

export const Message = z.object({
  id: Id,
  conversationId: Id,
  /** The author's public name ("Marie-Ève T." for a client; a co-op member's own name). */
  authorName: z.string(),
  authorRole: MessageAuthorRole,
  /** Written by the person asking. */
  mine: z.boolean(),
  /** Plain text as written (the web escapes it); null once a steward hid it, except for stewards. */
  body: z.string().nullable(),
  offer: MessageOffer.extend({ listingTitle: z.string() }).nullable(),
  hidden: z.boolean(),
  /** The person asking reported this message already. */
  reportedByMe: z.boolean(),
  createdAt: Timestamp,
});
export type Message = z.infer<typeof Message>;

/** One line of the feed: a message, or a change of the booking's (or series') state, in time order. */
export const FeedItem = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), at: Timestamp, message: Message }),
  z.object({ type: z.literal('booking_event'), at: Timestamp, bookingId: Id, event: BookingEvent }),
  z.object({ type: z.literal('series_event'), at: Timestamp, seriesId: Id, event: SeriesEvent }),
  // A quote asked in this conversation: its request, each offer sent and each answer (the offers themselves are on the quote's page).
  z.object({ type: z.literal('quote_event'), at: Timestamp, quoteId: Id, event: QuoteEvent }),
]);
export type FeedItem = z.infer<typeof FeedItem>;

export const ConversationSummary = z.object({
  id: Id,
  subject: ConversationSubject,
  coopId: Id,
  coopName: z.string(),
  coopSlug: z.string(),
  /** The client's public name, as the co-op sees her. */
  clientName: z.string(),
  listingId: Id.nullable(),
  /** The listing's title, or the co-op's name for an inquiry written from the co-op's page. */
  title: z.string(),
  bookingId: Id.nullable(),
  seriesId: Id.nullable(),
  /** The last visible message: its first 140 characters, who wrote it and when. */
  lastMessage: z.object({ preview: z.string(), authorName: z.string(), at: Timestamp }).nullable(),
  /** Messages from others the person asking has not read. */
  unread: z.int(),
  /** Open reports in it (stewards see only conversations with one). */
  reports: z.int(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const ConversationList = z.object({ conversations: z.array(ConversationSummary), total: z.int() });
export type ConversationList = z.infer<typeof ConversationList>;

export const ConversationListQuery = z.object({
  /** A co-op the person administers or works for: its conversations only. */
  coopId: Id.optional(),
  /** Stewards: the conversations with an open report. */
  /** "true" or "false" (z.coerce.boolean would read "false" as true). */
  reported: z.stringbool().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const MessageReport = z.object({ id: Id, messageId: Id, reporterName: z.string(), reason: z.string(), createdAt: Timestamp, resolvedAt: Timestamp.nullable() });

export const ConversationView = z.object({
  conversation: ConversationSummary,
  /** Messages and state changes, oldest first (the last 200 items). */
  feed: z.array(FeedItem),
  /** What the person asking may do here. */
  can: z.object({ post: z.boolean(), offer: z.boolean(), hide: z.boolean() }),
  /** The client deleted her account: the conversation stays for the co-op's records, closed to new messages. */
  clientLeft: z.boolean(),
  /** Stewards only: the reports, with their reasons; empty for everyone else. */
  reports: z.array(MessageReport),
});
export type ConversationView = z.infer<typeof ConversationView>;

/** Characters that show nothing: spaces of every kind, zero-width and joiner marks, the BOM, fillers. */
const INVISIBLE = /[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/gu;
/** A NUL cannot be stored: refused on its field, before anything else is checked. */
const noNul = { error: 'invalid_value', abort: true } as const;
const messageBody = z
  .string()
  .refine((s) => !s.includes('\u0000'), noNul)
  .trim()
  .min(1, { error: 'required', abort: true })
  // Nothing but invisible characters is an empty message.
  .refine((s) => s.replace(INVISIBLE, '').length > 0, { error: 'required', abort: true })
  .max(MESSAGE_MAX_LENGTH, { error: 'too_long' });

/** "Écrire à la coop": opens (or reuses) the client's inquiry with this co-op about this listing, and posts the first message. */
export const StartConversationBody = z.object({ coopId: Id, listingId: Id.optional(), body: messageBody });
export const PostMessageBody = z.object({ body: messageBody, offer: MessageOffer.optional() });
export const ReportMessageBody = z.object({
  reason: z.string().refine((s) => !s.includes('\u0000'), noNul).trim().min(1, { error: 'required', abort: true })
    .refine((s) => s.replace(INVISIBLE, '').length > 0, { error: 'required', abort: true }).max(REPORT_MAX_LENGTH, { error: 'too_long' }),
});
export const HideMessageBody = ReportMessageBody;
