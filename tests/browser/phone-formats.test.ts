/**
 * Issue 10 item 23: one way to write times per language, and a vote deadline that reads as the end
 * of the day the steward picked (the API stores the midnight that ends it), never "jusqu'au
 * 21 décembre à 00 h 00" / "12:00 a.m."; the founding fee rate's reason in the reader's language.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import { apiAs, goto, phone, signIn, wallDate, wallTime } from '../support/booking-world.js';

const ZONE = 'America/Toronto';
const TITLE = `Résolution sur les heures d'ouverture ${Date.now()}`;
let browser: Browser;
let lastDay: string;

/** The midnight that ends a local date in Montréal (05:00 or 04:00 UTC, whichever is 00:00 there). */
function midnightAfter(date: string): string {
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const day = next.toISOString().slice(0, 10);
  const candidates = [4, 5].map((h) => new Date(`${day}T0${h}:00:00Z`).toISOString());
  return candidates.find((c) => wallTime(c, ZONE) === '00:00' && wallDate(c, ZONE) === day)!;
}

const dayText = (date: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));

beforeAll(async () => {
  browser = await launchBrowser();
  const steward = await apiAs('steward@tissu.demo');
  lastDay = wallDate(new Date(Date.now() + 7 * 86_400_000).toISOString(), ZONE);
  // As the steward's form sends it: the vote closes at the midnight that ends its last day.
  await steward.post('/steward/proposals', {
    kind: 'resolution', title: TITLE, body: 'Ouvrir le samedi matin.',
    opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: midnightAfter(lastDay),
  });
});
afterAll(() => browser?.close());

describe('times and deadlines read one way per language', () => {
  it('shows the vote open until the end of its last day, in French then in English', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, 'client@tissu.demo');
    await goto(page, '/assembly');
    const card = page.locator('article, li, section').filter({ hasText: TITLE }).last();
    const fr = (await card.innerText()).replace(/\s+/g, ' ');
    expect(fr).toContain(`jusqu'à la fin du ${dayText(lastDay, 'fr-CA')}`);
    expect(fr).not.toMatch(/00 h 00/);
    // A time of day has no leading zero: "9 h 05", never "09 h 05".
    expect(fr).not.toMatch(/\b0\d h \d\d/);
    // Counts go through the message format's plurals: "1 bulletin déposé", "20 votes sur 31 membres."
    const all = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(all).not.toMatch(/\(s\)|assembly_turnout|\b[2-9] bulletin déposé|\b1 bulletins/);
    expect(all).toMatch(/\d+ votes? sur \d+ membres?\./);
    await screenshot(page, 'formats-assembly-fr');

    await page.goto(`${inject('webUrl')}/lang?to=en&redirect=/assembly`);
    const en = (await page.locator('article, li, section').filter({ hasText: TITLE }).last().innerText()).replace(/\s+/g, ' ');
    expect(en).toContain(`until the end of ${dayText(lastDay, 'en-CA')}`);
    expect(en).not.toContain('12:00 a.m.');
    await page.goto(`${inject('webUrl')}/lang?to=fr&redirect=/`);
    await context.close();
  });

  it("gives the founding fee rate's reason in French on the steward's fee page", async () => {
    const { context, page } = await phone(browser);
    await signIn(page, 'steward@tissu.demo');
    await goto(page, '/steward/fees');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Taux de fondation adopté par les membres');
    expect(text).not.toContain('Founding rate adopted by the members');
    await context.close();
  });
});
