/**
 * Issue 13 in the browser: a client books a weekly cleaning on a phone in French (the slot, « Visites
 * régulières », « Chaque semaine », the coming visits with a choice for each date that is not free),
 * lands on the series page, and the co-op's admin accepts the series once from that page. She saves
 * a card, and the second visit is charged to it without her: she sees it confirmed, with its receipt.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createDb, type Database } from '@tissu/db';
import { createCheckoutService, createSavedCards } from '../../server/src/modules/payments/index.js';
import { createStripeGateway } from '../../server/src/plugins/stripe.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { PHONE, adminCoopId, apiAs, bookableListings, goto, hydrated, mondayOf, paymentOf, phone, signIn, slotAfter, type ApiSession, type BookableListing, fillNewAddress } from '../support/booking-world.js';

const web = () => inject('webUrl');
const CLIENT = 'client@tissu.demo';
const ADMIN = 'admin@tissu.demo';

let browser: Browser;
let client: ApiSession;
let admin: ApiSession;
let regular: BookableListing;
let database: Database;
let seriesId = '';

/**
 * The stack's charge job (\`series-charges\`, every 5 minutes) as it runs at an instant: the same
 * code on the stack's database and Stripe emulator, its clock moved to when a visit's charge is due.
 */
function chargeJobAt(at: Date) {
  const gateway = createStripeGateway({ secretKey: 'sk_test_tissu_local_emulator', webhookSecret: '', apiUrl: inject('stripeUrl') });
  const log = { warn() {}, error() {} };
  return createSavedCards({
    db: database.db, gateway, webOrigin: web(), log, now: () => at,
    checkout: createCheckoutService({ db: database.db, gateway, webOrigin: web(), log }),
  });
}

beforeAll(async () => {
  browser = await launchBrowser();
  database = createDb(inject('databaseUrl'));
  [client, admin] = await Promise.all([apiAs(CLIENT), apiAs(ADMIN)]);
  const coopId = await adminCoopId(admin);
  // A listing of the admin's own co-op that takes weekly visits and asks the co-op first.
  const listings = await bookableListings(coopId);
  regular = listings.find((l) => l.schedule.seriesFrequencies.includes('weekly') && !l.schedule.instantBooking)!;
  expect(regular, 'a request-first listing of the demo co-op offers weekly visits').toBeTruthy();
});
afterAll(async () => {
  await browser?.close();
  await database?.close();
});

/** The starts (ISO) of the series visits a person has on a listing. */
async function seriesVisitsOf(email: string, listingId: string): Promise<Set<string>> {
  const rows = await database.sql<{ startsAt: Date }[]>`
    SELECT b.starts_at AS "startsAt" FROM bookings b JOIN users u ON u.id = b.client_id
    WHERE u.email = ${email} AND b.listing_id = ${listingId} AND b.series_id IS NOT NULL AND b.state IN ('requested', 'accepted', 'paid')`;
  return new Set(rows.map((r) => new Date(r.startsAt).toISOString()));
}

