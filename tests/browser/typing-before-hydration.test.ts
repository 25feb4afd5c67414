/**
 * On a slow phone the page shows before its script has run, and people start typing. Hydration
 * used to set every field back to its server value, so the email just typed vanished and the
 * form answered "Ce champ est obligatoire". The app's scripts are held back here until the text
 * is typed, as a slow network would; what was typed must still be there once the page is live,
 * and signing in must work with it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { DEMO_PASSWORD, hydrated, phone } from '../support/booking-world.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('typing before the page is live', () => {
  it('keeps what was typed in the sign-in form through hydration, and signs in with it', async () => {
    const { context, page } = await phone(browser);
    let release!: () => void;
    const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_app/immutable/**/*.js', async (route) => {
      await scriptsHeld;
      await route.continue();
    });

    await page.goto(`${inject('webUrl')}/sign-in`, { waitUntil: 'domcontentloaded' });
    expect(await page.locator('body[data-hydrated="true"]').count()).toBe(0);
    await page.fill('input[name=email]', 'client@tissu.demo');
    await page.fill('input[name=password]', DEMO_PASSWORD);
    release();
    await hydrated(page);

    expect(await page.inputValue('input[name=email]')).toBe('client@tissu.demo');
    expect(await page.inputValue('input[name=password]')).toBe(DEMO_PASSWORD);
    await page.click('form button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await context.close();
  });
});
