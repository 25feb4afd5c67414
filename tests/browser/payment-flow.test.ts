/**
 * Issue 4 in the browser, through the Stripe emulator's hosted Checkout: book, accept, a declined
 * card, paying, the receipt to the cent, the co-op's earnings, and a free cancellation refunded.
 * Every amount on the pages is compared with the API's and with @tissu/shared's price breakdown.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { priceBreakdown, type Earnings, type FeeSchedule, type PaymentAccount } from '@tissu/shared';
import { launchBrowser, screenshot } from '../support/browser.js';
import {
  adminCoopId,
  apiAs,
  bookableListings,
  bookingIdIn,
  bookingOf,
  frCad,
  goto,
  hydrated,
  mondayOf,
  paymentOf,
  phone,
  publicGet,
  signIn,
  slotAfter,
  squeeze,
  wallDate,
  webhooksDelivered,
  type ApiSession,
  type BookableListing,
  fillNewAddress,
} from '../support/booking-world.js';

let browser: Browser;
let client: ApiSession;
let admin: ApiSession;
let coopId: string;
let listing: BookableListing;

const CLIENT = 'client@tissu.demo';
const ADMIN = 'admin@tissu.demo';

beforeAll(async () => {
  browser = await launchBrowser();
  [client, admin] = await Promise.all([apiAs(CLIENT), apiAs(ADMIN)]);
  coopId = await adminCoopId(admin);
  // A request-and-approve listing of a co-op registered for GST and QST, so every tax line shows.
  listing = (await bookableListings(coopId)).find((l) => !l.schedule.instantBooking && l.listing.locationMode === 'client_place')!;
  expect(listing).toBeTruthy();
});
afterAll(() => browser?.close());

/** The amount in the row of the breakdown table whose label matches. */
async function rowAmount(table: Locator, label: RegExp | string): Promise<string> {
  return squeeze(await table.locator('tr').filter({ has: table.page().locator('th', { hasText: label }) }).locator('td').innerText());
}

/** Until the emulator has delivered its webhooks, then the page as the API now has it. */
async function freshPage(page: Page, path: string): Promise<void> {
  await webhooksDelivered();
  await goto(page, path);
}

