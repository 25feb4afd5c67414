/**
 * Issue 15, photos as a co-op admin and a visitor meet them, on a phone in French: the admin adds
 * two photos to a listing with their words in both languages, moves the second before the first,
 * and the listing page and the search card show them in that order with those words; a file that
 * is not an image is refused in French next to the field; a photo is deleted after a confirmation.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Listing, Schedule } from '@tissu/shared';
import { launchBrowser, screenshot } from '../support/browser.js';
import { adminCoopId, apiAs, bookableListings, goto, phone, publicGet, signIn } from '../support/booking-world.js';
import { photo } from '../support/photos.js';

const altsOn = (page: Page, testid: string) => page.getByTestId(testid).evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).alt));
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

let browser: Browser;
let files: { kitchen: string; bathroom: string; notImage: string };
let listing: Listing;
const title = `Grand ménage photos ${Date.now()}`;

beforeAll(async () => {
  browser = await launchBrowser();
  const dir = await mkdtemp(path.join(tmpdir(), 'tissu-photos-'));
  files = { kitchen: path.join(dir, 'cuisine.png'), bathroom: path.join(dir, 'salle-de-bain.png'), notImage: path.join(dir, 'facture.jpg') };
  await writeFile(files.kitchen, await photo(900, 600, { format: 'png' }));
  await writeFile(files.bathroom, await photo(600, 900, { format: 'png' }));
  await writeFile(files.notImage, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

  // A new listing of the demo admin's co-op, open at the hours of one it has, so search finds it.
  const admin = await apiAs('admin@tissu.demo');
  const coopId = await adminCoopId(admin);
  const [model] = await bookableListings(coopId);
  const m = model!.listing;
  listing = await admin.post<Listing>(`/coops/${coopId}/listings`, {
    titleFr: title, titleEn: `Big cleaning photos ${Date.now()}`, descriptionFr: 'Un grand ménage du printemps, photos à l’appui.', descriptionEn: 'A big spring cleaning, with photos.',
    category: m.category, priceKind: m.priceKind, priceCents: m.priceCents, durationMinutes: m.durationMinutes, locationMode: m.locationMode, boroughs: m.boroughs,
  });
  const { listingId: _l, configured: _c, ...hours } = await publicGet<Schedule>(`/listings/${m.id}/schedule`);
  const res = await fetch(`${inject('apiUrl')}/listings/${listing.id}/schedule`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...hours, exceptions: [] }),
  });
  expect(res.status).toBeLessThan(300);
});
afterAll(() => browser?.close());

describe('a co-op admin on a phone, in French, and the photos of her listing', () => {
  it('adds two photos with their words, reorders them, sees them in that order on the listing and in search, deletes one, and is told in French that a PDF is not a photo', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, 'admin@tissu.demo');
    const edit = `/dashboard/coops/${listing.coop.id}/listings/${listing.id}/edit`;
    await goto(page, edit);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await expect.poll(() => page.locator('#photos h2').innerText()).toBe('Photos');

    const add = async (file: string, fr: string, en: string) => {
      const form = page.locator('form.add-photo');
      await form.locator('input[type=file]').setInputFiles(file);
      await form.locator('input[name=altFr]').fill(fr);
      await form.locator('input[name=altEn]').fill(en);
      await form.locator('button[type=submit]').click();
      await form.locator('.alert').first().waitFor();
      // What the form says, so a refusal shows its words here.
      expect(await form.locator('.alert, .field-errors').allInnerTexts()).toEqual(['Photo ajoutée.']);
    };
    await add(files.kitchen, 'Une cuisine propre et lumineuse', 'A clean, bright kitchen');
    await page.waitForSelector('[data-testid=photo-item]');
    await add(files.bathroom, 'Une salle de bain récurée', 'A scrubbed bathroom');
    await expect.poll(() => page.getByTestId('photo-item').count()).toBe(2);
    expect(await page.locator('[data-testid=photo-item] h3').allInnerTexts()).toEqual(['Photo 1 sur 2', 'Photo 2 sur 2']);

    // The bathroom first: « Monter » on the second photo.
    await page.getByTestId('photo-item').nth(1).getByRole('button', { name: /Monter/ }).click();
    await expect.poll(() => page.getByTestId('photo-item').first().locator('input[name=altFr]').inputValue()).toBe('Une salle de bain récurée');
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'photos-admin-390-fr');

    // A PDF named .jpg: refused, in French, beside the file field; nothing added.
    const form = page.locator('form.add-photo');
    await form.locator('input[type=file]').setInputFiles(files.notImage);
    await form.locator('input[name=altFr]').fill('Une facture');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('.field-errors').innerText()).toContain('n’est pas une image');
    expect(await page.getByTestId('photo-item').count()).toBe(2);
    await screenshot(page, 'photos-admin-wrong-file-390-fr');

    // The listing page: the bathroom large (asked for first), then the kitchen; nothing wider than the phone.
    await goto(page, `/listings/${listing.id}`);
    expect(await altsOn(page, 'listing-photo')).toEqual(['Une salle de bain récurée', 'Une cuisine propre et lumineuse']);
    const main = page.getByTestId('listing-photo').first();
    expect(await main.getAttribute('fetchpriority')).toBe('high');
    expect(await main.getAttribute('loading')).toBe('eager');
    expect(await page.getByTestId('listing-photo').nth(1).getAttribute('loading')).toBe('lazy');
    expect(Number(await main.getAttribute('width'))).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=listing-photos] picture').first().locator('source[type="image/avif"]').count()).toBe(1);
    await expect.poll(() => main.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'photos-listing-390-fr');

    // Search: its card shows the bathroom, with its words.
    await goto(page, `/search?q=${encodeURIComponent(title)}`);
    const card = page.getByTestId('listing-card').filter({ hasText: title });
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.getByTestId('card-photo').getAttribute('alt')).toBe('Une salle de bain récurée');
    await screenshot(page, 'photos-search-390-fr');

    // Deleting asks first, then the kitchen is gone.
    await goto(page, edit);
    await page.getByTestId('photo-item').nth(1).getByRole('link', { name: /Supprimer/ }).click();
    await page.getByTestId('confirm-delete').getByRole('button', { name: 'Supprimer la photo' }).click();
    await expect.poll(() => page.getByTestId('photo-item').count()).toBe(1);
    expect(await page.locator('#photos .alert-success').innerText()).toBe('Photo supprimée.');
    await goto(page, `/listings/${listing.id}`);
    expect(await altsOn(page, 'listing-photo')).toEqual(['Une salle de bain récurée']);
    await context.close();
  });
});
