import type { Booking } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { roleIn } from '../coops/index.js';

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
  return { isClient: v.isClient, isCoopAdmin: v.coopRole === 'admin', isWorker: assigned.some((w) => w.userId === v.userId), isSteward: v.isSteward };
}

/** Who may see a booking at all: its client, its co-op's admins, a steward and the workers assigned to it; other outsiders learn nothing. */
export function maySee(v: Booking['viewer']): boolean {
  return v.isClient || v.isCoopAdmin || v.isSteward || v.isWorker;
}
