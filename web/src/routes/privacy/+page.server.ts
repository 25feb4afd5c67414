import { loadFailure } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

/** The privacy policy (Law 25): public; the person in charge comes from the API's configuration. */
export const load: PageServerLoad = async (event) => {
  try {
    return { contact: await ok(event.locals.api.GET('/privacy/contact')) };
  } catch (e) {
    loadFailure(event, e);
  }
};
