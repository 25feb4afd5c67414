/**
 * Changes to a whole series meeting the visits people already settled one by one (found by an
 * attack and a walk on regular visits): a paid visit survives a change of time, a visit the client
 * cancelled never comes back, an end leaves nothing after it, a closed day closes the open
 * Checkout, a resume keeps a change planned for later, an end that leaves no visit ends the series.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { setSchedule } from '../support/fixtures.js';
import { chargeJobAt, dayBefore, saveCard, seriesPaymentsWorld } from '../support/series-payments-world.js';

let t: TestApp;
let admin: SignedIn, steward: SignedIn;
let listingId: string;

const TORONTO = 'America/Toronto';
const WEEK = ['08:00', '18:00'] as const;
const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
type Visit = { id: string; series_date: string; state: string; starts_at: string };
const visitsOf = async (seriesId: string) => [...await t.database.sql<Visit[]>`
  SELECT id, series_date::text, state, starts_at::text FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at, created_at`];
const live = (vs: Visit[]) => vs.filter((v) => ['requested', 'accepted', 'paid'].includes(v.state));
const localTime = (v: Visit) => DateTime.fromSQL(v.starts_at, { zone: 'utc' }).setZone(TORONTO).toFormat('HH:mm');
const ledgerOk = async () => (await inject('GET', '/steward/ledger/check', steward)).json().ok;
const plusDays = (date: string, n: number) => DateTime.fromISO(date).plus({ days: n }).toISODate()!;

/** A new client with a weekly series of `count` visits from two weeks ahead (instant, accepted). */
async function newSeries(count = 6) {
  const [client] = (await Promise.all([signUp(t.app)])) as [SignedIn];
  const first = new Date(Date.now() + 14 * 86_400_000);
  first.setUTCHours(15, 0, 0, 0);
  const res = await inject('POST', '/series', client, { listingId, startsAt: first.toISOString(), frequency: 'weekly', count, address: '12 rue Rachel', contactName: 'Claire', contactEmail: 'claire@example.org' });
  expect(res.statusCode, res.body).toBe(201);
  return { client, id: res.json().id as string, visits: await visitsOf(res.json().id) };
}


beforeAll(async () => {
  t = await createTestApp();
  ({ admin, steward, listingId } = await seriesPaymentsWorld(t, 2));
  await setSchedule(t, admin, listingId, {
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: WEEK[0], end: WEEK[1] })), horizonDays: 366, minNoticeMinutes: 0,
    seriesFrequencies: ['weekly'], instantBooking: true, capacity: 20, // each test's series beside the others'
  });
});
afterAll(() => t.close());

describe('a change of time from a date', () => {
  it('leaves a visit already paid at its time, without a fee, and makes no second visit that day', async () => {
    const { client, id, visits } = await newSeries(4);
    await saveCard(t, client);
    expect(await chargeJobAt(t, dayBefore(visits[0]!)).chargeVisit(visits[0]!.id)).toBe('charged');
    const res = await inject('POST', `/series/${id}/change`, client, { from: visits[0]!.series_date, time: '13:00' });
    expect(res.statusCode, res.body).toBe(200);
    await t.stripe.webhooks.idle();
    const after = live(await visitsOf(id));
    // The paid visit is as it was (no refund, no late fee); the other dates are at 13:00.
    expect(after.map((v) => [v.series_date, v.state, localTime(v)])).toEqual([
      [visits[0]!.series_date, 'paid', localTime(visits[0]!)],
      ...visits.slice(1).map((v) => [v.series_date, 'accepted', '13:00']),
    ]);
    expect((await t.database.sql`SELECT 1 FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.booking_id = ${visits[0]!.id}`).length).toBe(0);
    expect(await ledgerOk()).toBe(true);
  });
});

describe('a pause by the co-op over a paid visit', () => {
  it('refunds it and tells the French client why in French', async () => {
    const { client, id, visits } = await newSeries(3);
    await saveCard(t, client);
    expect(await chargeJobAt(t, dayBefore(visits[0]!)).chargeVisit(visits[0]!.id)).toBe('charged');
    await t.sentMail();
    expect((await inject('POST', `/series/${id}/pause`, admin, { from: visits[0]!.series_date })).statusCode).toBe(200);
    const told = (await t.sentMail()).find((m) => m.to === client.email && m.text.includes(`/bookings/${visits[0]!.id}`))!;
    expect(told.text).toContain('Motif : Visites régulières modifiées par la coopérative');
    expect(told.text).not.toMatch(/Regular visits|series paused/);
  });
});

