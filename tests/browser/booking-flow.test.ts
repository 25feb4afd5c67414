/**
 * Issue 3 in the browser: a client books on a phone in French, the co-op runs the booking from its
 * inbox, the client reviews it. The slots are taken from the API's own slot list, so the test does
 * not depend on the day or the time it runs (weekends, daylight-saving changes, minimum notice).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Booking, Review, Schedule, SlotsResult } from '@tissu/shared';
import { createDb, type Database } from '@tissu/db';
import { launchBrowser, screenshot } from '../support/browser.js';
import { moveToStarted } from '../support/fixtures.js';
import {
  adminCoopId,
  apiAs,
  bookableListings,
  bookingIdIn,
  bookingOf,
  freeSlots,
  frCad,
  goto,
  hydrated,
  mondayOf,
  phone,
  publicGet,
  signIn,
  signUpClient,
  squeeze,
  wallDate,
  wallTime,
  webhooksDelivered,
  workerFreeAt,
  type ApiSession,
  type BookableListing,
  fillNewAddress,
} from '../support/booking-world.js';

let browser: Browser;
let database: Database;
let client: ApiSession;
let admin: ApiSession;
let coopId: string;
let workerId: string;
let requestListing: BookableListing;
let instantListing: BookableListing;

const CLIENT = 'client@tissu.demo';
const ADMIN = 'admin@tissu.demo';
const WORKER_NAME = 'Amina Diallo';

beforeAll(async () => {
  browser = await launchBrowser();
  database = createDb(inject('databaseUrl'));
  [client, admin] = await Promise.all([apiAs(CLIENT), apiAs(ADMIN)]);
  coopId = await adminCoopId(admin);
  const { members } = await admin.get<{ members: { userId: string; name: string }[] }>(`/coops/${coopId}/members`);
  workerId = members.find((m) => m.name === WORKER_NAME)!.userId;
  const listings = await bookableListings(coopId);
  requestListing = listings.find((l) => !l.schedule.instantBooking && l.listing.locationMode === 'client_place')!;
  instantListing = listings.find((l) => l.schedule.instantBooking)!;
  expect(requestListing, 'a request-and-approve listing at the home co-op').toBeTruthy();
  expect(instantListing, 'an instant-booking listing at the home co-op').toBeTruthy();
});
afterAll(async () => {
  await browser?.close();
  await database?.close();
});

/** What the slot buttons on the page say: their instant and the time written on them. */
async function visibleSlots(page: Page): Promise<{ start: string; text: string }[]> {
  return page.getByTestId('slot').evaluateAll((els) => els.map((el) => ({ start: el.getAttribute('data-start') ?? '', text: el.textContent ?? '' })));
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const isoWeekday = (date: string) => ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The price of the listing's duration, as the API prices a booking (hourly rates, rounded to the cent). */
function priceOf(l: BookableListing): number {
  const { listing } = l;
  return listing.priceKind === 'fixed' ? listing.priceCents : Math.round((listing.priceCents * listing.durationMinutes) / 60);
}

describe('booking on a phone, in French', () => {
  it('a client requests a slot, the co-op accepts, assigns, completes with hours, and the review shows on the listing', async () => {
    const { listing, schedule } = requestListing;
    const tz = schedule.timeZone;
    const { page } = await phone(browser);
    await signIn(page, CLIENT);

    // The week the page opens on is the first with a free slot; the API says which slots it has.
    const api: SlotsResult = await freeSlots(listing.id);
    expect(api.slots.length).toBeGreaterThan(0);
    const weekStart = mondayOf(api.slots[0]!.start, tz);
    const weekEnd = new Date(Date.parse(`${weekStart}T12:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    const expected = api.slots.map((s) => s.start).filter((s) => wallDate(s, tz) >= weekStart && wallDate(s, tz) < weekEnd);

    await goto(page, `/listings/${listing.id}`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.getByTestId('week-slots').waitFor();
    const shown = await visibleSlots(page);
    expect(shown.map((s) => s.start)).toEqual(expected);
    for (const s of shown) {
      // Written in the listing's zone ("9 h 00"), inside that day's opening hours, the whole service included.
      const wall = wallTime(s.start, tz);
      const written = /(\d{1,2})\s*h\s*(\d{2})/.exec(s.text);
      expect(written, s.text).not.toBeNull();
      expect(`${written![1]!.padStart(2, '0')}:${written![2]}`).toBe(wall);
      const rules = schedule.weekly.filter((r) => r.weekday === isoWeekday(wallDate(s.start, tz)));
      expect(rules.some((r) => minutesOf(r.start) <= minutesOf(wall) && minutesOf(wall) + listing.durationMinutes <= minutesOf(r.end)), `${s.start} at ${wall}`).toBe(true);
    }
    await screenshot(page, 'booking-week-fr');

    // The first one Amina can take (she is put on it below; the demo's regular visits keep her busy at some).
    let start = shown[0]!.start;
    for (const s of shown) if (await workerFreeAt('travailleuse@tissu.demo', s.start, listing.durationMinutes)) { start = s.start; break; }
    await page.locator(`[data-testid=slot][data-start="${start}"]`).click();
    await page.waitForURL((u) => u.searchParams.get('slot') === start);
    await page.getByTestId('chosen-slot').waitFor();

    // The price and the cancellation terms are there before confirming, with this slot's deadline.
    const total = priceOf(requestListing);
    const form = page.getByTestId('booking-form-card');
    expect(squeeze(await page.getByTestId('book-price').innerText())).toBe(frCad(total));
    const terms = squeeze(await form.getByTestId('cancellation-terms').innerText());
    expect(terms).toContain(squeeze(`jusqu'à ${schedule.freeCancellationHours} h avant le début`));
    expect(terms).toContain(frCad(Math.floor((total * schedule.lateCancellationPercent + 50) / 100)));
    const deadline = new Date(Date.parse(start) - schedule.freeCancellationHours * 3_600_000).toISOString();
    const deadlineTime = wallTime(deadline, tz);
    expect(terms).toContain(`${Number(deadlineTime.slice(0, 2))}h${deadlineTime.slice(3)}`);

    const address = '4321, rue Saint-Denis, app. 3, Montréal H2J 2K9';
    const notes = 'Deux chats à la maison : merci de bien refermer la porte.';
    await page.fill('input[name=contactPhone]', '514 555-0199');
    await fillNewAddress(page, { street: '4321, rue Saint-Denis', unit: 'app. 3', postalCode: 'h2j 2k9' });
    await page.fill('textarea[name=notes]', notes);
    await screenshot(page, 'booking-form-fr');
    await page.getByTestId('book-submit').click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?done=booked/);
    await hydrated(page);
    const id = bookingIdIn(page.url());
    expect(await page.getByTestId('booking-state').getAttribute('data-state')).toBe('requested');
    expect(await page.getByTestId('booking-history').innerText()).toContain('Demande envoyée');
    const booked = await bookingOf(client, id);
    expect(booked).toMatchObject({ state: 'requested', startsAt: start, address, notes, contactPhone: '514 555-0199', priceCents: total });
    await screenshot(page, 'booking-requested-fr');

    // The co-op admin, on another phone, answers from the inbox.
    const { page: coop } = await phone(browser);
    await signIn(coop, ADMIN);
    await goto(coop, `/dashboard/coops/${coopId}/bookings`);
    const card = coop.locator(`[data-testid=inbox-requests] [data-testid=inbox-card][data-booking-id="${id}"]`);
    await card.waitFor();
    expect(await card.innerText()).toContain('4321, rue Saint-Denis');
    await screenshot(coop, 'inbox-request-fr');
    await card.getByTestId('inbox-accept').click();
    await coop.locator(`[data-testid=inbox-others] [data-testid=inbox-card][data-booking-id="${id}"][data-state=accepted]`).waitFor();

    await goto(coop, `/bookings/${id}`);
    await coop.check(`input[name=userIds][value="${workerId}"]`);
    await coop.getByTestId('assign-submit').click();
    await expect.poll(async () => (await bookingOf(admin, id)).workers.map((w) => w.userId)).toEqual([workerId]);
    // The assignment form shows the team; no second card repeats it (or says nobody is assigned).
    await goto(coop, `/bookings/${id}`);
    expect(await coop.isChecked(`input[name=userIds][value="${workerId}"]`)).toBe(true);
    expect(await coop.getByTestId('booking-workers').count()).toBe(0);

    // Work is completed once paid: the client pays through the emulator's hosted Checkout.
    await goto(page, `/bookings/${id}`);
    expect(await page.getByTestId('booking-state').getAttribute('data-state')).toBe('accepted');
    await page.getByTestId('pay-link').click();
    await page.waitForURL(/\/pay$/);
    await hydrated(page);
    await page.getByTestId('pay-submit').click();
    await page.waitForURL((u) => u.href.startsWith(inject('stripeUrl')));
    await page.getByRole('button', { name: /Payer .* \/ Pay/ }).click();
    await page.waitForURL(/\/receipt\?paid=1/);
    await page.getByTestId('payment-thanks').waitFor();
    expect((await bookingOf(client, id)).state).toBe('paid');

    // The confirmation went out with its calendar invitation, at the booking's exact time.
    await webhooksDelivered();
    await expect
      .poll(async () => {
        await goto(page, '/dev/mailbox');
        return page.locator('.mail-list > li').filter({ hasText: `/bookings/${id}` }).filter({ hasText: 'Réservation confirmée' }).count();
      }, { timeout: 20_000, interval: 500 })
      .toBe(1);
    const mail = page.locator('.mail-list > li').filter({ hasText: `/bookings/${id}` }).filter({ hasText: 'Réservation confirmée' });
    expect(squeeze(await mail.innerText())).toContain(`À:${CLIENT}`);
    await screenshot(page, 'mailbox-confirmation');
    const ics = await calendarAttachment(id);
    expect(ics).toContain(`UID:booking-${id}@tissu.coop`);
    expect(ics).toContain(`DTSTART:${icsInstant(start)}`);
    expect(ics).toContain(`DTEND:${icsInstant(booked.endsAt)}`);

    // The day comes: work can be recorded once the booking has started (here, just done: "just started"
    // is left to the Mes visites test on the shared stack).
    await moveToStarted(database.sql, id, listing.durationMinutes + 5);
    // The admin records the hours Amina worked.
    await goto(coop, `/bookings/${id}`);
    await coop.fill(`input[name="minutes-${workerId}"]`, '165');
    await screenshot(coop, 'booking-complete-form');
    await coop.getByTestId('complete-submit').click();
    await coop.locator('[data-testid=booking-state][data-state=completed]').waitFor();
    await coop.getByTestId('booking-workers').filter({ hasText: '2 h 45' }).waitFor();
    const done = await bookingOf(admin, id);
    expect(done.workers).toEqual([{ userId: workerId, name: WORKER_NAME, minutesDelivered: 165, minutesReported: null }]);
    expect(done.events.map((e) => e.to)).toEqual(['requested', 'accepted', 'accepted', 'paid', 'completed']);

    // The client reviews; the review appears on the listing page with the new average.
    await goto(page, `/bookings/${id}`);
    await page.locator('label[for=rating-4]').click();
    const body = `Travail soigné, ponctuelle et discrète. Les chats vont bien ! (${id.slice(0, 8)})`;
    await page.fill('textarea[name=body]', body);
    await page.getByTestId('review-submit').click();
    await page.getByTestId('booking-review').filter({ hasText: body }).waitFor();
    await screenshot(page, 'booking-reviewed');
    const reviews = await publicGet<{ count: number; average: number | null; items: Review[] }>(`/listings/${listing.id}/reviews`);
    expect(reviews.items.find((r) => r.bookingId === id)).toMatchObject({ rating: 4, body });

    await goto(page, `/listings/${listing.id}`);
    const onListing = page.locator('#reviews').getByText(body);
    await onListing.waitFor();
    expect(await page.getByTestId('rating-summary').innerText()).toContain(String(reviews.count));
    await screenshot(page, 'listing-with-review');
  });

  it('an instant-booking listing confirms the slot at once, ready to pay', async () => {
    const { listing } = instantListing;
    const { page } = await phone(browser);
    await signIn(page, CLIENT);
    const start = (await freeSlots(listing.id)).slots[0]!.start;
    await goto(page, `/listings/${listing.id}?week=${mondayOf(start, instantListing.schedule.timeZone)}&slot=${encodeURIComponent(start)}`);
    await page.getByTestId('chosen-slot').waitFor();
    if (listing.locationMode === 'client_place') await fillNewAddress(page, { street: '77, rue Beaubien Est' });
    expect(await page.getByTestId('book-submit').innerText()).toBe('Réserver ce moment');
    await page.getByTestId('book-submit').click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?done=booked/);
    await hydrated(page);
    const id = bookingIdIn(page.url());
    expect(await page.getByTestId('booking-state').getAttribute('data-state')).toBe('accepted');
    expect(await page.getByTestId('booking-history').innerText()).toContain('réservation immédiate');
    await page.getByTestId('pay-link').waitFor();
    const b: Booking = await bookingOf(client, id);
    expect(b.state).toBe('accepted');
    expect(b.events).toHaveLength(1);
    await screenshot(page, 'booking-instant');
  });

  it('a forged or garbled start sent to the booking form comes back as the form, not an error page', async () => {
    const { listing } = instantListing;
    const { page } = await phone(browser);
    await signIn(page, CLIENT);
    await goto(page, `/listings/${listing.id}`);
    for (const startsAt of ['garbage', '2027-13-45T99:99', '9999999999999', '💩']) {
      // As a form posted without JavaScript: the page is rendered again with what was sent.
      const status = await page.evaluate(async ([path, value]) => {
        const res = await fetch(path!, { method: 'POST', headers: { accept: 'text/html' }, body: new URLSearchParams({ startsAt: value!, contactName: 'A', contactEmail: 'a@b.co' }) });
        return res.status;
      }, [`/listings/${listing.id}?/book`, startsAt]);
      expect(status, startsAt).toBe(400);
    }
  });

  it('two clients on one slot of a capacity-1 listing: the second is told in French, no error page', async () => {
    const target = await capacityOneListing();
    const start = (await freeSlots(target.listing.id)).slots[0]!.start;
    const link = `/listings/${target.listing.id}?week=${mondayOf(start, target.schedule.timeZone)}&slot=${encodeURIComponent(start)}`;
    const other = await signUpClient('Mélanie Côté');

    const first = (await phone(browser)).page;
    const second = (await phone(browser)).page;
    await signIn(first, CLIENT);
    await signIn(second, other.email, other.password);
    // Both have the slot on screen before either confirms.
    for (const p of [first, second]) {
      await goto(p, link);
      await p.getByTestId('chosen-slot').waitFor();
      if (target.listing.locationMode === 'client_place') await fillNewAddress(p, { street: '1200, avenue Papineau' });
    }
    await first.getByTestId('book-submit').click();
    await first.waitForURL(/\/bookings\/[0-9a-f-]{36}/);

    await second.getByTestId('book-submit').click();
    const alert = second.locator('#book [role=alert]').filter({ hasText: "Ce créneau vient d'être pris" });
    await alert.waitFor();
    expect(new URL(second.url()).pathname).toBe(`/listings/${target.listing.id}`);
    expect(await second.locator('h1').innerText()).not.toMatch(/erreur|error/i);
    // The week is shown again without the taken slot, and the form no longer offers it.
    await second.locator(`[data-testid=slot][data-start="${start}"]`).waitFor({ state: 'detached' });
    expect(await second.getByTestId('chosen-slot').count()).toBe(0);
    expect(await second.locator('#slots [role=alert]').count()).toBe(0); // said once, where they clicked
    await screenshot(second, 'booking-slot-taken');

    // They pick another free time and get it.
    const next = (await visibleSlots(second))[0]!.start;
    expect(next).not.toBe(start);
    await second.locator(`[data-testid=slot][data-start="${next}"]`).click();
    await second.getByTestId('chosen-slot').waitFor();
    if (target.listing.locationMode === 'client_place') await fillNewAddress(second, { street: '1200, avenue Papineau' });
    await second.getByTestId('book-submit').click();
    await second.waitForURL(/\/bookings\/[0-9a-f-]{36}\?done=booked/);

    const theirs = await (await apiAs(other.email, other.password)).get<{ items: Booking[] }>('/bookings?as=client&scope=all');
    expect(theirs.items.map((b) => b.startsAt)).toEqual([next]);
    const slotsNow = await freeSlots(target.listing.id);
    expect(slotsNow.slots.map((s) => s.start)).not.toContain(start);
  });
});

/** A request-and-approve listing that takes one booking at a time, at any co-op. */
async function capacityOneListing(): Promise<BookableListing> {
  const { items } = await publicGet<{ items: { id: string }[] }>('/coops');
  for (const c of items) {
    const found = (await bookableListings(c.id)).find((l: { schedule: Schedule }) => l.schedule.capacity === 1 && !l.schedule.instantBooking);
    if (found) return found;
  }
  throw new Error('no capacity-1 listing in the demo data');
}

/** "20260316T130000Z" for an instant. */
const icsInstant = (iso: string) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** The .ics attached to the client's confirmation of a booking, from the local mail folder the mailbox page lists. */
async function calendarAttachment(bookingId: string): Promise<string> {
  const dir = inject('mailDir');
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json'))) {
    const mail = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as {
      to: string;
      subject: string;
      text: string;
      attachments: { filename: string; contentType: string; content: string }[];
    };
    if (mail.to !== CLIENT || !mail.subject.startsWith('Réservation confirmée') || !mail.text.includes(`/bookings/${bookingId}`)) continue;
    const ics = mail.attachments.find((a) => a.filename.endsWith('.ics'));
    expect(ics?.contentType).toMatch(/^text\/calendar/);
    return ics!.content;
  }
  throw new Error(`no confirmation for ${bookingId} in ${dir}`);
}
