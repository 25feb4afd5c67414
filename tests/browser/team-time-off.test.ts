/**
 * The team's day on a phone, in French: Amina (a worker-member) marks a day away on "Mes absences";
 * the co-op's admin, assigning a booking that day, sees her away with why, her box disabled; she
 * removes the absence and is free again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Booking } from '@tissu/shared';
import { launchBrowser, screenshot } from '../support/browser.js';
import { adminCoopId, apiAs, bookableListings, freeSlots, goto, phone, signIn, signUpClient, wallDate, type ApiSession } from '../support/booking-world.js';

const ADMIN = 'admin@tissu.demo';
const WORKER = 'travailleuse@tissu.demo';
const DAY = 86_400_000;

let browser: Browser;
let admin: ApiSession;
let booking: Booking;
let workerId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await apiAs(ADMIN);
  const coopId = await adminCoopId(admin);
  const { members } = await admin.get<{ members: { userId: string; email: string }[] }>(`/coops/${coopId}/members`);
  workerId = members.find((m) => m.email === WORKER)!.userId;
  const listing = (await bookableListings(coopId)).find((l) => !l.schedule.instantBooking && l.listing.locationMode === 'client_place')!;
  const { slots } = await freeSlots(listing.listing.id, 56);
  // Far ahead (weeks after the demo's own visits), so Amina is free that day but for her absence.
  const start = slots.filter((s) => Date.parse(s.start) > Date.now() + 40 * DAY).at(-1)!.start;
  const login = await signUpClient('Cliente Absences');
  const client = await apiAs(login.email, login.password);
  booking = await client.post<Booking>('/bookings', {
    listingId: listing.listing.id, startsAt: start, address: '12, rue Rachel Est, Montréal', notes: '',
    contactName: 'Cliente Absences', contactPhone: '', contactEmail: login.email,
  });
});
afterAll(() => browser?.close());

describe('time off, on a phone in French', () => {
  it('a worker marks a day away; the admin sees her away and cannot tick her; she removes it', async () => {
    const day = wallDate(booking.startsAt, booking.timeZone);
    const worker = await phone(browser);
    await signIn(worker.page, WORKER);
    await worker.page.getByTestId('nav-time-off').first().waitFor({ state: 'attached' });
    await goto(worker.page, '/time-off');
    expect(await worker.page.locator('h1').innerText()).toBe('Mes absences');
    // Whole days by default: the hours show once that is unticked.
    expect(await worker.page.locator('#to-start-time').isVisible()).toBe(false);
    await worker.page.uncheck('#to-all-day');
    expect(await worker.page.locator('#to-start-time').isVisible()).toBe(true);
    await worker.page.check('#to-all-day');
    await worker.page.fill('#to-start-date', day);
    await worker.page.fill('#to-end-date', day);
    // A note of exactly the 200 characters allowed.
    const note = 'Formation premiers soins, '.padEnd(200, 'x');
    await worker.page.fill('#to-note', note);
    await worker.page.getByTestId('time-off-form-submit').click();
    await worker.page.getByText('Absence notée.').waitFor();
    // The emptied form no longer says the limit was reached (it did, in red, found by a walk).
    expect(await worker.page.locator('#to-note').inputValue()).toBe('');
    expect(await worker.page.locator('.counter.at-limit').count()).toBe(0);
    expect(await worker.page.getByTestId('time-off-list').first().innerText()).toContain('Formation premiers soins');
    expect(await worker.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(worker.page, 'time-off-worker');

    const coop = await phone(browser);
    await signIn(coop.page, ADMIN);
    await goto(coop.page, `/bookings/${booking.id}`);
    const box = coop.page.locator(`input[name=userIds][value="${workerId}"]`);
    expect(await box.isDisabled()).toBe(true);
    expect(await coop.page.locator(`#w-why-${workerId}`).innerText()).toMatch(/^Absente : /);
    expect(await coop.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(coop.page, 'time-off-assign-form');

    // She is back: removed, the admin may tick her again.
    await worker.page.getByTestId('time-off-remove').first().click();
    await worker.page.getByText('Absence supprimée.').waitFor();
    await goto(coop.page, `/bookings/${booking.id}`);
    expect(await box.isDisabled()).toBe(false);
    await worker.context.close();
    await coop.context.close();
  });
});
