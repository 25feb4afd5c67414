/**
 * HTTP helpers for the fault tests: they talk to API processes over real sockets, so a request can
 * meet a dead process (a network error), a 5xx, or succeed; and a marketplace to book in.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Answer {
  status: number;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request; a network error (refused, reset) is status 0 with the error in `text`. */
export async function request(base: string, method: Method, url: string, payload?: object, token?: string, timeoutMs = 30_000): Promise<Answer> {
  try {
    const res = await fetch(base + url, {
      method,
      body: payload === undefined ? undefined : JSON.stringify(payload),
      headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, text };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return { status: 0, body: null, text: err.cause?.code ?? err.cause?.message ?? err.message };
  }
}

/** A request that must succeed (2xx): anything else throws with the answer. */
export async function must(base: string, method: Method, url: string, payload?: object, token?: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await request(base, method, url, payload, token);
  if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.body;
}

/** Polls `probe` until it returns a value other than undefined, or fails saying what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(everyMs);
  }
}

export interface SignedIn {
  id: string;
  token: string;
  email: string;
}

/**
 * Signs up and signs in. `confirm` marks the address confirmed (as the emailed link would), for
 * accounts that book or pay; without it the account is left unconfirmed.
 */
export async function signUp(base: string, email: string, name = 'Test', confirm?: (email: string) => Promise<unknown>): Promise<SignedIn> {
  const password = 'fault tolerant password 123';
  await must(base, 'POST', '/auth/sign-up', { email, password, name });
  await confirm?.(email);
  const r = await must(base, 'POST', '/auth/sign-in', { email, password });
  return { id: r.user.id, token: r.accessToken, email };
}

export interface Market {
  admin: SignedIn;
  steward: SignedIn;
  coopId: string;
  listingId: string;
}

/**
 * An approved co-op with one listing open all day, every day, in 30-minute slots. With `emulator`,
 * the co-op is onboarded at the Stripe emulator so its bookings can be paid (and booked instantly).
 * The steward is made one with SQL, as a platform's first steward is.
 */
export async function openMarket(
  base: string,
  makeSteward: (userId: string) => Promise<unknown>,
  /** `confirm` marks an address as confirmed (applying for a co-op needs it, like booking). */
  opts: { tag: string; confirm: (email: string) => Promise<unknown>; capacity?: number; instantBooking?: boolean; emulatorUrl?: string },
): Promise<Market> {
  const [admin, steward] = [await signUp(base, `admin-${opts.tag}@faults.test`, 'Admin', opts.confirm), await signUp(base, `steward-${opts.tag}@faults.test`, 'Steward')];
  await makeSteward(steward.id);
  const coop = await must(base, 'POST', '/coops', {
    legalName: `Coop des pannes ${opts.tag}`, legalForm: 'worker_coop', region: 'verdun', languages: ['fr'], foundedYear: 2020,
    descriptionFr: 'Une coopérative qui survit aux pannes.', descriptionEn: 'A co-op that survives faults.',
  }, admin.token);
  await must(base, 'POST', `/coops/${coop.id}/approve`, {}, steward.token);
  if (opts.emulatorUrl) {
    const link = await must(base, 'POST', `/coops/${coop.id}/payments/onboarding`, {}, admin.token);
    await must(opts.emulatorUrl, 'POST', `/_emulator/accounts/${new URL(link.url).pathname.split('/').pop()}/onboard`, {});
    await must(base, 'GET', `/coops/${coop.id}/payments/account?refresh=1`, undefined, admin.token);
  }
  const listing = await must(base, 'POST', `/coops/${coop.id}/listings`, {
    titleFr: 'Réparation résiliente', titleEn: 'Resilient repair', descriptionFr: 'Un service qui tient bon quand tout tombe.',
    descriptionEn: 'A service that holds when everything falls.', category: 'menage', priceKind: 'fixed', priceCents: 5000,
    durationMinutes: 30, locationMode: 'remote', boroughs: [],
  }, admin.token);
  await must(base, 'PUT', `/listings/${listing.id}/schedule`, {
    timeZone: 'America/Toronto', weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
    slotIntervalMinutes: 30, minNoticeMinutes: 0, horizonDays: 366, capacity: opts.capacity ?? 1, instantBooking: opts.instantBooking ?? false,
  }, admin.token);
  return { admin, steward, coopId: coop.id, listingId: listing.id };
}

/** The i-th half-hour slot from two days ahead (past the 24-hour reminder window, so no reminder is due). */
export function slotAt(i: number): string {
  const first = Math.ceil(Date.now() / 1_800_000) * 1_800_000 + 2 * 86_400_000;
  return new Date(first + i * 1_800_000).toISOString();
}

/** A 5xx body must be the usual error shape, saying nothing about the inside. */
export function leaksInternals(text: string): boolean {
  return /\bat\s+\S+\s+\(|node_modules|\.ts:\d+|stack|ECONNREFUSED|postgres|SELECT |INSERT |\/work\//i.test(text);
}
