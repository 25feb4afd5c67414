/**
 * Issue 14, "Mes visites", on a phone in French: Amina (worker-member) finds the visit she is
 * assigned to under "Mes visites" (address, notes, the client's first name with a tel: link), and
 * once it has started records the minutes she worked; the co-op's admin sees them waiting
 * ("Minutes à confirmer"), completes the booking with them pre-filled, then corrects them with a
 * reason; Amina sees them confirmed. Her card shows the answers to the booking questions and the
 * add-ons (names and minutes, never prices), and her booking page no price nor payment. Nothing
 * scrolls sideways.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Booking } from '@tissu/shared';
import { createDb, type Database } from '@tissu/db';
import { launchBrowser, screenshot } from '../support/browser.js';
import { moveToStarted } from '../support/fixtures.js';
import { adminCoopId, apiAs, bookableListings, bookingOf, goto, hydrated, phone, signIn, slotFreeFor, webhooksDelivered, type ApiSession } from '../support/booking-world.js';

let browser: Browser;
let database: Database;
let client: ApiSession;
let admin: ApiSession;
let bookingId: string;
let workerId: string;

const noSideScroll = () => document.documentElement.scrollWidth <= document.documentElement.clientWidth;
// A 40-character first name, a long address and long notes: the card must wrap them, not scroll.
const FIRST_NAME = 'Marie-Ève-Geneviève-Alexandrine-Josephté';
const ADDRESS = '12345 boulevard Saint-Joseph Est, appartement 1207, porte arrière par la ruelle, Montréal H1X 2Z9';
const NOTES = 'Le code de la porte est 4821#. Deux chats (ne pas les laisser sortir). Produits écologiques sous l’évier; '
  + 'l’aspirateur est dans le placard de l’entrée. Merci de bien fermer la porte du balcon en partant, elle colle un peu.';

async function put(session: ApiSession, path: string, body: unknown) {
  const res = await fetch(inject('apiUrl') + path, { method: 'PUT', headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`PUT ${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

beforeAll(async () => {
  expect(FIRST_NAME).toHaveLength(40);
  browser = await launchBrowser();
  database = createDb(inject('databaseUrl'));
  [client, admin] = await Promise.all([apiAs('client@tissu.demo'), apiAs('admin@tissu.demo')]);
  const coopId = await adminCoopId(admin);
  const { members } = await admin.get<{ members: { userId: string; name: string }[] }>(`/coops/${coopId}/members`);
  workerId = members.find((m) => m.name === 'Amina Diallo')!.userId;
  const listing = (await bookableListings(coopId)).find((l) => !l.schedule.instantBooking && l.listing.locationMode === 'client_place')!;
  // Booked, accepted, assigned to Amina and paid through the API: this test is about what follows.
  const booked = await client.post<Booking>('/bookings', {
    listingId: listing.listing.id, startsAt: await slotFreeFor('travailleuse@tissu.demo', listing.listing.id, listing.listing.durationMinutes, 30), address: ADDRESS, notes: NOTES,
    contactName: `${FIRST_NAME} Tremblay`, contactPhone: '514 555-0142', contactEmail: 'client@tissu.demo',
  });
  bookingId = booked.id;
  await admin.post(`/bookings/${bookingId}/accept`, {});
  await put(admin, `/bookings/${bookingId}/workers`, { userIds: [workerId] });
  const checkout = await client.post<{ url: string }>(`/bookings/${bookingId}/checkout`);
  const sessionId = new URL(checkout.url).pathname.split('/').pop()!;
  const paid = await fetch(`${inject('stripeUrl')}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' });
  expect(paid.ok).toBe(true);
  await webhooksDelivered();
  for (let i = 0; i < 100 && (await bookingOf(client, bookingId)).state !== 'paid'; i++) await new Promise((r) => setTimeout(r, 200));
  expect((await bookingOf(client, bookingId)).state).toBe('paid');
  // What the client chose and answered, as a booking keeps them (copied, whatever the listing offers now).
  await database.sql`INSERT INTO booking_addons (booking_id, position, name_fr, name_en, price_cents, extra_minutes) VALUES (${bookingId}, 0, 'Intérieur du frigo', 'Inside the fridge', 2500, 30)`;
  const answers = [{ questionId: crypto.randomUUID(), kind: 'yes_no', labelFr: 'Des animaux ?', labelEn: 'Any pets?', value: true, shownFr: 'Oui', shownEn: 'Yes' }];
  await database.sql`UPDATE bookings SET answers = ${JSON.stringify(answers)}::jsonb WHERE id = ${bookingId}`;
  // The day comes: the visit started five minutes ago.
  await moveToStarted(database.sql, bookingId, 5);
});
afterAll(async () => {
  await browser?.close();
  await database?.close();
});

describe('Mes visites', () => {
  it('the worker sees her visit and records her minutes; the admin confirms, then corrects them with a reason', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, 'travailleuse@tissu.demo');
    await goto(page, '/dashboard');
    expect(await page.locator('[data-testid=nav-visits]').first().getAttribute('href')).toBe('/visits');
    await goto(page, '/visits');
    await expect(page.locator('h1').textContent()).resolves.toBe('Mes visites');
    const card = page.locator(`[data-testid=visit-card][data-booking-id="${bookingId}"]`);
    await card.waitFor();
    await expect(card.getByTestId('visit-address').textContent()).resolves.toBe(ADDRESS);
    await expect(card.getByTestId('visit-notes').textContent()).resolves.toBe(NOTES);
    await expect(card.textContent()).resolves.toContain(FIRST_NAME);
    await expect(card.textContent()).resolves.not.toContain('Tremblay');
    expect(await card.getByTestId('visit-phone').getAttribute('href')).toBe('tel:5145550142');
    expect(await card.getByTestId('visit-booking-link').getAttribute('href')).toBe(`/bookings/${bookingId}`);
    // The job: the add-on's name and minutes (not its price) and the answers.
    const addons = (await card.getByTestId('visit-addons').innerText()).replace(/\s+/g, ' ');
    expect(addons).toContain('Intérieur du frigo · +30 min');
    expect(addons).not.toContain('$');
    expect((await card.getByTestId('booking-answers').textContent())!.replace(/\s+/g, ' ')).toContain('Des animaux ? Oui');
    // The expected length is prefilled; she worked a little less.
    const input = card.locator('input[name=minutes]');
    const expected = (await bookingOf(admin, bookingId)).durationMinutes;
    expect(await input.inputValue()).toBe(String(expected));
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await screenshot(page, 'visits-worker-before');
    // Her booking page: the job, not the client's money (no price, no payment, never "null $").
    await goto(page, `/bookings/${bookingId}`);
    await page.getByTestId('booking-addons').waitFor();
    expect(await page.getByTestId('booking-price').count()).toBe(0);
    const body = await page.locator('main').innerText();
    expect(body).not.toMatch(/\$|null/);
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await screenshot(page, 'visits-worker-booking');
    await goto(page, '/visits');

    const worked = expected - 10;
    await input.fill(String(worked));
    await card.getByTestId('visit-minutes-submit').click();
    await card.getByTestId('visit-minutes-reported').waitFor();
    await expect(card.getByTestId('visit-minutes-reported').textContent()).resolves.toContain('à confirmer');
    expect((await bookingOf(admin, bookingId)).workers).toEqual([{ userId: workerId, name: 'Amina Diallo', minutesReported: worked, minutesDelivered: null }]);
    // A bad number is refused in her language, next to the field.
    await input.fill('0');
    await card.getByTestId('visit-minutes-submit').click();
    await card.locator('.field.has-error').waitFor();
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await screenshot(page, 'visits-worker-reported');

    // The admin: the booking shows the minutes waiting, and completing confirms them (prefilled).
    const coop = (await phone(browser)).page;
    await signIn(coop, 'admin@tissu.demo');
    // The co-op's inbox card says it too, with a link to the team.
    await goto(coop, `/dashboard/coops/${await adminCoopId(admin)}/bookings`);
    const badge = coop.locator(`[data-testid=inbox-card][data-booking-id="${bookingId}"] [data-testid=inbox-minutes-to-confirm]`);
    await expect(badge.textContent()).resolves.toContain('Minutes à confirmer');
    expect(await badge.getAttribute('href')).toBe(`/bookings/${bookingId}#team`);
    await goto(coop, `/bookings/${bookingId}`);
    await coop.getByTestId('minutes-to-confirm').waitFor();
    await expect(coop.getByTestId('minutes-to-confirm').textContent()).resolves.toContain('Minutes à confirmer');
    expect(await coop.inputValue(`input[name="minutes-${workerId}"]`)).toBe(String(worked));
    expect(await coop.evaluate(noSideScroll)).toBe(true);
    await screenshot(coop, 'visits-admin-to-confirm');
    await coop.getByTestId('complete-submit').click();
    await coop.locator('[data-testid=booking-state][data-state=completed]').waitFor();
    expect((await bookingOf(admin, bookingId)).workers[0]).toMatchObject({ minutesReported: worked, minutesDelivered: worked });

    // A correction says why, and the history keeps it.
    await coop.locator('[data-testid=booking-worker] summary').click();
    const confirm = coop.getByTestId('confirm-minutes-form');
    await confirm.locator('input[name=minutes]').fill(String(worked - 5));
    await confirm.getByTestId('confirm-minutes-submit').click();
    await confirm.locator('.field.has-error').waitFor();
    await confirm.locator('textarea[name=reason]').fill('Arrivée cinq minutes en retard (bouchon sur Pie-IX)');
    await confirm.getByTestId('confirm-minutes-submit').click();
    await coop.getByTestId('booking-history').filter({ hasText: 'Arrivée cinq minutes en retard' }).waitFor();
    expect((await bookingOf(admin, bookingId)).workers[0]).toMatchObject({ minutesDelivered: worked - 5 });
    expect(await coop.evaluate(noSideScroll)).toBe(true);
    await screenshot(coop, 'visits-admin-corrected');

    // Amina sees them confirmed by the co-op, and can no longer change them.
    await goto(page, '/visits');
    await card.getByTestId('visit-minutes-confirmed').waitFor();
    await expect(card.getByTestId('visit-minutes-confirmed').textContent()).resolves.toContain('confirmées par la coop');
    expect(await card.getByTestId('visit-minutes-form').count()).toBe(0);
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await screenshot(page, 'visits-worker-confirmed');
    await hydrated(page);
    await context.close();
  });
});
