import type { RequestEvent } from '@sveltejs/kit';
import type { AuthResult } from '@tissu/shared';
import { cookieName, isLocale } from '$lib/paraglide/runtime';
import { createApi } from './api/client';
import { CHOSEN_HERE } from './chosen-here';


/**
 * At sign-in, a language chosen on this browser and on this site (Paraglide's cookie, which only
 * the language switch at /lang sets, and CHOSEN_HERE beside it) becomes the account's, as the switch does for someone signed in: she reads
 * the site in it, and her emails follow the account's language. No cookie: nobody chose here, the
 * account keeps its own. Losing this preference is not worth failing a sign-in.
 */
export async function adoptChosenLanguage(event: RequestEvent, auth: AuthResult): Promise<void> {
  const chosen = event.cookies.get(cookieName);
  // A link from another site sets the pages' language too, but is nobody's choice for the account.
  if (!chosen || !isLocale(chosen) || chosen === auth.user.locale || event.cookies.get(CHOSEN_HERE) !== chosen) return;
  let clientAddress: string | undefined;
  try {
    clientAddress = event.getClientAddress();
  } catch {
    clientAddress = undefined;
  }
  // The request's own client carries no token yet: this one is the session just opened.
  const api = createApi({ accessToken: () => auth.accessToken, locale: chosen, clientAddress });
  await api.PATCH('/me', { body: { locale: chosen } }).catch((e) => console.warn('[sign-in] saving the chosen language failed', e));
}
