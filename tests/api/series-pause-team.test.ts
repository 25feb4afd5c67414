/**
 * Regular visits paused from a far date keep coming until then, and the pause can be called off;
 * a worker removed from the co-op leaves the teams of its series, so new visits are not hers.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendHorizons } from '../../server/src/modules/series/index.js';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, onboardCoop, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let steward: SignedIn, admin: SignedIn, worker: SignedIn, worker2: SignedIn;
let coopId: string;
let weekly: string;

const TORONTO = 'America/Toronto';
const at = (date: string, time = '09:00') => DateTime.fromISO(`${date}T${time}`, { zone: TORONTO }).toUTC().toISO()!;
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
