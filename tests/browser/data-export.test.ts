/**
 * "Download my data" on a phone, in French: a person asks on /account/data, the job builds her
 * archive, she opens the emailed link and downloads the zip; the same link shows someone else a
 * 404, and the page says the archive is ready until its expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { unzipSync } from 'fflate';
import { launchBrowser, screenshot } from '../support/browser.js';
import { goto, mailedLink, phone, signIn, signUpClient } from '../support/booking-world.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('download my data, on a phone in French', () => {
  it('she asks, opens the emailed link and downloads her archive; nobody else can', async () => {
    const me = await signUpClient('Éloïse Brûlé');
    const { context, page } = await phone(browser);
    await signIn(page, me.email, me.password);
    await goto(page, '/account/data');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Télécharger mes données');
    await expect.poll(() => page.getByTestId('export-state').innerText()).toContain('pas encore demandé');
    await screenshot(page, 'data-export-page');
    // No sideways scroll at 390 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.getByTestId('export-request').click();
    await page.waitForURL(/\/account\/data\?asked=1$/);
    await expect.poll(() => page.getByTestId('export-state').innerText()).toMatch(/en préparation|prête/);

    // The job (running in the stack) builds it and mails the link.
    const link = new URL((await mailedLink(me.email, /https?:\/\/\S+\/account\/data\/[\w-]{43}/))[0]);
    await goto(page, link.pathname);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Votre archive est prête');
    await screenshot(page, 'data-export-link');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^tissu-\d{4}-\d\d-\d\d\.zip$/);
    const bytes = await (await download.createReadStream()).toArray();
    const files = unzipSync(new Uint8Array(Buffer.concat(bytes)));
    expect(Object.keys(files).sort()).toEqual(['LISEZ-MOI.txt', 'bookings.csv', 'data.json', 'payments.csv', 'statements.csv']);
    expect(JSON.parse(new TextDecoder().decode(files['data.json'])).account.name).toBe('Éloïse Brûlé');

    await goto(page, '/account/data');
    await expect.poll(() => page.getByTestId('export-state').innerText()).toContain('prête jusqu’au');

    // The same link, forwarded to someone else signed in: no archive there.
    const other = await signUpClient('Autre Personne');
    const { context: theirs, page: theirPage } = await phone(browser);
    await signIn(theirPage, other.email, other.password);
    const res = await theirPage.goto(link.href);
    expect(res?.status()).toBe(404);
    // It says what to do, not just "page not found".
    expect(await theirPage.locator('main').innerText()).toContain('Ce lien ne mène à aucune archive pour ce compte');
    const zip = await theirs.request.get(`${link.href}/archive`, { maxRedirects: 0 });
    expect(zip.status()).toBe(404);
    await theirs.close();
    await context.close();
  });
});
