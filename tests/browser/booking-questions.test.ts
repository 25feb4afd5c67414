/**
 * Issue 16, booking questions on a phone in French: the co-op's admin asks three questions in her
 * listing's editor; a client who books without answering is told in French next to each required
 * question, answers them and books; the answers show on the booking page, to her and to the co-op.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Booking, Listing, Schedule } from '@tissu/shared';
import { launchBrowser, screenshot } from '../support/browser.js';
import { adminCoopId, apiAs, bookableListings, bookingIdIn, fillNewAddress, freeSlots, goto, hydrated, phone, publicGet, signIn, type ApiSession } from '../support/booking-world.js';

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

let browser: Browser;
let admin: ApiSession;
let listing: Listing;
const title = `Déménagement questions ${Date.now()}`;

beforeAll(async () => {
  browser = await launchBrowser();
  // A new listing of the demo admin's co-op, at the client's place, open at the hours of one it has.
  admin = await apiAs('admin@tissu.demo');
  const coopId = await adminCoopId(admin);
  const [model] = await bookableListings(coopId);
  const m = model!.listing;
  listing = await admin.post<Listing>(`/coops/${coopId}/listings`, {
    titleFr: title, titleEn: `Moving questions ${Date.now()}`, descriptionFr: 'Un petit déménagement dans le quartier, avec nos questions.', descriptionEn: 'A small move in the neighbourhood, with our questions.',
    category: m.category, priceKind: m.priceKind, priceCents: m.priceCents, durationMinutes: m.durationMinutes, locationMode: 'client_place', boroughs: m.boroughs.length ? m.boroughs : ['plateau-mont-royal'],
  });
  const { listingId: _l, configured: _c, ...hours } = await publicGet<Schedule>(`/listings/${m.id}/schedule`);
  const res = await fetch(`${inject('apiUrl')}/listings/${listing.id}/schedule`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...hours, exceptions: [], instantBooking: false }),
  });
  expect(res.status).toBeLessThan(300);
});
afterAll(async () => {
  // Its required questions would stop the next files' bookings on the demo co-op's listings: archived once walked.
  if (listing) {
    await fetch(`${inject('apiUrl')}/listings/${listing.id}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'archived' }),
    });
  }
  await browser?.close();
});

async function addQuestion(page: Page, q: { kind: string; fr: string; en: string; required?: boolean; choices?: string; max?: string }) {
  const form = page.getByTestId('question-add');
  await form.locator('select[name=kind]').selectOption(q.kind);
  await form.locator('input[name=labelFr]').fill(q.fr);
  await form.locator('input[name=labelEn]').fill(q.en);
  if (q.required) await form.locator('input[name=required]').check();
  if (q.choices) await form.locator('textarea[name=choices]').fill(q.choices);
  if (q.max) await form.locator('input[name=max]').fill(q.max);
  const before = await page.getByTestId('question-item').count();
  await form.locator('button[type=submit]').click();
  await expect.poll(() => page.getByTestId('question-item').count()).toBe(before + 1);
}

describe('booking questions on a phone, in French', () => {
  it('the admin asks three questions; a client is told what is missing next to each, answers and books; both see the answers', async () => {
    const { page: adminPage } = await phone(browser);
    await signIn(adminPage, 'admin@tissu.demo');
    await goto(adminPage, `/dashboard/coops/${listing.coop.id}/listings/${listing.id}/edit#questions`);
    expect(await adminPage.getAttribute('html', 'lang')).toBe('fr');
    expect(await adminPage.locator('#questions-title').innerText()).toBe('Questions à la réservation');
    await addQuestion(adminPage, { kind: 'one_choice', fr: 'Type de logement', en: 'Kind of home', required: true, choices: 'Appartement | Apartment\nMaison | House' });
    await addQuestion(adminPage, { kind: 'yes_no', fr: 'Y a-t-il un piano ?', en: 'Is there a piano?', required: true });
    await addQuestion(adminPage, { kind: 'number', fr: 'Combien d’étages ?', en: 'How many floors?', max: '10' });
    // The form was emptied after each question; a choice question without its choices is refused in French, next to the field.
    const form = adminPage.getByTestId('question-add');
    expect(await form.locator('textarea[name=choices]').inputValue()).toBe('');
    await form.locator('select[name=kind]').selectOption('several_choices');
    await form.locator('input[name=labelFr]').fill('Pièces');
    await form.locator('input[name=labelEn]').fill('Rooms');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('#q-choices-new-errors').innerText().catch(() => '')).toMatch(/au moins 2/i);
    expect(await adminPage.getByTestId('question-item').count()).toBe(3);
    expect(await sideways(adminPage)).toBe(0);
    await screenshot(adminPage, 'questions-editor-fr');
    const saved = await publicGet<Listing>(`/listings/${listing.id}`);
    expect(saved.questions!.map((q) => [q.kind, q.labelFr, q.required])).toEqual([
      ['one_choice', 'Type de logement', true], ['yes_no', 'Y a-t-il un piano ?', true], ['number', 'Combien d’étages ?', false],
    ]);
    expect(saved.questions![0]!.choices.map((c) => [c.labelFr, c.labelEn])).toEqual([['Appartement', 'Apartment'], ['Maison', 'House']]);

    const { page } = await phone(browser);
    await signIn(page, 'client@tissu.demo');
    const { slots } = await freeSlots(listing.id);
    const start = slots[0]!.start;
    await goto(page, `/listings/${listing.id}?slot=${encodeURIComponent(start)}#book`);
    await page.getByTestId('chosen-slot').waitFor();
    const questions = page.getByTestId('booking-questions');
    expect(await questions.locator('legend').first().innerText()).toBe('Questions de la coopérative');
    await fillNewAddress(page, { street: '4321, rue Saint-Denis' });
    await page.getByTestId('book-submit').click();
    // Nothing answered: each required question says so in French, beside it.
    const [home, piano, floors] = saved.questions!;
    await page.locator(`[id="f-answers.${home!.id}-errors"]`).waitFor();
    expect(await page.locator(`[id="f-answers.${home!.id}-errors"]`).innerText()).toContain('Ce champ est obligatoire.');
    expect(await page.locator(`[id="f-answers.${piano!.id}-errors"]`).innerText()).toContain('Ce champ est obligatoire.');
    expect(await page.locator(`[id="f-answers.${floors!.id}-errors"]`).count()).toBe(0);
    expect(await sideways(page)).toBe(0);
    await screenshot(page, 'booking-questions-refused-fr');

    // Too many floors is refused too; then answered right, it books.
    await questions.getByLabel('Maison').check();
    await questions.getByLabel('Non').check();
    await page.fill(`[name="answers.${floors!.id}"]`, '12');
    await page.getByTestId('book-submit').click();
    await expect.poll(() => page.locator(`[id="f-answers.${floors!.id}-errors"]`).innerText().catch(() => '')).toMatch(/10/);
    expect(await questions.getByLabel('Maison').isChecked()).toBe(true);
    await page.fill(`[name="answers.${floors!.id}"]`, '3');
    await screenshot(page, 'booking-questions-answered-fr');
    await page.getByTestId('book-submit').click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?done=booked/);
    await hydrated(page);
    const id = bookingIdIn(page.url());
    const answers = page.getByTestId('booking-answers');
    const text = (await answers.textContent()) ?? '';
    expect(text).toContain('Réponses aux questions');
    for (const s of ['Type de logement', 'Maison', 'Y a-t-il un piano ?', 'Non', 'Combien d’étages ?', '3']) expect(text).toContain(s);
    expect(await sideways(page)).toBe(0);
    await screenshot(page, 'booking-answers-client-fr');

    // The co-op's admin sees them on the booking too.
    await goto(adminPage, `/bookings/${id}`);
    expect(await adminPage.getByTestId('booking-answers').innerText()).toContain('Maison');
    const asAdmin = await admin.get<Booking>(`/bookings/${id}`);
    expect(asAdmin.answers!.map((a) => a.shownFr)).toEqual(['Maison', 'Non', '3']);
  });
});
