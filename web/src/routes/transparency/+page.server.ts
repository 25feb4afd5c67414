import { loadFailure } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

/** Public: anyone may see what the platform took in, spent and gave back, year by year. */
export const load: PageServerLoad = async (event) => {
  try {
    return { report: await ok(event.locals.api.GET('/transparency')) };
  } catch (e) {
    loadFailure(event, e);
  }
};
