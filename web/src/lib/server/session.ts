import { createHash } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import type { AuthResult } from '@tissu/shared';
import { ok, type Api } from './api/client';

export const ACCESS_COOKIE = 'tissu_at';
export const REFRESH_COOKIE = 'tissu_rt';
const THIRTY_DAYS = 60 * 60 * 24 * 30;

function secondsUntil(iso: string, fallback: number): number {
  const seconds = Math.floor((Date.parse(iso) - Date.now()) / 1000);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : fallback;
}

function cookieOptions(url: URL, maxAge: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: url.protocol === 'https:',
    maxAge,
  };
}

/** Keeps the token pair in httpOnly cookies; the access cookie disappears when the token expires. */
export function storeSession(cookies: Cookies, url: URL, auth: AuthResult): void {
  // A few seconds early, so a token is never sent in its last moments.
  const accessMaxAge = Math.max(1, secondsUntil(auth.accessTokenExpiresAt, 900) - 5);
  cookies.set(ACCESS_COOKIE, auth.accessToken, cookieOptions(url, accessMaxAge));
  cookies.set(
    REFRESH_COOKIE,
    auth.refreshToken,
    cookieOptions(url, Math.min(THIRTY_DAYS, secondsUntil(auth.refreshTokenExpiresAt, THIRTY_DAYS))),
  );
}

export function clearSession(cookies: Cookies, url: URL): void {
  cookies.delete(ACCESS_COOKIE, cookieOptions(url, 0));
  cookies.delete(REFRESH_COOKIE, cookieOptions(url, 0));
}

/**
 * The API rotates refresh tokens: a token works once. A page often sends several requests at
 * the same moment (data, preloads), all carrying the same old token; the first one refreshes and
 * the others must get the same new pair instead of being refused and signing the person out.
 * So one refresh per token, remembered for a short while by this process.
 */
const REFRESH_GRACE_MS = 30_000;
const refreshes = new Map<string, { at: number; result: Promise<AuthResult> }>();

export function refreshOnce(api: Api, refreshToken: string): Promise<AuthResult> {
  const now = Date.now();
  for (const [key, entry] of refreshes) if (now - entry.at > REFRESH_GRACE_MS) refreshes.delete(key);
  const key = createHash('sha256').update(refreshToken).digest('base64url');
  const known = refreshes.get(key);
  if (known) return known.result;
  const result = ok(api.POST('/auth/refresh', { body: { refreshToken } }));
  refreshes.set(key, { at: now, result });
  // A failed refresh is not remembered: the next request may try again.
  result.catch(() => refreshes.delete(key));
  return result;
}
