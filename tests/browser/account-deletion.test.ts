import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { adminCoopId, apiAs, bookableListings, goto, hydrated, phone, signIn, signUpClient, slotAfter } from '../support/booking-world.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const noSidewaysScroll = (page: import('playwright-core').Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('the privacy page, on a phone, in French', () => {
  it('is linked from sign-up (by the button) and from the footer, and names the person in charge', async () => {
    const { context, page } = await phone(browser);
    await goto(page, '/sign-up');
    const near = page.getByTestId('sign-up-privacy');
    await expect.poll(() => near.innerText()).toContain('Vie privée');
    await near.getByRole('link').click();
    await page.waitForURL(/\/privacy$/);
    await hydrated(page);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Vie privée');
    await expect.poll(() => page.getByTestId('privacy-officer').innerText()).toContain('vie-privee@tissu.coop');
    await expect.poll(() => page.getByTestId('retention-table').innerText()).toContain('Loi sur l’administration fiscale');
    expect(await noSidewaysScroll(page)).toBe(true);
    await screenshot(page, 'privacy-fr-390');

    await goto(page, '/search');
    await page.getByTestId('footer-privacy').click();
    await page.waitForURL(/\/privacy$/);
    // The French address opens the same page.
    await goto(page, '/confidentialite');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Vie privée');
    expect(new URL(page.url()).pathname).toBe('/confidentialite');
    await context.close();
  });
});

describe('deleting one’s account, on a phone, in French', () => {
  it('a demo co-op admin is told what must be settled first, and sees no form', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, 'admin@tissu.demo');
    await goto(page, '/account/delete');
    await expect.poll(() => page.getByTestId('delete-blockers').innerText()).toContain('seule personne admin');
    expect(await page.getByTestId('delete-form').count()).toBe(0);
    expect(await noSidewaysScroll(page)).toBe(true);
    await screenshot(page, 'account-delete-blocked-fr-390');
    await context.close();
  });

  it('a booking made in another tab after the page was shown is listed when she confirms, and nothing is erased', async () => {
    const { email, password } = await signUpClient('Lina Autretab');
    const { context, page } = await phone(browser);
    await signIn(page, email, password);
    await goto(page, '/account/delete');
    expect(await page.getByTestId('delete-blockers').count()).toBe(0);
    const api = await apiAs(email, password);
    const listing = (await bookableListings(await adminCoopId(await apiAs('admin@tissu.demo'))))[0]?.listing;
    const startsAt = await slotAfter(listing!.id, 24 * 20);
    const booking = await api.post<{ id: string }>('/bookings', { listingId: listing!.id, startsAt, address: '5 rue Fabre, Montréal', contactName: 'Lina', contactEmail: email });
    await page.fill('input[name=password]', password);
    await page.fill('input[name=confirmation]', 'SUPPRIMER');
    await page.getByTestId('delete-submit').click();
    await expect.poll(() => page.getByTestId('delete-blockers').innerText()).toContain('Une réservation est à venir');
    expect(await page.getByTestId('delete-form').count()).toBe(0);
    await screenshot(page, 'account-delete-blocked-after-submit-fr-390');
    // Still her account: she is still signed in.
    expect((await api.get<{ email: string }>('/me')).email).toBe(email);
    await api.post(`/bookings/${booking.id}/cancel`, { reason: 'Test terminé' });
    await context.close();
  });

  it('a client with nothing under way deletes her account, is signed out, and cannot sign in again', async () => {
    const { email, password } = await signUpClient('Josée Départ');
    const { context, page } = await phone(browser);
    await signIn(page, email, password);
    await goto(page, '/account/delete');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Supprimer mon compte');
    expect(await page.getByTestId('delete-blockers').count()).toBe(0);
    expect(await noSidewaysScroll(page)).toBe(true);
    await screenshot(page, 'account-delete-fr-390');

    // A wrong word is refused, nothing is erased.
    await page.fill('input[name=password]', password);
    await page.fill('input[name=confirmation]', 'oui');
    await page.getByTestId('delete-submit').click();
    await expect.poll(() => page.locator('main form').innerText()).toContain('Tapez SUPPRIMER');

    await page.fill('input[name=password]', password);
    await page.fill('input[name=confirmation]', 'supprimer');
    await page.getByTestId('delete-submit').click();
    await page.waitForURL(/\/account\/delete\/done$/);
    await expect.poll(() => page.getByTestId('delete-done').innerText()).toBe('Votre compte est supprimé');
    await screenshot(page, 'account-delete-done-fr-390');

    // Signed out: the account page asks to sign in; the password no longer opens it.
    await goto(page, '/account');
    await page.waitForURL(/\/sign-in/);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.click('main form button[type=submit]');
    await expect.poll(() => page.locator('.alert-error').innerText()).toContain('Courriel ou mot de passe incorrect');
    await context.close();
  });
});
