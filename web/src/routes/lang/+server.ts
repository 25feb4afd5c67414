import { redirect } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';
import { safeRedirect } from '$lib/redirect';
import { fromOwnSite, requestOrigin } from '$lib/server/own-site';
import { CHOSEN_HERE } from '$lib/server/chosen-here';
import type { RequestHandler } from './$types';

/**
 * GET /lang?to=en&redirect=/search?q=x — remembers the language in Paraglide's cookie and goes
 * back to the page. A link, so switching works without JavaScript. The signed-in person's saved
 * language (which their emails use) changes only when the link was followed from this site or
 * typed: a link or image elsewhere must not change it (a GET carries the cookies of any site).
 */
export const GET: RequestHandler = async ({ url, cookies, locals, request }) => {
  const to = url.searchParams.get('to');
  const back = safeRedirect(url.searchParams.get('redirect'));
  if (to && isLocale(to)) {
    cookies.set(cookieName, to, {
      path: '/',
      maxAge: cookieMaxAge,
      sameSite: 'lax',
      // The server reads it; the browser follows the page's <html lang> ($lib/locale), not this cookie.
      httpOnly: false,
      secure: url.protocol === 'https:',
    });
    const chosenHere = fromOwnSite(requestOrigin(request.headers), url.origin);
    // Marks a choice made on this site, which a later sign-in makes the account's; a link from
    // elsewhere changes the pages' language only.
    if (chosenHere) cookies.set(CHOSEN_HERE, to, { path: '/', maxAge: cookieMaxAge, sameSite: 'lax', httpOnly: true, secure: url.protocol === 'https:' });
    else cookies.delete(CHOSEN_HERE, { path: '/' });
    // Emails follow the language the person chose; losing this preference is not worth an error.
    if (locals.user && locals.user.locale !== to && chosenHere) {
      await locals.api.PATCH('/me', { body: { locale: to } }).catch((e) => console.warn('[lang] PATCH /me failed', e));
    }
  }
  redirect(303, back);
};
