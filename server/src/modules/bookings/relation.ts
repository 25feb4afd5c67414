import type { Booking } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { notFound, unauthorized } from '../../errors.js';
import * as repo from './repository.js';
import { roleIn } from '../coops/index.js';
import { isUuid } from '../../lib/ids.js';

/**
 * Who a person is to a booking: its client, an admin or worker-member of its co-op, a steward.
 * The one place that says it: the access checks, the buttons (view.ts), the payment page and
 * reviews read it, and the booking's answer carries it to the web (`viewer`).
 */
export interface Viewer {
  userId: string;
  isClient: boolean;
  coopRole: 'admin' | 'worker' | undefined;
  isSteward: boolean;
}

type BookingRef = { clientId: string; coopId: string };

export async function viewerOf(tx: Tx, actor: Actor, b: BookingRef): Promise<Viewer> {
  return {
    userId: actor.userId,
    isClient: b.clientId === actor.userId,
    coopRole: await roleIn(tx, b.coopId, actor.userId),
    isSteward: actor.isSteward,
  };
}

/** The same for a list of bookings: the person's role is read once per co-op. */
export async function viewersOf(tx: Tx, actor: Actor, bookings: BookingRef[]): Promise<(b: BookingRef) => Viewer> {
  const roles = new Map<string, Viewer['coopRole']>();
  for (const b of bookings) if (!roles.has(b.coopId)) roles.set(b.coopId, await roleIn(tx, b.coopId, actor.userId));
  return (b) => ({ userId: actor.userId, isClient: b.clientId === actor.userId, coopRole: roles.get(b.coopId), isSteward: actor.isSteward });
}

/** What the web is told of it; `isWorker`: one of the workers assigned to this booking. */
export function viewerView(v: Viewer, assigned: { userId: string }[]): Booking['viewer'] {
  // Assigned and still a member: someone who left the co-op no longer sees its clients' details.
  const isWorker = v.coopRole !== undefined && assigned.some((w) => w.userId === v.userId);
  return { isClient: v.isClient, isCoopAdmin: v.coopRole === 'admin', isWorker, isSteward: v.isSteward };
}

/** Who may see a booking at all: its client, its co-op's admins, a steward and the workers assigned to it; other outsiders learn nothing. */
export function maySee(v: Booking['viewer']): boolean {
  return v.isClient || v.isCoopAdmin || v.isSteward || v.isWorker;
}

/**
 * Who may read a booking's money (price, payment, receipt, refunds, add-on prices): everyone who
 * may see it but a worker who is only that: she needs the job, not what the client paid.
 */
export function maySeeAmounts(v: Booking['viewer']): boolean {
  return v.isClient || v.isCoopAdmin || v.isSteward;
}

/**
 * A route hook that runs before the body is validated: a person who may not see the booking
 * learns nothing of it (404, 401 when signed out), rather than field errors that say it exists.
 * Who may then do what stays the services' check.
 */
export function outsidersAnswer404(db: Tx) {
  return async (req: { actor: Actor | null; params: unknown }) => {
    const id = (req.params as { id?: string }).id;
    if (!isUuid(id)) return; // the params schema answers
    if (!req.actor) throw unauthorized();
    const b = await repo.findParties(db, id);
    if (!b) throw notFound('Booking');
    const v = await viewerOf(db, req.actor, b);
    if (v.isClient || v.isSteward || v.coopRole === 'admin') return;
    if (!v.coopRole || !(await repo.isAssigned(db, id, req.actor.userId))) throw notFound('Booking');
  };
}
