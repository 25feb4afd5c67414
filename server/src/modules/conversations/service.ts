import type { ConversationList, ConversationView, Message } from '@tissu/shared';
import { fieldError } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireVerifiedEmail, type Actor } from '../../actor.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { availabilityOf, busyAround, visitFit } from '../bookings/index.js';
import { roleIn } from '../coops/index.js';
import { partOf, peopleIn, type Part } from './access.js';
import { queueMessageEmails } from './emails.js';
import { conversationView, toMessage, toSummaries } from './view.js';
import * as repo from './repository.js';
import * as lists from './summaries.js';

export interface ConversationsDeps {
  db: Db;
  /** Called after a commit that queued emails, so a worker sends them now. */
  wake?: () => void;
  now?: () => Date;
}

type Offer = { listingId: string; startsAt: string };
const notFoundHere = () => notFound('Conversation');

export function createConversationsService(deps: ConversationsDeps) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  /** The conversation and who the person is in it; 404 for anyone not in it. */
  async function entered(tx: Tx, actor: Actor, id: string, lock = false) {
    const c = lock ? await repo.lockConversation(tx, id) : await repo.findConversation(tx, id);
    if (!c) throw notFoundHere();
    const part = await partOf(tx, actor, c);
    if (!part) throw notFoundHere();
    return { c, part };
  }

  /** A message's conversation, for someone who may see it; anyone else learns nothing of the message (404). */
  async function messageIn(actor: Actor, messageId: string) {
    const m = await repo.findMessage(db, messageId);
    const c = m && (await repo.findConversation(db, m.conversationId));
    const part = c ? await partOf(db, actor, c) : null;
    if (!m || !c || !part) throw notFound('Message');
    return { m, c, part };
  }

  /** Writes a message as `part`, counts it unread for the others and queues their emails; in the caller's transaction. */
  async function write(tx: Tx, actor: Actor, c: repo.ConversationRow, part: Exclude<Part, 'steward' | null>, body: string, offer?: Offer) {
    const message = await repo.insertMessage(tx, {
      conversationId: c.id, authorId: actor.userId, authorRole: part, body,
      offerListingId: offer?.listingId ?? null, offerStartsAt: offer ? new Date(offer.startsAt) : null,
    });
    const people = await peopleIn(tx, c);
    const others = people.filter((id) => id !== actor.userId);
    // Sent together: postgres.js pipelines them on the transaction's connection.
    await Promise.all([
      repo.dropReadsExcept(tx, c.id, people),
      repo.countNewMessage(tx, c.id, actor.userId, others, message.createdAt),
      queueMessageEmails(tx, c, message, others),
    ]);
    return message;
  }

  async function checkOffer(tx: Tx, c: repo.ConversationRow, part: Part, offer: Offer) {
    if (part !== 'coop_admin') throw forbidden("Only the co-op's admins suggest a time");
    if (c.bookingId || c.seriesId) throw badRequest('A time is suggested in an inquiry, before a booking', { offer: [fieldError('offer_inquiry_only')] });
    const listing = await repo.findListing(tx, offer.listingId);
    if (!listing || listing.coopId !== c.coopId || listing.status === 'archived') {
      throw badRequest("Not one of this co-op's listings", { 'offer.listingId': [fieldError('not_coop_listing')] });
    }
    if (Date.parse(offer.startsAt) <= now().getTime()) throw badRequest('The time has passed', { 'offer.startsAt': [fieldError('time_in_past')] });
    // A time the service does not open, or already booked, would only tell the client "just taken".
    const hours = await repo.listingHours(tx, listing.id);
    const start = new Date(offer.startsAt);
    const busy = await busyAround(tx, listing.id, start, new Date(start.getTime() + hours!.durationMinutes * 60_000));
    if (visitFit(availabilityOf(hours!.schedule), busy, start, hours!.durationMinutes, now(), true) !== 'free') {
      throw badRequest('Not a free time of this service', { 'offer.startsAt': [fieldError('offer_time_not_free')] });
    }
  }

  /** The subject's conversation, made on the first ask by someone in it (outsiders learn nothing, and nothing is written). */
  async function ofSubject(actor: Actor, subject: { coopId: string; clientId: string; listingId: string; bookingId?: string; seriesId?: string }, what: string) {
    const existing = await repo.conversationOf(db, subject.bookingId ? { bookingId: subject.bookingId } : { seriesId: subject.seriesId! });
    const part = await partOf(db, actor, existing ?? { ...subject, bookingId: subject.bookingId ?? null, seriesId: subject.seriesId ?? null });
    if (!part) throw notFound(what);
    const c = existing ?? (await db.transaction((tx) => repo.ensureConversation(tx, subject)));
    return conversationView(db, c, actor, part);
  }

  return {
    /** "Écrire à la coop": the client's open inquiry with this co-op (and listing) is reused, or made; the first message goes in it. */
    async start(actor: Actor | null, body: { coopId: string; listingId?: string; body: string }): Promise<ConversationView> {
      const a = requireVerifiedEmail(actor);
      const coop = await repo.findCoop(db, body.coopId);
      if (!coop || coop.status !== 'approved') throw notFound('Co-op');
      if (await roleIn(db, body.coopId, a.userId)) throw forbidden("A co-op's members talk to it among themselves, not as its client");
      if (body.listingId) {
        const listing = await repo.findListing(db, body.listingId);
        if (!listing || listing.coopId !== body.coopId || listing.status === 'archived') {
          throw badRequest("Not one of this co-op's listings", { listingId: [fieldError('not_coop_listing')] });
        }
      }
      const c = await db.transaction(async (tx) => {
        const inquiry = await repo.openInquiry(tx, { coopId: body.coopId, clientId: a.userId, listingId: body.listingId ?? null });
        const locked = (await repo.lockConversation(tx, inquiry.id))!;
        await write(tx, a, locked, 'client', body.body);
        return locked;
      });
      deps.wake?.();
      return conversationView(db, c, a, 'client');
    },

    async list(actor: Actor | null, q: { coopId?: string; reported?: boolean; limit: number; offset: number }): Promise<ConversationList> {
      const a = requireActor(actor);
      let scope: lists.ListScope;
      if (q.reported) {
        if (!a.isSteward) throw forbidden('Only platform stewards see reported conversations');
        scope = { kind: 'reported' };
      } else if (q.coopId) {
        const role = await roleIn(db, q.coopId, a.userId);
        if (!role) throw forbidden("Only this co-op's members can see its conversations");
        scope = { kind: 'coop', coopId: q.coopId, asWorker: role !== 'admin' };
      } else {
        scope = { kind: 'mine' };
      }
      const [{ rows, total }, locale] = await Promise.all([lists.listSummaries(db, a.userId, scope, q.limit, q.offset), repo.localeOf(db, a.userId)]);
      const last = await lists.lastVisibleMessages(db, rows.map((r) => r.conversation.id));
      return { conversations: toSummaries(rows, last, locale, scope.kind === 'reported'), total };
    },

    async get(actor: Actor | null, id: string): Promise<ConversationView> {
      const a = requireActor(actor);
      const { c, part } = await entered(db, a, id);
      return conversationView(db, c, a, part);
    },

    async post(actor: Actor | null, id: string, body: { body: string; offer?: Offer }): Promise<Message> {
      const a = requireActor(actor);
      const message = await db.transaction(async (tx) => {
        const { c, part } = await entered(tx, a, id, true);
        if (part === 'steward' || part === null) throw forbidden('Stewards read reported conversations; they do not write in them');
        if (await repo.accountDeleted(tx, c.clientId)) throw conflict('The client deleted her account: the conversation is closed', 'conversation_closed');
        if (body.offer) await checkOffer(tx, c, part, body.offer);
        const m = await write(tx, a, c, part, body.body, body.offer);
        const [joined, locale] = await Promise.all([repo.findMessageJoined(tx, m.id), repo.localeOf(tx, a.userId)]);
        return toMessage(joined!, { userId: a.userId, steward: false, reported: new Set() }, locale);
      });
      deps.wake?.();
      return message;
    },

    async read(actor: Actor | null, id: string): Promise<{ ok: true }> {
      const a = requireActor(actor);
      // The conversation's lock first, as a post takes it: a read and a post at once never deadlock.
      await db.transaction(async (tx) => {
        const { c, part } = await entered(tx, a, id, true);
        if (part !== 'steward') await repo.markRead(tx, c.id, a.userId, now());
      });
      return { ok: true };
    },

    /** The booking's conversation; a visit of a series has its series'. */
    async forBooking(actor: Actor | null, bookingId: string): Promise<ConversationView> {
      const a = requireActor(actor);
      const b = await repo.bookingParties(db, bookingId);
      if (!b) throw notFound('Booking');
      if (b.seriesId) return ofSubject(a, { coopId: b.coopId, clientId: b.clientId, listingId: b.listingId, seriesId: b.seriesId }, 'Booking');
      return ofSubject(a, { coopId: b.coopId, clientId: b.clientId, listingId: b.listingId, bookingId: b.id }, 'Booking');
    },

    async forSeries(actor: Actor | null, seriesId: string): Promise<ConversationView> {
      const a = requireActor(actor);
      const s = await repo.seriesParties(db, seriesId);
      if (!s) throw notFound('Series');
      return ofSubject(a, { coopId: s.coopId, clientId: s.clientId, listingId: s.listingId, seriesId: s.id }, 'Series');
    },

    /** Anyone in the conversation may report a message, once. */
    async report(actor: Actor | null, messageId: string, reason: string): Promise<{ ok: true }> {
      const a = requireActor(actor);
      const { m, part } = await messageIn(a, messageId);
      if (part === 'steward') throw forbidden('Stewards hide messages; they do not report them');
      const made = await db.transaction((tx) => repo.insertReport(tx, { messageId, conversationId: m.conversationId, reporterId: a.userId, reason }));
      if (!made) throw conflict('You already reported this message', 'already_reported');
      return { ok: true };
    },

    /** A steward hides a message of a conversation with open reports she is not a party to; its reports are resolved with it. */
    async hide(actor: Actor | null, messageId: string, reason: string): Promise<Message> {
      const a = requireActor(actor);
      const { c, part } = await messageIn(a, messageId);
      if (!a.isSteward) throw forbidden('Only platform stewards hide messages');
      // Only as a steward reading a reported conversation: one who is a party to it does not moderate it.
      if (part !== 'steward') throw forbidden('A steward does not moderate a conversation she is in');
      await db.transaction((tx) => repo.hideMessage(tx, messageId, a.userId, reason, now()));
      return toMessage((await repo.findMessageJoined(db, messageId))!, { userId: a.userId, steward: true, reported: await repo.reportedByUser(db, c.id, a.userId) }, await repo.localeOf(db, a.userId));
    },
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
