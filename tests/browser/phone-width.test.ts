/**
 * Issue 10 item 11: one long word must never make a page scroll sideways on a phone. Real people
 * type long unbroken text (a pasted link, a long email address, a word with no space) into every
 * field they can; this test does the same through the API, as those people would, then opens every
 * page of web/src/routes as each role (signed out, client, co-op admin, worker, steward) at 390 px
 * in French and checks that the document is no wider than the screen.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Booking, Coop, Listing, Schedule } from '@tissu/shared';
import { launchBrowser, screenshot } from '../support/browser.js';
import {
  PHONE, adminCoopId, apiAs, bookableListings, goto, hydrated, mailedLink, mondayOf, phone, publicGet, signIn, slotAfter, type ApiSession,
} from '../support/booking-world.js';

const ADMIN = 'admin@tissu.demo';
const WORKER = 'travailleuse@tissu.demo';
const STEWARD = 'steward@tissu.demo';

/** Unbroken words of a given length, the way they arrive: a pasted reference, a word with no space. */
const word = (n: number, seed = 'Anticonstitutionnellement') => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);
const W120 = word(120);
const text = (n = 120) => `Bonjour ${word(n)} merci ${word(n, 'Xylophone')} !`;
// 64 characters before the @ (the most RFC 5321 allows) and a long domain.
const longEmail = () => `${word(52, 'courriel')}${Date.now().toString(36)}`.slice(0, 64).toLowerCase() + `@${word(50, 'organisme').toLowerCase()}.example.org`;

async function api<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(inject('apiUrl') + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const t = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${t}`);
  return (t ? JSON.parse(t) : {}) as T;
}
const patch = <T>(s: ApiSession, path: string, body: unknown) => api<T>('PATCH', path, s.token, body);
const put = <T>(s: ApiSession, path: string, body: unknown) => api<T>('PUT', path, s.token, body);

/** Next week's Monday: its week shows both « Semaine précédente » and « Semaine suivante ». */
function nextMonday(): string {
  const d = new Date(`${mondayOf(new Date().toISOString(), 'America/Toronto')}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 7);
  return d.toISOString().slice(0, 10);
}

/** Every page must fit the phone: the document is no wider than the viewport. */
async function widthOf(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

let browser: Browser;
const wide: string[] = [];

/** Opens each path as this person and records those wider than the phone. */
async function visitAll(page: Page, role: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    const res = await page.goto(inject('webUrl') + path);
    if (res && res.status() < 400) await hydrated(page);
    const w = await widthOf(page);
    if (w > PHONE.width) {
      wide.push(`${role} ${path}: ${w} px`);
      await screenshot(page, `wide-${role}-${path.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}`);
    }
  }
}

interface World {
  coopId: string;
  coop: Coop;
  listingId: string;
  client: ApiSession & { email: string; password: string };
  pending: Booking;
  accepted: Booking;
  paid: Booking;
  cancelled: Booking;
  declined: Booking;
  invitationToken: string | null;
  seriesId: string;
  seriesQuery: string;
  reviewedListingId: string | null;
  proposalIds: string[];
  fiscalYearId: number | null;
  planIds: string[];
  statementYears: number[];
}
let world: World;

async function newPerson(name: string): Promise<ApiSession & { email: string; password: string }> {
  const email = longEmail();
  const password = 'un-mot-de-passe-sûr-et-long';
  await api('POST', '/auth/sign-up', null, { email, password, name, locale: 'fr' });
  // Booking needs a confirmed address: open the emailed link.
  const [, token] = await mailedLink(email, /\/verify-email\/([\w-]+)/);
  await api('POST', '/auth/verify-email', null, { token });
  return { ...(await apiAs(email, password)), email, password };
}

async function book(client: ApiSession & { email: string }, listingId: string, hoursAhead: number): Promise<Booking> {
  const startsAt = await slotAfter(listingId, hoursAhead);
  return client.post<Booking>('/bookings', {
    listingId, startsAt,
    address: `${word(200, '4321rueSaintDenis')}`, notes: text(300), contactName: word(110, 'Marie-Josée'), contactPhone: '514-555-0199', contactEmail: client.email,
    solidarityOrganization: word(150, 'CentreCommunautaire'),
  });
}

