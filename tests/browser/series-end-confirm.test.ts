/**
 * Issue 13 on a phone: ending regular visits is not made in one tap, as a pause is not. The client
 * asks (in French) and first sees which visits the end cancels and what the paid one refunds, with
 * nothing changed; the co-op's admin asks with a reason and sees every paid visit refunded in full
 * (its own cancellation), confirms, and the series is ended with the payment refunded. After it,
 * the banner names the end's date and the refund, and the refunded visit is still reachable from
 * the series page (a "cancelled and refunded" list, with a link to its booking), in both languages.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import {
  PHONE, adminCoopId, apiAs, bookableListings, frCad, goto, hydrated, paymentOf, phone, signIn, signUpClient, slotAfter, squeeze, webhooksDelivered,
  type ApiSession,
} from '../support/booking-world.js';

const ADMIN = 'admin@tissu.demo';

let browser: Browser;
let admin: ApiSession;
let client: ApiSession;
let person: { email: string; password: string };
let seriesId = '';
let paidVisit = '';

const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await apiAs(ADMIN);
  person = await signUpClient('Béatrice Fin-des-Visites de la Côte-des-Neiges');
  client = await apiAs(person.email, person.password);
  const weekly = (await bookableListings(await adminCoopId(admin))).filter((l) => l.schedule.seriesFrequencies.includes('weekly'));
  const regular = weekly.find((l) => !l.schedule.instantBooking) ?? weekly[0]!;
  expect(regular, 'a listing of the demo co-op offers weekly visits').toBeTruthy();
  // Three weekly visits from about seven and a half weeks ahead, clear of the other tests' dates; any busy date skipped.
  const startsAt = await slotAfter(regular.listing.id, 24 * 52);
  const preview = await client.get<{ visits: { date: string; status: string }[] }>(`/listings/${regular.listing.id}/series-preview?frequency=weekly&count=3&startsAt=${encodeURIComponent(startsAt)}`);
  const series = await client.post<{ id: string; state: string }>('/series', {
    listingId: regular.listing.id, startsAt, frequency: 'weekly', count: 3,
    choices: preview.visits.filter((v) => v.status !== 'free').map((v) => ({ date: v.date, action: 'skip' })),
    address: '4321, rue Saint-Denis, app. 2', contactName: 'Béatrice', contactEmail: person.email,
  });
  seriesId = series.id;
  if (series.state === 'requested') await admin.post(`/series/${seriesId}/accept`);
  const { visits } = await client.get<{ visits: { bookingId: string; state: string }[] }>(`/series/${seriesId}`);
  paidVisit = visits.find((v) => v.state === 'accepted')!.bookingId;
  const { url } = await client.post<{ url: string }>(`/bookings/${paidVisit}/checkout`);
  const paid = await fetch(`${inject('stripeUrl')}/_emulator/checkout/${new URL(url).pathname.split('/').pop()}/pay`, { method: 'POST' });
  expect(paid.ok).toBe(true);
  await webhooksDelivered();
  for (let i = 0; i < 40 && (await paymentOf(client, paidVisit)).status !== 'paid'; i++) await new Promise((r) => setTimeout(r, 250));
});
afterAll(async () => {
  await browser?.close();
});

const live = async () => (await client.get<{ visits: { state: string }[] }>(`/series/${seriesId}`)).visits.filter((v) => ['requested', 'accepted', 'paid'].includes(v.state));

describe('an end, confirmed', () => {
  it('the client first sees the visits it cancels and the refund of the paid one (in French); nothing changes until she confirms', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, person.email, person.password);
    await goto(page, `/series/${seriesId}`);
    await page.locator('summary', { hasText: 'Arrêter les visites' }).click();
    await page.getByTestId('series-end-submit').click();
    const confirm = page.getByTestId('end-confirm');
    await confirm.waitFor();
    expect(await confirm.locator('h3').innerText()).toMatch(/^Arrêt des visites à partir du /);
    expect(await page.getByTestId('end-visit').count()).toBe((await live()).length);
    const payment = await paymentOf(client, paidVisit);
    const line = squeeze(await page.locator(`[data-testid=end-visit][data-booking-id="${paidVisit}"]`).innerText());
    // Well before the visit: the listing's policy gives it all back.
    expect(line).toContain(squeeze(`Payée ${frCad(payment.breakdown.totalCents)} : ${frCad(payment.breakdown.totalCents)} remboursé, ${frCad(0)} gardé par la coopérative`));
    expect(squeeze(await page.getByTestId('end-refund-total').innerText())).toContain(squeeze(frCad(payment.breakdown.totalCents)));
    expect(await confirm.innerText()).toContain('conditions d’annulation de l’annonce');
    // Asked, not made.
    expect((await client.get<{ state: string; endsOn: string | null }>(`/series/${seriesId}`)).state).toBe('active');
    expect((await paymentOf(client, paidVisit)).status).toBe('paid');
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-end-confirm-client');
    await context.close();
  });

  it("the co-op's admin, with a reason, sees everything refunded (in English), confirms, and the series ends with the visit refunded", async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'en-CA', timezoneId: 'America/Toronto' });
    await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: inject('webUrl') }]);
    const page = await context.newPage();
    await signIn(page, ADMIN);
    await goto(page, `/series/${seriesId}`);
    await page.locator('summary', { hasText: 'End the visits' }).click();
    // The co-op says why, before anything is shown.
    await page.getByTestId('series-end-submit').click();
    await page.locator('#end-reason[aria-invalid=true]').waitFor();
    await page.fill('#end-reason', 'Notre équipe ne dessert plus ce quartier — désolés « vraiment »');
    await page.getByTestId('series-end-submit').click();
    const confirm = page.getByTestId('end-confirm');
    await confirm.waitFor();
    const payment = await paymentOf(client, paidVisit);
    const line = squeeze(await page.locator(`[data-testid=end-visit][data-booking-id="${paidVisit}"]`).innerText());
    expect(line).toContain(squeeze(`${(payment.breakdown.totalCents / 100).toFixed(2)} refunded`));
    expect(await confirm.innerText()).toContain('refunded in full');
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-end-confirm-coop-en');

    await page.getByTestId('series-end-confirm').click();
    // The answer comes once the paid visit is refunded (the series reads 'ended' from the commit before).
    await page.getByTestId('series-done').waitFor();
    await expect.poll(async () => (await client.get<{ endReason?: string | null; state: string }>(`/series/${seriesId}`)).state).toBe('ended');
    await hydrated(page);
    // The series ends first; its paid visit is refunded just after (through Stripe), as a single cancel is.
    await expect.poll(async () => (await paymentOf(client, paidVisit)).status).toBe('refunded');
    expect(await live()).toEqual([]);
    // The banner says from when, and what the paid visit was refunded.
    const { endsOn } = await client.get<{ endsOn: string }>(`/series/${seriesId}`);
    const from = DateTime.fromISO(endsOn).plus({ days: 1 }).setLocale('en-CA').toFormat('LLLL d, yyyy');
    const refunded = (await paymentOf(client, paidVisit)).breakdown.totalCents;
    const enCad = `$${(refunded / 100).toFixed(2)}`;
    const done = await page.getByTestId('series-done').innerText();
    expect(done).toContain(`The visits end from ${from}.`);
    expect(done).toContain(`The paid visit cancelled is refunded: ${enCad}, taxes included.`);
    const row = page.locator(`[data-testid=series-refunded] [data-booking-id="${paidVisit}"]`);
    expect(await row.innerText()).toContain(`${enCad} refunded`);
    expect(await row.locator('a').getAttribute('href')).toBe(`/bookings/${paidVisit}`);
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-ended-refunded-coop-en');
    await context.close();
  });

  it('the client, in French, finds the refunded visit on the series page and opens its booking', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, person.email, person.password);
    await goto(page, `/series/${seriesId}`);
    const list = page.getByTestId('series-refunded');
    expect(await page.locator('#refunded-title').innerText()).toBe('Visites annulées et remboursées');
    const refunded = (await paymentOf(client, paidVisit)).breakdown.totalCents;
    const row = list.locator(`[data-booking-id="${paidVisit}"]`);
    expect(squeeze(await row.innerText())).toContain(squeeze(`${frCad(refunded)} remboursé`));
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-ended-refunded-client-fr');
    await row.locator('a').click();
    await page.waitForURL(`**/bookings/${paidVisit}`);
    await context.close();
  });
});
