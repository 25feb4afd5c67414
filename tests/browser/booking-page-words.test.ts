/**
 * Issue 10 item 24, on a phone in French: the booking page says what each side needs to read.
 * The co-op reads the cancellation policy written to it (not "vous rembourse le reste"), stops
 * being asked to assign the team once it is assigned, and sees the solidarity rate as granted
 * once it is; a client whose request was declined reads the co-op's reason on top and can book
 * another time; rescheduling opens on the booking's own week, not this one.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AssignmentChoices, Booking } from '@tissu/shared';
import { launchBrowser, screenshot } from '../support/browser.js';
import {
  adminCoopId,
  apiAs,
  bookableListings,
  freeSlots,
  frCad,
  goto,
  paymentOf,
  squeeze,
  mondayOf,
  phone,
  signIn,
  signUpClient,
  webhooksDelivered,
  type ApiSession,
  type BookableListing,
} from '../support/booking-world.js';

const ADMIN = 'admin@tissu.demo';
const WORKER_NAME = 'Amina Diallo';
const DAY = 86_400_000;

let browser: Browser;
let admin: ApiSession;
let client: ApiSession;
let clientLogin: { email: string; password: string };
let listing: BookableListing;
let workerId: string;

/** A free slot at least `days` days ahead: far from this week, inside the free-cancellation window. */
async function slotFrom(days: number, skip = 0): Promise<string> {
  const { slots } = await freeSlots(listing.listing.id, 56);
  const later = slots.filter((s) => Date.parse(s.start) > Date.now() + days * DAY);
  expect(later.length, 'free slots weeks ahead').toBeGreaterThan(skip);
  return later[skip]!.start;
}

async function request(startsAt: string, over: Record<string, unknown> = {}): Promise<Booking> {
  return client.post<Booking>('/bookings', {
    listingId: listing.listing.id, startsAt, address: '77, rue Beaubien Est, Montréal', notes: '',
    contactName: 'Cliente Mots', contactPhone: '', contactEmail: clientLogin.email, ...over,
  });
}

