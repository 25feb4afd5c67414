/**
 * What the booking and payment browser tests need besides the browser: the API as each demo person
 * sees it (to pick slots and to compare the pages' numbers with the API's), signing in through the
 * web, and reading money as the pages print it.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Booking, Listing, PaymentSummary, Schedule, SlotsResult } from '@tissu/shared';
import { createDb } from '@tissu/db';

export const DEMO_PASSWORD = 'tissu-demo-2026';
export const PHONE = { width: 390, height: 844 } as const;
const HOUR = 3_600_000;

export interface ApiSession {
  token: string;
  userId: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(inject('apiUrl') + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Signs in over the API (the same account the browser uses), to read what the API says. */
export async function apiAs(email: string, password = DEMO_PASSWORD): Promise<ApiSession> {
  const auth = await call<{ accessToken: string; user: { id: string } }>('POST', '/auth/sign-in', null, { email, password });
  return {
    token: auth.accessToken,
    userId: auth.user.id,
    get: (path) => call('GET', path, auth.accessToken),
    post: (path, body) => call('POST', path, auth.accessToken, body ?? {}),
  };
}

/** The co-op this person administers (the demo admin has one). */
export async function adminCoopId(session: ApiSession): Promise<string> {
  const me = await session.get<{ coops: { coopId: string; role: string }[] }>('/me');
  return me.coops.find((c) => c.role === 'admin')!.coopId;
}

export const publicGet = <T>(path: string) => call<T>('GET', path, null);

/** A new client account, so two different people can race for one slot. */
export async function signUpClient(name: string): Promise<{ email: string; password: string }> {
  const email = `client-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const password = 'un-mot-de-passe-sûr';
  await call('POST', '/auth/sign-up', null, { email, password, name, locale: 'fr' });
  const link = await mailedLink(email, /\/verify-email\/([\w-]+)/);
  await call('POST', '/auth/verify-email', null, { token: link[1] });
  return { email, password };
}

/** The first link matching `pattern` in a mail to this address (the stack writes mails to a folder). */
export async function mailedLink(email: string, pattern: RegExp): Promise<RegExpExecArray> {
  const dir = inject('mailDir');
  for (let i = 0; i < 600; i++) {
    for (const name of (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'))) {
      const mail = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as { to: string; text: string };
      const link = mail.to === email ? pattern.exec(mail.text) : null;
      if (link) return link;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${email} with ${pattern}`);
}

/** A phone-sized window with its own cookies: one person on their own phone. */
export async function phone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'fr-CA', timezoneId: 'America/Toronto' });
  return { context, page: await context.newPage() };
}

/** The root layout marks the body once hydrated; forms with use:enhance are safe to use then. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector('body[data-hydrated="true"]');
}

export async function goto(page: Page, path: string): Promise<void> {
  await page.goto(inject('webUrl') + path);
  await hydrated(page);
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await goto(page, '/sign-in');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('form button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

/**
 * Types a new address in the booking form, where the co-op comes to her (after her saved ones, if
 * any); not kept in her addresses unless `save`, so the demo client's list stays as it was.
 */
export async function fillNewAddress(page: Page, a: { street: string; unit?: string; city?: string; postalCode?: string }, save = false): Promise<void> {
  if (await page.locator('#addr-new').count()) await page.check('#addr-new');
  await page.fill('input[name=street]', a.street);
  if (a.unit) await page.fill('input[name=unit]', a.unit);
  await page.fill('input[name=city]', a.city ?? 'Montréal');
  await page.fill('input[name=postalCode]', a.postalCode ?? 'H2J 2K9');
  if (!save) await page.uncheck('#f-saveAddress');
}

/** Page text with every kind of space removed: "1 234,56 $" (narrow no-break spaces and all) → "1234,56$". */
export const squeeze = (s: string) => s.replace(/[\s\u00a0\u202f]/g, '');

/** How a French page writes an amount, squeezed: 12345 → "123,45$". */
export const frCad = (cents: number) => {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}$`;
};

/** The wall-clock time of an instant in a zone, "HH:MM" (24 h). */
export function wallTime(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
}

/** The local date of an instant in a zone, "YYYY-MM-DD". */
export function wallDate(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

/** The free slots of the next `days` days, as the API computes them. */
export async function freeSlots(listingId: string, days = 56): Promise<SlotsResult> {
  const from = new Date();
  const to = new Date(from.getTime() + days * 24 * HOUR);
  return publicGet<SlotsResult>(`/listings/${listingId}/slots?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
}

