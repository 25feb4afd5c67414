import type { AcceptQuoteBody, CreateOfferBody, CreateQuoteBody, Quote, QuoteAction, QuoteActorRole, QuoteList, QuoteState } from '@tissu/shared';
import {
  answerFieldErrors, checkAnswers, fieldError, MAX_OFFER_CENTS, MAX_OFFER_VERSIONS, MIN_OFFER_CENTS, OFFER_MAX_VALIDITY_DAYS, offerPrice, QUOTE_ANSWER_DAYS, quoteTransitionFor, type FieldErrors,
} from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireVerifiedEmail, type Actor } from '../../actor.js';
import { badRequest, conflict, forbidden, notFound, pgErrorCode } from '../../errors.js';
import { booksDate } from '../../lib/calendar.js';
import { roleIn } from '../coops/index.js';
import { questionsOfListing } from '../listings/index.js';
import { addressForBooking } from '../addresses/index.js';
import { findConversation, openInquiry } from '../conversations/index.js';
import { enqueue, type QuoteMessage } from '../notifications/index.js';
import * as repo from './repository.js';
import { quoteLines, quoteView } from './view.js';
import { recurrenceErrors } from './recurrence.js';

const DAY = 86_400_000;

export interface QuotesDeps {
  db: Db;
  /** Whether the listing's hours offer regular visits at this time (given by the flow: quotes never import series). */
  regularTimeOpen?: (tx: Tx, listingId: string, startsAt: Date, durationMinutes: number, now: Date) => Promise<boolean>;
  wake?: () => void;
  now?: () => Date;
  /** How proposed times fit the listing (bookings' capacity and hours), given by the flow (quotes never import bookings). */
  fitTimes?: FitTimes;
}

/** Per proposed time: its team fully booked then (refused), or outside the listing's hours (allowed, the co-op is warned). */
export type FitTimes = (tx: Tx, listingId: string, times: readonly Date[], durationMinutes: number) => Promise<{ full: boolean; outsideHours: boolean }[]>;

/** What accepting books, given by the flow that makes the booking (quotes never import bookings). */
export type BookAccepted = (tx: Tx, q: repo.QuoteRow, offer: repo.OfferRow, startsAt: Date, now: Date) => Promise<{ bookingId: string }>;
/** What accepting an offer of regular visits makes: the series, given by the flow too (quotes never import series). */
export type SeriesAccepted = (tx: Tx, q: repo.QuoteRow, offer: repo.OfferRow & { recurrence: NonNullable<repo.OfferRow['recurrence']> }, now: Date) => Promise<{ seriesId: string }>;

/** Which closing each action gives the open offer. */
const OFFER_FATE: Partial<Record<QuoteAction, repo.OfferRow['state']>> = {
  decline: 'declined', request_changes: 'changes_requested', withdraw: 'declined', refuse: 'withdrawn', expire: 'expired',
};
/** Who hears of each change. */
const TOLD: Partial<Record<QuoteAction, 'client' | 'admins'>> = {
  decline: 'admins', request_changes: 'admins', withdraw: 'admins', refuse: 'client', expire: 'client',
};

