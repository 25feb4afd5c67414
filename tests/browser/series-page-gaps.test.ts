/**
 * Issue 13 on a phone, in French: after the co-op closes a day, the client takes another free time
 * near it from the series page (not only "skip"), and the series' history says the day was closed.
 * With two regular visits running on a listing, the listing page's regular-visits part says so
 * before she fills anything in.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser.js';
import {
  PHONE, adminCoopId, apiAs, bookableListings, goto, hydrated, mondayOf, phone, signIn, signUpClient, slotAfter, wallDate,
  type ApiSession, type BookableListing,
} from '../support/booking-world.js';

const ADMIN = 'admin@tissu.demo';

let browser: Browser;
let admin: ApiSession;
let client: ApiSession;
let person: { email: string; password: string };
let regular: BookableListing;
let seriesId = '';
let closed = '';

/** The local date `days` after a "YYYY-MM-DD" one. */
const shiftDay = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const noSideways = (page: import('playwright-core').Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function putSchedule(listingId: string, body: unknown) {
  const res = await fetch(`${inject('apiUrl')}/listings/${listingId}/schedule`, {
    method: 'PUT', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await apiAs(ADMIN);
  person = await signUpClient('Rosalie Jour-Fermé');
  client = await apiAs(person.email, person.password);
  const weekly = (await bookableListings(await adminCoopId(admin))).filter((l) => l.schedule.seriesFrequencies.includes('weekly'));
  // Another weekly listing than the one the other tests book, when the demo co-op has one.
  regular = weekly.find((l) => l.schedule.instantBooking) ?? weekly.at(-1)!;
  expect(regular, 'a listing of the demo co-op offers weekly visits').toBeTruthy();
  // Three weekly visits about seven weeks ahead, clear of the other tests' dates.
  const startsAt = await slotAfter(regular.listing.id, 24 * 47);
  const preview = await client.get<{ visits: { date: string; status: string }[] }>(`/listings/${regular.listing.id}/series-preview?frequency=weekly&count=3&startsAt=${encodeURIComponent(startsAt)}`);
  const series = await client.post<{ id: string; state: string; visits: { date: string; state: string }[] }>('/series', {
    listingId: regular.listing.id, startsAt, frequency: 'weekly', count: 3,
    choices: preview.visits.filter((v) => v.status !== 'free').map((v) => ({ date: v.date, action: 'skip' })),
    address: '4321, rue Saint-Denis, app. 2', contactName: 'Rosalie', contactEmail: person.email,
  });
  seriesId = series.id;
  if (series.state === 'requested') await admin.post(`/series/${seriesId}/accept`);
  const { visits } = await client.get<{ visits: { date: string; state: string }[] }>(`/series/${seriesId}`);
  closed = visits.filter((v) => v.state === 'accepted').at(-1)!.date;
  // The co-op closes that day, and opens the days around it (whatever weekday it falls on), so
  // there are free times on both sides of it.
  const sched = await admin.get<Record<string, unknown> & { exceptions: unknown[] }>(`/listings/${regular.listing.id}/schedule`);
  const around = [shiftDay(closed, -1), shiftDay(closed, 1)].map((date) => ({ date, kind: 'extra', start: '09:00', end: '17:00' }));
  await putSchedule(regular.listing.id, { ...sched, listingId: undefined, configured: undefined, exceptions: [...sched.exceptions, { date: closed, kind: 'closed' }, ...around] });
});
afterAll(async () => {
  // The day opens again for everyone else (the visit it took stays cancelled, its date chosen).
  const sched = await admin?.get<Record<string, unknown> & { exceptions: { date: string }[] }>(`/listings/${regular.listing.id}/schedule`);
  const ours = new Set([closed, shiftDay(closed, -1), shiftDay(closed, 1)]);
  if (sched) await putSchedule(regular.listing.id, { ...sched, listingId: undefined, configured: undefined, exceptions: sched.exceptions.filter((e) => !ours.has(e.date)) });
  await browser?.close();
});

describe('a day the co-op closed', () => {
  it('offers the free times near it on the series page; the client takes one, and the history says the day was closed', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, person.email, person.password);
    await goto(page, `/series/${seriesId}`);
    const gap = page.locator(`[data-testid=series-gap][data-date="${closed}"]`);
    await gap.waitFor();
    const times = gap.locator('input[type=radio]:not([value=skip])');
    expect(await times.count()).toBeGreaterThan(0);
    // Closed at the visit's time (a closure of some hours reads the same): not "ce jour-là".
    expect(await gap.locator('.badge').innerText()).toBe('Fermé à cette heure-là');
    expect(await gap.innerText()).not.toContain('Aucun moment libre');
    expect(await gap.locator('label').nth(1).innerText()).toMatch(/^Plutôt le /);
    // A fair choice: free times the day before and the day after, three at most on each side, not
    // only the nearest ones (which all fell the day before).
    const offered = await times.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    const days = offered.map((v) => wallDate(v, 'America/Toronto'));
    expect(days.filter((d) => d === shiftDay(closed, -1)).length).toBeGreaterThan(0);
    expect(days.filter((d) => d === shiftDay(closed, 1)).length).toBeGreaterThan(0);
    expect(days.filter((d) => d < closed).length).toBeLessThanOrEqual(3);
    expect(days.filter((d) => d > closed).length).toBeLessThanOrEqual(3);
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-gap-near-times-390');

    const picked = await times.first().getAttribute('value');
    await hydrated(page);
    await gap.locator('label').nth(1).click();
    await gap.getByTestId('gap-submit').click();
    await page.locator('.alert-success', { hasText: /déplacée|Visite/ }).first().waitFor();
    const after = await client.get<{ visits: { date: string; state: string; startsAt: string }[]; gaps: { date: string; resolution: string | null }[] }>(`/series/${seriesId}`);
    expect(after.gaps.find((g) => g.date === closed)?.resolution).toBe('moved');
    expect(after.visits.find((v) => v.date === closed && v.state !== 'cancelled_by_coop')?.startsAt).toBe(picked);
    expect(await page.getByTestId('series-history').innerText()).toMatch(/annulée : la coopérative est fermée à cette heure-là/);
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-gap-moved-390');
    await context.close();
  });
});

