/**
 * Issue 16, tips, on a phone in French: after a completed visit the client sees the presets (10, 15,
 * 20 % of the service, as amounts) and this booking's bounds as the API states them, picks 15 %,
 * is asked to confirm the amount (nothing is charged on the first click; "Changer le montant" goes
 * back to her choice), confirms, pays it on the emulator's Checkout (no saved card), comes back to
 * one "Merci !" line, and the receipt shows the tip on its own line, with no tax. The confirmation
 * step works without JavaScript too. The co-op's
 * earnings page shows it per person, and Amina, who did the visit, sees her share on "Mes visites".
 * The listing page says the no-show policy in words. Nothing scrolls sideways.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { tipPresetCents, type Booking, type TipOptions } from '@tissu/shared';
import { createDb, type Database } from '@tissu/db';
import { launchBrowser, screenshot } from '../support/browser.js';
import { moveToStarted } from '../support/fixtures.js';
import {
  adminCoopId, apiAs, bookableListings, bookingOf, frCad, goto, hydrated, phone, signIn, signUpClient, slotFreeFor, squeeze, webhooksDelivered, type ApiSession,
} from '../support/booking-world.js';

let browser: Browser;
let database: Database;
let client: ApiSession;
let clientEmail: string;
let clientPassword: string;
let admin: ApiSession;
let coopId: string;
let bookingId: string;
let priceCents: number;
let listingId: string;

const noSideScroll = () => document.documentElement.scrollWidth <= document.documentElement.clientWidth;

beforeAll(async () => {
  browser = await launchBrowser();
  database = createDb(inject('databaseUrl'));
  // A new client: no saved card, so the tip goes through Checkout.
  ({ email: clientEmail, password: clientPassword } = await signUpClient('Béatrice Pourboire'));
  [client, admin] = await Promise.all([apiAs(clientEmail, clientPassword), apiAs('admin@tissu.demo')]);
  coopId = await adminCoopId(admin);
  const listing = (await bookableListings(coopId)).find((l) => !l.schedule.instantBooking && l.listing.locationMode === 'client_place')!;
  const booked = await client.post<Booking>('/bookings', {
    listingId: listing.listing.id, startsAt: await slotFreeFor('travailleuse@tissu.demo', listing.listing.id, listing.listing.durationMinutes, 40), address: '6500, rue de Saint-Vallier, Montréal',
    contactName: 'Béatrice Pourboire', contactPhone: '514 555-0199', contactEmail: clientEmail,
  });
  bookingId = booked.id;
  listingId = listing.listing.id;
  await admin.post(`/bookings/${bookingId}/accept`, {});
  // Amina (worker-member) is the one who came: the tip is hers in full.
  const { members } = await admin.get<{ members: { userId: string; name: string }[] }>(`/coops/${coopId}/members`);
  const amina = members.find((m) => m.name === 'Amina Diallo')!.userId;
  const assigned = await fetch(inject('apiUrl') + `/bookings/${bookingId}/workers`, {
    method: 'PUT', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ userIds: [amina] }),
  });
  expect(assigned.ok, await assigned.clone().text()).toBe(true);
  const checkout = await client.post<{ url: string }>(`/bookings/${bookingId}/checkout`);
  const paid = await fetch(`${inject('stripeUrl')}/_emulator/checkout/${new URL(checkout.url).pathname.split('/').pop()}/pay`, { method: 'POST' });
  expect(paid.ok).toBe(true);
  await webhooksDelivered();
  for (let i = 0; i < 100 && (await bookingOf(client, bookingId)).state !== 'paid'; i++) await new Promise((r) => setTimeout(r, 200));
  await moveToStarted(database.sql, bookingId, 90);
  await admin.post(`/bookings/${bookingId}/complete`, { hours: [] });
  const done = await bookingOf(client, bookingId);
  expect(done.state).toBe('completed');
  priceCents = done.priceCents!;
});
afterAll(async () => {
  await browser?.close();
  await database?.close();
});

describe('the no-show policy in words', () => {
  it('the listing page says what an absence keeps', async () => {
    const { schedule } = (await bookableListings(coopId)).find((l) => l.listing.id === listingId)!;
    const { page } = await phone(browser);
    await goto(page, `/listings/${listingId}`);
    const terms = page.getByTestId('no-show-terms').first();
    await terms.waitFor();
    const words = schedule.noShowPercent === 100 ? 'Absence : 100 % retenu.' : `Absence : ${schedule.noShowPercent} % retenu, le reste vous est remboursé.`;
    expect(squeeze(await terms.innerText())).toBe(squeeze(words));
    expect(await page.evaluate(noSideScroll)).toBe(true);
  });
});

describe('a tip after a completed visit', () => {
  it('without JavaScript, choosing an amount asks to confirm it and charges nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-CA', timezoneId: 'America/Toronto', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${inject('webUrl')}/sign-in`);
    // As signIn does, without waiting for hydration (there is none without JavaScript).
    await page.fill('input[name=email]', clientEmail);
    await page.fill('input[name=password]', clientPassword);
    await page.click('form button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await page.goto(`${inject('webUrl')}/bookings/${bookingId}`);
    const twenty = tipPresetCents(priceCents, 20);
    await page.locator(`input[name=choice][value="${twenty}"]`).check();
    await page.getByTestId('tip-submit').click();
    await page.getByTestId('tip-confirm-text').waitFor();
    expect(squeeze(await page.getByTestId('tip-confirm-text').innerText())).toContain(squeeze(`Laisser ${frCad(twenty)} de pourboire ?`));
    expect((await client.get<TipOptions>(`/bookings/${bookingId}/tip`)).tip).toBeNull();
    await page.getByTestId('tip-change').click();
    expect(await page.locator(`input[name=choice][value="${twenty}"]`).isChecked()).toBe(true);
    await context.close();
  });

  it('the client picks 15 %, pays it through Checkout, and the receipt shows it apart, with no tax', async () => {
    const { page } = await phone(browser);
    await signIn(page, clientEmail, clientPassword);
    await goto(page, `/bookings/${bookingId}`);
    const section = page.getByTestId('tip-section');
    await section.waitFor();
    await hydrated(page);
    const fifteen = tipPresetCents(priceCents, 15);
    const text = squeeze(await section.innerText());
    expect(text).toContain(squeeze('Un pourboire pour l’équipe'));
    for (const p of [10, 15, 20]) expect(text).toContain(frCad(tipPresetCents(priceCents, p)));
    expect(text).toContain(squeeze('aucuns frais de plateforme, aucune taxe'));
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await screenshot(page, 'tip-form');

    // An amount under 1 $ is refused beside the field, in French.
    await section.getByLabel('Autre montant').first().check();
    await page.getByTestId('tip-amount').fill('0,50');
    await page.getByTestId('tip-submit').click();
    await section.getByText(/Au moins 1,00/).waitFor();

    // The hint says this booking's bounds, from the API's options (its own rule).
    const bounds = await client.get<TipOptions>(`/bookings/${bookingId}/tip`);
    expect(squeeze(await page.getByTestId('tip-bounds').innerText())).toBe(squeeze(`De ${frCad(bounds.minCents)} à ${frCad(bounds.maxCents)}.`));

    // Choosing is not paying: the first click asks to confirm, and nothing is charged yet.
    await section.locator(`input[name=choice][value="${fifteen}"]`).check();
    await page.getByTestId('tip-submit').click();
    const confirmText = page.getByTestId('tip-confirm-text');
    await confirmText.waitFor();
    expect(squeeze(await confirmText.innerText())).toBe(squeeze(`Laisser ${frCad(fifteen)} de pourboire ? Vous le paierez sur la page de paiement sécurisée.`));
    expect((await client.get<TipOptions>(`/bookings/${bookingId}/tip`)).tip).toBeNull();
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await screenshot(page, 'tip-confirm');
    // "Changer le montant" goes back to the choice as it was.
    await page.getByTestId('tip-change').click();
    await page.getByTestId('tip-submit').waitFor();
    expect(await section.locator(`input[name=choice][value="${fifteen}"]`).isChecked()).toBe(true);
    await page.getByTestId('tip-submit').click();
    await page.getByTestId('tip-confirm').click();
    await page.waitForURL((u) => u.href.startsWith(`${inject('stripeUrl')}/checkout/`));
    expect(squeeze(await page.locator('body').innerText())).toContain(frCad(fifteen));
    await page.getByRole('button', { name: /Payer/ }).first().click();
    await page.waitForURL(new RegExp(`/bookings/${bookingId}\\?tip=paid`));
    await webhooksDelivered();
    const options = await client.get<TipOptions>(`/bookings/${bookingId}/tip`);
    expect(options.tip).toMatchObject({ status: 'paid', amountCents: fifteen });
    await goto(page, `/bookings/${bookingId}`);
    expect(squeeze(await page.getByTestId('tip-paid').innerText())).toBe(squeeze(`Merci ! Pourboire de ${frCad(fifteen)} versé.`));
    // One thank-you line, not two.
    expect((squeeze(await section.innerText()).match(/Merci/g) ?? []).length).toBe(1);
    await expect(page.getByTestId('tip-submit').count()).resolves.toBe(0);
    await screenshot(page, 'tip-paid');

    await goto(page, `/bookings/${bookingId}/receipt`);
    const line = squeeze(await page.getByTestId('receipt-tip').innerText());
    expect(line).toContain(squeeze('Pourboire (sans frais ni taxes)'));
    expect(line).toContain(frCad(fifteen));
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await screenshot(page, 'tip-receipt');

    // The co-op sees it among its tips per person.
    const { page: coop } = await phone(browser);
    await signIn(coop, 'admin@tissu.demo');
    await goto(coop, `/dashboard/coops/${coopId}/earnings`);
    await coop.getByTestId('earnings-tips').waitFor();
    expect(squeeze(await coop.getByTestId('earnings-tips').innerText())).toContain(squeeze('Pourboires par personne'));
    expect(await coop.evaluate(noSideScroll)).toBe(true);
    await screenshot(coop, 'tip-earnings');

    // Amina sees her share on "Mes visites".
    const { page: worker } = await phone(browser);
    await signIn(worker, 'travailleuse@tissu.demo');
    await goto(worker, '/visits');
    const mine = worker.getByTestId('visits-tips').first();
    await mine.waitFor();
    expect(squeeze(await mine.innerText())).toContain(squeeze('Mes pourboires cette année'));
    expect(await worker.evaluate(noSideScroll)).toBe(true);
    await screenshot(worker, 'tip-visits');
  });
});
