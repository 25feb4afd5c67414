/**
 * Each language has its own set of browser files (web/vite/locale-bundles.ts: French under
 * `_app/immutable/`, English under `_app/immutable/en/`). A page, and every page reached from it
 * without reloading (SvelteKit asks the server which route a link leads to: svelte.config.js),
 * must only ever load its language's files: a French file in an English page writes French words.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { hydrated, phone, publicGet } from '../support/booking-world.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const LISTING_WORDS = { fr: 'En bref', en: 'At a glance' } as const;

describe('the browser files of a language', () => {
  for (const locale of ['en', 'fr'] as const) {
    it(`are the only ones an ${locale} listing page and the co-op page it links to load`, async () => {
      const { items } = await publicGet<{ items: { id: string }[] }>('/listings?limit=1');
      const { context, page } = await phone(browser);
      await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: inject('webUrl') }]);
      const files: string[] = [];
      const documents: string[] = [];
      page.on('request', (r) => {
        const url = new URL(r.url());
        if (url.pathname.startsWith('/_app/immutable/')) files.push(url.pathname);
        if (r.resourceType() === 'document') documents.push(url.pathname);
      });
      await page.goto(`${inject('webUrl')}/listings/${items[0]!.id}`);
      await hydrated(page);
      // A link to another route, followed in the page (not a new document).
      await page.locator('.coop-card a.button[href^="/coops/"]').click();
      await page.waitForURL(/\/coops\//);
      expect(await page.locator('#facts-title').innerText()).toBe(LISTING_WORDS[locale]);
      expect(documents).toHaveLength(1);
      expect(files.length).toBeGreaterThan(0);
      const elsewhere = files.filter((f) => f.startsWith('/_app/immutable/en/') !== (locale === 'en'));
      expect(elsewhere).toEqual([]);
      await context.close();
    });
  }
});
