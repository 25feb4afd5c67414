/**
 * Issue 16's add-ons in the browser, on a phone in French: a co-op's admin sets two options in the
 * listing editor; a client ticks one on the listing page, sees the total and the longer visit,
 * picks a time among the slots for the longer visit and books; the booking and its price carry it.
 * The co-op is one of its own (approved by the demo steward), so no other test meets its listing.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Booking, SlotsResult } from '@tissu/shared';
import { launchBrowser, screenshot } from '../support/browser.js';
import { apiAs, bookingIdIn, fillNewAddress, frCad, goto, hydrated, phone, publicGet, signIn, signUpClient, squeeze, wallDate, type ApiSession } from '../support/booking-world.js';

let browser: Browser;
let admin: ApiSession;
let adminEmail: string;
let adminPassword: string;
let coopId: string;
let listingId: string;
/** The second test's listing: 9 h to 12 h every day, 9 h to 17 h on `later` only; its option adds 30 minutes. */
let morning: { id: string; addon: string; later: string } | undefined;

async function send<T>(method: 'PUT' | 'POST', path: string, token: string, body: unknown): Promise<T> {
  const res = await fetch(inject('apiUrl') + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A listing of the test's co-op, open every day between `open` and `close` (Toronto), hourly slots, no notice. */
async function listingOpen(fields: Record<string, unknown>, open: string, close: string, exceptions: unknown[] = []): Promise<string> {
  const id = (await admin.post<{ id: string }>(`/coops/${coopId}/listings`, {
    category: 'menage', durationMinutes: 180, locationMode: 'client_place', boroughs: ['plateau-mont-royal'], ...fields,
  })).id;
  await send('PUT', `/listings/${id}/schedule`, admin.token, {
    timeZone: 'America/Toronto', weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: open, end: close })), exceptions,
    slotIntervalMinutes: 60, minNoticeMinutes: 0, horizonDays: 30, instantBooking: false,
  });
  return id;
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ email: adminEmail, password: adminPassword } = await signUpClient('Olga Options'));
  admin = await apiAs(adminEmail, adminPassword);
  const steward = await apiAs('steward@tissu.demo');
  coopId = (await admin.post<{ id: string }>('/coops', {
    legalName: `Coop Options ${Date.now()}`, legalForm: 'worker_coop', region: 'plateau-mont-royal', languages: ['fr', 'en'], foundedYear: 2018,
    descriptionFr: 'Coopérative de ménage qui offre des options.', descriptionEn: 'Cleaning co-op offering add-ons.',
  })).id;
  await steward.post(`/coops/${coopId}/approve`);
  listingId = await listingOpen({
    titleFr: 'Grand ménage avec options', titleEn: 'Deep cleaning with add-ons',
    descriptionFr: 'Un grand ménage de trois heures, avec des options au choix.', descriptionEn: 'A three-hour deep cleaning, with add-ons to choose.',
    priceKind: 'hourly', priceCents: 4_000,
  }, '09:00', '17:00');
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