describe('paying on a phone through Stripe Checkout', () => {
  it('a declined card leaves the booking payable, a retry pays it, the receipt and the earnings match the API, a free cancellation refunds it', async () => {
    const { schedule } = listing;
    // Far enough ahead that the free-cancellation window is still open when the test cancels.
    const start = await slotAfter(listing.listing.id, schedule.freeCancellationHours + 3);
    const { page } = await phone(browser);
    await signIn(page, CLIENT);
    await goto(page, `/listings/${listing.listing.id}?week=${mondayOf(start, schedule.timeZone)}&slot=${encodeURIComponent(start)}`);
    await page.getByTestId('chosen-slot').waitFor();
    await fillNewAddress(page, { street: '6500, rue de Saint-Vallier', postalCode: 'H2S 2P7' });
    await page.getByTestId('book-submit').click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?done=booked/);
    const id = bookingIdIn(page.url());

    // The co-op accepts from the booking page.
    const { page: coop } = await phone(browser);
    await signIn(coop, ADMIN);
    await goto(coop, `/bookings/${id}`);
    await coop.getByTestId('accept').click();
    await coop.locator('[data-testid=booking-state][data-state=accepted]').waitFor();

    // What the API says the client owes, and what the shared price rules say it must be.
    const [booking, due, fee, account] = await Promise.all([
      bookingOf(client, id),
      paymentOf(client, id),
      publicGet<FeeSchedule>('/platform/fee'),
      admin.get<PaymentAccount>(`/coops/${coopId}/payments/account`),
    ]);
    expect(account.gstRegistered && account.qstRegistered).toBe(true);
    const expected = priceBreakdown(booking.priceCents!, fee.current.rateBps, { gst: true, qst: true });
    expect(due.breakdown).toEqual(expected);
    expect(expected.gstCents).toBeGreaterThan(0);
    expect(expected.qstCents).toBeGreaterThan(0);
    expect(due.payable).toBe(true);

    await goto(page, `/bookings/${id}`);
    expect(squeeze(await page.getByTestId('pay-section').innerText())).toContain(frCad(expected.totalCents));
    await page.getByTestId('pay-link').click();
    await page.waitForURL(new RegExp(`/bookings/${id}/pay$`));
    await hydrated(page);
    await expectBreakdown(page.getByTestId('payment-breakdown'), page.getByTestId('breakdown-split'), expected);
    await screenshot(page, 'pay-breakdown');

    // First try: the card is declined at Stripe.
    await page.getByTestId('pay-submit').click();
    await page.waitForURL((u) => u.href.startsWith(`${inject('stripeUrl')}/checkout/`));
    expect(squeeze(await page.locator('tr.total').innerText())).toContain(frCad(expected.totalCents));
    await page.getByRole('button', { name: /Carte refusée/ }).click();
    await page.getByRole('alert').filter({ hasText: 'Your card was declined' }).waitFor();
    await webhooksDelivered();
    await page.getByRole('link', { name: /Annuler et revenir/ }).click();
    await page.waitForURL(new RegExp(`/bookings/${id}/pay\\?cancelled=1`));
    await hydrated(page);
    expect(await page.getByTestId('pay-declined').innerText()).toContain('Votre carte a été refusée');
    await page.getByTestId('pay-cancelled').waitFor();
    await screenshot(page, 'pay-declined');
    const afterDecline = await paymentOf(client, id);
    expect(afterDecline).toMatchObject({ payable: true, receiptNumber: null, paidAt: null });
    expect(afterDecline.lastError).toBeTruthy();
    expect((await bookingOf(client, id)).state).toBe('accepted');

    // Second try with the good card.
    await page.getByTestId('pay-submit').click();
    await page.waitForURL((u) => u.href.startsWith(`${inject('stripeUrl')}/checkout/`));
    await page.getByRole('button', { name: /Payer .* \/ Pay/ }).click();
    await page.waitForURL(new RegExp(`/bookings/${id}/receipt\\?paid=1`));
    await page.getByTestId('payment-thanks').waitFor();
    const paid = await paymentOf(client, id);
    expect(paid).toMatchObject({ status: 'paid', payable: false, lastError: null, breakdown: expected });
    expect(paid.receiptNumber).toBeTruthy();
    expect(await page.getByTestId('receipt-number').innerText()).toBe(paid.receiptNumber);
    await expectBreakdown(page.getByTestId('payment-breakdown'), page.getByTestId('breakdown-split'), expected);
    const seller = await page.getByTestId('receipt-coop').innerText();
    expect(seller).toContain(account.gstNumber!);
    expect(seller).toContain(account.qstNumber!);
    await screenshot(page, 'receipt-paid');

    await goto(page, `/bookings/${id}`);
    expect(await page.getByTestId('booking-state').getAttribute('data-state')).toBe('paid');
    expect(await page.getByTestId('booking-history').innerText()).toContain('Paiement reçu');

    // The co-op sees the booking in its earnings: gross, fee, taxes and net as the API counts them.
    const year = Number(wallDate(paid.paidAt!, 'America/Toronto').slice(0, 4));
    await expectEarningsRow(coop, year, id);
    await screenshot(coop, 'earnings-paid');

    // The client cancels inside the free window: everything comes back, taxes included.
    await goto(page, `/bookings/${id}`);
    await page.getByTestId('cancel-section').locator('summary').click();
    expect(await page.getByTestId('cancel-section').innerText()).toContain("Vous êtes dans le délai d'annulation gratuite");
    await page.fill('#cancel-reason', 'Finalement, ma sœur vient m’aider.');
    await page.getByTestId('cancel-submit').click();
    await page.locator('[data-testid=booking-state][data-state=cancelled_by_client]').waitFor();
    const refunded = await paymentOf(client, id);
    expect(refunded.status).toBe('refunded');
    expect(refunded.refundedCents).toBe(expected.totalCents);
    expect(refunded.refunds).toHaveLength(1);
    expect(refunded.refunds[0]).toMatchObject({
      kind: 'client_cancellation',
      totalCents: expected.totalCents,
      serviceCents: expected.serviceCents,
      gstCents: expected.gstCents,
      qstCents: expected.qstCents,
      platformFeeCents: expected.platformFeeCents,
    });
    await freshPage(page, `/bookings/${id}`);
    // Told as what she did, not as the co-op would read it.
    expect(await page.locator('header .lead').innerText()).toBe('Vous avez annulé cette réservation.');
    // Each amount with its own date: the refund's date is not the payment's.
    const paySection = squeeze(await page.getByTestId('pay-section').innerText());
    expect(paySection).toContain(squeeze(`Total payé : ${frCad(expected.totalCents)} le ${frDateTime(paid.paidAt!)}`));
    expect(paySection).toContain(squeeze(`Remboursé : ${frCad(expected.totalCents)} le ${frDateTime(refunded.refunds[0]!.createdAt)}`));
    expect(paySection).not.toContain('Rembourséele');
    await screenshot(page, 'booking-refunded');

    await page.getByTestId('receipt-link').click();
    await page.waitForURL(new RegExp(`/bookings/${id}/receipt$`));
    const refunds = page.getByTestId('receipt-refunds');
    const refundText = squeeze(await refunds.locator('tbody tr').innerText());
    expect(refundText).toContain('Annulationparleclient');
    expect(refundText).toContain(`−${frCad(expected.totalCents)}`);
    expect(refundText).toContain(squeeze(`service ${frCad(expected.serviceCents)}, TPS ${frCad(expected.gstCents)}, TVQ ${frCad(expected.qstCents)}`));
    expect(squeeze(await page.getByTestId('receipt-net').innerText())).toBe(frCad(0));
    expect(await page.getByTestId('receipt-number').innerText()).toBe(paid.receiptNumber);
    await screenshot(page, 'receipt-refunded');

    // The earnings follow: the fee and the taxes went back with the refund.
    const row = await expectEarningsRow(coop, year, id);
    expect(row).toMatchObject({ grossCents: expected.totalCents, refundedCents: expected.totalCents, feeCents: 0, taxesCents: 0, netCents: 0 });
  });
});

