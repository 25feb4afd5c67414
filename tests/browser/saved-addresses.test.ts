/**
 * Saved addresses on a phone, in French (issue 16): a client saves her address with its entry notes
 * under "Mon compte", books with it (offered first in the booking form), and the booking's page
 * shows the address and the notes as they were; changing the saved address later does not change
 * the booking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import {
  adminCoopId, apiAs, bookableListings, bookingIdIn, goto, hydrated, mondayOf, phone, signIn, signUpClient, slotAfter, type BookableListing,
} from '../support/booking-world.js';

let browser: Browser;
let listing: BookableListing;
const NOTES = 'Code de porte 4321#. Un chat craintif : refermez bien. Stationnement dans la ruelle.';
const ADDRESS = '1234, rue Rachel Est, app. 3, Montréal H2J 2J3';

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

beforeAll(async () => {
  browser = await launchBrowser();
  const admin = await apiAs('admin@tissu.demo');
  listing = (await bookableListings(await adminCoopId(admin))).find((l) => l.listing.locationMode === 'client_place')!;
  expect(listing, 'a listing where the co-op comes to the client').toBeTruthy();
});
afterAll(async () => {
  await browser?.close();
});

describe('saved addresses on a phone, in French', () => {
  it('she saves her address, books with it, and the booking keeps it as it was', async () => {
    const who = await signUpClient('Béatrice Adresse');
    const { context, page } = await phone(browser);
    await signIn(page, who.email, who.password);

    // From "Mon compte" to "Mes adresses", by the French path too.
    await goto(page, '/compte');
    await page.getByTestId('account-addresses-link').click();
    await page.waitForURL((u) => u.pathname === '/account/addresses');
    await goto(page, '/compte/adresses');
    expect(await page.locator('h1').innerText()).toBe('Mes adresses');
    await page.getByTestId('addresses-empty').waitFor();

    // A postal code that is not one is refused under its field, in French; what she typed stays.
    await page.fill('input[name=label]', 'Maison');
    await page.fill('input[name=street]', '1234, rue Rachel Est');
    await page.fill('input[name=unit]', 'app. 3');
    await page.fill('input[name=postalCode]', '12345');
    await page.fill('input[name=city]', 'Montréal');
    await page.fill('textarea[name=entryNotes]', NOTES);
    await page.getByTestId('address-save').click();
    await expect.poll(() => page.locator('#f-postalCode-errors').innerText().catch(() => '')).toContain('code postal canadien');
    expect(await page.inputValue('textarea[name=entryNotes]')).toBe(NOTES);
    await page.fill('input[name=postalCode]', 'h2j2j3');
    await page.getByTestId('address-save').click();
    await page.getByTestId('saved-address').waitFor();
    expect(await page.getByTestId('address-text').innerText()).toBe(ADDRESS);
    expect(await page.getByTestId('address-entry-notes').innerText()).toContain(NOTES);
    expect(await noSidewaysScroll(page)).toBe(true);
    await screenshot(page, 'saved-addresses-fr-390');

    // The booking form offers it, chosen already; the fields of a new address are not shown.
    const start = await slotAfter(listing.listing.id, 48);
    await goto(page, `/listings/${listing.listing.id}?week=${mondayOf(start, listing.schedule.timeZone)}&slot=${encodeURIComponent(start)}`);
    await page.getByTestId('chosen-slot').waitFor();
    const saved = page.locator('input[name=addressChoice]').first();
    expect(await saved.isChecked()).toBe(true);
    expect(await page.getByTestId('address-choice').innerText()).toContain('Maison');
    expect(await page.locator('input[name=street]').isVisible()).toBe(false);
    // "Une autre adresse" shows them, with "save this address" ticked.
    await page.check('#addr-new');
    expect(await page.locator('input[name=street]').isVisible()).toBe(true);
    expect(await page.isChecked('#f-saveAddress')).toBe(true);
    await saved.check();
    expect(await noSidewaysScroll(page)).toBe(true);
    await page.getByTestId('address-choice').screenshot({ path: 'tests/screenshots/booking-saved-address-fr-390.png' });
    await page.getByTestId('book-submit').click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?done=booked/);
    await hydrated(page);
    const bookingId = bookingIdIn(page.url());
    expect(await page.getByTestId('booking-address').innerText()).toBe(ADDRESS);
    expect(await page.getByTestId('booking-entry-notes').innerText()).toBe(NOTES);
    expect(await noSidewaysScroll(page)).toBe(true);
    await screenshot(page, 'booking-with-saved-address-fr-390');

    // She changes the saved address: the booking keeps the one it was made with.
    await goto(page, '/account/addresses');
    await page.getByTestId('address-edit').click();
    await page.waitForURL((u) => u.searchParams.has('edit'));
    await hydrated(page);
    await page.fill('textarea[name=entryNotes]', 'Nouveau code 9999');
    await page.getByTestId('address-update').click();
    await page.getByTestId('address-updated').waitFor();
    expect(await page.getByTestId('address-entry-notes').innerText()).toContain('Nouveau code 9999');
    await goto(page, `/bookings/${bookingId}`);
    expect(await page.getByTestId('booking-entry-notes').innerText()).toBe(NOTES);

    // Removed, it is gone from her list; the booking still has its address.
    await goto(page, '/account/addresses');
    await page.getByTestId('address-remove').click();
    await page.getByTestId('address-removed').waitFor();
    await page.getByTestId('addresses-empty').waitFor();
    await goto(page, `/bookings/${bookingId}`);
    expect(await page.getByTestId('booking-address').innerText()).toBe(ADDRESS);
    await context.close();
  });
});
