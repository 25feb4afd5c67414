/**
 * The language changed in another tab: the server words pages (and the HTML inside their data) by
 * the language cookie, while a page already open runs the scripts and words of its own language.
 * Its next navigation is a full page load in the chosen language, never a page of both, nor the
 * other language's scripts loaded into this one (which stopped navigation with a TypeError).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { goto, hydrated, phone } from '../support/booking-world.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the language changed in another tab', () => {
  it('the next link followed in this tab opens the page whole in that language, with no script error', async () => {
    const { context, page } = await phone(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await goto(page, '/');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');

    const other = await context.newPage();
    await other.goto(`${inject('webUrl')}/lang?to=en&redirect=/`);
    await other.close();

    await page.getByTestId('footer-fees').click();
    await page.waitForURL(/\/fees$/);
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await hydrated(page);
    expect(await page.locator('h1').innerText()).not.toMatch(/frais/i);
    expect(await page.getByTestId('footer-fees').innerText()).toMatch(/fees/i);
    expect(errors).toEqual([]);
    await context.close();
  });
});
