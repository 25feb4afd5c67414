/**
 * Issue 14, calendar feeds, on a phone in French: the worker-member makes the private address of
 * her visits' feed on her Calendrier page, her calendar app reads it (text/calendar, private), and
 * resetting it asks first, then leaves the old address answering 404. Nothing scrolls sideways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { goto, hydrated, phone, signIn } from '../support/booking-world.js';

let browser: Browser;
const noSideScroll = () => document.documentElement.scrollWidth <= document.documentElement.clientWidth;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('the Calendrier page', () => {
  it('gives the worker her visits’ feed, and a reset (once confirmed) retires the old address', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, 'travailleuse@tissu.demo');
    await goto(page, '/dashboard');
    await page.getByTestId('dashboard-calendar').click();
    await page.waitForURL((u) => u.pathname === '/account/calendar');
    await hydrated(page);
    const visits = page.getByTestId('feed-worker');
    await expect(visits.getByRole('heading').textContent()).resolves.toContain('Mes visites');

    // First time: one button makes the address (no confirmation: nothing is replaced).
    const create = visits.getByTestId('feed-create');
    if (await create.count()) {
      await create.click();
      await page.waitForURL((u) => u.searchParams.get('was') === 'created');
    }
    const first = await visits.getByTestId('feed-url').inputValue();
    expect(first).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const read = await page.request.get(first);
    expect(read.status()).toBe(200);
    expect(read.headers()['content-type']).toBe('text/calendar; charset=utf-8');
    expect(read.headers()['cache-control']).toMatch(/^private/);
    expect(await read.text()).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await screenshot(page, 'calendar-feed-worker');

    // Reset: a confirmation first, which says what happens to the old address; keeping it changes nothing.
    await visits.getByTestId('feed-reset').click();
    await page.waitForURL((u) => u.searchParams.has('reset'));
    await hydrated(page);
    const confirm = page.getByTestId('confirm-reset');
    await expect(confirm.textContent()).resolves.toContain('L’ancien lien cessera aussitôt de fonctionner');
    expect(await page.evaluate(noSideScroll)).toBe(true);
    await screenshot(page, 'calendar-feed-reset-confirm');
    expect(await visits.getByTestId('feed-url').inputValue()).toBe(first);
    await confirm.getByRole('button', { name: 'Oui, réinitialiser' }).click();
    await page.waitForURL((u) => u.searchParams.get('was') === 'reset');
    await hydrated(page);
    const second = await page.getByTestId('feed-worker').getByTestId('feed-url').inputValue();
    expect(second).not.toBe(first);
    expect((await page.request.get(first)).status()).toBe(404);
    expect((await page.request.get(second)).status()).toBe(200);
    // A wrong address is 404 whatever its shape, even one too long for the API (was 503).
    for (const wrong of [`${'A'.repeat(300)}.ics`, `${'A'.repeat(43)}.txt`, 'x.ics']) {
      const res = await page.request.get(new URL(`/calendar/${wrong}`, second).href);
      expect(res.status(), wrong.slice(0, 50)).toBe(404);
      expect(res.headers()['cache-control']).toBe('private, no-store');
    }
    // The page shows the secret addresses: no cache keeps it.
    expect((await page.request.get(new URL('/account/calendar', second).href)).headers()['cache-control']).toBe('private, no-store');
    await context.close();
  });
});
