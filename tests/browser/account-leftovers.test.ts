/**
 * Issue 15's leftovers, on a phone in French: /compte shows a pending change of address with a way
 * to cancel it; leaving a co-op from /compte stays on /compte; the deletion page links each
 * blocker to where it is settled; /dashboard/coops/<id>/listings is a real address; the photo
 * editor keeps the keyboard's focus on the moved photo and, after a deletion, on the next one.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Listing } from '@tissu/shared';
import { launchBrowser, screenshot } from '../support/browser.js';
import { adminCoopId, apiAs, bookableListings, goto, mailedLink, phone, signIn, signUpClient } from '../support/booking-world.js';
import { multipart, photo } from '../support/photos.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const api = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${inject('apiUrl')}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
/** What the keyboard is on: the focused element's test id, text or id. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  return { text: el?.innerText?.trim() ?? '', item: el?.closest('[data-photo-id]')?.getAttribute('data-photo-id') ?? null, tag: el?.tagName ?? '' };
});

describe('the account on a phone, in French', () => {
  it('shows the pending new address, cancels it; a worker leaves a co-op from /compte and stays on /compte', async () => {
    const person = await signUpClient('Inès Lavoie');
    // She becomes a worker of the demo admin's co-op through an invitation.
    const admin = await apiAs('admin@tissu.demo');
    const coopId = await adminCoopId(admin);
    expect((await api('POST', `/coops/${coopId}/invitations`, admin.token, { email: person.email, role: 'worker' })).status).toBeLessThan(300);
    const [, token] = await mailedLink(person.email, /\/invitations\/([\w-]+)/);
    const me = await apiAs(person.email, person.password);
    expect((await api('POST', `/invitations/${token}/accept`, me.token)).status).toBeLessThan(300);

    const { page } = await phone(browser);
    await signIn(page, person.email, person.password);
    const newEmail = `en-attente-${Date.now()}@example.org`;
    await goto(page, '/compte');
    await page.fill('input[name=newEmail]', newEmail);
    await page.fill('#f-currentPassword', person.password);
    await page.getByTestId('email-save').click();
    await expect.poll(() => page.getByTestId('pending-email').innerText()).toContain(`En attente de confirmation : ${newEmail}`);
    expect(await noSidewaysScroll(page)).toBe(true);
    await page.getByTestId('pending-email').scrollIntoViewIfNeeded();
    await screenshot(page, 'account-pending-email-390-fr');
    await page.getByTestId('pending-email-cancel').click();
    await expect.poll(() => page.getByTestId('pending-email').count()).toBe(0);
    await expect.poll(() => page.getByText('Changement d’adresse annulé').count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/compte');

    // Leaving: the confirmation step and the answer stay on /compte.
    await page.getByTestId('leave-coop').click();
    await page.getByTestId('leave-confirm').waitFor();
    expect(new URL(page.url()).pathname).toBe('/compte');
    await page.getByTestId('leave-confirm-button').click();
    await page.getByTestId('coop-left').waitFor();
    expect(new URL(page.url()).pathname).toBe('/compte');
  });

  it('the sole admin is told on /compte, before any confirmation, and the deletion page links each blocker', async () => {
    const { page } = await phone(browser);
    await signIn(page, 'admin@tissu.demo');
    const coopId = await adminCoopId(await apiAs('admin@tissu.demo'));
    await goto(page, '/compte');
    await expect.poll(() => page.getByTestId('last-admin').innerText()).toContain('seule personne admin');
    expect(await page.getByTestId('leave-coop').count()).toBe(0);
    expect(await page.getByTestId('last-admin').locator('a').getAttribute('href')).toBe(`/dashboard/coops/${coopId}#members`);

    await goto(page, '/account/delete');
    const admins = page.locator('[data-code=only_coop_admin] a');
    await expect.poll(() => admins.count()).toBe(1);
    expect(await admins.getAttribute('href')).toBe(`/dashboard/coops/${coopId}#members`);
    expect(await noSidewaysScroll(page)).toBe(true);
    await screenshot(page, 'account-delete-blockers-390-fr');
    await admins.click();
    await page.waitForURL((u) => u.pathname === `/dashboard/coops/${coopId}`);
  });
});

describe('the co-op dashboard', () => {
  it('/dashboard/coops/<id>/listings leads to the co-op’s listings', async () => {
    const { page } = await phone(browser);
    await signIn(page, 'admin@tissu.demo');
    const coopId = await adminCoopId(await apiAs('admin@tissu.demo'));
    await goto(page, `/dashboard/coops/${coopId}/listings`);
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/dashboard/coops/${coopId}`);
    expect(url.hash).toBe('#listings');
    await expect.poll(() => page.locator('#listings-title').isVisible()).toBe(true);
  });
});

describe('the photo editor, by keyboard', () => {
  let listing: Listing;
  beforeAll(async () => {
    const admin = await apiAs('admin@tissu.demo');
    const coopId = await adminCoopId(admin);
    const [model] = await bookableListings(coopId);
    const m = model!.listing;
    listing = await admin.post<Listing>(`/coops/${coopId}/listings`, {
      titleFr: `Photos au clavier ${Date.now()}`, titleEn: `Keyboard photos ${Date.now()}`, descriptionFr: 'Des photos rangées au clavier.', descriptionEn: 'Photos ordered by keyboard.',
      category: m.category, priceKind: m.priceKind, priceCents: m.priceCents, durationMinutes: m.durationMinutes, locationMode: m.locationMode, boroughs: m.boroughs,
    });
    for (const n of [1, 2, 3]) {
      const body = multipart({ altFr: `Photo numéro ${n}`, altEn: `Photo number ${n}` }, { data: await photo(400, 300) });
      const res = await fetch(`${inject('apiUrl')}/listings/${listing.id}/photos`, {
        method: 'POST', headers: { authorization: `Bearer ${admin.token}`, ...body.headers }, body: body.payload,
      });
      expect(res.status).toBeLessThan(300);
    }
  });

  it('keeps focus on the moved photo’s button, and after a deletion goes to the next photo', async () => {
    const { page } = await phone(browser);
    await signIn(page, 'admin@tissu.demo');
    await goto(page, `/dashboard/coops/${listing.coop.id}/listings/${listing.id}/edit`);
    const items = page.getByTestId('photo-item');
    await expect.poll(() => items.count()).toBe(3);
    const ids = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-photo-id')!));

    // The second photo up, by keyboard: focus stays on its « Monter » button, now in first place.
    await items.nth(1).getByRole('button', { name: /Monter/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-photo-id'))))[0]).toBe(ids[1]);
    // At the top it can no longer go up: the focus is on its « Descendre ».
    await expect.poll(() => focused(page)).toMatchObject({ item: ids[1], tag: 'BUTTON' });
    expect((await focused(page)).text).toContain('Descendre');
    // Down again: the focus follows it.
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-photo-id'))))[1]).toBe(ids[1]);
    await expect.poll(() => focused(page)).toMatchObject({ item: ids[1], tag: 'BUTTON' });
    expect((await focused(page)).text).toContain('Descendre');

    // Deleting the first photo: the confirmation takes the focus, then the photo after it does.
    await items.first().getByRole('link', { name: /Supprimer/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-delete').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('confirm-delete');
    await page.getByTestId('confirm-delete').getByRole('button').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => items.count()).toBe(2);
    await expect.poll(() => focused(page)).toMatchObject({ item: ids[1], tag: 'H3' });
  });
});
