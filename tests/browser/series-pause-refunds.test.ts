/**
 * Issue 13 on a phone, in French: a pause is not made in one tap. The client asks for it and first
 * sees which visits it cancels and, for the paid one, what comes back (also without JavaScript);
 * she confirms, and the visit refunded is then found from her bookings list with its receipt, not
 * only from the series page. Search cards say the regular-visit discount, as the listing page does.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import {
  PHONE, adminCoopId, apiAs, bookableListings, frCad, goto, hydrated, paymentOf, phone, signIn, signUpClient, slotAfter, squeeze, webhooksDelivered,
  type ApiSession, type BookableListing,
} from '../support/booking-world.js';

const ADMIN = 'admin@tissu.demo';

let browser: Browser;
let admin: ApiSession;
let client: ApiSession;
let person: { email: string; password: string };
let regular: BookableListing;
let seriesId = '';
let paidVisit = '';

const noSideways = (page: import('playwright-core').Page) => page.evaluate(() => document.documentElement.scrollWidth);

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await apiAs(ADMIN);
  person = await signUpClient('Inès Pause-Remboursement de la Longue-Rue');
  client = await apiAs(person.email, person.password);
  const listings = await bookableListings(await adminCoopId(admin));
  regular = listings.find((l) => l.schedule.seriesFrequencies.includes('weekly') && !l.schedule.instantBooking)!;
  expect(regular, 'a request-first listing of the demo co-op offers weekly visits').toBeTruthy();
  // Three weekly visits from about five weeks ahead (clear of the other tests' series), any busy date skipped.
  const startsAt = await slotAfter(regular.listing.id, 24 * 34);
  const preview = await client.get<{ visits: { date: string; status: string }[] }>(`/listings/${regular.listing.id}/series-preview?frequency=weekly&count=3&startsAt=${encodeURIComponent(startsAt)}`);
  const series = await client.post<{ id: string }>('/series', {
    listingId: regular.listing.id, startsAt, frequency: 'weekly', count: 3,
    choices: preview.visits.filter((v) => v.status !== 'free').map((v) => ({ date: v.date, action: 'skip' })),
    address: '4321, rue Saint-Denis, app. 2', contactName: 'Inès', contactEmail: person.email,
  });
  seriesId = series.id;
  await admin.post(`/series/${seriesId}/accept`);
  // Her first visit paid on the emulator's Checkout page.
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

describe('a pause, confirmed', () => {
  it('first names the visits it cancels and the refund of the paid one; nothing changes until she confirms', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, person.email, person.password);
    await goto(page, `/series/${seriesId}`);
    await page.locator('summary', { hasText: 'Mettre en pause' }).click();
    // Today, prefilled: the pause takes every visit to come.
    const today = await page.locator('#pause-from').inputValue();
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.fill('#pause-reason', 'Voyage de trois semaines — « au Portugal » & ailleurs; <b>pas</b> de ménage');
    await page.getByTestId('series-pause-submit').click();
    const confirm = page.getByTestId('pause-confirm');
    await confirm.waitFor();
    const { visits } = await client.get<{ visits: { bookingId: string; state: string }[] }>(`/series/${seriesId}`);
    const live = visits.filter((v) => ['requested', 'accepted', 'paid'].includes(v.state));
    expect(await page.getByTestId('pause-visit').count()).toBe(live.length);
    const payment = await paymentOf(client, paidVisit);
    const line = squeeze(await page.locator(`[data-testid=pause-visit][data-booking-id="${paidVisit}"]`).innerText());
    // Well before the visit: the whole amount comes back, nothing is kept.
    expect(line).toContain(squeeze(`Payée ${frCad(payment.breakdown.totalCents)} : ${frCad(payment.breakdown.totalCents)} remboursé, ${frCad(0)} gardé par la coopérative`));
    expect(squeeze(await page.getByTestId('pause-refund-total').innerText())).toContain(squeeze(frCad(payment.breakdown.totalCents)));
    // Asked, not made.
    expect((await client.get<{ state: string }>(`/series/${seriesId}`)).state).toBe('active');
    expect((await paymentOf(client, paidVisit)).status).toBe('paid');
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-pause-confirm');

    // The same step without JavaScript: plain forms.
    const bare = await browser.newContext({ viewport: PHONE, locale: 'fr-CA', timezoneId: 'America/Toronto', javaScriptEnabled: false, storageState: await context.storageState() });
    const plain = await bare.newPage();
    await plain.goto(`${inject('webUrl')}/series/${seriesId}`);
    await plain.locator('summary', { hasText: 'Mettre en pause' }).click();
    await plain.getByTestId('series-pause-submit').click();
    await plain.getByTestId('pause-confirm').waitFor();
    expect(await plain.getByTestId('pause-visit').count()).toBe(live.length);
    await bare.close();

    await page.getByTestId('series-pause-confirm').click();
    await expect.poll(() => page.getByTestId('series-state').getAttribute('data-state')).toBe('paused');
    await hydrated(page);
    expect((await paymentOf(client, paidVisit)).status).toBe('refunded');
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-pause-done');
    await context.close();
  });

  it('the refunded visit is found from her bookings list, with its receipt', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, person.email, person.password);
    await goto(page, '/bookings');
    const card = page.locator('[data-testid=past-bookings] [data-testid=booking-card]', { has: page.locator(`a[href="/bookings/${paidVisit}"]`) });
    expect(await card.count()).toBe(1);
    expect(await card.getByTestId('series-tag').getAttribute('href')).toBe(`/series/${seriesId}`);
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-refunded-visit-in-bookings');
    await card.locator(`a[href="/bookings/${paidVisit}"]`).click();
    await page.waitForURL(new RegExp(`/bookings/${paidVisit}$`));
    expect(await page.getByTestId('receipt-link').getAttribute('href')).toBe(`/bookings/${paidVisit}/receipt`);
    await context.close();
  });

  it("the co-op's bookings list has it too", async () => {
    const { context, page } = await phone(browser);
    await signIn(page, ADMIN);
    await goto(page, `/dashboard/coops/${await adminCoopId(admin)}/bookings`);
    expect(await page.locator(`[data-testid=inbox-card][data-booking-id="${paidVisit}"]`).count()).toBe(1);
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-refunded-visit-in-inbox');
    await context.close();
  });
});

describe('search cards', () => {
  it('say the regular-visit discount, as the listing page does', async () => {
    const { context, page } = await phone(browser);
    const offered = regular.schedule.seriesDiscountBps;
    expect(offered, 'the demo regular listing has a discount').toBeGreaterThan(0);
    await goto(page, `/search?q=${encodeURIComponent(regular.listing.titleFr)}`);
    const card = page.locator('[data-testid=listing-card]', { has: page.locator(`a[href="/listings/${regular.listing.id}"]`) });
    expect(squeeze(await card.getByTestId('card-regular-discount').innerText())).toBe(squeeze(`−${offered / 100} % en visites régulières`));
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'search-regular-discount');
    await context.close();
  });
});