describe('regular visits on a phone', () => {
  it('the client books a weekly cleaning: slot, frequency, the coming visits, confirmation', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, CLIENT);
    const { listing, schedule } = regular;
    // Far enough ahead to leave the demo's own series and bookings alone, and not at a time the
    // demo's own series already brings her (a second series there is refused as the same one:
    // the test failed whenever it ran on the weekday and hour that put its slot there).
    const start = await slotAfter(listing.id, 24 * 9, await seriesVisitsOf(CLIENT, listing.id));
    await goto(page, `/listings/${listing.id}?week=${mondayOf(start, schedule.timeZone)}`);
    // Offered publicly beside the price, with its discount, before any slot is chosen.
    expect(await page.getByTestId('regular-offer').innerText()).toMatch(/^Visites régulières : .*chaque semaine.*de rabais sur chaque visite$/);
    await page.locator(`[data-testid=slot][data-start="${start}"]`).click();
    await page.getByTestId('chosen-slot').waitFor();
    await hydrated(page);

    await page.locator('label[for=kind-regular]').click();
    const form = page.getByTestId('regular-form');
    await expect.poll(() => form.isVisible()).toBe(true);
    expect(await page.getByTestId('series-discount').innerText()).toMatch(/de rabais sur chaque visite/);
    await page.locator('label[for=f-frequency-weekly]').click();
    await page.getByTestId('series-preview-submit').click();
    await page.waitForURL(/\/listings\/[0-9a-f-]{36}\/regular\?/);
    await hydrated(page);

    expect(await page.getByTestId('series-rule').innerText()).toMatch(/^Chaque semaine, le \p{L}+ à \d{1,2}\sh\s\d{2}, à partir du /u);
    const visits = page.getByTestId('series-visit');
    expect(await visits.count()).toBeGreaterThanOrEqual(8);
    // Every date that is not free gets an answer: the first free time offered, or skipped.
    for (const open of await page.locator('[data-testid=series-visit]:not([data-status=free])').all()) {
      const move = open.getByTestId('choice-move').first();
      if (await move.count()) await move.check();
      else await open.getByTestId('choice-skip').check();
    }
    expect(listing.locationMode).toBe('client_place');
    // Sent without the address: the refusal, above the button tapped at the foot of a long page,
    // takes the focus and comes into view on the phone (it was 500 px above the screen).
    await page.getByTestId('series-confirm').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');
    const shown = await page.evaluate(() => {
      const r = document.activeElement!.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(shown).toBe(true);
    await fillNewAddress(page, { street: '4321, rue Saint-Denis', unit: 'app. 2' });
    await screenshot(page, 'regular-visits-preview');
    await page.getByTestId('series-confirm').click();
    await page.waitForURL(/\/series\/[0-9a-f-]{36}/);
    await hydrated(page);
    seriesId = /\/series\/([0-9a-f-]{36})/.exec(page.url())![1]!;

    expect(await page.getByTestId('series-state').getAttribute('data-state')).toBe('requested');
    expect(await page.getByTestId('series-rule').innerText()).toMatch(/^Chaque semaine/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const series = await client.get<{ state: string; rule: { frequency: string }; visits: unknown[] }>(`/series/${seriesId}`);
    expect(series).toMatchObject({ state: 'requested', rule: { frequency: 'weekly' } });
    expect(series.visits.length).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'regular-visits-series-client');
    await context.close();
  });

  it('the co-op admin accepts the series once', async () => {
    expect(seriesId).not.toBe('');
    const { context, page } = await phone(browser);
    await signIn(page, ADMIN);
    await goto(page, `/series/${seriesId}`);
    await page.getByTestId('series-accept').click();
    await expect.poll(async () => page.getByTestId('series-state').getAttribute('data-state')).toBe('active');
    expect((await admin.get<{ state: string }>(`/series/${seriesId}`)).state).toBe('active');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'regular-visits-series-admin');

    // The client's list shows the series as one line.
    const { context: other, page: mine } = await phone(browser);
    await signIn(mine, CLIENT);
    await goto(mine, '/bookings');
    await expect.poll(() => mine.locator(`[data-testid=series-line][data-series-id="${seriesId}"]`).count()).toBe(1);
    // …and leaves its visits to that line: none is listed again among the bookings to come.
    const { visits } = await client.get<{ visits: { bookingId: string }[] }>(`/series/${seriesId}`);
    for (const v of visits) expect(await mine.locator(`a[href="/bookings/${v.bookingId}"]`).count()).toBe(0);
    // The demo client's years of past bookings come twenty at a time, the older ones a link away.
    const pastCards = mine.locator('[data-testid=past-bookings] ul > li');
    // Twenty past ones, after any cancelled booking still ahead (first page only).
    expect(await pastCards.count()).toBeLessThan(30);
    const firstPage = await pastCards.first().innerText();
    await mine.locator('[data-testid=past-pager] a[rel=next]').click();
    await mine.waitForURL(/\/bookings\?page=2$/);
    expect(await pastCards.first().innerText()).not.toBe(firstPage);
    expect(await mine.locator('[data-testid=past-pager] [data-testid=pager-back]').count()).toBe(1);
    await other.close();
    await context.close();
  });
});

