import type { BookingActorRole, BookingState } from '@tissu/shared';
import { findTransition, waitsForStart, fieldError } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { enqueue, enqueueAll } from '../notifications/index.js';
import type { BookingMessage } from '../notifications/index.js';
import * as repo from './repository.js';
import { viewerOf } from './relation.js';

const HOUR = 3_600_000;

/** One message to some people about one event of a booking. */
export interface Notice {
  message: BookingMessage;
  to: string[];
}

/**
 * Queues the emails of one event of a booking, in the caller's transaction: one per person, keyed
 * by the event and the person, so someone who is both the client and an admin of the co-op, or an
 * admin twice over, gets one email. The first notice naming a person decides which one they get.
 */
export async function notify(tx: Tx, b: Pick<repo.BookingRow, 'id'>, event: string, notices: Notice[], reason?: string | null, extra: { deadline?: string; previousStartsAt?: string } = {}) {
  const told = new Map<string, BookingMessage>();
  for (const { message, to } of notices) for (const recipientId of to) if (!told.has(recipientId)) told.set(recipientId, message);
  await enqueueAll(tx, [...told].map(([recipientId, message]) => ({
    dedupeKey: `booking:${b.id}:${event}:${recipientId}`,
    payload: { type: 'booking' as const, message, bookingId: b.id, recipientId, reason: reason ?? null, ...extra },
  })));
}

/** One message to the client about their booking (a visit's charge refused, a visit to pay), once per booking and kind. */
export async function notifyClient(tx: Tx, b: repo.BookingRow, message: BookingMessage, reason: string | null) {
  await notify(tx, b, message, [{ message, to: [b.clientId] }], reason);
}

/** A reminder the day before, queued now and re-checked when due (skipped if the booking moved or ended). */
export async function queueReminder(tx: Tx, b: repo.BookingRow, now: Date) {
  const due = new Date(b.startsAt.getTime() - 24 * HOUR);
  if (due.getTime() <= now.getTime()) return;
  await enqueue(tx, `booking:${b.id}:reminder:${b.startsAt.toISOString()}`, {
    type: 'booking', message: 'reminder', bookingId: b.id, recipientId: b.clientId, startsAt: b.startsAt.toISOString(),
  }, due);
}

type Audience = 'client' | 'admins' | 'workers';
type Told = { message: BookingMessage; to: Audience };

/**
 * Who learns about each new state, and with which message (the README's "Who is told what" table).
 * The client hears of everything that changes their booking; the co-op's admins of what they did
 * not do themselves (a request, a payment, a client's cancellation); assigned workers of a visit
 * that will not happen.
 */
const MESSAGES: Partial<Record<BookingState, Told[]>> = {
  accepted: [{ message: 'accepted', to: 'client' }],
  paid: [{ message: 'confirmed', to: 'client' }, { message: 'paid', to: 'admins' }],
  declined: [{ message: 'declined', to: 'client' }],
  expired: [{ message: 'expired', to: 'client' }],
  cancelled_by_client: [{ message: 'cancelled', to: 'client' }, { message: 'cancelled', to: 'admins' }, { message: 'cancelled', to: 'workers' }],
  cancelled_by_coop: [{ message: 'cancelled', to: 'client' }, { message: 'cancelled', to: 'admins' }, { message: 'cancelled', to: 'workers' }],
  completed: [{ message: 'completed', to: 'client' }],
  no_show: [{ message: 'no_show', to: 'client' }],
};

/**
 * Expiry differs with what lapsed. A request nobody answered: the client hears it expired (a visit
 * of a series still asked for lapses with its series, which says it once: series 'lapsed').
 * Accepted and not paid by its deadline: it is cancelled for want of payment, which the client
 * reads as such, and the co-op's admins and the team are told the client did not pay, so no one goes.
 */
