import { loadFailure, requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  try {
    const [{ statements }, { memberships }] = await Promise.all([
      event.locals.api.statements.mine(),
      event.locals.api.membership.mine(),
    ]);
    return { statements, memberships };
  } catch (e) {
    loadFailure(event, e);
  }
};