describe('the series page after a pause, and its change form', () => {
  it('a time between the listing\'s times is said so; visits the pause took are not listed as coming, nor as cancelled by the client', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, person.email, person.password);
    await goto(page, `/series/${seriesId}`);
    await hydrated(page);
    const first = (await client.get<{ visits: { date: string; state: string }[] }>(`/series/${seriesId}`)).visits.find((v) => v.state === 'accepted')!;
    await page.locator('summary', { hasText: 'Changer l’heure' }).click();
    await page.fill('#change-from', first.date);
    await page.fill('#change-time', '09:15');
    await page.getByTestId('series-change-submit').click();
    const error = page.locator('#change-time-errors');
    await error.waitFor();
    expect(await error.innerText()).toContain('n’est pas l’une des heures offertes ce jour-là');
    // It pointed to a list of times the form does not show: the service's page shows them.
    expect(await error.innerText()).not.toContain('parmi elles');
    expect(await page.getByTestId('series-listed-times').getAttribute('href')).toBe(`/listings/${regular.listing.id}`);
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-change-between-times-390');

    // Paused from the second visit: the visits from then on are not "to come".
    const { visits } = await client.get<{ visits: { date: string; state: string }[] }>(`/series/${seriesId}`);
    const live = visits.filter((v) => v.state === 'accepted' || v.state === 'requested');
    await client.post(`/series/${seriesId}/pause`, { from: live[1]!.date });
    await goto(page, `/series/${seriesId}`);
    const coming = page.getByTestId('series-coming');
    expect(await coming.innerText()).not.toContain('Annulée par le client');
    expect(await coming.locator('li').count()).toBe(1);
    expect(await page.getByTestId('series-history').innerText()).toMatch(/pause/i);
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-paused-coming-390');
    await context.close();
  });
});

describe('the limit of regular visits', () => {
  it('with two running on this listing, the listing page says so instead of the form', async () => {
    // A second series on the same listing, a day after the first's slot.
    const first = await client.get<{ visits: { startsAt: string }[] }>(`/series/${seriesId}`);
    const startsAt = await slotAfter(regular.listing.id, (Date.parse(first.visits[0]!.startsAt) - Date.now()) / 3_600_000 + 24);
    const preview = await client.get<{ visits: { date: string; status: string }[] }>(`/listings/${regular.listing.id}/series-preview?frequency=weekly&count=2&startsAt=${encodeURIComponent(startsAt)}`);
    await client.post('/series', {
      listingId: regular.listing.id, startsAt, frequency: 'weekly', count: 2,
      choices: preview.visits.filter((v) => v.status !== 'free').map((v) => ({ date: v.date, action: 'skip' })),
      address: '4321, rue Saint-Denis, app. 2', contactName: 'Rosalie', contactEmail: person.email,
    });
    const { context, page } = await phone(browser);
    await signIn(page, person.email, person.password);
    const slot = await slotAfter(regular.listing.id, 24 * 10);
    await goto(page, `/listings/${regular.listing.id}?week=${mondayOf(slot, regular.schedule.timeZone)}&slot=${encodeURIComponent(slot)}`);
    await page.getByTestId('kind-choice').waitFor();
    await page.locator('label[for=kind-regular]').click();
    const limit = page.getByTestId('series-limit');
    await expect.poll(() => limit.isVisible()).toBe(true);
    expect(await limit.innerText()).toContain('Vous avez déjà 2 séries de visites régulières en cours pour ce service');
    expect(await page.getByTestId('regular-form').count()).toBe(0);
    expect(wallDate(slot, regular.schedule.timeZone)).toMatch(/^\d{4}-/);
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'listing-series-limit-390');
    await context.close();
  });
});

describe('the team on the series page', () => {
  it('the co-op names it once and is told once; an ended series says nothing of a team', async () => {
    const { context, page } = await phone(browser);
    await signIn(page, ADMIN);
    await goto(page, `/series/${seriesId}`);
    await hydrated(page);
    const body = () => page.locator('main, body').first().innerText();
    expect((await body()).match(/Équipe de toutes les visites/g)).toHaveLength(1);
    await page.locator('[data-testid=series-assign-submit]').scrollIntoViewIfNeeded();
    await page.locator('input[name=userIds]').first().check();
    await page.getByTestId('series-assign-submit').click();
    await page.getByText('Équipe enregistrée pour toutes les visites.').first().waitFor();
    expect((await body()).match(/Équipe enregistrée/g)).toHaveLength(1);
    expect(await noSideways(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'series-team-saved-390');

    // The client ends her regular visits from today: nothing is said of a team any more.
    const today = wallDate(new Date().toISOString(), regular.schedule.timeZone);
    const ended = await client.post<{ state: string }>(`/series/${seriesId}/end`, { from: today });
    expect(ended.state).toBe('ended');
    await goto(page, `/series/${seriesId}`);
    expect(await page.getByTestId('series-team').count()).toBe(0);
    expect(await body()).not.toContain('La coopérative la choisira');
    await screenshot(page, 'series-ended-no-team-390');
    await context.close();
  });
});
