/**
 * A calendar feed costs the API a build: one address asked for in a loop is refused after a few
 * a minute (a calendar app polls every few minutes at most), a feed built lately is served again
 * while its visits are the same, and never once one of them changed; notes are cut in the feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { FEED_RATE_LIMIT_PER_TOKEN_PER_MINUTE } from '../../server/src/modules/feeds/routes.js';
import { FEED_NOTES_MAX } from '../../server/src/modules/feeds/service.js';
import { approvedCoop, bookingBody, onboardCoop, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let admin: SignedIn, client: SignedIn, worker: SignedIn;
let coopId: string, listingId: string;
const ZONE = 'America/Toronto';
const day = (n: number) => DateTime.now().setZone(ZONE).startOf('day').plus({ days: 20 + n, hours: 9 });

async function ok(method: 'GET' | 'POST' | 'PUT', url: string, who: SignedIn, payload?: object) {
  const res = await t.app.inject({ method, url, headers: who.auth, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}
const feedPath = async (who: SignedIn, kind: 'client' | 'worker' | 'coop', coop: string | null = null) =>
  `/calendar-feeds/${new URL((await ok('POST', '/me/calendar-feeds', who, { kind, coopId: coop })).url).pathname.split('/').pop()}`;
async function events(path: string) {
  const res = await t.app.inject({ method: 'GET', url: path });
  expect(res.statusCode, res.body).toBe(200);
  return new ICAL.Component(ICAL.parse(res.body)).getAllSubcomponents('vevent').map((v) => ({
    uid: String(v.getFirstPropertyValue('uid')), status: String(v.getFirstPropertyValue('status')), description: String(v.getFirstPropertyValue('description')),
  }));
}
async function accepted(at: DateTime, notes = 'Sonner deux fois') {
  const id = (await ok('POST', '/bookings', client, bookingBody(listingId, at.toUTC().toISO()!, { contactName: 'Claire Cliente', notes }))).id as string;
  await ok('POST', `/bookings/${id}/accept`, admin, {});
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  let steward: SignedIn;
  [steward, admin, client, worker] = await Promise.all([signUp(t.app, { name: 'Sophie Intendante' }), signUp(t.app, { name: 'Alice Admin' }), signUp(t.app, { name: 'Claire Cliente' }), signUp(t.app, { name: 'Wanda Travailleuse' })]);
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Éclat')).id;
  await onboardCoop(t, admin, coopId);
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${worker.userId}, 'worker')`;
  listingId = (await publishListing(t, admin, coopId)).id;
  await setSchedule(t, admin, listingId, { horizonDays: 120, freeCancellationHours: 0 });
}, 240_000);
afterAll(() => t?.close());

describe('a feed built lately', () => {
  it('still shows a visit cancelled, or taken from the worker, after it was built', async () => {
    const [first, second] = [await accepted(day(1)), await accepted(day(2))];
    await ok('PUT', `/bookings/${first}/workers`, admin, { userIds: [worker.userId] });
    const coopFeed = await feedPath(admin, 'coop', coopId);
    const workerFeed = await feedPath(worker, 'worker', coopId);
    expect((await events(coopFeed)).map((e) => e.status)).toEqual(['TENTATIVE', 'TENTATIVE']);
    expect((await events(workerFeed)).map((e) => e.uid)).toEqual([`booking-${first}@tissu.coop`]);

    await ok('POST', `/bookings/${second}/cancel`, client, { reason: 'Empêchement' });
    expect((await events(coopFeed)).map((e) => e.status)).toEqual(['TENTATIVE', 'CANCELLED']);
    // The worker's visit swapped for another: as many visits as before, none of them changed.
    const third = await accepted(day(3));
    await ok('PUT', `/bookings/${third}/workers`, admin, { userIds: [worker.userId] });
    await ok('PUT', `/bookings/${first}/workers`, admin, { userIds: [], reason: 'Changement d’équipe' });
    expect((await events(workerFeed)).map((e) => e.uid)).toEqual([`booking-${third}@tissu.coop`]);
  });

  it("cuts a visit's long notes, with …", async () => {
    const id = await accepted(day(4), `${'Clé chez la voisine. '.repeat(95)}FIN`);
    const e = (await events(await feedPath(admin, 'coop', coopId))).find((x) => x.uid === `booking-${id}@tissu.coop`)!;
    const notes = e.description.split('\n')[0]!;
    expect(notes).toMatch(/^Notes : Clé chez la voisine\./);
    expect(notes).toMatch(/…$/);
    expect(notes).not.toContain('FIN');
    expect(notes.length).toBeLessThanOrEqual('Notes : '.length + FEED_NOTES_MAX);
  });
});

describe('one address asked for in a loop', () => {
  it('is refused (rate_limited) after a few a minute, while another address still answers', async () => {
    const mine = await feedPath(client, 'client');
    const statuses: number[] = [];
    for (let i = 0; i < FEED_RATE_LIMIT_PER_TOKEN_PER_MINUTE + 1; i++) statuses.push((await t.app.inject({ method: 'GET', url: mine })).statusCode);
    expect(statuses.slice(0, FEED_RATE_LIMIT_PER_TOKEN_PER_MINUTE).every((s) => s === 200)).toBe(true);
    const refused = await t.app.inject({ method: 'GET', url: mine });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['cache-control']).toBe('private, no-store');
    expect((await t.app.inject({ method: 'GET', url: await feedPath(worker, 'worker', coopId) })).statusCode).toBe(200);
  });
});
