import type { Booking, BookingEvent, BookingState, Review } from '@tissu/shared';
import { ENTRY_NOTES_VISIBLE_DAYS, VISIT_DETAILS_DAYS, cancellationDeadline, nextStates, publicName } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import * as repo from './repository.js';
import { maySeeAmounts, viewerView, type Viewer } from './relation.js';
import { addonsOfBookings, toBookingAddons, type BookingAddonRow } from './addons.js';

type Action = Booking['actions'][number];

/** The buttons a viewer gets, derived from the lifecycle table in shared/, the booking's state and the time. */
export function actionsFor(state: BookingState, v: Viewer, hasReview: boolean, timing: { startsAt: Date; now: Date }, quoted = false): Action[] {
  const actions = new Set<Action>();
  const roles = [v.isClient && 'client', v.coopRole === 'admin' && 'coop_admin', v.isSteward && 'steward'].filter(Boolean) as Array<'client' | 'coop_admin' | 'steward'>;
  for (const role of roles) {
    for (const to of nextStates(state, role, timing)) {
      if (to === 'accepted') actions.add('accept');
      if (to === 'declined') actions.add('decline');
      if (to === 'cancelled_by_client' || to === 'cancelled_by_coop') actions.add('cancel');
      if (to === 'completed') actions.add('complete');
      if (to === 'no_show') actions.add('no_show');
    }
  }
  const live = state === 'requested' || state === 'accepted' || state === 'paid';
  // A quote's time was agreed in the offer: only the co-op moves it (the client writes to it instead).
  if (live && (v.coopRole === 'admin' || (v.isClient && !quoted))) actions.add('reschedule');
  if (live && v.coopRole === 'admin') actions.add('assign');
  if (state === 'completed' && v.isClient && !hasReview) actions.add('review');
  return [...actions];
}

/** What a booking's answer carries besides its row: its team, its history and its review. */
export interface Related {
  workers: Awaited<ReturnType<typeof repo.workersOf>>;
  events: Awaited<ReturnType<typeof repo.eventsOf>>;
  reviews: Awaited<ReturnType<typeof repo.reviewsOfBookings>>;
  paid: Awaited<ReturnType<typeof repo.paidOf>>;
  addons: BookingAddonRow[];
  /** The series among theirs made from an offer: their visits' time was agreed there, as a quote's booking's is. */
  quotedSeries?: Set<string>;
}

/** Maps rows to the Booking DTO, loading workers, history and reviews in three queries for the lot. */
export async function toBookings(db: Tx, rows: repo.BookingJoined[], viewerFor: (b: repo.BookingRow) => Viewer, now: Date): Promise<Booking[]> {
  const ids = rows.map((r) => r.booking.id);
  const seriesIds = [...new Set(rows.flatMap((r) => (r.booking.seriesId ? [r.booking.seriesId] : [])))];
  const [workers, events, reviews, paid, addons, quotedSeries] = await Promise.all([
    repo.workersOf(db, ids), repo.eventsOf(db, ids), repo.reviewsOfBookings(db, ids), repo.paidOf(db, ids), addonsOfBookings(db, ids), repo.quotedSeries(db, seriesIds),
  ]);
  return bookingDtos(rows, { workers, events, reviews, paid, addons, quotedSeries }, viewerFor, now);
}

function byBooking<T>(items: T[], bookingId: (x: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const x of items) {
    const list = map.get(bookingId(x));
    if (list) list.push(x);
    else map.set(bookingId(x), [x]);
  }
  return map;
}