export interface BookableListing {
  listing: Listing;
  schedule: Schedule;
}

/** The active, bookable listings of a co-op with their schedules. */
export async function bookableListings(coopId: string): Promise<BookableListing[]> {
  const { items } = await publicGet<{ items: Listing[] }>(`/coops/${coopId}/listings`);
  const all = await Promise.all(
    items.filter((l) => l.status === 'active').map(async (listing) => ({ listing, schedule: await publicGet<Schedule>(`/listings/${listing.id}/schedule`) })),
  );
  return all.filter((l) => l.schedule.configured);
}

/**
 * A free slot far enough ahead that the whole test runs inside the free-cancellation window,
 * whatever the time of day: the first slot starting more than `hoursAhead` hours from now.
 */
export async function slotAfter(listingId: string, hoursAhead: number, taken: ReadonlySet<string> = new Set()): Promise<string> {
  const { slots } = await freeSlots(listingId);
  const after = Date.now() + hoursAhead * HOUR;
  const slot = slots.find((s) => Date.parse(s.start) > after && !taken.has(new Date(s.start).toISOString()));
  if (!slot) throw new Error(`listing ${listingId} has no free slot more than ${hoursAhead} h ahead`);
  return slot.start;
}

/**
 * Whether a demo worker (by email) is on no other live visit and not away during a span: a team
 * member is free then, so the tests that put her on a booking pick such a time (the demo's regular
 * visits and the other tests on the shared stack keep her busy at many).
 */
export async function workerFreeAt(email: string, start: string, durationMinutes: number): Promise<boolean> {
  const database = createDb(inject('databaseUrl'));
  try {
    const end = new Date(Date.parse(start) + durationMinutes * 60_000).toISOString();
    const [busy] = await database.sql`
      SELECT 1 FROM booking_workers w JOIN bookings b ON b.id = w.booking_id JOIN users u ON u.id = w.user_id
      WHERE u.email = ${email} AND b.state IN ('requested', 'accepted', 'paid')
        AND tstzrange(b.starts_at, b.ends_at) && tstzrange(${start}::timestamptz, ${end}::timestamptz)
      UNION ALL
      SELECT 1 FROM time_off t JOIN users u ON u.id = t.user_id
      WHERE u.email = ${email} AND tstzrange(t.starts_at, t.ends_at) && tstzrange(${start}::timestamptz, ${end}::timestamptz)`;
    return !busy;
  } finally {
    await database.close();
  }
}

/** The first free slot of a listing more than `hoursAhead` ahead at which that worker is free too. */
export async function slotFreeFor(email: string, listingId: string, durationMinutes: number, hoursAhead: number): Promise<string> {
  const taken = new Set<string>();
  for (;;) {
    const start = await slotAfter(listingId, hoursAhead, taken);
    if (await workerFreeAt(email, start, durationMinutes)) return start;
    taken.add(new Date(start).toISOString());
  }
}

/** Monday of the local week of an instant, "YYYY-MM-DD" (the `week` the listing page takes). */
export function mondayOf(instant: string, timeZone: string): string {
  const date = wallDate(instant, timeZone);
  const noon = new Date(`${date}T12:00:00Z`);
  const weekday = (noon.getUTCDay() + 6) % 7; // 0 = Monday
  noon.setUTCDate(noon.getUTCDate() - weekday);
  return noon.toISOString().slice(0, 10);
}

export const bookingOf = (api: ApiSession, id: string) => api.get<Booking>(`/bookings/${id}`);
export const paymentOf = (api: ApiSession, id: string) => api.get<PaymentSummary>(`/bookings/${id}/payment`);

/** The booking id in a /bookings/<id>… address. */
export function bookingIdIn(url: string): string {
  const id = /\/bookings\/([0-9a-f-]{36})/.exec(url)?.[1];
  expect(id, `no booking id in ${url}`).toBeTruthy();
  return id!;
}

/** Until every webhook the emulator has to send has been delivered (and answered). */
export async function webhooksDelivered(): Promise<void> {
  const res = await fetch(`${inject('stripeUrl')}/_emulator/webhooks/idle`);
  if (!res.ok) throw new Error(`emulator idle: ${res.status}`);
}