export function createQuotesService(deps: QuotesDeps) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  /** The roles the person holds on this quote; none: it does not exist for her (404). */
  async function rolesOn(tx: Tx, a: Actor, q: repo.QuoteRow): Promise<Exclude<QuoteActorRole, 'system'>[]> {
    const roles: Exclude<QuoteActorRole, 'system'>[] = [];
    if (q.clientId === a.userId) roles.push('client');
    if ((await roleIn(tx, q.coopId, a.userId)) === 'admin') roles.push('coop_admin');
    return roles;
  }

  async function tell(tx: Tx, q: repo.QuoteRow, message: QuoteMessage, to: 'client' | 'admins', reason: string | null, extra: { offerVersion?: number } = {}) {
    const ids = to === 'client' ? [q.clientId] : await repo.adminIds(tx, q.coopId);
    const key = `quote:${q.id}:${message}:${extra.offerVersion ?? q.updatedAt.getTime()}`;
    await Promise.all(ids.map((recipientId) => enqueue(tx, `${key}:${recipientId}`, { type: 'quote', message, quoteId: q.id, recipientId, reason, ...extra })));
  }

  /**
   * Locks the quote and checks the lifecycle table for `action` by this person: 404 to strangers,
   * 403 to a party whose role may not, 409 invalid_transition from a state that does not allow it.
   */
  async function authorize(tx: Tx, a: Actor, id: string, action: QuoteAction) {
    const q = await repo.lockQuote(tx, id);
    if (!q) throw notFound('Quote');
    const roles = await rolesOn(tx, a, q);
    if (roles.length === 0) throw notFound('Quote');
    const t = quoteTransitionFor(q.state, action);
    const anyState = (['requested', 'offered', 'changes_requested'] as QuoteState[]).map((s) => quoteTransitionFor(s, action)).find(Boolean);
    const role = roles.find((r) => (t ?? anyState)?.by.includes(r));
    if (!role) throw forbidden(`You cannot ${action.replace(/_/g, ' ')} on this quote`);
    if (!t) throw conflict(`A quote that is ${q.state.replace(/_/g, ' ')} cannot be changed this way`, 'invalid_transition');
    return { q, t, role };
  }

  async function answer(a: Actor, id: string): Promise<Quote> {
    const q = await repo.findQuote(db, id);
    if (!q) throw notFound('Quote');
    const roles = await rolesOn(db, a, q);
    if (roles.length === 0) throw notFound('Quote');
    const view = await quoteView(db, q, roles[0]!);
    // The co-op sees which times of its current offer fall outside the listing's hours (allowed: told, not refused).
    const current = view.offers.at(-1);
    if (view.viewerRole === 'coop_admin' && current?.state === 'sent' && deps.fitTimes) {
      const fits = await deps.fitTimes(db, q.listingId, current.proposedTimes.map((s) => new Date(s)), current.durationMinutes);
      current.outsideHours = current.proposedTimes.filter((_, i) => fits[i]?.outsideHours);
    }
    return view;
  }

  /** A change of state by a person (or the system), its offer's fate, its history row and its email, in the caller's transaction. */
  async function move(tx: Tx, q: repo.QuoteRow, action: QuoteAction, to: QuoteState, actorId: string | null, role: QuoteActorRole, reason: string | null) {
    const fate = OFFER_FATE[action];
    const closed = fate ? await repo.closeOpenOffer(tx, q.id, fate, reason) : undefined;
    const open = to === 'requested' || to === 'changes_requested';
    const updated = await repo.updateQuote(tx, q.id, { state: to, expiresAt: open ? new Date(now().getTime() + QUOTE_ANSWER_DAYS * DAY) : to === 'offered' ? q.expiresAt : null });
    await repo.insertEvent(tx, { quoteId: q.id, actorId, actorRole: role, kind: 'transition', fromState: q.state, toState: to, offerVersion: closed?.version ?? null, reason });
    const told = TOLD[action];
    if (told) await tell(tx, updated, to as QuoteMessage, told, reason);
    return updated;
  }

  return {
    async create(actor: Actor | null, body: CreateQuoteBody): Promise<Quote> {
      const a = requireVerifiedEmail(actor);
      const at = now();
      const q = await db.transaction(async (tx) => {
        const row = await repo.listingForQuote(tx, body.listingId, a.userId);
        if (!row || row.listing.status === 'archived' || row.coopStatus !== 'approved') throw notFound('Listing');
        if (row.listing.status !== 'active') throw conflict('This listing is paused and takes no requests right now', 'listing_paused');
        if (row.listing.quoteMode === 'none') throw conflict('This listing does not take quote requests', 'quotes_not_offered');
        // A saved address (or a new one she saves) gives its text as it is now, as at booking.
        const where = await addressForBooking(tx, a.userId, body, at);
        if (row.listing.locationMode === 'client_place' && !where.address) throw badRequest('Some fields are not valid', { address: [fieldError('address_required')] });
        // Dates that suit her are days to come (in Montréal, where the co-ops work): a past day is a typo.
        if (body.preferredDates.some((d) => d.from < booksDate(at))) throw badRequest('Some fields are not valid', { preferredDates: [fieldError('date_in_past')] });
        // Asked as at booking: the listing's questions as they are now, the answers kept as a snapshot.
        const asked = checkAnswers(await questionsOfListing(tx, row.listing.id), body.answers);
        if (!asked.ok) throw badRequest('Some answers are not valid', answerFieldErrors(asked.errors));
        let conversationId: string;
        if (body.conversationId) {
          const c = await findConversation(tx, body.conversationId);
          if (!c || c.clientId !== a.userId || c.coopId !== row.listing.coopId || c.bookingId || c.seriesId) {
            throw badRequest('Not one of your open conversations with this co-op', { conversationId: [fieldError('not_your_conversation')] });
          }
          conversationId = c.id;
        } else {
          conversationId = (await openInquiry(tx, { coopId: row.listing.coopId, clientId: a.userId, listingId: row.listing.id })).id;
        }
        const made = await repo.insertQuote(tx, {
          listingId: row.listing.id, coopId: row.listing.coopId, clientId: a.userId, state: 'requested',
          description: body.description, address: where.address, preferredDates: body.preferredDates, datesNote: body.datesNote, answers: asked.answers,
          conversationId, expiresAt: new Date(at.getTime() + QUOTE_ANSWER_DAYS * DAY),
        }).catch((err: unknown) => {
          if (pgErrorCode(err) === '23505') throw conflict('You already have an open quote request for this listing', 'quote_exists');
          throw err;
        });
        await repo.insertEvent(tx, { quoteId: made.id, actorId: a.userId, actorRole: 'client', kind: 'created', fromState: null, toState: 'requested' });
        await tell(tx, made, 'requested', 'admins', null);
        return made;
      });
      deps.wake?.();
      return quoteView(db, q, 'client');
    },

    async get(actor: Actor | null, id: string): Promise<Quote> {
      return answer(requireActor(actor), id);
    },

    async list(actor: Actor | null, query: { as: 'client' | 'coop'; coopId?: string; scope: 'open' | 'closed' | 'all' }): Promise<QuoteList> {
      const a = requireActor(actor);
      let rows: repo.QuoteRow[];
      if (query.as === 'client') rows = await repo.listQuotes(db, { clientId: a.userId, scope: query.scope });
      else {
        const mine = await repo.adminCoops(db, a.userId);
        if (query.coopId && !mine.includes(query.coopId)) throw forbidden("Only this co-op's admins can see its quote requests");
        rows = await repo.listQuotes(db, { coopIds: query.coopId ? [query.coopId] : mine, scope: query.scope });
      }
      return { items: await quoteLines(db, rows) };
    },

    /** The co-op's offer, or a revision: the open one (if any) is superseded; the request waits for the client until the offer's validity ends. */
    async offer(actor: Actor | null, id: string, body: CreateOfferBody): Promise<Quote> {
      const a = requireVerifiedEmail(actor);
      const at = now();
      await db.transaction(async (tx) => {
        const { q, t, role } = await authorize(tx, a, id, 'offer');
        const previous = await repo.offersOf(tx, [q.id]);
        if (previous.length >= MAX_OFFER_VERSIONS) {
          throw conflict(`At most ${MAX_OFFER_VERSIONS} versions of an offer: write to the client, or refuse and let her ask again`, 'too_many_offers');
        }
        const errors: FieldErrors = {};
        const validUntil = new Date(body.validUntil);
        if (validUntil.getTime() <= at.getTime()) errors.validUntil = [fieldError('validity_in_past')];
        else if (validUntil.getTime() > at.getTime() + OFFER_MAX_VALIDITY_DAYS * DAY) errors.validUntil = [fieldError('validity_too_long', { maximum: OFFER_MAX_VALIDITY_DAYS })];
        body.proposedTimes.forEach((s, i) => {
          const ms = Date.parse(s);
          if (ms <= at.getTime()) errors[`proposedTimes.${i}`] = [fieldError('time_in_past')];
          else if (ms > at.getTime() + 366 * DAY) errors[`proposedTimes.${i}`] = [fieldError('time_too_far_ahead')];
        });
        if (body.recurrence) {
          Object.assign(errors, recurrenceErrors(body.recurrence, (await repo.quoteContext(tx, [q.id]))[0]!.timeZone, at));
          if (!errors['recurrence.startsAt'] && deps.regularTimeOpen && !(await deps.regularTimeOpen(tx, q.listingId, new Date(body.recurrence.startsAt), body.durationMinutes, at))) {
            errors['recurrence.startsAt'] = [fieldError('not_a_listed_time')];
          }
        }
        // A time the team is fully booked at cannot be kept: refused now rather than at acceptance.
        const fits = deps.fitTimes ? await deps.fitTimes(tx, q.listingId, body.proposedTimes.map((s) => new Date(s)), body.durationMinutes) : [];
        fits.forEach((f, i) => {
          if (f.full && !errors[`proposedTimes.${i}`]) errors[`proposedTimes.${i}`] = [fieldError('team_fully_booked')];
        });
        const terms = await repo.pricingTerms(tx, q.coopId, at);
        // Regular visits are paid visit by visit (the saved card, or each visit's link): the listing's deposit is for one-off jobs.
        const depositPercent = body.recurrence ? 0 : await repo.listingDeposit(tx, q.listingId);
        const price = offerPrice(body.lines, terms.feeRateBps, { gst: terms.gst, qst: terms.qst }, depositPercent);
        price.lineAmountsCents.forEach((c, i) => {
          // 0.01 × 1 ¢: a price that rounds away is a typo, not a gift (a free line says 0 as its price).
          if (c === 0 && body.lines[i]!.unitPriceCents > 0) errors[`lines.${i}.quantity`] = [fieldError('line_zero')];
          if (c > MAX_OFFER_CENTS) errors[`lines.${i}.unitPriceCents`] = [fieldError('amount_too_large', { maximum: MAX_OFFER_CENTS })];
        });
        if (price.serviceCents < MIN_OFFER_CENTS) errors.lines = [fieldError('amount_too_small', { minimum: MIN_OFFER_CENTS })];
        else if (price.serviceCents > MAX_OFFER_CENTS) errors.lines = [fieldError('amount_too_large', { maximum: MAX_OFFER_CENTS })];
        if (Object.keys(errors).length) throw badRequest('Some fields are not valid', errors);
        const superseded = await repo.closeOpenOffer(tx, q.id, 'superseded', null);
        const version = (previous.at(-1)?.version ?? 0) + 1;
        await repo.insertOffer(tx, {
          quoteId: q.id, version,
          lines: body.lines.map((l, i) => ({ label: l.label, quantity: l.quantity ?? null, unitPriceCents: l.unitPriceCents, amountCents: price.lineAmountsCents[i]! })),
          serviceCents: price.serviceCents, gstCents: price.gstCents, qstCents: price.qstCents, totalCents: price.totalCents,
          feeRateBps: price.feeRateBps, platformFeeCents: price.platformFeeCents, depositPercent,
          durationMinutes: body.durationMinutes, proposedTimes: body.proposedTimes.map((s) => new Date(s).toISOString()),
          recurrence: body.recurrence
            ? { frequency: body.recurrence.frequency, startsAt: new Date(body.recurrence.startsAt).toISOString(), until: body.recurrence.until ?? null, count: body.recurrence.count ?? null }
            : null,
          validUntil, message: body.message, sentBy: a.userId,
        });
        const updated = await repo.updateQuote(tx, q.id, { state: t.to, expiresAt: validUntil });
        await repo.insertEvent(tx, { quoteId: q.id, actorId: a.userId, actorRole: role, kind: 'offer_sent', fromState: q.state, toState: t.to, offerVersion: version, reason: superseded ? `Replaces version ${superseded.version}` : null });
        await tell(tx, updated, 'offered', 'client', null, { offerVersion: version });
      });
      deps.wake?.();
      return answer(a, id);
    },

    /**
     * The client accepts the current offer at one of its times: the offer and the request become
     * accepted and `book` makes the booking, in one transaction (the quote's row lock orders two
     * acceptances at once: the second finds it accepted, 409; bookings_quote_key backs it). An offer
     * of regular visits makes its series instead (booking_series_quote_key backs it).
     */
    async accept(actor: Actor | null, id: string, body: AcceptQuoteBody, book: { visit: BookAccepted; series: SeriesAccepted }): Promise<Quote> {
      const a = requireVerifiedEmail(actor);
      const at = now();
      await db.transaction(async (tx) => {
        const { q, t, role } = await authorize(tx, a, id, 'accept');
        const open = (await repo.offersOf(tx, [q.id])).find((o) => o.state === 'sent');
        if (!open || open.version !== body.offerVersion) throw conflict('This offer is no longer the current one: read the latest version', 'offer_not_current');
        if (open.validUntil.getTime() <= at.getTime()) throw conflict('This offer is no longer valid', 'offer_expired');
        if (open.recurrence) {
          // Nothing to pick: if she names a time, it is the first visit's.
          if (body.startsAt && Date.parse(body.startsAt) !== Date.parse(open.recurrence.startsAt)) {
            throw badRequest('Some fields are not valid', { startsAt: [fieldError('time_not_proposed')] });
          }
          await book.series(tx, q, { ...open, recurrence: open.recurrence }, at);
        } else {
          if (!body.startsAt) throw badRequest('Some fields are not valid', { startsAt: [fieldError('choose_slot')] });
          const startsAt = new Date(body.startsAt);
          if (!open.proposedTimes.some((s) => Date.parse(s) === startsAt.getTime())) {
            throw badRequest('Some fields are not valid', { startsAt: [fieldError('time_not_proposed')] });
          }
          await book.visit(tx, q, open, startsAt, at);
        }
        await repo.closeOpenOffer(tx, q.id, 'accepted', null);
        await repo.updateQuote(tx, q.id, { state: t.to, expiresAt: null });
        await repo.insertEvent(tx, { quoteId: q.id, actorId: a.userId, actorRole: role, kind: 'transition', fromState: q.state, toState: t.to, offerVersion: open.version, reason: null });
      });
      deps.wake?.();
      return answer(a, id);
    },

    /** decline, request_changes, withdraw (client), refuse (co-op): the table says who and from where. */
    async act(actor: Actor | null, id: string, action: 'decline' | 'request_changes' | 'withdraw' | 'refuse', reason: string | undefined): Promise<Quote> {
      const a = requireActor(actor);
      await db.transaction(async (tx) => {
        const { q, t, role } = await authorize(tx, a, id, action);
        if (t.reasonRequired && !reason) throw badRequest('Say why', { reason: [fieldError('required')] });
        await move(tx, q, action, t.to, a.userId, role, reason ?? null);
      });
      deps.wake?.();
      return answer(a, id);
    },

    /** The job: requests whose wait is over (an offer past its validity, or no answer in time) expire. */
    async expireDue(limit = 100): Promise<number> {
      const n = await db.transaction(async (tx) => {
        const rows = await repo.lockExpired(tx, now(), limit);
        for (const q of rows) await move(tx, q, 'expire', 'expired', null, 'system', null);
        return rows.length;
      });
      if (n) deps.wake?.();
      return n;
    },
  };
}

export type QuotesService = ReturnType<typeof createQuotesService>;