describe('the card for regular visits, on a phone', () => {
  it('is saved once through Stripe Checkout (setup mode) and shown by its brand and last digits', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, CLIENT);
    await goto(page, '/account/card');
    await page.locator('form[action="?/save"] button').click();
    // The page allows the redirect to the hosted setup page (its CSP form-action), here the emulator's.
    await page.waitForURL((url) => !url.href.startsWith(web()), { timeout: 15_000 });
    await page.fill('#card_number', '4242 4242 4242 4242');
    await page.locator('button[type=submit]').click();
    await page.waitForURL((url) => url.href.startsWith(`${web()}/account/card`), { timeout: 15_000 });
    // The webhook records the card a moment after the return: the page says so until then.
    for (let i = 0; i < 20 && !(await page.locator('[data-testid=saved-card]').count()); i++) {
      await page.waitForTimeout(250);
      await goto(page, '/account/card?card=saved');
    }
    expect(await page.locator('[data-testid=saved-card]').textContent()).toContain('4242');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await screenshot(page, 'regular-visits-card-saved');
    await context.close();
  });
});

describe('each visit charged to the saved card', () => {
  it('the second visit is paid without the client when its free cancellation ends; she sees it confirmed on a phone', async () => {
    expect(seriesId).not.toBe('');
    const { visits } = await client.get<{ visits: { bookingId: string; startsAt: string; state: string }[] }>(`/series/${seriesId}`);
    const [first, second] = visits;
    expect(second?.state).toBe('accepted');
    const { cancellation } = await client.get<{ cancellation: { freeCancellationHours: number } }>(`/bookings/${second!.bookingId}`);
    // Each visit at its own charge time: when its free cancellation ends, and at least a day before it.
    const dueAt = (v: { startsAt: string }) => new Date(Date.parse(v.startsAt) - Math.max(cancellation.freeCancellationHours, 24) * 3_600_000 + 60_000);
    const { context, page } = await phone(browser);
    await signIn(page, CLIENT);
    // Her visit's page says the saved card pays it, and when; paying now stays possible.
    await goto(page, `/bookings/${second!.bookingId}`);
    expect(await page.getByTestId('pay-by-saved-card').innerText()).toMatch(/Visa •••• 4242 sera débitée automatiquement le .+, à moins que vous ne payiez maintenant\./);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'regular-visits-card-will-pay-390-fr');
    // Paying a visit herself (her card refused, say) would keep that card for the next ones: said before she pays.
    await goto(page, `/bookings/${second!.bookingId}/pay`);
    expect(await page.getByTestId('pay-keeps-card').innerText()).toMatch(/visites suivantes/);

    for (const v of [first!, second!]) expect(await chargeJobAt(dueAt(v)).chargeVisit(v.bookingId)).toBe('charged');
    await goto(page, `/series/${seriesId}`);
    const row = page.locator(`[data-testid=series-coming] a[href="/bookings/${second!.bookingId}"]`).locator('..');
    expect(await row.innerText()).toMatch(/Confirmée/);
    await row.locator('a').first().click();
    await page.waitForURL(new RegExp(`/bookings/${second!.bookingId}$`));
    await hydrated(page);
    expect(await page.getByTestId('booking-state').getAttribute('data-state')).toBe('paid');
    expect(await page.getByTestId('booking-series-link').getAttribute('href')).toBe(`/series/${seriesId}`);
    const payment = await paymentOf(client, second!.bookingId);
    expect(payment.receiptNumber).toMatch(/^TIS-\d{4}-\d+$/);
    expect(payment.paidAt).not.toBeNull();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'regular-visits-second-charged');
    await context.close();
  });
});