/** The client pays through the emulator's hosted Checkout, as a person does. */
async function payInBrowser(page: Page, id: string): Promise<void> {
  await goto(page, `/bookings/${id}/pay`);
  await page.getByTestId('pay-submit').click();
  await page.waitForURL((u) => u.href.startsWith(inject('stripeUrl')));
  await page.getByRole('button', { name: /Payer .* \/ Pay/ }).click();
  await page.waitForURL(/\/receipt\?paid=1/);
}

beforeAll(async () => {
  browser = await launchBrowser();
  const admin = await apiAs(ADMIN);
  const steward = await apiAs(STEWARD);
  const coopId = await adminCoopId(admin);

  // The co-op's profile, in both languages.
  await patch(admin, `/coops/${coopId}`, { descriptionFr: text(200), descriptionEn: text(200), commitments: text(150) });
  const coop = await publicGet<Coop>(`/coops/${coopId}`);

  // A new listing with a long title and description, open at the hours of one the co-op has.
  const [model] = await bookableListings(coopId);
  const m = model!.listing;
  const listing = await admin.post<Listing>(`/coops/${coopId}/listings`, {
    titleFr: word(118), titleEn: word(118, 'Extraordinarily'), descriptionFr: text(300), descriptionEn: text(300),
    category: m.category, priceKind: m.priceKind, priceCents: m.priceCents, durationMinutes: m.durationMinutes,
    locationMode: m.locationMode, boroughs: m.boroughs, solidarityPriceCents: Math.floor(m.priceCents / 2),
  });
  const schedule = await publicGet<Schedule>(`/listings/${m.id}/schedule`);
  const { listingId: _l, configured: _c, ...hours } = schedule;
  await put(admin, `/listings/${listing.id}/schedule`, {
    ...hours, exceptions: [], instantBooking: false, minNoticeMinutes: 60, horizonDays: 60, seriesFrequencies: ['weekly', 'every_2_weeks'], seriesDiscountBps: 1000,
  });

  // A client with a long name and a long email books it, again and again (those that end at once
  // first: one person may hold only OPEN_BOOKINGS_PER_LISTING bookings of a listing open).
  const client = await newPerson(word(95, 'Wolfeschlegelsteinhausenberger'));
  const cancelled = await book(client, listing.id, 144);
  await client.post(`/bookings/${cancelled.id}/cancel`, { reason: text(200) });
  const declined = await book(client, listing.id, 168);
  await admin.post(`/bookings/${declined.id}/decline`, { reason: text(200) });
  const pending = await book(client, listing.id, 72);
  const accepted = await book(client, listing.id, 96);
  await admin.post(`/bookings/${accepted.id}/accept`, { acceptSolidarity: true });
  const paid = await book(client, listing.id, 120);
  await admin.post(`/bookings/${paid.id}/accept`, { acceptSolidarity: true });

  // Weekly visits asked for with the same long words, each date that is not free skipped.
  const seriesStart = await slotAfter(listing.id, 200);
  const seriesQuery = `startsAt=${encodeURIComponent(seriesStart)}&frequency=weekly`;
  const preview = await publicGet<{ visits: { date: string; status: string }[] }>(`/listings/${listing.id}/series-preview?${seriesQuery}`);
  const series = await client.post<{ id: string }>('/series', {
    listingId: listing.id, startsAt: seriesStart, frequency: 'weekly',
    choices: preview.visits.filter((v) => v.status !== 'free').map((v) => ({ date: v.date, action: 'skip' })),
    address: `${word(200, '4321rueSaintDenis')}`, notes: text(300), contactName: word(110, 'Marie-Josée'), contactPhone: '514-555-0199', contactEmail: client.email,
  });

  // The co-op invites someone with a long address; an invitation page exists for it.
  const invitee = longEmail();
  await admin.post(`/coops/${coopId}/invitations`, { email: invitee, role: 'worker' });
  // Sent by the outbox worker a moment later.
  const invitationToken: string | null = (await mailedLink(invitee, /\/invitations\/([A-Za-z0-9_-]{20,})/))[1] ?? null;

  // A review with a long word, and the co-op's answer, on a completed booking a demo client has.
  let reviewedListingId: string | null = null;
  for (const email of ['client@tissu.demo', 'famille.gauthier@tissu.demo', 'kwame.mensah@tissu.demo', 'yasmine.belkacem@tissu.demo', 'lucie.morin@tissu.demo', 'ana.silva@tissu.demo']) {
    const reviewer = await apiAs(email).catch(() => null);
    if (!reviewer) continue;
    const { items } = await reviewer.get<{ items: Booking[] }>('/bookings?scope=past');
    const done = items.find((b) => b.state === 'completed' && b.coop.id === coopId && !b.review);
    if (!done) continue;
    const review = await reviewer.post<{ id: string }>(`/bookings/${done.id}/review`, { rating: 4, body: text(250) });
    await admin.post(`/reviews/${review.id}/reply`, { reply: text(250) });
    reviewedListingId = done.listing.id;
    break;
  }

  // The steward: a pending co-op application with long words, a resolution, a year's records.
  const applicant = await newPerson(word(90, 'Constantinople'));
  await applicant.post('/coops', {
    legalName: word(150, 'CoopérativeDeSolidarité'), legalForm: 'solidarity_coop', neq: '', region: coop.region,
    languages: ['fr'], descriptionFr: text(200), descriptionEn: text(200), commitments: text(100), foundedYear: 2020,
  });
  const now = Date.now();
  const proposal = await steward.post<{ id: string }>('/steward/proposals', {
    kind: 'resolution', title: word(190, 'Résolution'), body: text(400), opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + 7 * 86_400_000).toISOString(),
  });
  const { years } = await steward.get<{ years: { id: number; status: string; startsOn: string }[] }>('/steward/fiscal-years');
  const open = years.find((y) => y.status === 'open') ?? years[0] ?? null;
  if (open) {
    await steward.post('/steward/fiscal-records', {
      kind: 'expense', occurredOn: open.startsOn, amountCents: 1234, category: word(80, 'Hébergement'), note: text(200),
    });
  }
  const proposals = await steward.get<{ open: { planId: string | null }[]; past: { planId: string | null }[] }>('/proposals');
  const planIds = [...new Set([...proposals.open, ...proposals.past].map((p) => p.planId).filter((p): p is string => !!p))];
  const worker = await apiAs(WORKER);
  const { statements } = await worker.get<{ statements: { fiscalYear: { startsOn: string } }[] }>('/patronage/statements');
  const statementYears = [...new Set(statements.map((st) => Number(st.fiscalYear.startsOn.slice(0, 4))))];

  world = {
    coopId, coop, listingId: listing.id, client, pending, accepted, paid, cancelled, declined, invitationToken, reviewedListingId, seriesId: series.id, seriesQuery,
    proposalIds: [proposal.id], fiscalYearId: open?.id ?? null, planIds, statementYears,
  };
});
afterAll(() => browser?.close());

