/**
 * Issue 16's "or a series, for regular work", in the browser on phones in French: a shop asks Les
 * Déménageurs Solidaires to carry its furniture deliveries; the co-op answers with regular visits
 * (every two weeks, the price of one visit), the client reads the rule in French with the price per
 * visit, accepts, and lands on the series' page, which asks for the card its visits are charged to.
 * The amounts are compared with the API's and with @tissu/shared's offer arithmetic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { offerPrice, type FeeSchedule, type Listing, type PaymentAccount, type Quote, type Series } from '@tissu/shared';
import { launchBrowser, screenshot } from '../support/browser.js';
import { apiAs, frCad, goto, phone, publicGet, signIn, signUpClient, squeeze, type ApiSession } from '../support/booking-world.js';

const MOVERS = 'demenageurs-solidaires@tissu.demo';
const ZONE = 'America/Toronto';

let browser: Browser;
let movers: ApiSession;
let coopId: string;
let listing: Listing;

beforeAll(async () => {
  browser = await launchBrowser();
  movers = await apiAs(MOVERS);
  const me = await movers.get<{ coops: { coopId: string; role: string }[] }>('/me');
  coopId = me.coops.find((c) => c.role === 'admin')!.coopId;
  const { items } = await movers.get<{ items: Listing[] }>(`/coops/${coopId}/listings?status=active`);
  listing = items.find((l) => l.quoteMode === 'only')!;
  expect(listing, 'the demo data has a moving listing on quote').toBeTruthy();
});
afterAll(async () => {
  await browser?.close();
});

/** A Tuesday at least `days` ahead, at `hour` in Montréal, as a datetime-local field writes it. */
function tuesdayAhead(days: number, hour: number): string {
  let d = DateTime.now().setZone(ZONE).plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  while (d.weekday !== 2) d = d.plus({ days: 1 });
  return d.toFormat("yyyy-MM-dd'T'HH:mm");
}

async function fitsThePhone(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
}

describe('regular work on quote, on phones in French', () => {
  it('the co-op proposes visits every two weeks, the client accepts them and reaches the series page', async () => {
    const [fee, account] = await Promise.all([publicGet<FeeSchedule>('/platform/fee'), movers.get<PaymentAccount>(`/coops/${coopId}/payments/account`)]);
    const taxes = { gst: account.gstRegistered, qst: account.qstRegistered };
    // A new client (the demo client's own moving quote is the other test's).
    const who = await signUpClient('Boutique Rosemont');
    const client = await apiAs(who.email, who.password);
    const asked = await client.post<Quote>('/quotes', {
      listingId: listing.id, description: 'Une boutique de meubles : livrer les commandes de la semaine, toutes les deux semaines.', address: '3100, rue Masson, Montréal',
    });

    // The co-op answers with regular visits: one line, the price of one visit.
    const { page: coop } = await phone(browser);
    await signIn(coop, MOVERS);
    await goto(coop, `/quotes/${asked.id}`);
    await coop.fill('#line-1-label', 'Deux déménageurs et le camion, 3 heures');
    await coop.fill('#line-1-quantity', '3');
    await coop.fill('#line-1-unit', '95');
    await coop.fill('#duration', '3');
    await coop.getByTestId('offer-kind-regular').check();
    // Only the part chosen shows: the proposed times are hidden.
    expect(await coop.getByTestId('offer-time').first().isVisible()).toBe(false);
    await coop.selectOption('#frequency', 'every_2_weeks');
    const first = tuesdayAhead(5, 9);
    await coop.fill('#seriesStart', first);
    const price = offerPrice([{ label: 'x', quantity: 3, unitPriceCents: 9500 }], fee.current.rateBps, taxes, 0);
    // The live totals are one visit's, with no deposit.
    expect(squeeze(await coop.getByTestId('live-total').innerText())).toBe(frCad(price.totalCents));
    await fitsThePhone(coop);
    await screenshot(coop, 'quote-series-offer-editor');
    await coop.getByTestId('offer-submit').click();
    await coop.locator('[data-testid=quote-state][data-state=offered]').waitFor();

    const sent = await client.get<Quote>(`/quotes/${asked.id}`);
    expect(sent.offers[0]).toMatchObject({ serviceCents: price.serviceCents, totalCents: price.totalCents, depositPercent: 0, proposedTimes: [] });
    expect(sent.offers[0]!.recurrence).toMatchObject({ frequency: 'every_2_weeks', count: null, until: null });
    expect(Date.parse(sent.offers[0]!.recurrence!.startsAt)).toBe(DateTime.fromISO(first, { zone: ZONE }).toMillis());

    // The client reads the rule in French, with the price of a visit, and accepts.
    const { page } = await phone(browser);
    await signIn(page, who.email, who.password);
    await goto(page, `/quotes/${asked.id}`);
    const rule = await page.getByTestId('offer-regular-rule').innerText();
    expect(rule).toMatch(/^Toutes les deux semaines, le mardi à 9\s?h\s?00, à partir du /);
    expect(squeeze(rule)).toContain(squeeze(`${frCad(price.totalCents)} par visite`));
    expect(await page.getByTestId('quote-time').count()).toBe(0);
    expect(await page.getByTestId('quote-next').innerText()).toMatch(/acceptez les visites régulières/);
    await fitsThePhone(page);
    await screenshot(page, 'quote-series-offer-client');
    await page.getByTestId('quote-accept-submit').click();
    await page.waitForURL(/\/series\/[0-9a-f-]{36}\?done=booked/);
    const seriesId = /\/series\/([0-9a-f-]{36})/.exec(page.url())![1]!;

    // The series' page: active, at the agreed price, and it asks for the card its visits are charged to.
    await page.locator('[data-testid=series-state][data-state=active]').waitFor();
    expect(await page.getByTestId('series-price').getAttribute('data-cents')).toBe(String(price.serviceCents));
    expect(await page.getByTestId('series-rule').innerText()).toMatch(/Toutes les deux semaines, le mardi/);
    expect(await page.getByTestId('series-card').innerText()).toMatch(/Enregistrer une carte/);
    // The time was agreed in the offer: no form to change it, a word on whom to ask, and pausing stays hers.
    expect(await page.locator('form[action="?/change"]').count()).toBe(0);
    expect(await page.getByTestId('series-time-agreed').innerText()).toMatch(/L’heure a été convenue dans l’offre/);
    expect(await page.getByTestId('series-write-coop').getAttribute('href')).toMatch(/^#reply-body-|^\/quotes\//);
    expect(await page.locator('form[action="?/pause"]').count()).toBe(1);
    await fitsThePhone(page);
    await screenshot(page, 'quote-series-page');

    const series = await client.get<Series>(`/series/${seriesId}`);
    expect(series).toMatchObject({ state: 'active', priceCents: price.serviceCents, regularPriceCents: price.serviceCents });
    expect(Date.parse(series.nextVisit!.startsAt)).toBe(DateTime.fromISO(first, { zone: ZONE }).toMillis());
    // The quote points to it.
    expect((await client.get<Quote>(`/quotes/${asked.id}`)).seriesId).toBe(seriesId);
  });
});
