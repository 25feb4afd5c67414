import { loadFailure } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  try {
    return { fee: await event.locals.api.platform.fee() };
  } catch (e) {
    loadFailure(event, e);
  }
};
