/**
 * Law 25 in the worker's calendar feed: as in "Mes visites" and on the booking's page, a worker no
 * longer reads the client's address and notes once the visit is VISIT_DETAILS_DAYS past; the
 * co-op's admins (its feed) and the client (her own feed) keep them. A feed built before the
 * cut-off is not served again after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VISIT_DETAILS_DAYS } from '@tissu/shared';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, onboardCoop, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let admin: SignedIn, worker: SignedIn, client: SignedIn;
let coopId: string, listingId: string;
let clock = Date.now();
const DAY = 86_400_000;
const ADDRESS = '77 rue Privée, Montréal';
const NOTES = 'Clé sous le paillasson';

const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
async function ok(method: 'POST' | 'PUT', url: string, who: SignedIn, payload: object) {
  const res = await call(method, url, who, payload);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}
async function feed(who: SignedIn, kind: 'client' | 'worker' | 'coop'): Promise<string> {
  const url = (await ok('POST', '/me/calendar-feeds', who, { kind, coopId: kind === 'client' ? null : coopId })).url as string;
  const res = await call('GET', `/calendar-feeds/${new URL(url).pathname.split('/').pop()}`, null);
  expect(res.statusCode, res.body).toBe(200);
  return res.body;
}
/** The one VEVENT of this booking, unfolded. */
function eventOf(ics: string, id: string): string {
  const ev = ics.replace(/\r\n[ \t]/g, '').split('BEGIN:VEVENT').find((e) => e.includes(`booking-${id}@`));
  expect(ev, `no event for ${id}`).toBeDefined();
  return ev!;
}

/** A confirmed visit with the worker on it, its end `endedDaysAgo` days before the clock. */
async function pastVisit(hoursAhead: number, endedDaysAgo: number) {
  const res = await call('POST', '/bookings', client, bookingBody(listingId, new Date(Math.ceil(Date.now() / 3_600_000 + hoursAhead) * 3_600_000).toISOString(), { address: ADDRESS, notes: NOTES }));
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  await ok('POST', `/bookings/${id}/accept`, admin, {});
  await ok('PUT', `/bookings/${id}/workers`, admin, { userIds: [worker.userId] });
  const end = new Date(clock - endedDaysAgo * DAY).toISOString();
  await t.database.sql`
    UPDATE bookings SET ends_at = ${end}::timestamptz, starts_at = ${end}::timestamptz - (ends_at - starts_at),
      blocked_until = ${end}::timestamptz + (blocked_until - ends_at)
    WHERE id = ${id}`;
  return id;
}

beforeAll(async () => {
  t = await createTestApp({}, { now: () => new Date(clock) });
  const steward = await signUp(t.app);
  [admin, worker, client] = [await signUp(t.app), await signUp(t.app, { name: 'Wanda Travailleuse' }), await signUp(t.app, { name: 'Claire Cliente' })];
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin)).id;
  await onboardCoop(t, admin, coopId);
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${worker.userId}, 'worker')`;
  listingId = (await publishListing(t, admin, coopId)).id;
  await setSchedule(t, admin, listingId, { horizonDays: 60 });
}, 120_000);
afterAll(() => t?.close());

describe("a past visit's address and notes in the calendar feeds", () => {
  it(`the worker's feed drops them ${VISIT_DETAILS_DAYS} days after the visit, even from a feed built before; the co-op's and the client's keep them`, async () => {
    const recent = await pastVisit(30, VISIT_DETAILS_DAYS - 1);
    const old = await pastVisit(60, VISIT_DETAILS_DAYS + 2);

    let ics = await feed(worker, 'worker');
    expect(eventOf(ics, recent)).toContain(`LOCATION:${ADDRESS.replace(/,/g, '\\,')}`);
    expect(eventOf(ics, recent)).toContain(NOTES);
    expect(eventOf(ics, old)).not.toContain('Privée');
    expect(eventOf(ics, old)).not.toContain(NOTES);
    expect(eventOf(ics, old)).toContain(`/bookings/${old}`);

    // Two days later, nothing else changed: the recent one is past the cut-off too.
    clock += 2 * DAY;
    ics = await feed(worker, 'worker');
    for (const id of [recent, old]) {
      expect(eventOf(ics, id)).not.toContain('Privée');
      expect(eventOf(ics, id)).not.toContain(NOTES);
    }
    for (const kind of ['coop', 'client'] as const) {
      const whole = await feed(kind === 'coop' ? admin : client, kind);
      for (const id of [recent, old]) expect(eventOf(whole, id)).toContain('Privée');
    }
    expect(eventOf(await feed(admin, 'coop'), old)).toContain(NOTES);
  });
});