/** "lundi 23 novembre 2026 à 6 h 28", as the pages write an instant in Montréal. */
const frDateTime = (iso: string) =>
  new Intl.DateTimeFormat('fr-CA', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'America/Toronto' }).format(new Date(iso));

/** The breakdown table and the split sentence say exactly the API's amounts, in French. */
async function expectBreakdown(table: Locator, split: Locator, b: ReturnType<typeof priceBreakdown>): Promise<void> {
  expect(await rowAmount(table, /^Service/)).toBe(frCad(b.serviceCents));
  expect(await rowAmount(table, 'TPS (5 %)')).toBe(frCad(b.gstCents));
  expect(await rowAmount(table, 'TVQ (9,975 %)')).toBe(frCad(b.qstCents));
  expect(squeeze(await table.getByTestId('breakdown-total').innerText())).toBe(frCad(b.totalCents));
  const sentence = squeeze(await split.innerText());
  expect(sentence).toContain(`Dont${frCad(b.coopCents)}pourlacoopérative`);
  expect(sentence).toContain(`${frCad(b.platformFeeCents)}(${String(b.feeRateBps / 100).replace('.', ',')}%duservice)pourTissu`);
}

/** The co-op's earnings page row for one booking equals the API's line, cent for cent. */
async function expectEarningsRow(page: Page, year: number, bookingId: string): Promise<Earnings['bookings'][number]> {
  const admin = await apiAs(ADMIN);
  const earnings = await admin.get<Earnings>(`/coops/${coopId}/earnings?year=${year}`);
  const line = earnings.bookings.find((b) => b.bookingId === bookingId);
  expect(line, 'the booking is in the API earnings').toBeTruthy();
  await freshPage(page, `/dashboard/coops/${coopId}/earnings?year=${year}`);
  const row = page.getByTestId('earnings-bookings').locator('tbody tr').filter({ has: page.locator(`a[href="/bookings/${bookingId}"]`) });
  const cells = (await row.locator('td.num').allInnerTexts()).map(squeeze);
  expect(cells).toEqual([line!.grossCents, line!.feeCents, line!.taxesCents, line!.refundedCents, line!.netCents].map(frCad));
  return line!;
}