describe('the same pause sent from several tabs at once', () => {
  it('pauses once: one line of history, one email each', async () => {
    const { client, id, visits } = await newSeries(3);
    await t.sentMail();
    const answers = await Promise.all(Array.from({ length: 6 }, () => inject('POST', `/series/${id}/pause`, client, { from: visits[1]!.series_date })));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    const history = (await inject('GET', `/series/${id}`, client)).json().history as { kind: string }[];
    expect(history.filter((e) => e.kind === 'paused')).toHaveLength(1);
    const told = (await t.sentMail()).filter((m) => m.text.includes(`/series/${id}`) && /pause/i.test(m.subject));
    expect(told.filter((m) => m.to === client.email)).toHaveLength(1);
  });
});

describe('a visit cancelled on its own', () => {
  it('is not made again by a later change, pause or resume of its series', async () => {
    const { client, id, visits } = await newSeries(5);
    const gone = visits[2]!;
    expect((await inject('POST', `/bookings/${gone.id}/cancel`, client, { reason: 'En voyage' })).statusCode).toBe(200);
    expect((await inject('POST', `/series/${id}/change`, admin, { from: visits[1]!.series_date, time: '12:00' })).statusCode).toBe(200);
    expect(live(await visitsOf(id)).map((v) => v.series_date)).not.toContain(gone.series_date);
    expect((await inject('POST', `/series/${id}/pause`, client, { from: visits[1]!.series_date })).statusCode).toBe(200);
    expect((await inject('POST', `/series/${id}/resume`, client, { from: visits[1]!.series_date })).statusCode).toBe(200);
    const after = live(await visitsOf(id));
    expect(after.map((v) => v.series_date)).toEqual(visits.filter((v) => v !== gone).map((v) => v.series_date));
    expect(after.slice(1).every((v) => localTime(v) === '12:00')).toBe(true);
  });
});

describe('a resume', () => {
  it('keeps the change of time planned for a date after the pause began', async () => {
    const { client, id, visits } = await newSeries(6);
    expect((await inject('POST', `/series/${id}/change`, client, { from: visits[3]!.series_date, time: '14:00' })).statusCode).toBe(200);
    expect((await inject('POST', `/series/${id}/pause`, client, { from: visits[1]!.series_date })).statusCode).toBe(200);
    const resumed = await inject('POST', `/series/${id}/resume`, client, { from: visits[2]!.series_date });
    expect(resumed.statusCode, resumed.body).toBe(200);
    const after = live(await visitsOf(id));
    expect(after.map((v) => [v.series_date, localTime(v)])).toEqual([
      [visits[0]!.series_date, localTime(visits[0]!)],
      [visits[2]!.series_date, localTime(visits[2]!)],
      ...visits.slice(3).map((v) => [v.series_date, '14:00']),
    ]);
  });
});

describe('a change from before a pause already resumed', () => {
  it('leaves the paused dates free, and each email says the change it was sent for', async () => {
    const { client, id, visits } = await newSeries(6);
    expect((await inject('POST', `/series/${id}/pause`, client, { from: visits[2]!.series_date })).statusCode).toBe(200);
    expect((await inject('POST', `/series/${id}/resume`, client, { from: visits[4]!.series_date })).statusCode).toBe(200);
    await t.sentMail();
    const changed = await inject('POST', `/series/${id}/change`, client, { from: visits[1]!.series_date, time: '13:00' });
    expect(changed.statusCode, changed.body).toBe(200);
    // Then, before the emails go out, a pause from a later date.
    expect((await inject('POST', `/series/${id}/pause`, client, { from: visits[5]!.series_date })).statusCode).toBe(200);
    const after = live(await visitsOf(id));
    expect(after.map((v) => [v.series_date, localTime(v)])).toEqual([
      [visits[0]!.series_date, localTime(visits[0]!)],
      [visits[1]!.series_date, '13:00'],
      [visits[4]!.series_date, '13:00'],
    ]);
    const mail = (await t.sentMail()).filter((m) => m.to === client.email && m.text.includes(`/series/${id}`));
    const change = mail.find((m) => /modifiées/.test(m.subject))!;
    const d = DateTime.fromISO(visits[1]!.series_date).setLocale('fr-CA');
    const day = `${d.day === 1 ? '1er' : d.day} ${d.toFormat('LLLL yyyy')}`;
    expect(change.text.replace(/[\u00a0\u202f]/g, ' ')).toContain(`${day}`);
    expect(change.text.replace(/[\u00a0\u202f]/g, ' ')).toContain('13 h 00');
  });
});

