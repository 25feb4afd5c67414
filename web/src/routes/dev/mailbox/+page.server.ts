import { isApiError } from '$lib/server/api';
import { loadFailure } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  try {
    const { items } = await event.locals.api.devMailbox();
    const newestFirst = [...items].sort((a, b) => Date.parse(b.sentAt) - Date.parse(a.sentAt));
    return { enabled: true, items: newestFirst };
  } catch (e) {
    // The API answers 404 when real SMTP is configured: then there is nothing to show here.
    if (isApiError(e) && e.status === 404) return { enabled: false, items: [] };
    loadFailure(event, e);
  }
};
