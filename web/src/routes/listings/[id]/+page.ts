import { browser } from '$app/environment';
import type { PageLoad } from './$types';

/**
 * The booking form's fields (BookingFields.svelte) are imported only for a signed-in person who has
 * chosen a slot, the only time the form shows them: the listing page's scripts on arrival stay
 * without the contact, question and address fields (issue 11 caps them at 60 KB gzipped). Choosing
 * a slot navigates here again, so the import happens on that click. The server imports them for
 * anyone signed in: a form sent back without JavaScript may show them with no slot in the address.
 */
let imported = false;

export const load: PageLoad = async ({ data }) => {
  const needed = data.contact !== null && data.bookable && (!browser || imported || data.chosen !== null);
  if (!needed) return { ...data, Fields: null };
  const Fields = (await import('./BookingFields.svelte')).default;
  imported = true;
  return { ...data, Fields };
};