/** The DTOs from what is already known (a new booking needs no query to describe itself). */
export function bookingDtos(rows: repo.BookingJoined[], related: Related, viewerFor: (b: repo.BookingRow) => Viewer, now: Date): Booking[] {
  const workersBy = byBooking(related.workers, (w) => w.bookingId);
  const eventsBy = byBooking(related.events, (e) => e.event.bookingId);
  const reviewBy = new Map(related.reviews.map((r) => [r.review.bookingId, r]));
  const paidBy = new Map(related.paid.map((p) => [p.bookingId, p]));
  const addonsBy = byBooking(related.addons, (a) => a.bookingId);
  return rows.map(({ booking: b, ...r }) => {
    const review = reviewBy.get(b.id);
    const mine = eventsBy.get(b.id) ?? [];
    const acceptance = [...mine].reverse().find((e) => e.event.kind === 'transition' && e.event.toState === 'accepted' && e.event.actorRole === 'coop_admin');
    const coopAcceptedAt = acceptance?.event.createdAt ?? null;
    const paid = paidBy.get(b.id);
    const viewer = viewerView(viewerFor(b), workersBy.get(b.id) ?? []);
    // Law 25: as in "Mes visites", a worker no longer sees the client's address, notes and contact
    // details once the visit is VISIT_DETAILS_DAYS past (the co-op's admins keep them for its records).
    // A worker on the visit sees what doing it needs: the client's public name, how to reach her on
    // the day (phone), not her email address nor what she paid.
    const workerOnly = viewer.isWorker && !viewer.isCoopAdmin && !viewer.isClient && !viewer.isSteward;
    const amounts = maySeeAmounts(viewer);
    const privateNow = workerOnly && b.endsAt.getTime() + VISIT_DETAILS_DAYS * 86_400_000 < now.getTime();
    // The door code and the like serve the visit only: the co-op (admins and workers) reads them until
    // ENTRY_NOTES_VISIBLE_DAYS after it; the client keeps reading her own until the retention job erases them.
    const entryNotesShown = viewer.isClient || b.endsAt.getTime() + ENTRY_NOTES_VISIBLE_DAYS * 86_400_000 >= now.getTime();
    return {
      id: b.id,
      state: b.state,
      listing: { id: b.listingId, titleFr: r.listingTitleFr, titleEn: r.listingTitleEn, locationMode: r.locationMode },
      coop: { id: b.coopId, slug: r.coopSlug, name: r.coopName },
      client: { id: b.clientId, name: workerOnly ? publicName(r.clientName) : r.clientName },
      startsAt: b.startsAt.toISOString(),
      endsAt: b.endsAt.toISOString(),
      timeZone: b.timeZone,
      durationMinutes: b.durationMinutes,
      regularPriceCents: amounts ? b.regularPriceCents : null,
      priceCents: amounts ? b.priceCents : null,
      solidarityRequested: b.solidarityRequested,
      solidarityAccepted: b.solidarityAccepted,
      organizationName: b.organizationName,
      address: privateNow ? '' : b.address,
      notes: privateNow ? '' : b.notes,
      entryNotes: entryNotesShown ? b.entryNotes : '',
      contactName: privateNow ? b.contactName.trim().split(/\s+/)[0] ?? '' : b.contactName,
      contactPhone: privateNow ? '' : b.contactPhone,
      contactEmail: workerOnly ? '' : b.contactEmail,
      cancellation: {
        freeCancellationHours: b.freeCancellationHours,
        lateCancellationPercent: b.lateCancellationPercent,
        noShowPercent: b.noShowPercent,
        deadline: cancellationDeadline(
          { freeCancellationHours: b.freeCancellationHours, lateCancellationPercent: b.lateCancellationPercent },
          b.startsAt,
          { requestedAt: b.createdAt, acceptedAt: coopAcceptedAt },
        ).toISOString(),
        coopAcceptedAt: coopAcceptedAt?.toISOString() ?? null,
      },
      expiresAt: b.expiresAt?.toISOString() ?? null,
      paid: paid && amounts ? { totalCents: paid.totalCents, refundedCents: paid.refundedCents } : null,
      workers: (workersBy.get(b.id) ?? []).map((w) => ({ userId: w.userId, name: w.name, minutesDelivered: w.minutesDelivered, minutesReported: w.minutesReported })),
      events: mine.map((e) => toBookingEvent(e, viewer.isCoopAdmin || viewer.isWorker)),
      review: review ? toReview(review.review, review.authorName) : null,
      actions: actionsFor(b.state, viewerFor(b), Boolean(review), { startsAt: b.startsAt, now }, b.quoteId !== null || Boolean(b.seriesId && related.quotedSeries?.has(b.seriesId))),
      viewer,
      series: b.seriesId && b.seriesDate ? { id: b.seriesId, date: b.seriesDate } : null,
      // The client's answers are for the people doing the job: her, the co-op's admins, the workers assigned.
      answers: viewer.isClient || viewer.isCoopAdmin || viewer.isWorker ? b.answers : null,
      quoteId: b.quoteId,
      createdAt: b.createdAt.toISOString(),
      addons: toBookingAddons(addonsBy.get(b.id) ?? [], amounts),
    };
  });
}

type EventJoined = Awaited<ReturnType<typeof repo.eventsOf>>[number];

/**
 * One line of a booking's history, as its page and its conversation's feed show it. Why someone was
 * taken off the team concerns her: only the co-op's admins and the workers (`team`) read it; the
 * client reads that the team changed.
 */
export function toBookingEvent(e: EventJoined, team: boolean): BookingEvent {
  return {
    at: e.event.createdAt.toISOString(),
    actorName: e.actorName,
    actorRole: e.event.actorRole,
    kind: e.event.kind,
    from: e.event.fromState,
    to: e.event.toState,
    reason: e.event.kind === 'assigned' && !team ? null : e.event.reason,
  };
}

/** The histories of these bookings, oldest first, for a conversation's feed; `team`: the reader is the co-op's admin or a worker. */
export async function bookingEventsOf(db: Tx, bookingIds: string[], team: boolean): Promise<{ bookingId: string; event: BookingEvent }[]> {
  return (await repo.eventsOf(db, bookingIds)).map((e) => ({ bookingId: e.event.bookingId, event: toBookingEvent(e, team) }));
}

/** The one Review DTO, for a booking's answer and for the reviews module. The author is published as the form promises: first name and initial. */
export function toReview(r: repo.ReviewRow, authorName: string): Review {
  return {
    id: r.id,
    bookingId: r.bookingId,
    listingId: r.listingId,
    rating: r.rating,
    body: r.body,
    authorName: publicName(authorName),
    reply: r.reply,
    repliedAt: r.repliedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}
