/**
 * Before a change of time or frequency from a date is made, either side sees what it does: the
 * visits it cancels, the coming visits as they will be, and, when the first visit of the new rule
 * falls closer to the last visit kept before it than the new frequency's step (a weekly visit the
 * day after the previous one), that it does. Several changes in a row each seemed harmless and
 * together gave the client a visit every day of a week, with nothing to say so. The preview is the
 * change itself, written nowhere: what it says is what the change then does.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { setSchedule } from '../support/fixtures.js';
import { seriesPaymentsWorld } from '../support/series-payments-world.js';

let t: TestApp;
let admin: SignedIn;
let listingId: string;

const TORONTO = 'America/Toronto';
const inject = (method: 'GET' | 'POST', url: string, who: SignedIn, payload?: object) =>
  t.app.inject({ method, url, headers: who.auth, ...(payload ? { payload } : {}) });
type Visit = { id: string; series_date: string; state: string; starts_at: string };
const visitsOf = async (seriesId: string) => [...await t.database.sql<Visit[]>`
  SELECT id, series_date::text, state, starts_at::text FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at, created_at`];
const live = (vs: Visit[]) => vs.filter((v) => ['requested', 'accepted', 'paid'].includes(v.state));
const iso = (v: Visit) => new Date(`${v.starts_at}Z`).toISOString();
const at = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone: TORONTO }).toUTC().toISO()!;
const plusDays = (date: string, n: number) => DateTime.fromISO(date).plus({ days: n }).toISODate()!;
const query = (b: Record<string, string>) => new URLSearchParams(b).toString();

type Preview = {
  from: string; time: string; frequency: string;
  cancels: { bookingId: string; date: string; startsAt: string }[];
  next: { bookingId: string | null; date: string; startsAt: string; status: string }[];
  previous: { bookingId: string | null; date: string; startsAt: string } | null;
  daysAfterPrevious: number | null;
  closerThanUsual: boolean;
  stepKeptFrom: string | null;
};
const preview = async (id: string, who: SignedIn, body: Record<string, string>) => {
  const res = await inject('GET', `/series/${id}/change-preview?${query(body)}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Preview;
};

/** Everything a change writes, to see that a preview wrote none of it. */
const snapshot = async (seriesId: string) => ({
  bookings: await t.database.sql`SELECT id, state, starts_at, series_date FROM bookings WHERE series_id = ${seriesId} ORDER BY id`,
  bookingEvents: await t.database.sql`SELECT count(*)::int AS n FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE b.series_id = ${seriesId}`,
  series: await t.database.sql`SELECT state, sequence, generated_through::text, paused_from FROM booking_series WHERE id = ${seriesId}`,
  rules: await t.database.sql`SELECT starts_on::text, frequency, time, until::text FROM booking_series_rules WHERE series_id = ${seriesId} ORDER BY starts_on`,
  gaps: await t.database.sql`SELECT date::text, reason, resolution FROM booking_series_gaps WHERE series_id = ${seriesId} ORDER BY date`,
  history: await t.database.sql`SELECT count(*)::int AS n FROM booking_series_events WHERE series_id = ${seriesId}`,
  outbox: await t.database.sql`SELECT count(*)::int AS n FROM outbox`,
});

/** A client with weekly visits on Mondays at 09:00 from a Monday two weeks or more ahead (the example's 4 January). */
async function mondays(count: number) {
  const today = DateTime.now().setZone(TORONTO).startOf('day');
  const monday = today.plus({ days: 14 + ((8 - today.weekday) % 7) }).toISODate()!;
  const client = await signUp(t.app, { name: 'Claire Client' });
  const res = await inject('POST', '/series', client, { listingId, startsAt: at(monday, '09:00'), frequency: 'weekly', count, address: '12 rue Rachel', contactName: 'Claire', contactEmail: 'claire@example.org' });
  expect(res.statusCode, res.body).toBe(201);
  return { client, monday, id: res.json().id as string, visits: await visitsOf(res.json().id) };
}

beforeAll(async () => {
  t = await createTestApp();
  ({ admin, listingId } = await seriesPaymentsWorld(t, 2));
  await setSchedule(t, admin, listingId, {
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })), horizonDays: 366, minNoticeMinutes: 0,
    seriesFrequencies: ['weekly', 'every_2_weeks'], instantBooking: true, capacity: 20,
  });
});
afterAll(() => t.close());

