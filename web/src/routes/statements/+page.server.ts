import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  try {
    const [{ statements }, { memberships }] = await Promise.all([
      ok(event.locals.api.GET('/patronage/statements')),
      ok(event.locals.api.GET('/membership')),
    ]);
    return { statements, memberships };
  } catch (e) {
    loadFailure(event, e);
  }
};
