/**
 * Issue 10, item 2 in the browser: a new client signs up on a phone in French, can browse but not
 * book until she opens the link from her mailbox; then the same booking goes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { adminCoopId, apiAs, bookableListings, fillNewAddress, freeSlots, goto, hydrated, mailedLink, mondayOf, phone, signIn, type BookableListing } from '../support/booking-world.js';

let browser: Browser;
let listing: BookableListing;
const email = `nouvelle-${Date.now()}@example.org`;
const password = 'une phrase de passe 2026';

beforeAll(async () => {
  browser = await launchBrowser();
  const coopId = await adminCoopId(await apiAs('admin@tissu.demo'));
  listing = (await bookableListings(coopId)).find((l) => l.schedule.instantBooking)!;
  expect(listing, 'an instant-booking listing at the home co-op').toBeTruthy();
});
afterAll(() => browser?.close());

describe('a new client on a phone, in French', () => {
  it('signs up, cannot book until she opens the emailed link, then books', async () => {
    const { page } = await phone(browser);
    await goto(page, '/sign-up');
    await page.fill('input[name=name]', 'Nouvelle Cliente');
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.click('main form button[type=submit]');
    await expect.poll(() => page.getByTestId('sign-up-sent').innerText()).toContain(email);
    await screenshot(page, 'sign-up-sent');

    await signIn(page, email, password);
    await expect.poll(() => page.getByTestId('verify-banner').innerText()).toContain('Renvoyer le lien');
    const start = (await freeSlots(listing.listing.id)).slots[0]!.start;
    const slotPage = `/listings/${listing.listing.id}?week=${mondayOf(start, listing.schedule.timeZone)}&slot=${encodeURIComponent(start)}`;
    const book = async () => {
      await goto(page, slotPage);
      await page.getByTestId('chosen-slot').waitFor();
      if (listing.listing.locationMode === 'client_place') await fillNewAddress(page, { street: '77, rue Beaubien Est' });
      await page.getByTestId('book-submit').click();
    };
    await book();
    await expect.poll(() => page.locator('main').innerText()).toContain("Confirmez d'abord votre adresse courriel");
    await screenshot(page, 'book-refused-unverified');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const link = new URL((await mailedLink(email, /https?:\/\/\S+\/verify-email\/\S+/))[0]);
    await goto(page, link.pathname);
    await expect.poll(() => page.getByTestId('email-verified').innerText()).toContain('Votre adresse est confirmée');
    await screenshot(page, 'email-verified');
    await goto(page, '/');
    expect(await page.getByTestId('verify-banner').count()).toBe(0);

    await book();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?done=booked/);
    await hydrated(page);
    expect(await page.getByTestId('booking-state').getAttribute('data-state')).toBe('accepted');
  });
});