describe('add-ons on a phone, in French', () => {
  it('the co-op sets its options; a client ticks one, sees the total and the longer visit, and books it', async () => {
    // The co-op's admin, in the listing editor's "Options supplémentaires".
    const { page: coop } = await phone(browser);
    await signIn(coop, adminEmail, adminPassword);
    await goto(coop, `/dashboard/coops/${coopId}/listings/${listingId}/edit#addons`);
    const editor = coop.getByTestId('addons-editor');
    await coop.fill('#addon-fr-0', 'Intérieur du frigo');
    await coop.fill('#addon-en-0', 'Inside the fridge');
    await coop.fill('#addon-price-0', '25');
    await coop.fill('#addon-minutes-0', '30');
    await editor.getByTestId('addons-save').click();
    await editor.getByText('Options enregistrées.').waitFor();
    await coop.fill('#addon-fr-1', 'Intérieur du four');
    await coop.fill('#addon-en-1', 'Inside the oven');
    await coop.fill('#addon-price-1', '19,99');
    await coop.fill('#addon-minutes-1', '7');
    await editor.getByTestId('addons-save').click();
    // 7 minutes: refused beside the field, nothing saved.
    await editor.getByText('Par tranches de 5 minutes.').waitFor();
    await coop.fill('#addon-minutes-1', '45');
    await editor.getByTestId('addons-save').click();
    await editor.getByText('Options enregistrées.').waitFor();
    const saved = await publicGet<{ addons: { id: string; nameFr: string; priceCents: number; extraMinutes: number }[] }>(`/listings/${listingId}`);
    expect(saved.addons.map((a) => [a.nameFr, a.priceCents, a.extraMinutes])).toEqual([['Intérieur du frigo', 2_500, 30], ['Intérieur du four', 1_999, 45]]);
    expect(await coop.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(coop, 'addons-editor-fr');

    // A client on her phone: ticks the fridge, the total and the length follow, the slots are the longer visit's.
    const person = await signUpClient('Camille Cliente');
    const client = await apiAs(person.email, person.password);
    const { page } = await phone(browser);
    await signIn(page, person.email, person.password);
    await goto(page, `/listings/${listingId}`);
    const choice = page.getByTestId('addons-choice');
    expect(squeeze(await choice.getByTestId('addons-total').innerText())).toBe(squeeze(`Avec les options : ${frCad(12_000)} · 3 h`));
    await choice.getByLabel(/Intérieur du frigo/).check();
    await page.waitForURL((u) => u.searchParams.getAll('addon').includes(saved.addons[0]!.id));
    await hydrated(page);
    expect(squeeze(await page.getByTestId('addons-total').innerText())).toBe(squeeze(`Avec les options : ${frCad(14_500)} · 3 h 30`));
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const longer = await publicGet<SlotsResult>(`/listings/${listingId}/slots?from=${from}&to=${to}&addons=${saved.addons[0]!.id}`);
    expect(longer.durationMinutes).toBe(210);
    // Open 9 h to 17 h: a 3 h 30 visit starts by 13 h 30, so the 14 h slot of the 3 h visit is not offered.
    const shown = await page.getByTestId('slot').evaluateAll((els) => els.map((el) => el.getAttribute('data-start') ?? ''));
    expect(shown.length).toBeGreaterThan(0);
    for (const s of shown) expect(longer.slots.map((x) => x.start)).toContain(s);
    const hours = shown.map((s) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto', hour: '2-digit', hourCycle: 'h23' }).format(new Date(s)));
    expect(hours).not.toContain('14');
    await screenshot(page, 'addons-listing-fr');

    const start = shown[0]!;
    await page.locator(`[data-testid=slot][data-start="${start}"]`).click();
    await page.waitForURL((u) => u.searchParams.get('slot') === start);
    await page.getByTestId('chosen-slot').waitFor();
    expect(squeeze(await page.getByTestId('book-price').innerText())).toBe(frCad(14_500));
    expect(squeeze(await page.getByTestId('book-price-addons').innerText())).toBe(squeeze(`Service ${frCad(12_000)} + options ${frCad(2_500)}`));
    await fillNewAddress(page, { street: '4321, rue Saint-Denis' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'addons-booking-form-fr');
    await page.getByTestId('book-submit').click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?done=booked/);
    await hydrated(page);
    const id = bookingIdIn(page.url());
    const booked = await client.get<Booking>(`/bookings/${id}`);
    expect(booked).toMatchObject({ state: 'requested', startsAt: start, durationMinutes: 210, priceCents: 14_500 });
    expect(booked.addons).toEqual([{ addonId: saved.addons[0]!.id, nameFr: 'Intérieur du frigo', nameEn: 'Inside the fridge', priceCents: 2_500, extraMinutes: 30 }]);
    expect(squeeze(await page.getByTestId('booking-addons').innerText())).toContain(squeeze(`Intérieur du frigo +30 min · ${frCad(2_500)}`));
    await screenshot(page, 'addons-booking-fr');

    // The co-op's inbox names it.
    await goto(coop, `/dashboard/coops/${coopId}/bookings`);
    const card = coop.locator(`[data-testid=inbox-card][data-booking-id="${id}"]`);
    expect(await card.getByTestId('inbox-addons').innerText()).toContain('Intérieur du frigo');
  });

  it('an option that only fits later weeks opens the page on the first week it fits, not on an empty one', async () => {
    // Found by CI on a Sunday afternoon: the week only shown (not asked for) was kept when an option
    // was ticked, so the longer visit opened on a week with nothing left in it. Here that week is made
    // on purpose: 9 h to 12 h fits the 3 h visit every day, and only one day, 15 days ahead, is open
    // long enough for 3 h 30.
    const later = new Date(Date.now() + 15 * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'America/Toronto' });
    const id = await listingOpen({
      titleFr: 'Ménage du matin avec option', titleEn: 'Morning cleaning with an add-on',
      descriptionFr: 'Trois heures le matin; l’option demande une journée plus longue.', descriptionEn: 'Three morning hours; the add-on needs a longer day.',
      priceKind: 'fixed', priceCents: 12_000,
    }, '09:00', '12:00', [{ date: later, kind: 'extra', start: '09:00', end: '17:00' }]);
    const addon = (await send<{ items: { id: string }[] }>('PUT', `/listings/${id}/addons`, admin.token, {
      addons: [{ nameFr: 'Intérieur des armoires', nameEn: 'Inside the cupboards', priceCents: 3_000, extraMinutes: 30 }],
    })).items[0]!.id;

    morning = { id, addon, later };
    const { page } = await phone(browser);
    await goto(page, `/listings/${id}`);
    expect(await page.getByTestId('slot').count()).toBeGreaterThan(0);
    await page.getByTestId('addons-choice').getByLabel(/Intérieur des armoires/).check();
    await page.waitForURL((u) => u.searchParams.getAll('addon').includes(addon));
    await hydrated(page);
    expect(page.url()).not.toContain('week=');
    const shown = await page.getByTestId('slot').evaluateAll((els) => els.map((el) => el.getAttribute('data-start') ?? ''));
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown.map((s) => wallDate(s, 'America/Toronto')))).toEqual(new Set([later]));

    // A 3 h time chosen first, then the option: she is told why that time no longer works (not that
    // someone took it), and led to the first day the longer visit fits.
    await goto(page, `/listings/${id}`);
    const first = page.getByTestId('slot').first();
    const start = (await first.getAttribute('data-start'))!;
    await first.click();
    await page.waitForURL((u) => u.searchParams.get('slot') === start);
    await hydrated(page);
    await page.getByTestId('addons-choice').getByLabel(/Intérieur des armoires/).check();
    await page.waitForURL((u) => u.searchParams.getAll('addon').includes(addon));
    await hydrated(page);
    expect(squeeze(await page.getByTestId('chosen-gone').innerText())).toBe(squeeze('Ce créneau n\'est pas libre pour une visite de 3 h 30, options comprises. Choisissez-en un autre.'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'addons-chosen-too-short-fr');
    // The first 3 h time is at most a week ahead, the long day 15 days: the week shown has none.
    await page.getByTestId('week-slots').getByRole('link', { name: /Prochaine disponibilité/ }).click();
    const starts = () => page.getByTestId('slot').evaluateAll((els) => els.map((el) => el.getAttribute('data-start') ?? ''));
    await expect.poll(async () => new Set((await starts()).map((s) => wallDate(s, 'America/Toronto')))).toEqual(new Set([later]));
  });

  it('keeps a chosen time across weeks, shows the options chosen without JavaScript, and carries nothing else in its links', async () => {
    const { id, addon, later } = morning!;
    const { page } = await phone(browser);
    // Found by an attack: a time chosen, then the next week browsed, was said to be taken.
    await goto(page, `/listings/${id}`);
    const first = page.getByTestId('slot').first();
    const start = (await first.getAttribute('data-start'))!;
    await first.click();
    await page.waitForURL((u) => u.searchParams.get('slot') === start);
    await hydrated(page);
    await page.getByTestId('week-next').click();
    await page.waitForURL((u) => u.searchParams.get('week') !== null && u.hash === '#slots');
    await expect.poll(() => page.getByTestId('chosen-gone').count()).toBe(0);
    expect(await page.getByTestId('chosen-slot').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('slot')).toBe(start);

    // A time in the past, with the option: not "too long", just not free.
    await goto(page, `/listings/${id}?slot=2020-01-07T14:00:00.000Z&addon=${addon}`);
    expect(squeeze(await page.getByTestId('chosen-gone').innerText())).toBe(squeeze('Ce créneau vient d\'être pris ou n\'est plus libre. Choisissez-en un autre.'));

    // A week long past (an old link) opens on the first week the visit fits, as if none were asked for.
    await goto(page, `/listings/${id}?week=2020-01-06&addon=${addon}`);
    const starts = await page.getByTestId('slot').evaluateAll((els) => els.map((el) => el.getAttribute('data-start') ?? ''));
    expect(new Set(starts.map((s) => wallDate(s, 'America/Toronto')))).toEqual(new Set([later]));

    // Anything else in the address stays out of the page's links (it grew each link before).
    await goto(page, `/listings/${id}?junk=${'x'.repeat(2_000)}&addon=${addon}&addon=not-an-option`);
    const hrefs = await page.locator('[data-testid=slot], [data-testid=week-next]').evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThan(1);
    for (const href of hrefs) {
      expect(href).not.toContain('junk');
      expect(new URLSearchParams(href.slice(href.indexOf('?'), href.indexOf('#'))).getAll('addon')).toEqual([addon]);
    }

    // An option that makes the visit longer than any open day: she is told the options are why, not to come back later.
    const long = (await send<{ items: { id: string; extraMinutes: number }[] }>('PUT', `/listings/${id}/addons`, admin.token, {
      addons: [
        { id: addon, nameFr: 'Intérieur des armoires', nameEn: 'Inside the cupboards', priceCents: 3_000, extraMinutes: 30 },
        { nameFr: 'Grand ménage du sous-sol', nameEn: 'Basement deep cleaning', priceCents: 20_000, extraMinutes: 480 },
      ],
    })).items.find((a) => a.extraMinutes === 480)!.id;
    await goto(page, `/listings/${id}?addon=${long}`);
    expect(squeeze(await page.getByTestId('slots-too-long').innerText())).toBe(
      squeeze('Avec les options choisies, la visite dure 11 h : aucun moment libre ne la contient dans les prochaines semaines. Retirez une option pour voir les créneaux du service seul.'),
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'addons-too-long-fr');

    // Without JavaScript: the option the link chose is ticked and counted (found by an attack: it was not).
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-CA', javaScriptEnabled: false });
    const plain = await context.newPage();
    await plain.goto(`${inject('webUrl')}/listings/${id}?addon=${addon}`);
    expect(await plain.locator(`#addon-${addon}`).isChecked()).toBe(true);
    expect(squeeze(await plain.getByTestId('addons-total').innerText())).toBe(squeeze(`Avec les options : ${frCad(15_000)} · 3 h 30`));
    await context.close();
  });
});