describe('a change previewed', () => {
  it('from the Tuesday after a Monday visit: says the Monday stays and the next is a day after it, writes nothing, and the change does what it said', async () => {
    const { client, monday, id, visits } = await mondays(5);
    const tuesday = plusDays(monday, 1);
    const before = await snapshot(id);
    const p = await preview(id, client, { from: tuesday, time: '09:00' });
    expect(await snapshot(id)).toEqual(before);

    expect(p).toMatchObject({ from: tuesday, time: '09:00', frequency: 'weekly', daysAfterPrevious: 1, closerThanUsual: true, stepKeptFrom: plusDays(tuesday, 7) });
    // The Tuesday a week on, not the Monday: the change asked for Tuesdays (a walk read Thursday for Tuesdays).
    expect(p.previous).toEqual({ bookingId: visits[0]!.id, date: monday, startsAt: iso(visits[0]!) });
    expect(p.cancels.map((v) => v.bookingId)).toEqual(visits.slice(1).map((v) => v.id));
    // Tuesdays from then to the series' last day (the fifth Monday), each a new visit.
    expect(p.next.map((v) => [v.date, v.startsAt, v.status])).toEqual([0, 7, 14, 21].map((d) => [plusDays(tuesday, d), at(plusDays(tuesday, d), '09:00'), 'new']));

    const changed = await inject('POST', `/series/${id}/change`, client, { from: tuesday, time: '09:00' });
    expect(changed.statusCode, changed.body).toBe(200);
    const after = await visitsOf(id);
    expect(after.filter((v) => p.cancels.some((c) => c.bookingId === v.id)).map((v) => v.state)).toEqual(p.cancels.map(() => 'cancelled_by_client'));
    expect(live(after).map((v) => [v.series_date, iso(v)])).toEqual([[monday, iso(visits[0]!)], ...p.next.map((v) => [v.date, v.startsAt])]);
    // A visit still to be made has no booking yet to point to.
    expect(p.next.map((v) => v.bookingId)).toEqual(p.next.map(() => null));
  });

  it('a second change the next day says the same of the visit the first one made', async () => {
    const { client, monday, id } = await mondays(5);
    expect((await inject('POST', `/series/${id}/change`, client, { from: plusDays(monday, 1), time: '09:00' })).statusCode).toBe(200);
    const tuesday = live(await visitsOf(id))[1]!;
    const p = await preview(id, admin, { from: plusDays(monday, 2), time: '09:00' });
    expect(p.previous).toEqual({ bookingId: tuesday.id, date: tuesday.series_date, startsAt: iso(tuesday) });
    expect(p).toMatchObject({ daysAfterPrevious: 1, closerThanUsual: true });
  });

  it('a change that keeps the step says nothing of it; a longer step is measured against its own length', async () => {
    const { client, monday, id, visits } = await mondays(6);
    const same = await preview(id, client, { from: plusDays(monday, 7), time: '11:00' });
    expect(same).toMatchObject({ daysAfterPrevious: 7, closerThanUsual: false });
    expect(same.previous?.bookingId).toBe(visits[0]!.id);
    expect(same.next[0]).toMatchObject({ date: plusDays(monday, 7), startsAt: at(plusDays(monday, 7), '11:00'), status: 'new' });
    // Every two weeks from the next Monday: a week after the previous visit is closer than two.
    const fortnight = await preview(id, client, { from: plusDays(monday, 7), frequency: 'every_2_weeks' });
    expect(fortnight).toMatchObject({ frequency: 'every_2_weeks', time: '09:00', daysAfterPrevious: 7, closerThanUsual: true, stepKeptFrom: plusDays(monday, 14) });
    expect(fortnight.next.map((v) => v.date)).toEqual([7, 21, 35].map((d) => plusDays(monday, d)));
  });

  it('from beyond the horizon: shows the visits the job will make either side of the date, and writes none of them', async () => {
    const client = await signUp(t.app);
    const today = DateTime.now().setZone(TORONTO).startOf('day');
    const monday = today.plus({ days: 14 + ((8 - today.weekday) % 7) }).toISODate()!;
    const made = await inject('POST', '/series', client, { listingId, startsAt: at(monday, '09:00'), frequency: 'weekly', address: '12 rue Rachel', contactName: 'Claire', contactEmail: 'claire@example.org' });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    // Twelve weeks on: no visit is made that far yet.
    const far = plusDays(monday, 7 * 12);
    expect((await visitsOf(id)).some((v) => v.series_date >= plusDays(far, -7))).toBe(false);
    const before = await snapshot(id);
    const p = await preview(id, client, { from: plusDays(far, 1), time: '09:00' });
    expect(await snapshot(id)).toEqual(before);
    expect(p.cancels).toEqual([]);
    expect(p.previous).toEqual({ bookingId: null, date: far, startsAt: at(far, '09:00') });
    expect(p).toMatchObject({ daysAfterPrevious: 1, closerThanUsual: true, stepKeptFrom: plusDays(far, 8) });
    expect(p.next.map((v) => [v.date, v.status, v.bookingId])).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((w) => [plusDays(far, 1 + 7 * w), 'new', null]));
  });

  it('shows a visit the client moved as staying where she placed it, not as cancelled', async () => {
    const { client, monday, id, visits } = await mondays(5);
    const second = visits[1]!;
    expect((await inject('POST', `/bookings/${second.id}/reschedule`, client, { startsAt: at(plusDays(monday, 10), '14:00') })).statusCode).toBe(200);
    const p = await preview(id, client, { from: plusDays(monday, 8), time: '10:00' });
    expect(p.cancels.map((v) => v.bookingId)).not.toContain(second.id);
    expect(p.next.find((v) => v.bookingId === second.id)).toMatchObject({ status: 'kept', startsAt: at(plusDays(monday, 10), '14:00') });
    // The last visit before the first Tuesday is the first Monday: a week and a day before.
    expect(p).toMatchObject({ daysAfterPrevious: 8, closerThanUsual: false });
  });

  it('names a date of the new rule the co-op is closed on, and the change then asks the client about that date', async () => {
    const { client, monday, id } = await mondays(4);
    const wednesday = plusDays(monday, 9);
    const sched = (await t.app.inject({ method: 'GET', url: `/listings/${listingId}/schedule` })).json();
    await setSchedule(t, admin, listingId, { ...sched, listingId: undefined, configured: undefined, exceptions: [...sched.exceptions, { date: wednesday, kind: 'closed' }] });
    const p = await preview(id, client, { from: plusDays(monday, 2), time: '10:00' });
    expect(p.next.map((v) => [v.date, v.status])).toEqual([[plusDays(monday, 2), 'new'], [wednesday, 'closed'], [plusDays(monday, 16), 'new']]);
    expect(p.next[1]!.startsAt).toBe(at(wednesday, '10:00'));
    expect((await inject('POST', `/series/${id}/change`, client, { from: plusDays(monday, 2), time: '10:00' })).statusCode).toBe(200);
    const gaps = (await inject('GET', `/series/${id}`, client)).json().gaps;
    expect(gaps).toEqual([expect.objectContaining({ date: wednesday, reason: 'closed', resolution: null })]);
    await setSchedule(t, admin, listingId, { ...sched, listingId: undefined, configured: undefined });
  });

  it('is refused as the change would be, and only to the two sides', async () => {
    const { client, monday, id } = await mondays(3);
    const yesterday = DateTime.now().setZone(TORONTO).minus({ days: 1 }).toISODate()!;
    const past = await inject('GET', `/series/${id}/change-preview?${query({ from: yesterday, time: '10:00' })}`, client);
    expect(past.statusCode).toBe(400);
    expect(errorOf(past).fields?.from?.[0]?.code).toBe('day_passed');
    const nothing = await inject('GET', `/series/${id}/change-preview?${query({ from: plusDays(monday, 7) })}`, client);
    expect(nothing.statusCode).toBe(400);
    expect(errorOf(nothing).fields?.time?.[0]?.code).toBe('nothing_to_change');
    const closed = await inject('GET', `/series/${id}/change-preview?${query({ from: plusDays(monday, 7), time: '20:00' })}`, client);
    expect(closed.statusCode).toBe(400);
    expect(errorOf(closed).fields?.time).toBeDefined();
    const stranger = await signUp(t.app);
    expect((await inject('GET', `/series/${id}/change-preview?${query({ from: plusDays(monday, 7), time: '10:00' })}`, stranger)).statusCode).toBe(404);
  });
});
