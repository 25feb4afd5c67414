/**
 * Issue 10 item 26: on a phone the signed-in header is one row with a Menu button (that opens
 * without JavaScript too), the requests waiting for an answer are counted in badges, and each role
 * lands where its work is after signing in.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { PHONE, adminCoopId, apiAs, bookableListings, hydrated, phone, signIn, signUpClient, slotAfter } from '../support/booking-world.js';

const ADMIN = 'admin@tissu.demo';
const STEWARD = 'steward@tissu.demo';
const WORKER = 'travailleuse@tissu.demo';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const headerHeight = (page: Page) => page.locator('header.site-header').evaluate((h) => h.getBoundingClientRect().height);

describe('the header on a phone', () => {
  it('is one row for a co-op admin, with a menu holding the links, and counts the requests waiting', async () => {
    // A request the co-op has not answered yet.
    const admin = await apiAs(ADMIN);
    const coopId = await adminCoopId(admin);
    const [{ listing }] = (await bookableListings(coopId)) as [Awaited<ReturnType<typeof bookableListings>>[number]];
    const { email, password } = await signUpClient('Client Entête');
    const client = await apiAs(email, password);
    await client.post('/bookings', { listingId: listing.id, startsAt: await slotAfter(listing.id, 60), address: '4321, rue Saint-Denis', contactName: 'Client Entête', contactEmail: email });
    const waiting = await admin.get<{ bookingRequests: { coopId: string; count: number }[]; unreadMessages: number }>('/me/waiting');
    const requests = waiting.bookingRequests.find((c) => c.coopId === coopId)?.count ?? 0;
    expect(requests).toBeGreaterThan(0);
    // Messages the admin has not read (other tests on this stack write to her co-op) count on the menu too, said apart.
    const unread = waiting.unreadMessages;

    const { context, page } = await phone(browser);
    await signIn(page, ADMIN);
    // Landed on the co-op's inbox, where the requests are.
    expect(new URL(page.url()).pathname).toBe(`/dashboard/coops/${coopId}/bookings`);
    expect(await headerHeight(page)).toBeLessThanOrEqual(72);
    const button = page.getByTestId('menu-button');
    expect(await button.isVisible()).toBe(true);
    expect(await page.getByTestId('menu-waiting').innerText()).toBe(String(requests + unread));
    const unreadWords = unread ? `, ${unread} message${unread > 1 ? 's non lus' : ' non lu'}` : '';
    // Its name starts with what it shows: "Menu 5, …" when both kinds wait (WCAG 2.5.3).
    const shown = unread ? `Menu ${requests + unread}, ` : 'Menu, ';
    expect(await button.getAttribute('aria-label')).toBe(`${shown}${requests} demande${requests > 1 ? 's' : ''} en attente${unreadWords}`);
    // The links are hidden until the menu opens.
    const inbox = page.getByTestId('site-menu').getByTestId('nav-inbox');
    expect(await inbox.isVisible()).toBe(false);
    await screenshot(page, 'header-admin-closed');
    await button.click();
    expect(await inbox.isVisible()).toBe(true);
    expect(await inbox.getByTestId('waiting-requests').getAttribute('data-count')).toBe(String(requests));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'header-admin-open');
    // Following a link closes the menu.
    await page.getByTestId('site-menu').getByTestId('nav-my-bookings').click();
    await page.waitForURL(/\/bookings$/);
    await expect.poll(() => page.getByTestId('site-menu').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await context.close();
  });

  it('opens without JavaScript', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-CA', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${inject('webUrl')}/`);
    await page.getByTestId('menu-button').click();
    expect(await page.getByTestId('site-menu').getByRole('link', { name: 'Trouver un service' }).isVisible()).toBe(true);
    await context.close();
  });

  it('shows a steward the co-op applications to decide, after landing on /steward', async () => {
    const steward = await apiAs(STEWARD);
    const { coopApplications } = await steward.get<{ coopApplications: number }>('/me/waiting');
    const { context, page } = await phone(browser);
    await signIn(page, STEWARD);
    expect(new URL(page.url()).pathname).toBe('/steward');
    expect(await headerHeight(page)).toBeLessThanOrEqual(72);
    await page.getByTestId('menu-button').click();
    const link = page.getByTestId('site-menu').getByTestId('nav-steward');
    if (coopApplications > 0) expect(await link.getByTestId('waiting-applications').getAttribute('data-count')).toBe(String(coopApplications));
    else expect(await link.getByTestId('waiting-applications').count()).toBe(0);
    await context.close();
  });

  it('says "Patronage refunds" in the English menu (never bare "Refunds", which are payment refunds)', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, WORKER);
    await page.goto(`${inject('webUrl')}/lang?to=en&redirect=/statements`);
    // Opened before the page hydrates, the menu was closed again by it (its text then read '').
    await page.waitForURL(/\/statements$/);
    await hydrated(page);
    await page.getByTestId('menu-button').click();
    await expect.poll(() => page.getByTestId('site-menu').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect((await page.getByTestId('site-menu').getByTestId('nav-statements').innerText()).trim()).toBe('Patronage refunds');
    expect(await page.locator('h1').innerText()).not.toMatch(/^Refunds/);
    await screenshot(page, 'header-worker-en-open');
    await page.goto(`${inject('webUrl')}/lang?to=fr&redirect=/`);
    await context.close();
  });

  it('lands a worker on her visits (Mes visites) and a client on their bookings', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, WORKER);
    expect(new URL(page.url()).pathname).toBe('/visits');
    await context.close();

    const { email, password } = await signUpClient('Nouvelle Cliente');
    const second = await phone(browser);
    await signIn(second.page, email, password);
    expect(new URL(second.page.url()).pathname).toBe('/bookings');
    await second.context.close();
  });
});
