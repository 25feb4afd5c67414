import { ok } from '$lib/server/api/client';
import { loadFailure, requireUser } from '$lib/server/guards';
import { addTimeOff, removeTimeOff } from '$lib/server/time-off';
import type { Actions, PageServerLoad } from './$types';

/** "Mes absences": a member's own time off at each of her co-ops (the admins see the team's in the co-op's members section). */
export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const coops = user.coops.filter((c) => c.coopStatus === 'approved');
  try {
    const lists = await Promise.all(coops.map(async (c) => {
      const list = await ok(event.locals.api.GET('/coops/{id}/time-off', { params: { path: { id: c.coopId }, query: { scope: 'coming' } } }));
      return { coopId: c.coopId, coopName: c.coopName, timeZone: list.timeZone, items: list.items.filter((t) => t.userId === user.id) };
    }));
    return { lists };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  add: (event) => addTimeOff(event),
  remove: (event) => removeTimeOff(event),
};