describe('no page scrolls sideways on a phone, whatever people type', () => {
  it('the data with long words was created', () => {
    expect(world.reviewedListingId, 'a demo client has a completed booking to review at the demo co-op').not.toBeNull();
    expect(world.invitationToken).not.toBeNull();
  });

  it('signed out', async () => {
    const { page } = await phone(browser);
    const w = world;
    await visitAll(page, 'public', [
      '/', '/search', `/search?q=${encodeURIComponent(W120)}`, '/fees', '/how-ranking-works', '/transparency', '/sign-in', '/sign-up',
      '/forgot-password', `/reset-password/${'x'.repeat(40)}`, `/invitations/${w.invitationToken}`, `/listings/${w.listingId}`,
      `/listings/${w.reviewedListingId}`, `/coops/${w.coop.slug}`, '/dev/mailbox', `/listings/${w.listingId}?week=${nextMonday()}`,
      '/page-that-does-not-exist', `/listings/${w.listingId}/regular?${w.seriesQuery}`,
    ]);
    await page.context().close();
  });

  it('as the client with a long name and email', async () => {
    const { context, page } = await phone(browser);
    const w = world;
    await signIn(page, w.client.email, w.client.password);
    await payInBrowser(page, w.paid.id);
    const bookingPages = [w.pending, w.accepted, w.paid, w.cancelled, w.declined].map((b) => `/bookings/${b.id}`);
    await visitAll(page, 'client', [
      '/', '/bookings', '/bookings?scope=past', ...bookingPages, `/bookings/${w.accepted.id}/pay`, `/bookings/${w.paid.id}/receipt`,
      `/bookings/${w.paid.id}/receipt?paid=1`, `/listings/${w.listingId}`, `/listings/${w.reviewedListingId}`, `/coops/${w.coop.slug}`, '/dashboard',
      '/membership', '/statements', '/assembly', ...w.planIds.map((id) => `/assembly/plans/${id}`), '/coops/apply', `/invitations/${w.invitationToken}`,
      `/series/${w.seriesId}`, `/listings/${w.listingId}/regular?${w.seriesQuery}`, `/listings/${w.listingId}/regular?${w.seriesQuery}&end=count&count=0`,
      '/account/calendar', '/account', '/messages', `/messages/new?listing=${w.listingId}`, `/messages/new?coop=${w.coop.slug}`,
    ]);
    await screenshot(page, 'phone-width-client-booking');
    await context.close();
  });

  it('as the co-op admin', async () => {
    const { context, page } = await phone(browser);
    const w = world;
    await signIn(page, ADMIN);
    const c = `/dashboard/coops/${w.coopId}`;
    const bookingPages = [w.pending, w.accepted, w.paid, w.cancelled, w.declined].map((b) => `/bookings/${b.id}`);
    await visitAll(page, 'admin', [
      '/dashboard', c, `${c}/bookings`, `${c}/earnings`, `${c}/payments`, `${c}/listings/new`, `${c}/listings/${w.listingId}/edit`,
      `${c}/listings/${w.listingId}/availability`, ...bookingPages, `/listings/${w.listingId}`, `/listings/${w.reviewedListingId}`,
      `/coops/${w.coop.slug}`, '/statements', '/membership', '/assembly', `/series/${w.seriesId}`, '/account/calendar',
      '/messages', `/messages?coop=${w.coopId}`, '/account',
    ]);
    await goto(page, `/listings/${w.reviewedListingId}`);
    await screenshot(page, 'phone-width-admin-listing-review');
    await context.close();
  });

  it('as a worker', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, WORKER);
    await visitAll(page, 'worker', [
      '/dashboard', `/dashboard/coops/${world.coopId}`, '/bookings', '/visits', '/visits?page=2', '/statements', ...world.statementYears.map((y) => `/statements/${y}`),
      '/membership', '/assembly', '/time-off', '/messages',
    ]);
    await context.close();
  });

  it('as the steward', async () => {
    const { context, page } = await phone(browser);
    const w = world;
    await signIn(page, STEWARD);
    await visitAll(page, 'steward', [
      '/steward', '/steward/assembly', '/steward/fees', '/steward/fiscal', ...(w.fiscalYearId ? [`/steward/fiscal/${w.fiscalYearId}`] : []),
      '/steward/fiscal/settings', '/steward/ledger', '/steward/members', ...w.planIds.map((id) => `/steward/plans/${id}`), '/assembly',
      `/bookings/${w.paid.id}`, `/listings/${w.listingId}`, '/transparency', '/messages?reported=1',
    ]);
    await goto(page, '/steward');
    await screenshot(page, 'phone-width-steward');
    await context.close();
  });

  it('no page was wider than the phone', () => {
    expect(wide).toEqual([]);
  });
});
