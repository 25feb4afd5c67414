import { randomUUID } from 'node:crypto';
import type { AssignmentChoices, Booking, BookingActorRole, BookingState, CreateBookingBody } from '@tissu/shared';
import { answerFieldErrors, checkAnswers, bookingPrice, freeUnits, isBookableStart, maxReportedMinutes, maxWorkedMinutes, overBookedTime, fieldError, OPEN_BOOKINGS_PER_CLIENT, OPEN_BOOKINGS_PER_LISTING } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireVerifiedEmail, type Actor } from '../../actor.js';
import { badRequest, conflict, forbidden, notFound, pgErrorCode } from '../../errors.js';
import { applyTransition, audience, authorizeTransition, notify, queueReminder } from './transitions.js';
import { maySee, viewerOf, viewersOf, type Viewer } from './relation.js';
import * as repo from './repository.js';
import { againIfPlanChanged } from '../../lib/prepared.js';
import { roleIn } from '../coops/index.js';
import { availabilityOf } from './schedule.js';
import { automaticPick, lockWorkers, requireFree, unavailableAt } from '../team/index.js';
import { bookingDtos, toBookings } from './view.js';
import { chosenAddons, saveBookingAddons, solidarityPrice, toBookingAddons, withAddons } from './addons.js';
import { addressForBooking } from '../addresses/index.js';

export interface BookingsDeps {
  db: Db;
  /** How long a client has to pay once the co-op accepts. */
  paymentWindowHours: number;
  /** Called after a commit that queued messages, so a worker sends them now rather than at its next poll. */
  wake?: () => void;
  now?: () => Date;
}

const HOUR = 3_600_000;
const slotTaken = () => conflict('This time slot has just been booked. Please choose another one.', 'slot_unavailable');
/** The exclusion constraint stays the judge: a write that got past the lock (a script, a manual fix) still loses cleanly. */
const orSlotTaken = (err: unknown): never => {
  throw pgErrorCode(err) === '23P01' ? slotTaken() : err;
};

