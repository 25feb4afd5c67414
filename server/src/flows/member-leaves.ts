import type { Actor } from '../actor.js';
import { unassignFromComingBookings } from '../modules/bookings/index.js';
import type { MembershipService } from '../modules/coops/index.js';
import { leaveTeams } from '../modules/series/index.js';

/**
 * A person removed from a co-op is taken off its bookings that have not started, in the same
 * transaction, so the admins see who still needs a worker; the bookings under way keep their hours.
 * She leaves the teams of its regular visits too, or the horizon would give her every new visit
 * (and email her the client's address).
 */
export function removeMember(membership: MembershipService, now: () => Date) {
  return (actor: Actor | null, coopId: string, userId: string) =>
    membership.removeMember(actor, coopId, userId, async (tx) => {
      await unassignFromComingBookings(tx, coopId, userId, now());
      await leaveTeams(tx, coopId, userId);
    });
}

/** A person who leaves a co-op herself is taken off its coming bookings and teams the same way. */
export function leaveCoop(membership: MembershipService, now: () => Date) {
  return (actor: Actor | null, coopId: string) =>
    membership.leave(actor, coopId, async (tx, userId) => {
      await unassignFromComingBookings(tx, coopId, userId, now());
      await leaveTeams(tx, coopId, userId);
    });
}