describe('an end', () => {
  it('takes the visits moved past it and the dates waiting for a choice after it', async () => {
    const { client, id, visits } = await newSeries(5);
    // The client moves the second visit past the fourth; the co-op closes the day of the fifth (a gap).
    const moved = new Date(Date.parse(visits[3]!.starts_at) + 86_400_000).toISOString();
    expect((await inject('POST', `/bookings/${visits[1]!.id}/reschedule`, client, { startsAt: moved })).statusCode).toBe(200);
    const sched = (await inject('GET', `/listings/${listingId}/schedule`, null)).json();
    await setSchedule(t, admin, listingId, { ...sched, listingId: undefined, configured: undefined, exceptions: [...sched.exceptions, { date: visits[4]!.series_date, kind: 'closed' }] });
    expect((await inject('GET', `/series/${id}`, client)).json().gaps.map((g: { date: string }) => g.date)).toEqual([visits[4]!.series_date]);

    const ended = await inject('POST', `/series/${id}/end`, client, { from: visits[2]!.series_date });
    expect(ended.statusCode, ended.body).toBe(200);
    // No date waits for a choice after it; the moved visit's own date stays left out (never made again).
    expect(ended.json().gaps).toEqual([expect.objectContaining({ date: visits[1]!.series_date, reason: 'cancelled', resolution: 'skipped' })]);
    expect(live(await visitsOf(id)).map((v) => v.id)).toEqual([visits[0]!.id]);
    // The gap cannot be turned into a visit after the end.
    const move = await inject('POST', `/series/${id}/gaps/${visits[4]!.series_date}`, client, { action: 'move', startsAt: new Date(Date.parse(visits[4]!.starts_at) - 86_400_000).toISOString() });
    expect(move.statusCode, move.body).toBe(404);
  });

  it('from after its last day changes nothing and says so; one that leaves no visit ends the series', async () => {
    const { client, id, visits } = await newSeries(3);
    const late = await inject('POST', `/series/${id}/end`, client, { from: plusDays(visits[2]!.series_date, 30) });
    expect(late.statusCode).toBe(400);
    expect(errorOf(late).fields).toHaveProperty('from');
    // The co-op moves the series to a later weekday start, then it is ended before that start.
    const start = plusDays(visits[1]!.series_date, 1);
    expect((await inject('POST', `/series/${id}/change`, admin, { from: start, time: '11:00' })).statusCode).toBe(200);
    const ended = await inject('POST', `/series/${id}/end`, admin, { from: visits[1]!.series_date, reason: 'Nous arrêtons' });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(live(await visitsOf(id)).map((v) => v.id)).toEqual([visits[0]!.id]);
    // One visit left before the end: still running until it. The rule that would have begun after is gone.
    expect(ended.json().state).toBe('active');
    expect(ended.json().rules.every((r: { startsOn: string }) => r.startsOn <= ended.json().endsOn)).toBe(true);
    expect((await inject('POST', `/bookings/${visits[0]!.id}/cancel`, client, { reason: 'Non' })).statusCode).toBe(200);
    const again = await inject('POST', `/series/${id}/end`, client, { from: visits[0]!.series_date });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().state).toBe('ended');
  });
});

describe('a closed day', () => {
  it('closes the open Checkout of the visit it cancels, so the client cannot pay for it', async () => {
    const { client, id, visits } = await newSeries(3);
    const v = visits[1]!;
    const opened = await inject('POST', `/bookings/${v.id}/checkout`, client);
    expect(opened.statusCode, opened.body).toBe(200);
    const sched = (await inject('GET', `/listings/${listingId}/schedule`, null)).json();
    await setSchedule(t, admin, listingId, { ...sched, listingId: undefined, configured: undefined, exceptions: [...sched.exceptions, { date: v.series_date, kind: 'closed' }] });
    expect((await visitsOf(id)).find((x) => x.id === v.id)!.state).toBe('cancelled_by_coop');
    expect((await t.database.sql<{ status: string }[]>`SELECT status FROM payments WHERE booking_id = ${v.id}`).map((p) => p.status)).toEqual(['expired']);
  });
});
