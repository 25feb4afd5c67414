import { loadFailure } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  try {
    return { fee: await ok(event.locals.api.GET('/platform/fee')) };
  } catch (e) {
    loadFailure(event, e);
  }
};
