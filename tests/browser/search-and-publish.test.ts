import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';

let browser: Browser;
let page: Page;
const web = () => inject('webUrl');

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
});
afterAll(() => browser?.close());

describe('a visitor on a phone, then a co-op admin', () => {
  it('finds cleaning with "menage" in French, reads it in English, and a double-clicked new listing shows up once in search', async () => {
    await page.goto(web());
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.fill('#hero-q', 'menage');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/search\?/);
    const cards = page.getByTestId('listing-card');
    expect(await cards.count()).toBeGreaterThan(0);
    const firstTitle = (await cards.first().locator('h2, h3').first().innerText()).trim();
    expect(firstTitle.toLowerCase()).toMatch(/ménage|menage|nettoyage|entretien/);
    await screenshot(page, 'search-menage-fr');

    await cards.first().locator('a').first().click();
    await page.waitForURL(/\/listings\//);
    const listingUrl = page.url();
    await expect.poll(() => page.locator('h1').innerText()).toContain(firstTitle);

    await page.getByTestId('lang-switch').click();
    await page.waitForURL(listingUrl);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const englishTitle = await page.locator('h1').innerText();
    expect(englishTitle).not.toBe(firstTitle);
    expect(englishTitle.toLowerCase()).toMatch(/clean/);
    await screenshot(page, 'listing-en');

    await page.goto(`${web()}/sign-in`);
    await page.fill('input[name=email]', 'admin@tissu.demo');
    await page.fill('input[name=password]', 'tissu-demo-2026');
    await page.click('form button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

    await page.goto(`${web()}/dashboard`);
    await page.locator('main a.button.primary[href^="/dashboard/coops/"]').first().click();
    await page.waitForURL(/\/dashboard\/coops\/[0-9a-f-]+$/);
    await page.locator('a[href$="/listings/new"]').first().click();
    await page.waitForURL(/\/listings\/new$/);
    const title = `Window washing ${Date.now()}`;
    await page.fill('input[name=titleFr]', `Lavage de fenêtres ${Date.now()}`);
    await page.fill('input[name=titleEn]', title);
    await page.fill('textarea[name=descriptionFr]', 'Lavage intérieur et extérieur des fenêtres, produits écologiques fournis.');
    await page.fill('textarea[name=descriptionEn]', 'Inside and outside window washing, with green products provided.');
    await page.selectOption('select[name=category]', 'menage');
    await page.check('input[name=priceKind][value=hourly]');
    await page.fill('input[name=price]', '42,50');
    await page.fill('input[name=durationMinutes]', '120');
    await page.check('input[name=locationMode][value=client_place]');
    await page.check('input[name=boroughs][value=verdun]');
    await screenshot(page, 'new-listing-form');
    // A double click on "Créer le service" publishes one listing (disabled button + Idempotency-Key).
    await page.locator('form button[type=submit]').last().dblclick();
    await page.waitForURL((u) => !u.pathname.endsWith('/listings/new'));
    // Created, not yet online: the message (in English, as she reads it) says what it needs.
    const created = await page.locator('.alert-success[role=status]').first().innerText();
    expect(created).toContain('Add its opening hours');
    expect(created).not.toContain('put online');
    // Not bookable, so not in search, until it has opening hours: the dashboard says so and leads there.
    const row = page.locator('.manage-row').filter({ hasText: title });
    await row.getByTestId('no-hours').locator('a').click();
    await page.waitForURL(/\/availability$/);
    for (const weekday of [1, 2, 3, 4, 5]) {
      await page.fill(`input[name=w${weekday}-1-start]`, '09:00');
      await page.fill(`input[name=w${weekday}-1-end]`, '17:00');
    }
    await page.getByTestId('availability-save').click();
    await page.locator('.alert-success[role=status]').waitFor();

    await page.goto(`${web()}/search?q=${encodeURIComponent('window washing')}`);
    await expect.poll(() => page.getByTestId('listing-card').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining(title)]));
    const card = page.getByTestId('listing-card').filter({ hasText: title });
    expect(await card.count()).toBe(1);
    expect(await card.innerText()).toMatch(/42\.50/);
    await screenshot(page, 'search-new-listing-en');
  });
});