function whoIsTold(b: repo.BookingRow, to: BookingState): Told[] {
  if (to === 'expired' && b.state === 'accepted') {
    return [{ message: 'unpaid', to: 'client' }, { message: 'unpaid_coop', to: 'admins' }, { message: 'unpaid_coop', to: 'workers' }];
  }
  if (b.seriesId && to === 'expired') return [];
  return MESSAGES[to] ?? [];
}

export async function audience(tx: Tx, b: repo.BookingRow, to: Audience): Promise<string[]> {
  if (to === 'client') return [b.clientId];
  if (to === 'admins') return repo.coopAdminIds(tx, b.coopId);
  return (await repo.workersOf(tx, [b.id])).map((w) => w.userId);
}

/**
 * Checks the lifecycle table: may this actor (null = the system) move this booking to `to`, now?
 * Completion and no-show wait for the booking's start (409 booking_not_started).
 */
export async function authorizeTransition(tx: Tx, now: Date, actor: Actor | null, b: repo.BookingRow, to: BookingState) {
  const t = findTransition(b.state, to);
  if (!actor) {
    if (!t || !t.by.includes('system')) throw conflict(`Cannot move from ${b.state} to ${to}`, 'invalid_transition');
    return { role: 'system' as BookingActorRole, transition: t };
  }
  const v = await viewerOf(tx, actor, b);
  const mine = [v.isClient && 'client', v.coopRole === 'admin' && 'coop_admin', v.isSteward && 'steward'].filter(Boolean) as BookingActorRole[];
  // A worker-member of the co-op knows its bookings; anyone else learns nothing of this one.
  if (mine.length === 0) throw v.coopRole ? forbidden(`Only the co-op's admins can make a booking ${to.replace(/_/g, ' ')}`) : notFound('Booking');
  if (!t) throw conflict(`A booking that is ${b.state.replace(/_/g, ' ')} cannot become ${to.replace(/_/g, ' ')}`, 'invalid_transition');
  const role = t.by.find((r) => mine.includes(r));
  if (!role) throw forbidden(`You cannot make a ${b.state.replace(/_/g, ' ')} booking ${to.replace(/_/g, ' ')}`);
  if (waitsForStart(t, b.startsAt, now)) {
    throw conflict(`This booking starts at ${b.startsAt.toISOString()}: it can be marked ${to.replace(/_/g, ' ')} once it has started`, 'booking_not_started');
  }
  return { role, transition: t };
}

/**
 * Applies one transition of the lifecycle table to a locked booking, in the caller's transaction:
 * checks who may make it, updates the state, appends the history row and queues the messages.
 * `actor` null means the system (a job or a payment webhook).
 */
export async function applyTransition(
  tx: Tx,
  now: Date,
  actor: Actor | null,
  b: repo.BookingRow,
  to: BookingState,
  reason: string | null,
  changes: Partial<repo.BookingRow> = {},
  /** False for the visits of a series changed as a whole: the series' own message tells people once. */
  tell = true,
): Promise<repo.BookingRow> {
  const { role, transition: t } = await authorizeTransition(tx, now, actor, b, to);
  if (t.reasonRequired && role !== 'system' && !reason) throw badRequest('Say why', { reason: [fieldError('required')] });
  const updated = await repo.updateBooking(tx, b.id, { expiresAt: null, ...changes, state: to });
  await repo.insertEvent(tx, { bookingId: b.id, actorId: actor?.userId ?? null, actorRole: role, fromState: b.state, toState: to, reason });
  const told = tell ? whoIsTold(b, to) : [];
  if (told.length) {
    const notices = await Promise.all(told.map(async (n) => ({ message: n.message, to: await audience(tx, updated, n.to) })));
    // The deadline is cleared with the change: the email keeps the one that passed.
    await notify(tx, updated, `${to}:${updated.updatedAt.getTime()}`, notices, reason, b.expiresAt ? { deadline: b.expiresAt.toISOString() } : {});
  }
  if (to === 'paid') await queueReminder(tx, updated, now);
  return updated;
}