export function createBookingsService(deps: BookingsDeps) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();
  /** Pay within the window, and in any case before the booking starts. */
  const paymentDeadline = (startsAt: Date) => new Date(Math.min(now().getTime() + deps.paymentWindowHours * HOUR, startsAt.getTime()));

  async function view(tx: Tx, actor: Actor, id: string): Promise<Booking> {
    const row = await repo.findBooking(tx, id);
    if (!row) throw notFound('Booking');
    const viewer = await viewerOf(tx, actor, row.booking);
    const [dto] = await toBookings(tx, [row], () => viewer, now());
    return dto!;
  }

  /**
   * Locks the booking, applies one transition, answers with the booking as the actor sees it.
   * `extra` runs in the same transaction after the access check: the flows that span modules (a
   * refund on cancellation, the co-op's payment account on acceptance) come in through it.
   */
  async function transition(
    actor: Actor | null, id: string, to: BookingState, reason: string | null,
    extra?: (tx: Tx, b: repo.BookingRow, role: BookingActorRole) => Promise<Partial<repo.BookingRow>>,
  ) {
    const a = requireActor(actor);
    const result = await db.transaction(async (tx) => {
      const b = await repo.lockBooking(tx, id);
      if (!b) throw notFound('Booking');
      const { transition: t, role } = await authorizeTransition(tx, now(), a, b, to); // before any side effect of `extra`
      // Also before `extra`: a refund made at Stripe is not undone by rolling back our transaction.
      if (t.reasonRequired && !reason) throw badRequest('Say why', { reason: [fieldError('required')] });
      const changes = extra ? await extra(tx, b, role) : {};
      await applyTransition(tx, now(), a, b, to, reason, changes);
      return view(tx, a, id);
    });
    deps.wake?.();
    return result;
  }

  return {
    /** `also` runs in the same transaction once the booking exists (booking from a conversation binds it). */
    async create(actor: Actor | null, body: CreateBookingBody, also?: (tx: Tx, made: { id: string; clientId: string; coopId: string; listingId: string }) => Promise<void>): Promise<Booking> {
      const a = requireVerifiedEmail(actor);
      const at = now();
      const startsAt = new Date(body.startsAt);
      const result = await againIfPlanChanged(() => db.transaction(async (tx) => {
        const row = await repo.listingForBooking(tx, body.listingId, a.userId, at);
        if (!row || row.listing.status === 'archived' || row.coopStatus !== 'approved') throw notFound('Listing');
        if (row.listing.status !== 'active') throw conflict('This listing is paused and cannot be booked right now', 'listing_paused');
        if (row.listing.quoteMode === 'only') throw conflict('This listing is booked on quote: ask for a quote', 'listing_on_quote');
        const { listing } = row;
        const av = availabilityOf(row.schedule);
        // A saved address (or a new one she saves) is copied now: changing it later changes no booking.
        const where = await addressForBooking(tx, a.userId, body, at);
        if (listing.locationMode === 'client_place' && !where.address) {
          throw badRequest('Some fields are not valid', { address: [fieldError('address_required')] });
        }
        if (body.solidarityOrganization && listing.solidarityPriceCents === null) {
          throw badRequest('Some fields are not valid', { solidarityOrganization: [fieldError('no_solidarity_rate')] });
        }
        // The listing's questions as they are now; the booking keeps the answers as asked (a snapshot).
        const asked = checkAnswers(row.questions ?? [], body.answers);
        if (!asked.ok) throw badRequest('Some answers are not valid', answerFieldErrors(asked.errors));
        const instant = av.instantBooking && !body.solidarityOrganization;
        if (instant && !row.chargesEnabled) {
          throw conflict('This co-op cannot take payments yet, so it cannot be booked instantly', 'coop_not_ready');
        }
        // Add-ons lengthen the visit and add their prices (./addons.ts); the slot must be free for the whole of it.
        const addons = await chosenAddons(tx, listing.id, body.addonIds);
        const length = withAddons(listing, addons);
        const endsAt = new Date(startsAt.getTime() + length.durationMinutes * 60_000);
        const blockedUntil = new Date(endsAt.getTime() + av.bufferMinutes * 60_000);
        // The locks, then, read under them, the units taken by every overlapping booking made before
        // this one and the client's open bookings: three statements sent together (one round trip).
        // PostgreSQL runs them in order, each reading committed rows as of its own start, so the
        // reads come after the locks are held, as if each had waited for the one before.
        const [, busy, open] = await Promise.all([
          repo.lockBookingTimes(tx, listing.id, startsAt, blockedUntil, a.userId),
          repo.busyBookings(tx, listing.id, new Date(startsAt.getTime() - 86_400_000), new Date(endsAt.getTime() + 86_400_000)),
          repo.openBookingsOf(tx, a.userId, listing.id, at),
        ]);
        if (open.here >= OPEN_BOOKINGS_PER_LISTING) {
          throw conflict(`You already have ${open.here} bookings of this listing waiting for an answer or a payment: wait for them, pay or cancel one first`, 'open_bookings_on_listing');
        }
        if (open.total >= OPEN_BOOKINGS_PER_CLIENT) {
          throw conflict(`You already have ${open.total} bookings waiting for an answer or a payment: wait for them, pay or cancel one first`, 'open_bookings_limit');
        }
        if (!isBookableStart(av, busy, startsAt, length.durationMinutes, at)) {
          throw conflict('This time is not available. Please choose one of the free slots.', 'slot_unavailable');
        }
        const [unit] = freeUnits(av, busy, startsAt, endsAt);
        if (unit === undefined) throw slotTaken();
        const price = length.priceCents;
        const state: BookingState = instant ? 'accepted' : 'requested';
        // The id is made here so the booking, its first event and its emails go in one round trip:
        // PostgreSQL runs them in order, and if the booking is refused (its time taken meanwhile) the
        // two after it fail with it, and the booking's own error is the one answered.
        const id = randomUUID();
        const [inserted, created] = await Promise.allSettled([
          repo.insertNewBooking(tx, {
            id,
            listingId: listing.id,
            coopId: listing.coopId,
            clientId: a.userId,
            state,
            startsAt,
            endsAt,
            blockedUntil,
            unit,
            timeZone: av.timeZone,
            durationMinutes: length.durationMinutes,
            regularPriceCents: price,
            priceCents: price,
            solidarityRequested: Boolean(body.solidarityOrganization),
            organizationName: body.solidarityOrganization ?? null,
            address: where.address,
            entryNotes: where.entryNotes,
            notes: body.notes ?? '',
            contactName: body.contactName,
            contactPhone: body.contactPhone ?? '',
            contactEmail: body.contactEmail,
            freeCancellationHours: av.freeCancellationHours,
            lateCancellationPercent: av.lateCancellationPercent,
            noShowPercent: av.noShowPercent,
            feeRateBps: row.feeRateBps,
            answers: asked.answers,
            expiresAt: instant ? paymentDeadline(startsAt) : new Date(Math.min(at.getTime() + av.requestTtlHours * HOUR, startsAt.getTime())),
          }),
          Promise.all([
            repo.insertCreatedEvent(tx, { bookingId: id, actorId: a.userId, actorRole: 'client', toState: state }),
            notify(tx, { id }, 'created', [
              // Booked at once: no co-op accepted anything, so the client is told it is booked and waits for payment.
              { message: instant ? 'booked_to_pay' : 'received', to: [a.userId] },
              { message: instant ? 'booked' : 'requested', to: row.adminIds },
            ]),
          ]),
        ]);
        if (inserted.status === 'rejected') return orSlotTaken(inserted.reason);
        if (created.status === 'rejected') throw created.reason;
        const b = inserted.value;
        const [event] = created.value;
        await saveBookingAddons(tx, b.id, addons);
        await also?.(tx, { id: b.id, clientId: b.clientId, coopId: b.coopId, listingId: b.listingId });
        // The co-op that assigns automatically gives it to a free worker-member now, or to nobody (its admins see it unassigned).
        // (Read with the listing: a co-op that does not assign automatically costs no further query.)
        const picked = row.autoAssign ? await automaticPick(tx, { coopId: b.coopId, startsAt: b.startsAt, endsAt: b.endsAt, bookingId: b.id }, at) : null;
        if (picked) {
          await repo.replaceWorkers(tx, b.id, [picked]);
          await repo.insertEvent(tx, { bookingId: b.id, actorId: null, actorRole: 'system', kind: 'assigned', fromState: state, toState: state, reason: null });
          await notify(tx, b, `assigned:${b.createdAt.getTime()}`, [{ message: 'assigned', to: [picked] }]);
          return view(tx, a, b.id);
        }
        // The answer from what this transaction knows: no team, no review, one event yet.
        const joined = { booking: b, listingTitleFr: listing.titleFr, listingTitleEn: listing.titleEn, locationMode: listing.locationMode, coopSlug: row.coopSlug, coopName: row.coopName, clientName: row.clientName };
        const viewer: Viewer = { userId: a.userId, isClient: true, coopRole: row.clientRole ?? undefined, isSteward: a.isSteward };
        const chosen = toBookingAddons(addons.map((x) => ({ ...x, bookingId: b.id })), true);
        return { ...bookingDtos([joined], { workers: [], events: [{ event, actorName: row.clientName }], reviews: [], paid: [], addons: [] }, () => viewer, at)[0]!, addons: chosen };
      }));
      deps.wake?.();
      return result;
    },

    async get(actor: Actor | null, id: string): Promise<Booking> {
      const a = requireActor(actor);
      const row = await repo.findBooking(db, id);
      if (!row) throw notFound('Booking');
      const viewer = await viewerOf(db, a, row.booking);
      const [dto] = await toBookings(db, [row], () => viewer, now());
      if (!maySee(dto!.viewer)) throw notFound('Booking');
      return dto!;
    },

    async list(actor: Actor | null, q: { as: 'client' | 'coop'; coopId?: string; scope: 'upcoming' | 'past' | 'all'; state?: BookingState; series?: 'include' | 'exclude' | 'with_money'; limit?: number; offset?: number }) {
      const a = requireActor(actor);
      let filter: repo.ListFilter;
      if (q.as === 'client') {
        filter = { clientId: a.userId, scope: q.scope, state: q.state, seriesVisits: q.series, limit: q.limit, offset: q.offset, now: now() };
      } else {
        if (!q.coopId) throw badRequest('Some fields are not valid', { coopId: [fieldError('required')] });
        const role = await roleIn(db, q.coopId, a.userId);
        if (!role && !a.isSteward) throw forbidden("Only this co-op's members can see its bookings");
        // Worker-members see the bookings they are assigned to; admins and stewards see all.
        filter = { coopId: q.coopId, workerId: role === 'worker' ? a.userId : undefined, scope: q.scope, state: q.state, seriesVisits: q.series, limit: q.limit, offset: q.offset, now: now() };
      }
      const rows = await repo.listBookings(db, filter);
      return { items: await toBookings(db, rows, await viewersOf(db, a, rows.map((r) => r.booking)), now()) };
    },

    transition,

    /** What saying yes changes: the payment window opens, and a solidarity request is granted or not. */
    async acceptance(tx: Tx, b: repo.BookingRow, acceptSolidarity?: boolean): Promise<Partial<repo.BookingRow>> {
      const changes: Partial<repo.BookingRow> = { expiresAt: paymentDeadline(b.startsAt) };
      if (!b.solidarityRequested) return changes;
      if (acceptSolidarity === undefined) {
        throw badRequest('Say whether you accept the solidarity rate', { acceptSolidarity: [fieldError('solidarity_choice_required')] });
      }
      const listing = await repo.findListingWithSchedule(tx, b.listingId);
      const rate = listing?.listing.solidarityPriceCents;
      if (!acceptSolidarity || rate == null) return { ...changes, solidarityAccepted: false };
      return { ...changes, solidarityAccepted: true, priceCents: await solidarityPrice(tx, b, listing!.listing.priceKind, rate) };
    },
    decline: (actor: Actor | null, id: string, reason: string) => transition(actor, id, 'declined', reason),
    noShow: (actor: Actor | null, id: string, reason?: string) => transition(actor, id, 'no_show', reason ?? null),

    /** Cancelling is the client's or the co-op's depending on who asks. */
    async cancellingSide(actor: Actor, id: string): Promise<'client' | 'coop'> {
      const b = await repo.findBooking(db, id);
      if (!b) throw notFound('Booking');
      return b.booking.clientId === actor.userId ? 'client' : 'coop';
    },

    /**
     * Records the minutes each assigned worker delivered. More minutes than the booking lasted
     * need a reason (kept in the history), since they count towards the worker's patronage.
     */
    complete(actor: Actor | null, id: string, hours: { userId: string; minutes: number }[], reason?: string) {
      return transition(actor, id, 'completed', reason || null, async (tx, b) => {
        const assigned = new Set((await repo.workersOf(tx, [b.id])).map((w) => w.userId));
        const unknown = hours.filter((h) => !assigned.has(h.userId));
        if (unknown.length) throw badRequest('Hours can only be recorded for assigned workers', { hours: [fieldError('assign_first')] });
        // The same bound as confirming (PUT /bookings/:id/minutes): a reason allows extra minutes, not any number.
        const cap = maxReportedMinutes(b.durationMinutes);
        const tooLarge = hours.flatMap((h, i) => (h.minutes > cap ? [i] : []));
        if (tooLarge.length) {
          throw badRequest(`At most ${cap} minutes for this booking`, Object.fromEntries(tooLarge.map((i) => [`hours.${i}.minutes`, [fieldError('too_large', { maximum: cap })]])));
        }
        const over = overBookedTime(hours, b.startsAt, b.endsAt);
        if (over.length && !reason) {
          const max = maxWorkedMinutes(b.startsAt, b.endsAt);
          throw badRequest(`More than the booking's ${max} minutes: say why`, {
            reason: [fieldError('reason_for_extra_minutes', { maximum: max })],
            hours: [fieldError('minutes_over_booking', { maximum: max })],
          });
        }
        for (const h of hours) await repo.recordMinutes(tx, b.id, h.userId, h.minutes);
        return {};
      });
    },

    /** For the assignment form: the co-op's members, who is on the booking, and who is away or busy at its time (and why). */
    async assignmentChoices(actor: Actor | null, id: string): Promise<AssignmentChoices> {
      const a = requireActor(actor);
      const row = await repo.findBooking(db, id);
      if (!row) throw notFound('Booking');
      const b = row.booking;
      const v = await viewerOf(db, a, b);
      if (v.coopRole !== 'admin') throw v.isClient || v.isSteward ? forbidden("Only the co-op's admins assign workers") : notFound('Booking');
      const [team, current] = await Promise.all([repo.coopTeam(db, b.coopId), repo.workersOf(db, [b.id])]);
      const off = await unavailableAt(db, team.map((m) => m.userId), { coopId: b.coopId, startsAt: b.startsAt, endsAt: b.endsAt, bookingId: b.id });
      const on = new Set(current.map((w) => w.userId));
      return { members: team.map((m) => ({ ...m, assigned: on.has(m.userId), unavailable: off.get(m.userId) ?? null })) };
    },

    /**
     * The co-op's admins choose the team. Someone added must be free then (not away, not on another
     * live visit that overlaps it: 409 naming her), checked with everyone concerned locked, so two
     * assignments at once cannot both take her. Taking someone off needs a reason: the history keeps
     * it and she is told it; whoever is added is told too.
     */
    async assign(actor: Actor | null, id: string, userIds: string[], reason?: string) {
      const a = requireActor(actor);
      const result = await db.transaction(async (tx) => {
        const b = await repo.lockBooking(tx, id);
        if (!b) throw notFound('Booking');
        const v = await viewerOf(tx, a, b);
        if (v.coopRole !== 'admin') throw v.isClient || v.isSteward ? forbidden("Only the co-op's admins assign workers") : notFound('Booking');
        if (!['requested', 'accepted', 'paid'].includes(b.state)) throw conflict('Workers can only be assigned to a live booking', 'invalid_transition');
        const unique = [...new Set(userIds)];
        const members = await repo.coopMembersNamed(tx, b.coopId, unique);
        if (members.length !== unique.length) throw badRequest('Only members of this co-op can be assigned', { userIds: [fieldError('not_coop_member')] });
        const before = new Set((await repo.workersOf(tx, [b.id])).map((w) => w.userId));
        const added = unique.filter((u) => !before.has(u));
        const removed = [...before].filter((u) => !unique.includes(u));
        if (removed.length && !reason) throw badRequest('Say why you take someone off this booking', { reason: [fieldError('reason_for_removal')] });
        await lockWorkers(tx, added);
        await requireFree(tx, added, { coopId: b.coopId, startsAt: b.startsAt, endsAt: b.endsAt, bookingId: b.id }, new Map(members.map((m) => [m.userId, m.name])));
        await repo.replaceWorkers(tx, b.id, unique);
        await repo.insertEvent(tx, { bookingId: b.id, actorId: a.userId, actorRole: 'coop_admin', kind: 'assigned', fromState: b.state, toState: b.state, reason: reason || null });
        // Only those added or taken off hear of it; the event is this assignment, at this instant.
        await notify(tx, b, `assigned:${now().getTime()}`, [{ message: 'assigned', to: added }, { message: 'unassigned', to: removed }], reason || null);
        return view(tx, a, id);
      });
      deps.wake?.();
      return result;
    },

    /**
     * Moving to another slot follows the same rules as a new booking; the database still decides.
     * `moved` runs in the same transaction once the move is made (a visit's series records it).
     */
    async reschedule(actor: Actor | null, id: string, startsAtIso: string, moved?: (tx: Tx, before: repo.BookingRow, after: repo.BookingRow, role: BookingActorRole) => Promise<void>) {
      const a = requireActor(actor);
      const startsAt = new Date(startsAtIso);
      const result = await db.transaction(async (tx) => {
        const b = await repo.lockBooking(tx, id);
        if (!b) throw notFound('Booking');
        const v = await viewerOf(tx, a, b);
        if (!v.isClient && v.coopRole !== 'admin') throw v.isSteward || v.coopRole ? forbidden('You cannot reschedule this booking') : notFound('Booking');
        if (!['requested', 'accepted', 'paid'].includes(b.state)) throw conflict('Only a live booking can be rescheduled', 'invalid_transition');
        // The time of a quote's booking (or of a visit of a series made from an offer) was agreed in the offer: the client asks the co-op, whose admins may move it.
        if (v.coopRole !== 'admin' && (await repo.agreedInOffer(tx, b))) throw conflict('This time was agreed in the offer: write to the co-op to change it', 'quote_booking_reschedule');
        const row = await repo.findListingWithSchedule(tx, b.listingId);
        const av = availabilityOf(row!.schedule);
        const endsAt = new Date(startsAt.getTime() + b.durationMinutes * 60_000);
        // As a new booking does, before reading who is busy.
        const blockedUntil = new Date(endsAt.getTime() + av.bufferMinutes * 60_000);
        await repo.lockBookingTimes(tx, b.listingId, startsAt, blockedUntil);
        const busy = await repo.busyBookings(tx, b.listingId, new Date(startsAt.getTime() - 86_400_000), new Date(endsAt.getTime() + 86_400_000), b.id);
        if (!isBookableStart(av, busy, startsAt, b.durationMinutes, now())) {
          throw conflict('This time is not available. Please choose one of the free slots.', 'slot_unavailable');
        }
        const [unit] = freeUnits(av, busy, startsAt, endsAt);
        if (unit === undefined) throw slotTaken();
        // The time to answer or pay follows the move: a visit of a series is paid by a set time before
        // it (shifted with it); any other never later than its new start.
        const expiresAt = !b.expiresAt ? null
          : b.seriesId ? new Date(b.expiresAt.getTime() + startsAt.getTime() - b.startsAt.getTime())
          : new Date(Math.min(b.expiresAt.getTime(), startsAt.getTime()));
        // The team goes with the booking: a move onto a time one of them is away or on another visit is refused (409), never made
        // with someone who cannot come, nor by taking her off unasked; the admins change the team first.
        const team = await repo.workersOf(tx, [b.id]);
        await lockWorkers(tx, team.map((w) => w.userId));
        await requireFree(tx, team.map((w) => w.userId), { coopId: b.coopId, startsAt, endsAt, bookingId: b.id }, new Map(team.map((w) => [w.userId, w.name])));
        const after = await repo.updateBooking(tx, b.id, { startsAt, endsAt, unit, blockedUntil, expiresAt }).catch(orSlotTaken);
        const role: BookingActorRole = v.isClient ? 'client' : 'coop_admin';
        await repo.insertEvent(tx, {
          bookingId: b.id, actorId: a.userId, actorRole: role, kind: 'rescheduled', fromState: b.state, toState: b.state,
          reason: `${b.startsAt.toISOString()} → ${startsAt.toISOString()}`,
        });
        await moved?.(tx, b, after, role);
        await notify(tx, after, `rescheduled:${after.updatedAt.getTime()}`, [
          { message: 'rescheduled', to: [b.clientId, ...(await repo.coopAdminIds(tx, b.coopId)), ...(await audience(tx, after, 'workers'))] },
        ], null, { previousStartsAt: b.startsAt.toISOString() });
        if (b.state === 'paid') await queueReminder(tx, after, now());
        return view(tx, a, id);
      });
      deps.wake?.();
      return result;
    },

    /**
     * The expiry job: unanswered requests and unpaid acceptances whose time has run out become
     * expired, each when `mayEnd` agrees (in the same transaction); the others stay as they are
     * until the next run.
     */
    async expireDue(mayEnd: (tx: Tx, b: repo.BookingRow) => Promise<boolean>, limit = 100): Promise<number> {
      let count = 0;
      for (;;) {
        const { fetched, expired, skipped } = await db.transaction(async (tx) => {
          const rows = await repo.lockExpired(tx, now(), limit);
          let expired = 0;
          for (const b of rows) {
            if (!(await mayEnd(tx, b))) continue;
            await applyTransition(tx, now(), null, b, 'expired', b.state === 'requested' ? 'No answer in time' : 'Not paid in time');
            expired++;
          }
          return { fetched: rows.length, expired, skipped: rows.length - expired };
        });
        count += expired;
        // Skipped rows would come back in the next batch: leave them to the next run.
        if (fetched < limit || skipped > 0) break;
      }
      if (count) deps.wake?.();
      return count;
    },
  };
}

export type BookingsService = ReturnType<typeof createBookingsService>;
