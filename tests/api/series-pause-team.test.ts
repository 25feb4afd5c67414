/**
 * Regular visits paused from a far date keep coming until then, and the pause can be called off;
 * a worker removed from the co-op leaves the teams of its series, so new visits are not hers.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendHorizons } from '../../server/src/modules/series/index.js';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, onboardCoop, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let steward: SignedIn, admin: SignedIn, worker: SignedIn, worker2: SignedIn;
let coopId: string;
let weekly: string;

const TORONTO = 'America/Toronto';
const at = (date: string, time = '09:00') => DateTime.fromISO(`${date}T${time}`, { zone: TORONTO }).toUTC().toISO()!;
const today = () => DateTime.now().setZone(TORONTO).toISODate()!;
const monday = (weeks: number) => DateTime.now().setZone(TORONTO).startOf('week').plus({ weeks }).toISODate()!;
const days = (n: number) => new Date(Date.now() + n * 86_400_000);

const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
const body = (startsAt: string, over: Record<string, unknown> = {}) => ({
  listingId: weekly, startsAt, frequency: 'weekly', address: '4321 rue Saint-Denis, app. 2', contactName: 'Claire Cliente',
  contactPhone: '514 555-0101', contactEmail: 'claire@example.org', ...over,
});
const LIVE = ['requested', 'accepted', 'paid'];
const liveVisits = async (seriesId: string) => (await t.database.sql<{ id: string; series_date: string; state: string }[]>`
  SELECT id, series_date::text, state FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at`).filter((v) => LIVE.includes(v.state));

/** An open-ended weekly series at `time` from the Monday `weeks` ahead, accepted by the co-op. */
async function acceptedSeries(client: SignedIn, time: string, weeks = 1, over: Record<string, unknown> = {}) {
  const res = await inject('POST', '/series', client, body(at(monday(weeks), time), over));
  expect(res.statusCode, res.body).toBe(201);
  const accepted = await inject('POST', `/series/${res.json().id}/accept`, admin, {});
  expect(accepted.statusCode, accepted.body).toBe(200);
  return accepted.json() as { id: string; endsOn: string | null };
}