async function pay(bookingId: string): Promise<void> {
  const { url } = await client.post<{ url: string }>(`/bookings/${bookingId}/checkout`);
  const sessionId = new URL(url).pathname.split('/').pop()!;
  const paid = await fetch(`${inject('stripeUrl')}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' });
  expect(paid.ok).toBe(true);
  await webhooksDelivered();
}

async function asPerson(email: string, password?: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await phone(browser);
  await signIn(opened.page, email, password);
  return opened;
}

const lead = (page: Page) => page.locator('.lead').first().innerText();

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await apiAs(ADMIN);
  const coopId = await adminCoopId(admin);
  const { members } = await admin.get<{ members: { userId: string; name: string }[] }>(`/coops/${coopId}/members`);
  workerId = members.find((m) => m.name === WORKER_NAME)!.userId;
  const listings = await bookableListings(coopId);
  listing = listings.find((l) => !l.schedule.instantBooking && l.listing.solidarityPriceCents !== null && l.listing.locationMode === 'client_place')!;
  expect(listing, 'a request-and-approve listing with a solidarity rate at the home co-op').toBeTruthy();
  clientLogin = await signUpClient('Cliente Mots');
  client = await apiAs(clientLogin.email, clientLogin.password);
});
afterAll(() => browser?.close());

describe('the booking page, in the words each side needs', () => {
  it('tells the co-op its own cancellation policy, drops "Assignez l’équipe" once assigned, and shows the solidarity rate granted', async () => {
    const b = await request(await slotFrom(9), { solidarityOrganization: 'Maison des jeunes du quartier' });
    await admin.post(`/bookings/${b.id}/accept`, { acceptSolidarity: true });
    await pay(b.id);

    const { context, page } = await asPerson(ADMIN);
    await goto(page, `/bookings/${b.id}`);
    const terms = await page.getByTestId('cancellation-terms').innerText();
    expect(terms).not.toContain('vous rembourse');
    expect(terms).toContain('vous gardez');
    expect(terms).toContain('le client est remboursé');
    expect(await lead(page)).toContain("Assignez l'équipe");
    expect(await page.getByTestId('booking-solidarity').innerText()).toContain('tarif solidaire accordé');
    expect(await page.getByTestId('booking-solidarity').innerText()).not.toContain('demandé');
    await screenshot(page, 'booking-words-coop-paid');

    // Amina, unless another visit (the demo's regular visits) or an absence keeps her then: whoever is free.
    const { members } = await admin.get<AssignmentChoices>(`/bookings/${b.id}/assignment-choices`);
    const free = members.find((x) => x.userId === workerId && !x.unavailable) ?? members.find((x) => !x.unavailable)!;
    const assigned = await fetch(`${inject('apiUrl')}/bookings/${b.id}/workers`, {
      method: 'PUT', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ userIds: [free.userId] }),
    });
    expect(assigned.status).toBe(200);
    await goto(page, `/bookings/${b.id}`);
    expect(await lead(page)).not.toContain('Assignez');
    expect(await lead(page)).toContain('équipe est assignée');

    // The inbox says it was granted, not that it is asked.
    const coopId = await adminCoopId(admin);
    await goto(page, `/dashboard/coops/${coopId}/bookings`);
    const solidarity = page.getByTestId('inbox-solidarity').filter({ hasText: 'Maison des jeunes du quartier' }).first();
    expect(await solidarity.innerText()).toContain('tarif solidaire accordé');
    await context.close();

    // The client reads the policy written to her.
    const mine = await asPerson(clientLogin.email, clientLogin.password);
    await goto(mine.page, `/bookings/${b.id}`);
    const clientTerms = await mine.page.getByTestId('cancellation-terms').innerText();
    expect(clientTerms).toContain('vous rembourse le reste');
    // Whole sentences: no "(ici …)" after a full stop that leaves the reader guessing what it is.
    expect(clientTerms).not.toMatch(/\.\s*\(/);
    expect(clientTerms).toMatch(/Soit jusqu'au .+\./);
    await mine.context.close();
  });

  it("shows a declined request's reason on top, with a way to book another time", async () => {
    const reason = 'Notre équipe est complète ce jour-là, désolée !';
    const b = await request(await slotFrom(10, 1));
    await admin.post(`/bookings/${b.id}/decline`, { reason });

    const { context, page } = await asPerson(clientLogin.email, clientLogin.password);
    await goto(page, `/bookings/${b.id}`);
    const note = page.getByTestId('declined-note');
    expect(await note.innerText()).toContain(`« ${reason} »`);
    // In the feed too, after "Motif :" and its space (it read "Motif :Notre équipe…").
    expect(await page.getByTestId('refusal-reason').textContent()).toBe(`Motif : ${reason}`);
    await note.getByTestId('book-another-time').click();
    await page.waitForURL(new RegExp(`/listings/${listing.listing.id}`));
    await screenshot(page, 'booking-words-declined-rebook');
    await context.close();
  });

  it("opens rescheduling on the booking's own week", async () => {
    const startsAt = await slotFrom(15, 2);
    const b = await request(startsAt);
    await admin.post(`/bookings/${b.id}/accept`);
    const week = mondayOf(startsAt, listing.schedule.timeZone);
    expect(week).not.toBe(mondayOf(new Date().toISOString(), listing.schedule.timeZone));

    const { context, page } = await asPerson(clientLogin.email, clientLogin.password);
    await goto(page, `/bookings/${b.id}`);
    await page.getByTestId('reschedule-open').click();
    await page.getByTestId('week-slots').waitFor();
    const href = await page.getByTestId('week-next').getAttribute('href');
    const next = new Date(`${week}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 7);
    expect(href).toContain(`week=${next.toISOString().slice(0, 10)}`);
    await screenshot(page, 'booking-words-reschedule-week');
    await context.close();
  });

  it('tells a client who opens the pay link after a refund that the money went back, not "payée, merci"', async () => {
    const b = await request(await slotFrom(12, 3));
    await admin.post(`/bookings/${b.id}/accept`);
    await pay(b.id);
    await client.post(`/bookings/${b.id}/cancel`, {});
    await webhooksDelivered();
    const payment = await paymentOf(client, b.id);
    expect(payment.status).toBe('refunded');

    const { context, page } = await asPerson(clientLogin.email, clientLogin.password);
    await goto(page, `/bookings/${b.id}/pay`);
    const settled = await page.getByTestId('pay-settled').innerText();
    expect(settled).toContain('remboursée en entier');
    expect(squeeze(settled)).toContain(frCad(payment.refundedCents));
    expect(settled).not.toContain('Merci');
    await context.close();
  });
});
