import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { hydrated, PHONE, publicGet } from '../support/booking-world.js';

/**
 * WCAG AA colour contrast (4.5:1 for text, 3:1 for large text) on the public pages, as axe-core
 * measures it on a phone, in French and in English.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

async function contrastViolations(page: Page): Promise<string[]> {
  // axe is loaded through the debugging protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] }, resultTypes: ['violations'] });
    return result.violations;
  });
  return violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
}

describe('colour contrast on the public pages (axe-core, WCAG AA, 390 px)', () => {
  let listingPath = '';
  let coopPath = '';
  beforeAll(async () => {
    const found = await publicGet<{ items: { id: string; coop: { slug: string } }[] }>('/listings?limit=1');
    listingPath = `/listings/${found.items[0]!.id}`;
    coopPath = `/coops/${found.items[0]!.coop.slug}`;
  });

  for (const locale of ['fr-CA', 'en-CA'] as const) {
    it(`has no text below AA contrast (${locale})`, async () => {
      const context = await browser.newContext({ viewport: PHONE, locale, timezoneId: 'America/Toronto' });
      if (locale === 'en-CA') await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: inject('webUrl') }]);
      const page = await context.newPage();
      const failures: Record<string, string[]> = {};
      for (const path of [listingPath, '/', '/search', coopPath, '/sign-in', '/sign-up', '/fees', '/transparency', '/how-ranking-works']) {
        const res = await page.goto(inject('webUrl') + path);
        expect(res?.status(), path).toBe(200);
        await hydrated(page);
        const found = await contrastViolations(page);
        if (found.length) failures[path] = found;
        if (path === listingPath) await screenshot(page, `contrast-listing-${locale}`);
      }
      await context.close();
      expect(failures).toEqual({});
    });
  }
});
