import type { Tx } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { forbidden, notFound } from '../../errors.js';
import * as repo from './repository.js';

export type RequiredRole = 'admin' | 'member';

/** Approved co-ops are public; the others only to their own members and to stewards. */
export function canSeeCoop(coop: Pick<repo.CoopRow, 'status'>, actor: Actor | null, role: repo.MemberRole | undefined): boolean {
  return coop.status === 'approved' || Boolean(actor?.isSteward) || role !== undefined;
}

/** The actor's role in a co-op, or undefined for anonymous visitors and outsiders. */
export async function roleOf(db: Tx, actor: Actor | null, coopId: string): Promise<repo.MemberRole | undefined> {
  return actor ? repo.roleIn(db, coopId, actor.userId) : undefined;
}

/**
 * Loads a co-op and checks that the actor holds `role` in it (`member` = any role). A co-op the
 * actor may not even see answers 404, so its existence does not leak; one they can see answers 403.
 */
export async function requireCoopRole(db: Tx, actor: Actor | null, coopId: string, role: RequiredRole) {
  const a = requireActor(actor);
  const coop = await repo.findCoopById(db, coopId);
  if (!coop) throw notFound('Co-op');
  const held = await repo.roleIn(db, coopId, a.userId);
  if (held === 'admin' || (role === 'member' && held !== undefined)) return { actor: a, coop, role: held };
  if (!canSeeCoop(coop, a, held)) throw notFound('Co-op');
  throw forbidden(role === 'admin' ? "Only this co-op's admins can do this" : "Only this co-op's members can do this");
}
