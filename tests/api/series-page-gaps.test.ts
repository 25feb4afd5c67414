/**
 * What the series page reads from the API: a date a closed day took offers the free times near it
 * (the preview's window, which resolveGap accepts), and its cancellation is in the series' history;
 * visits a pause or a change took away are told apart from a visit cancelled on its own; a refused
 * charge of the saved card is in the visit's own history, with why.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../support/test-app.js';
import { chargeJobAt, dayBefore, saveCard, seriesPaymentsWorld } from '../support/series-payments-world.js';
import { setSchedule } from '../support/fixtures.js';

let t: TestApp;
const DAY = 86_400_000;
const TORONTO = 'America/Toronto';
const dateOf = (at: string | Date) => DateTime.fromJSDate(new Date(at), { zone: TORONTO }).toISODate()!;
const inject = (method: 'GET' | 'POST', url: string, who: SignedIn, payload?: object) =>
  t.app.inject({ method, url, headers: who.auth, ...(payload ? { payload } : {}) });
const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' }));

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('a visit a closed day took', () => {
  it('offers the free times from the day before to the day after, one of which the client takes; the series history says the day was closed', async () => {
    const w = await seriesPaymentsWorld(t, 4);
    const closed = dateOf(w.visits[2]!.starts_at);
    await setSchedule(t, w.admin, w.listingId, { weekly: everyDay, horizonDays: 366, seriesFrequencies: ['weekly'], instantBooking: true, exceptions: [{ date: closed, kind: 'closed' }] });
    const s = (await inject('GET', `/series/${w.series.id}`, w.client)).json();
    const gap = s.gaps.find((g: { date: string }) => g.date === closed);
    expect(gap).toMatchObject({ reason: 'closed', resolution: null });
    expect(gap.alternatives.length).toBeGreaterThan(0);
    for (const alt of gap.alternatives as string[]) {
      expect(dateOf(alt)).not.toBe(closed);
      expect(Math.abs(Date.parse(alt) - Date.parse(gap.startsAt))).toBeLessThanOrEqual(DAY);
    }
    // The closed day's cancellation is a line of the series' history, beside its own changes.
    expect(s.history).toContainEqual(expect.objectContaining({ kind: 'visit_closed', from: closed, startsAt: new Date(w.visits[2]!.starts_at).toISOString() }));
    // Cancelled by the closed day, not by a change to the series.
    expect(s.visits.find((v: { bookingId: string }) => v.bookingId === w.visits[2]!.id)).toMatchObject({ state: 'cancelled_by_coop', endedWithSeries: false });
    const moved = await inject('POST', `/series/${w.series.id}/gaps/${closed}`, w.client, { action: 'move', startsAt: gap.alternatives[0] });
    expect(moved.statusCode, moved.body).toBe(200);
    const live = moved.json().visits.find((v: { date: string; state: string }) => v.date === closed && v.state === 'accepted');
    expect(live?.startsAt).toBe(gap.alternatives[0]);
  });
});

describe('the free times near a closed day', () => {
  it('are a fair choice: up to three the day before and three the day after, not the three nearest all on one side; the farthest offered is taken', async () => {
    const w = await seriesPaymentsWorld(t, 4);
    const closed = dateOf(w.visits[2]!.starts_at);
    await setSchedule(t, w.admin, w.listingId, { weekly: everyDay, horizonDays: 366, seriesFrequencies: ['weekly'], instantBooking: true, exceptions: [{ date: closed, kind: 'closed' }] });
    const s = (await inject('GET', `/series/${w.series.id}`, w.client)).json();
    const gap = s.gaps.find((g: { date: string }) => g.date === closed);
    const at = Date.parse(gap.startsAt);
    const times = (gap.alternatives as string[]).map((a) => Date.parse(a));
    const before = times.filter((x) => x < at);
    const after = times.filter((x) => x > at);
    // Both days have free times (08:00 to 18:00 every day): both are offered, three at most each, in time order.
    expect([before.length, after.length]).toEqual([3, 3]);
    expect(new Set(before.map((x) => dateOf(new Date(x))))).toEqual(new Set([DateTime.fromISO(closed).minus({ days: 1 }).toISODate()]));
    expect(new Set(after.map((x) => dateOf(new Date(x))))).toEqual(new Set([DateTime.fromISO(closed).plus({ days: 1 }).toISODate()]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The booking preview of regular visits on that date offers the same times (one rule), from a
    // week before her first visit (a first visit must be free).
    const weekEarlier = new Date(Date.parse(w.visits[0]!.starts_at) - 7 * DAY).toISOString();
    const preview = await t.app.inject({ method: 'GET', url: `/listings/${w.listingId}/series-preview?startsAt=${encodeURIComponent(weekEarlier)}&frequency=weekly&count=5`, headers: w.client.auth });
    expect(preview.statusCode, preview.body).toBe(200);
    const previewed = preview.json().visits.find((v: { date: string }) => v.date === closed);
    expect(previewed.alternatives).toEqual(gap.alternatives);
    // The farthest one, a day after to the minute at most, is one the move accepts.
    const moved = await inject('POST', `/series/${w.series.id}/gaps/${closed}`, w.client, { action: 'move', startsAt: gap.alternatives.at(-1) });
    expect(moved.statusCode, moved.body).toBe(200);
  });

  it("are none within the listing's notice, and a move there is refused as the pages would not offer it", async () => {
    const w = await seriesPaymentsWorld(t, 4);
    const closed = dateOf(w.visits[2]!.starts_at);
    await setSchedule(t, w.admin, w.listingId, { weekly: everyDay, horizonDays: 366, minNoticeMinutes: 30 * 24 * 60, seriesFrequencies: ['weekly'], instantBooking: true, exceptions: [{ date: closed, kind: 'closed' }] });
    const gap = (await inject('GET', `/series/${w.series.id}`, w.client)).json().gaps.find((g: { date: string }) => g.date === closed);
    expect(gap.alternatives).toEqual([]);
    const dayAfter = new Date(Date.parse(gap.startsAt) + DAY).toISOString();
    const refused = await inject('POST', `/series/${w.series.id}/gaps/${closed}`, w.client, { action: 'move', startsAt: dayAfter });
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'slot_unavailable']);
  });
});

describe('visits a change to the whole series took away', () => {
  it('are marked as ended with the series after a pause and a change of frequency; a visit cancelled on its own is not', async () => {
    const w = await seriesPaymentsWorld(t, 6);
    await setSchedule(t, w.admin, w.listingId, { weekly: everyDay, horizonDays: 366, seriesFrequencies: ['weekly', 'every_2_weeks'], instantBooking: true });
    const alone = w.visits[1]!;
    expect((await inject('POST', `/bookings/${alone.id}/cancel`, w.client, {})).statusCode).toBe(200);
    // Every two weeks from the third visit: the fourth (and sixth) go.
    const changed = await inject('POST', `/series/${w.series.id}/change`, w.client, { from: dateOf(w.visits[2]!.starts_at), frequency: 'every_2_weeks' });
    expect(changed.statusCode, changed.body).toBe(200);
    // A pause from the fifth.
    const paused = await inject('POST', `/series/${w.series.id}/pause`, w.client, { from: dateOf(w.visits[4]!.starts_at), reason: 'Vacances' });
    expect(paused.statusCode, paused.body).toBe(200);
    const s = paused.json();
    const byId = new Map<string, { state: string; endedWithSeries: boolean }>(s.visits.map((v: { bookingId: string }) => [v.bookingId, v]));
    expect(byId.get(alone.id)).toMatchObject({ state: 'cancelled_by_client', endedWithSeries: false });
    for (const v of [w.visits[3]!, w.visits[4]!]) expect(byId.get(v.id)).toMatchObject({ state: 'cancelled_by_client', endedWithSeries: true });
    expect(byId.get(w.visits[0]!.id)).toMatchObject({ state: 'accepted', endedWithSeries: false });
  });
});

describe('a refused charge of the saved card', () => {
  it('is in the visit\'s own history, with the reason', async () => {
    const w = await seriesPaymentsWorld(t, 3);
    await saveCard(t, w.client, '4000 0000 0000 9995');
    const v = w.visits[1]!;
    expect(await chargeJobAt(t, dayBefore(v)).chargeVisit(v.id)).toBe('refused');
    const b = (await inject('GET', `/bookings/${v.id}`, w.client)).json();
    expect(b.events).toContainEqual(expect.objectContaining({ kind: 'charge_failed', actorRole: 'system', reason: 'card_declined:insufficient_funds', from: 'accepted', to: 'accepted' }));
  });
});

describe('what the forms are told', () => {
  it('a new time between the listing\'s times, a change after the last visit and a first visit at a time never offered each say what is wrong', async () => {
    const w = await seriesPaymentsWorld(t, 4);
    const from = dateOf(w.visits[1]!.starts_at);
    const between = await inject('POST', `/series/${w.series.id}/change`, w.client, { from, time: '09:15' });
    expect([between.statusCode, between.json().error.fields]).toEqual([400, { time: [expect.objectContaining({ code: 'not_a_listed_time' })] }]);
    const last = (await inject('GET', `/series/${w.series.id}`, w.client)).json().endsOn as string;
    const late = await inject('POST', `/series/${w.series.id}/change`, w.client, { from: DateTime.fromISO(last).plus({ days: 7 }).toISODate(), time: '10:00' });
    expect([late.statusCode, late.json().error.fields]).toEqual([400, { from: [expect.objectContaining({ code: 'after_series_end', date: last })] }]);
    const odd = DateTime.fromJSDate(new Date(w.visits[0]!.starts_at), { zone: TORONTO }).plus({ weeks: 8 }).set({ hour: 15, minute: 17 }).toUTC().toISO()!;
    const preview = await t.app.inject({ method: 'GET', url: `/listings/${w.listingId}/series-preview?startsAt=${encodeURIComponent(odd)}&frequency=weekly`, headers: w.client.auth });
    expect([preview.statusCode, preview.json().error.fields]).toEqual([400, { startsAt: [expect.objectContaining({ code: 'not_a_listed_time' })] }]);
    const booked = await inject('POST', '/series', w.client, { listingId: w.listingId, startsAt: odd, frequency: 'weekly', count: 3, address: '12 rue Rachel', contactName: 'Claire', contactEmail: 'claire@example.org' });
    expect([booked.statusCode, booked.json().error.fields]).toEqual([400, { startsAt: [expect.objectContaining({ code: 'not_a_listed_time' })] }]);
  });

  it('the room left for regular visits: a client with two running on a listing is told it is full there, before she asks', async () => {
    const w = await seriesPaymentsWorld(t, 3);
    expect((await inject('GET', `/listings/${w.listingId}/series-room`, w.client)).json()).toEqual({ here: 1, total: 1, perListing: 2, perClient: 5, full: false });
    const second = DateTime.fromJSDate(new Date(w.visits[0]!.starts_at), { zone: TORONTO }).plus({ days: 1 }).toUTC().toISO()!;
    const again = await inject('POST', '/series', w.client, { listingId: w.listingId, startsAt: second, frequency: 'weekly', count: 3, address: '12 rue Rachel', contactName: 'Claire', contactEmail: 'claire@example.org' });
    expect(again.statusCode, again.body).toBe(201);
    expect((await inject('GET', `/listings/${w.listingId}/series-room`, w.client)).json()).toMatchObject({ here: 2, total: 2, full: true });
    // The same count the booking checks: a third is refused.
    const third = await inject('POST', '/series', w.client, { listingId: w.listingId, startsAt: DateTime.fromISO(second).plus({ days: 1 }).toUTC().toISO(), frequency: 'weekly', count: 3, address: '12 rue Rachel', contactName: 'Claire', contactEmail: 'claire@example.org' });
    expect(third.json().error.code).toBe('series_limit');
    expect((await t.app.inject({ method: 'GET', url: `/listings/${w.listingId}/series-room` })).statusCode).toBe(401);
  });
});
