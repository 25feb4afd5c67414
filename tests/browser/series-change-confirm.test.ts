/**
 * Issue 13 on a phone: a change of time or frequency is not made in one tap. The client asks for
 * it and first sees what it does: the visits it cancels, the next visits, and, when the first new
 * visit falls the day after the one kept before it (weekly visits moved from one weekday to the
 * next, this week), a plain sentence saying so and from which date the usual week is kept. She
 * confirms, and the change is what she was shown. In French, and the same step in English.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import {
  PHONE, adminCoopId, apiAs, bookableListings, freeSlots, goto, hydrated, phone, signIn, signUpClient, squeeze, wallDate, wallTime,
  type ApiSession, type BookableListing,
} from '../support/booking-world.js';

const ADMIN = 'admin@tissu.demo';
const DAY = 86_400_000;

let browser: Browser;
let admin: ApiSession;
let client: ApiSession;
let person: { email: string; password: string };
let regular: BookableListing;
let seriesId = '';
let first: { date: string; startsAt: string };
let nextDay = '';
let time = '';

type SeriesView = { rules: { startsOn: string; time: string }[]; visits: { bookingId: string; date: string; state: string; startsAt: string }[] };
const noSideways = (page: import('playwright-core').Page) => page.evaluate(() => document.documentElement.scrollWidth);
/** "lundi 4 janvier" / "Monday, January 4", as the page writes a day. */
const dayIn = (date: string, locale: string) => {
  const text = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
  return locale === 'fr-CA' ? text.replace(/ 1 /, ' 1er ') : text;
};

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await apiAs(ADMIN);
  person = await signUpClient('Odile Change-de-Jour');
  client = await apiAs(person.email, person.password);
  const weekly = (await bookableListings(await adminCoopId(admin))).filter((l) => l.schedule.seriesFrequencies.includes('weekly'));
  regular = weekly.find((l) => l.schedule.instantBooking) ?? weekly[0]!;
  expect(regular, 'a listing of the demo co-op offers weekly visits').toBeTruthy();
  // A free slot about four weeks ahead (clear of the other tests' dates) whose time is free the next day too.
  const { slots } = await freeSlots(regular.listing.id);
  const free = new Set(slots.map((s) => Date.parse(s.start)));
  const start = slots.find((s) => Date.parse(s.start) > Date.now() + 26 * DAY && free.has(Date.parse(s.start) + DAY))!;
  expect(start, 'a slot free on two days running').toBeTruthy();
  const zone = regular.schedule.timeZone;
  const preview = await client.get<{ visits: { date: string; status: string }[] }>(`/listings/${regular.listing.id}/series-preview?frequency=weekly&count=3&startsAt=${encodeURIComponent(start.start)}`);
  const series = await client.post<{ id: string; state: string }>('/series', {
    listingId: regular.listing.id, startsAt: start.start, frequency: 'weekly', count: 3,
    choices: preview.visits.filter((v) => v.status !== 'free').map((v) => ({ date: v.date, action: 'skip' })),
    address: '4321, rue Saint-Denis, app. 2', contactName: 'Odile', contactEmail: person.email,
  });
  seriesId = series.id;
  if (series.state === 'requested') await admin.post(`/series/${seriesId}/accept`);
  first = { date: wallDate(start.start, zone), startsAt: start.start };
  nextDay = wallDate(new Date(Date.parse(start.start) + DAY).toISOString(), zone);
  time = wallTime(start.start, zone);
});
afterAll(async () => {
  await browser?.close();
});

describe('a change from the day after a visit', () => {
  it('says the visit stays and the next is a day after it, asks to confirm, then does what it showed', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, person.email, person.password);
    await goto(page, `/series/${seriesId}`);
    await page.locator('summary', { hasText: 'Changer l’heure' }).click();
    await page.fill('#change-from', nextDay);
    await page.fill('#change-time', time);
    await page.getByTestId('series-change-submit').click();
    const confirm = page.getByTestId('change-confirm');
    await confirm.waitFor();
    const warning = squeeze(await page.getByTestId('change-too-close').innerText());
    expect(warning).toContain(squeeze(`Votre visite du ${dayIn(first.date, 'fr-CA')} reste ; la suivante sera le ${dayIn(nextDay, 'fr-CA')}, un jour après.`));
    expect(warning).toContain(squeeze('il y a une semaine entre deux visites'));
    // The visits after the first are cancelled; the first new one is the next day.
    const before = await client.get<SeriesView>(`/series/${seriesId}`);
    const later = before.visits.filter((v) => v.state === 'accepted' && v.date > first.date);
    expect(await page.getByTestId('change-cancelled').count()).toBe(later.length);
    expect(await page.getByTestId('change-next').first().getAttribute('data-status')).toBe('new');
    // Asked, not made.
    expect(before.rules).toHaveLength(1);
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-change-too-close-390');

    // The same step in English.
    const en = await browser.newContext({ viewport: PHONE, locale: 'en-CA', timezoneId: 'America/Toronto', storageState: await context.storageState() });
    await en.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: inject('webUrl') }]);
    const english = await en.newPage();
    await goto(english, `/series/${seriesId}`);
    await english.locator('summary', { hasText: 'Change the time' }).click();
    await english.fill('#change-from', nextDay);
    await english.fill('#change-time', time);
    await english.getByTestId('series-change-submit').click();
    await english.getByTestId('change-confirm').waitFor();
    expect(squeeze(await english.getByTestId('change-too-close').innerText()))
      .toContain(squeeze(`Your visit on ${dayIn(first.date, 'en-CA')} stays; the next one will be on ${dayIn(nextDay, 'en-CA')}, a day later.`));
    expect(await noSideways(english)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(english, 'series-change-too-close-en-390');
    await en.close();

    await hydrated(page);
    await page.getByTestId('series-change-confirm').click();
    await page.locator('.alert-success', { hasText: 'Changement enregistré' }).waitFor();
    const after = await client.get<SeriesView>(`/series/${seriesId}`);
    const live = after.visits.filter((v) => ['requested', 'accepted', 'paid'].includes(v.state));
    expect(live[0]!.startsAt).toBe(first.startsAt);
    expect(live[1]!.date).toBe(nextDay);
    expect(after.rules.at(-1)).toMatchObject({ startsOn: nextDay, time });
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-change-done-390');
    await context.close();
  });
});
