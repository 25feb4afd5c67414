import type { Handle, HandleServerError, RequestEvent } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { m } from '$lib/paraglide/messages';
import { createApi, isApiError } from '$lib/server/api';
import { ACCESS_COOKIE, REFRESH_COOKIE, clearSession, refreshOnce, storeSession } from '$lib/server/session';

/** Detects the locale (cookie, else French) and sets `<html lang>` to it. */
const i18n: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, ({ request, locale }) => {
    event.request = request;
    event.locals.locale = locale;
    return resolve(event, {
      transformPageChunk: ({ html }) => html.replace('%lang%', locale),
    });
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
      event.locals.user = await api.me.get();
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

export const handle: Handle = sequence(i18n, session);

export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status !== 404) console.error(`[web] ${event.request.method} ${event.url.pathname}`, error);
  return { message: status === 404 ? m.error_not_found_title() : m.error_generic_title() };
};