beforeAll(async () => {
  t = await createTestApp();
  [steward, admin, worker, worker2] = (await Promise.all([1, 2, 3, 4].map(() => signUp(t.app)))) as [SignedIn, SignedIn, SignedIn, SignedIn];
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Pause')).id;
  await onboardCoop(t, admin, coopId);
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${worker.userId}, 'worker'), (${coopId}, ${worker2.userId}, 'worker')`;
  weekly = (await publishListing(t, admin, coopId, { priceKind: 'fixed', priceCents: 12_000, durationMinutes: 60, locationMode: 'client_place' })).id;
  await setSchedule(t, admin, weekly, {
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })),
    horizonDays: 366, minNoticeMinutes: 0, seriesFrequencies: ['weekly'], seriesDiscountBps: 0,
  });
});
afterAll(() => t.close());

describe('a pause from a far date', () => {
  it('keeps the visits coming until the day before it, and resuming before it calls it off', async () => {
    const [client] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const s = await acceptedSeries(client, '09:00');
    const made = await liveVisits(s.id);
    const pauseFrom = monday(30); // about 200 days ahead, far past the eight weeks made
    const paused = await inject('POST', `/series/${s.id}/pause`, client, { from: pauseFrom });
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json()).toMatchObject({ state: 'paused', pausedFrom: pauseFrom });
    // Until the pause begins the client can still change, move the pause, call it off or end.
    expect(paused.json().actions).toEqual(expect.arrayContaining(['change', 'pause', 'resume', 'end']));

    await extendHorizons(t.db, days(60));
    const later = await liveVisits(s.id);
    expect(later.length).toBeGreaterThan(made.length + 4);
    expect(later.every((v) => v.state === 'accepted' && v.series_date < pauseFrom)).toBe(true);

    // Called off: the visits go on past the old pause date, none twice, no gap made up.
    const resumed = await inject('POST', `/series/${s.id}/resume`, client, { from: today() });
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json()).toMatchObject({ state: 'active', pausedFrom: null, gaps: [] });
    await extendHorizons(t.db, days(200));
    const after = await liveVisits(s.id);
    expect(after.some((v) => v.series_date >= pauseFrom)).toBe(true);
    expect(new Set(after.map((v) => v.series_date)).size).toBe(after.length);
  });

  it('called off before it begins, the visits it had cancelled come back once each', async () => {
    const [client] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const s = await acceptedSeries(client, '11:00');
    const before = (await liveVisits(s.id)).map((v) => v.series_date);
    const pauseFrom = monday(4);
    expect((await inject('POST', `/series/${s.id}/pause`, client, { from: pauseFrom })).statusCode).toBe(200);
    expect((await liveVisits(s.id)).every((v) => v.series_date < pauseFrom)).toBe(true);
    const early = await inject('POST', `/series/${s.id}/resume`, client, { from: today() });
    expect(early.statusCode, early.body).toBe(200);
    expect(early.json()).toMatchObject({ state: 'active', pausedFrom: null, gaps: [] });
    expect((await liveVisits(s.id)).map((v) => v.series_date)).toEqual(before);
  });

  it('a change before the pause keeps the visits up to it; a pause after the last date is refused', async () => {
    const [client] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const s = await acceptedSeries(client, '14:00');
    const pauseFrom = monday(30);
    expect((await inject('POST', `/series/${s.id}/pause`, client, { from: pauseFrom })).statusCode).toBe(200);
    const changeFrom = monday(16);
    const changed = await inject('POST', `/series/${s.id}/change`, client, { from: changeFrom, time: '15:00' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ state: 'paused', pausedFrom: pauseFrom });
    for (const d of [50, 100, 150]) await extendHorizons(t.db, days(d)); // the job, run now and then
    const dates = (await liveVisits(s.id)).map((v) => v.series_date);
    // Every Monday from the first to the day before the pause: none lost between the horizon and the change.
    const mondays = Array.from({ length: 29 }, (_, i) => monday(i + 1));
    expect(dates).toEqual(mondays);
    const past = await inject('POST', `/series/${s.id}/change`, client, { from: monday(31), time: '10:00' });
    expect([past.statusCode, errorOf(past).code]).toEqual([409, 'invalid_transition']);

    const [other] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const short = await acceptedSeries(other, '16:00', 1, { count: 4 });
    const far = await inject('POST', `/series/${short.id}/pause`, other, { from: '2099-01-05' });
    expect([far.statusCode, errorOf(far).fields]).toEqual([400, { from: [expect.objectContaining({ code: 'after_series_end', date: short.endsOn })] }]);
    expect((await inject('GET', `/series/${short.id}`, other)).json()).toMatchObject({ state: 'active', pausedFrom: null });
  });
});

describe('a pause not begun yet', () => {
  it('moved later, the visits between come back; ended before it, the visits up to the new last day stay', async () => {
    const [client] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const s = await acceptedSeries(client, '17:00');
    expect((await inject('POST', `/series/${s.id}/pause`, client, { from: monday(3) })).statusCode).toBe(200);
    const moved = await inject('POST', `/series/${s.id}/pause`, client, { from: monday(6) });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ state: 'paused', pausedFrom: monday(6) });
    expect((await liveVisits(s.id)).map((v) => v.series_date)).toEqual([1, 2, 3, 4, 5].map(monday));

    const ended = await inject('POST', `/series/${s.id}/end`, client, { from: monday(5) });
    expect(ended.statusCode, ended.body).toBe(200);
    // Its visits before that date still come: it runs until the last of them (the pause no longer shown).
    expect(ended.json()).toMatchObject({ state: 'active', pausedFrom: null, endsOn: DateTime.fromISO(monday(5)).minus({ days: 1 }).toISODate() });
    expect((await liveVisits(s.id)).map((v) => v.series_date)).toEqual([1, 2, 3, 4].map(monday));
  });

  it('ended before it when it is far ahead: the visits up to the new last day are still made', async () => {
    const [client] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const s = await acceptedSeries(client, '08:00');
    expect((await inject('POST', `/series/${s.id}/pause`, client, { from: monday(30) })).statusCode).toBe(200);
    const ended = await inject('POST', `/series/${s.id}/end`, client, { from: monday(20) });
    expect(ended.json()).toMatchObject({ state: 'active', pausedFrom: null });
    for (const d of [50, 100]) await extendHorizons(t.db, days(d));
    expect((await liveVisits(s.id)).map((v) => v.series_date)).toEqual(Array.from({ length: 19 }, (_, i) => monday(i + 1)));
  });
});

describe('a worker removed from the co-op', () => {
  it('leaves the teams of its series: new visits are not hers and she is told of none', async () => {
    const [client] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const s = await acceptedSeries(client, '12:00');
    const assigned = await inject('PUT', `/series/${s.id}/workers`, admin, { userIds: [worker.userId, worker2.userId] });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const sent = (await t.sentMail()).length;
    const removed = await inject('DELETE', `/coops/${coopId}/members/${worker2.userId}`, admin);
    expect(removed.statusCode, removed.body).toBeLessThan(300);

    await extendHorizons(t.db, days(60));
    const visits = await liveVisits(s.id);
    const workers = await t.database.sql<{ booking_id: string; user_id: string }[]>`
      SELECT w.booking_id, w.user_id FROM booking_workers w JOIN bookings b ON b.id = w.booking_id WHERE b.series_id = ${s.id}`;
    const on = (user: string) => new Set(workers.filter((w) => w.user_id === user).map((w) => w.booking_id));
    // The job made visits, the team that stays is on them, she is on none of the live ones.
    expect(visits.length).toBeGreaterThan(9);
    expect(visits.every((v) => on(worker.userId).has(v.id))).toBe(true);
    expect(visits.filter((v) => on(worker2.userId).has(v.id))).toEqual([]);
    expect((await inject('GET', `/series/${s.id}`, admin)).json().team.map((m: { userId: string }) => m.userId)).toEqual([worker.userId]);
    const hers = (await t.sentMail()).slice(sent).filter((m) => m.to === worker2.email);
    expect(hers.filter((m) => m.text.includes('Saint-Denis') || m.text.includes(`/series/${s.id}`) || m.text.includes('/bookings/'))).toEqual([]);
  });
});

describe('a day the co-op closes after visits were made for it', () => {
  it('the visit that day gives way to a gap both sides hear of; the client skips it or takes another time', async () => {
    const [client] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const s = await acceptedSeries(client, '13:00', 1, { count: 4 });
    const closedOn = monday(3);
    const visitThatDay = (await liveVisits(s.id)).find((v) => v.series_date === closedOn)!;
    expect(visitThatDay.state).toBe('accepted');
    await setSchedule(t, admin, weekly, {
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })),
      horizonDays: 366, minNoticeMinutes: 0, seriesFrequencies: ['weekly'], seriesDiscountBps: 0,
      exceptions: [{ date: closedOn, kind: 'closed' }],
    });
    expect((await liveVisits(s.id)).map((v) => v.series_date)).toEqual([1, 2, 4].map(monday));
    const page = (await inject('GET', `/series/${s.id}`, client)).json();
    expect(page.gaps).toEqual([expect.objectContaining({ date: closedOn, reason: 'closed', resolution: null })]);
    const told = (await t.sentMail()).filter((m) => m.text.includes(`/series/${s.id}`) && /ne peut pas avoir lieu|cannot take place/i.test(m.subject + m.text));
    expect(told.map((m) => m.to).sort()).toEqual([admin.email, client.email].sort());
    // Saving the hours again changes nothing more.
    await setSchedule(t, admin, weekly, {
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })),
      horizonDays: 366, minNoticeMinutes: 0, seriesFrequencies: ['weekly'], seriesDiscountBps: 0,
      exceptions: [{ date: closedOn, kind: 'closed' }],
    });
    expect((await inject('GET', `/series/${s.id}`, client)).json().gaps).toHaveLength(1);
    const skipped = await inject('POST', `/series/${s.id}/gaps/${closedOn}`, client, { action: 'skip' });
    expect(skipped.statusCode, skipped.body).toBe(200);
    expect(skipped.json().gaps[0].resolution).toBe('skipped');
  });
});
