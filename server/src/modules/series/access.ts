import type { Db } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { notFound, unauthorized } from '../../errors.js';
import { roleIn } from '../coops/index.js';
import * as repo from './repository.js';
import { isUuid } from '../../lib/ids.js';

/**
 * A route hook that runs before the body is validated, as for bookings: someone who may not see
 * the series learns nothing of it (404, 401 signed out) rather than field errors saying it exists.
 */
export function seriesOutsiders404(db: Db) {
  return async (req: { actor: Actor | null; params: unknown }) => {
    const id = (req.params as { id?: string }).id;
    if (!isUuid(id)) return;
    if (!req.actor) throw unauthorized();
    const s = await repo.partiesOf(db, id);
    if (!s) throw notFound('Series');
    if (s.clientId === req.actor.userId || req.actor.isSteward) return;
    const role = await roleIn(db, s.coopId, req.actor.userId);
    if (role === 'admin' || (role && s.team.includes(req.actor.userId))) return;
    throw notFound('Series');
  };
}
