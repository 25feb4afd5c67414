import type { Handle, HandleServerError, RequestEvent } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { env } from '$env/dynamic/private';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { m } from '$lib/paraglide/messages';
import { createApi, ok } from '$lib/server/api/client';
import { isApiError } from '$lib/server/api-error';
import { localeAssetsHtml, localeAssetsLinkHeader } from '$lib/server/locale-assets';
import { ACCESS_COOKIE, REFRESH_COOKIE, clearSession, refreshOnce, storeSession } from '$lib/server/session';

/**
 * /media/* is the API's: photos' files, streamed through as the API answers them (status, type,
 * length, ETag, a year's immutable cache, 304 to If-None-Match). First in the sequence and on its
 * own, so a photo costs no locale detection, no session and no /me call. With MEDIA_PUBLIC_URL
 * the pages point at a bucket or CDN instead and this is only a fallback.
 */
const MEDIA_HEADERS = ['content-type', 'content-length', 'cache-control', 'etag', 'x-content-type-options'];
const media: Handle = async ({ event, resolve }) => {
  if (!event.url.pathname.startsWith('/media/')) return resolve(event);
  if (event.request.method !== 'GET' && event.request.method !== 'HEAD') return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
  const api = (env.API_URL || 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const headers = new Headers();
  const etag = event.request.headers.get('if-none-match');
  if (etag) headers.set('if-none-match', etag);
  let answer: Response;
  try {
    answer = await fetch(`${api}${event.url.pathname}`, { method: event.request.method, headers, signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    console.error('[media] API unreachable', e);
    return new Response(null, { status: 502, headers: { 'cache-control': 'no-store' } });
  }
  const out = new Headers();
  for (const name of MEDIA_HEADERS) {
    const value = answer.headers.get(name);
    if (value) out.set(name, value);
  }
  return new Response(answer.status === 304 || event.request.method === 'HEAD' ? null : answer.body, { status: answer.status, headers: out });
};

/** The origin photos come from when a bucket or CDN serves them (MEDIA_PUBLIC_URL), allowed as an image source. */
function mediaOrigin(): string | null {
  try {
    return env.MEDIA_PUBLIC_URL ? new URL(env.MEDIA_PUBLIC_URL).origin : null;
  } catch {
    return null;
  }
}

/**
 * Detects the locale (cookie, else French), sets `<html lang>` to it and points the page at the
 * browser files of its language (English pages: `_app/immutable/en/`, see $lib/server/locale-assets).
 */
const i18n: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, async ({ request, locale }) => {
    event.request = request;
    event.locals.locale = locale;
    const response = await resolve(event, {
      transformPageChunk: ({ html }) => localeAssetsHtml(html.replace('%lang%', locale), locale),
    });
    const link = response.headers.get('link');
    if (link) response.headers.set('link', localeAssetsLinkHeader(link, locale));
    return response;
  });

function clientAddress(event: RequestEvent): string | undefined {
  try {
    return event.getClientAddress();
  } catch {
    return undefined;
  }
}

/**
 * Restores the session from the token cookies: refreshes the pair when only the refresh token
 * is left, then loads the signed-in user into `locals.user`.
 */
const session: Handle = async ({ event, resolve }) => {
  const { cookies, url } = event;
  let accessToken = cookies.get(ACCESS_COOKIE);
  const refreshToken = cookies.get(REFRESH_COOKIE);
  const api = createApi({
    accessToken: () => accessToken,
    locale: event.locals.locale,
    clientAddress: clientAddress(event),
  });
  event.locals.api = api;
  event.locals.user = null;

  async function refresh(token: string): Promise<boolean> {
    try {
      const auth = await refreshOnce(api, token);
      storeSession(cookies, url, auth);
      accessToken = auth.accessToken;
      event.locals.user = auth.user;
      return true;
    } catch (e) {
      // A refused refresh token is dead: forget it. An unreachable API says nothing about it.
      if (isApiError(e) && e.status >= 400 && e.status < 500) clearSession(cookies, url);
      else console.error('[session] refresh failed', e);
      accessToken = undefined;
      return false;
    }
  }

  if (!accessToken && refreshToken) {
    await refresh(refreshToken);
  } else if (accessToken) {
    try {
      event.locals.user = await ok(api.GET('/me'));
    } catch (e) {
      if (isApiError(e) && e.status === 401) {
        accessToken = undefined;
        cookies.delete(ACCESS_COOKIE, { path: '/' });
        if (refreshToken) await refresh(refreshToken);
      } else {
        console.error('[session] could not load the signed-in user', e);
      }
    }
  }

  return resolve(event);
};

/**
 * Four forms send people on to Stripe (Checkout for a booking or a member's share, Checkout in
 * setup mode to save a card, Connect onboarding) with a 303 after the POST.
 * Browsers check a redirect that follows a form submission against the page's CSP form-action,
 * which is 'self' everywhere else; these pages also allow Stripe's hosted pages. With a local API
 * (development, tests) payments go to the local Stripe emulator, on a loopback address.
 */
const PAYMENT_FORM_PAGES = [/^\/bookings\/[^/]+\/pay\/?$/, /^\/dashboard\/coops\/[^/]+\/payments\/?$/, /^\/membership\/?$/, /^\/account\/card\/?$/];
const STRIPE_PAGES = ['https://checkout.stripe.com', 'https://connect.stripe.com'];

function paymentOrigins(): string[] {
  let host = '127.0.0.1';
  try {
    host = new URL(env.API_URL || 'http://127.0.0.1:4000').hostname;
  } catch {
    // a malformed API_URL fails elsewhere, loudly
  }
  const local = host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  return local ? [...STRIPE_PAGES, 'http://127.0.0.1:*', 'http://localhost:*'] : STRIPE_PAGES;
}

const paymentRedirects: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  if (!PAYMENT_FORM_PAGES.some((re) => re.test(event.url.pathname))) return response;
  const csp = response.headers.get('content-security-policy');
  if (!csp?.includes('form-action')) return response;
  const extended = csp.replace(/form-action ([^;]*)/, (_, sources: string) => `form-action ${sources} ${paymentOrigins().join(' ')}`);
  response.headers.set('content-security-policy', extended);
  return response;
};

/** Pages may show photos from MEDIA_PUBLIC_URL's origin: added to the CSP's img-src at run time (the rest of the CSP is svelte.config.js's). */
const mediaImages: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  const origin = mediaOrigin();
  const csp = origin && response.headers.get('content-security-policy');
  if (csp && csp.includes('img-src')) response.headers.set('content-security-policy', csp.replace(/img-src ([^;]*)/, (_, sources: string) => `img-src ${sources} ${origin}`));
  return response;
};

export const handle: Handle = sequence(media, i18n, session, paymentRedirects, mediaImages);

export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status !== 404) console.error(`[web] ${event.request.method} ${event.url.pathname}`, error);
  return { message: status === 404 ? m.error_not_found_title() : m.error_generic_title() };
};
