/**
 * The booking lists show each series as one line, and its visits not again, except the ones with
 * money on them once over or closed (paid, refunded): a client looking for a refunded visit's
 * receipt finds it from her list, and the co-op its refund from its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../support/test-app.js';
import { seriesPaymentsWorld } from '../support/series-payments-world.js';
import { payBooking } from '../support/fixtures.js';

let t: TestApp;
let admin: SignedIn, client: SignedIn;
let coopId: string;
let visits: { id: string; starts_at: string }[];

const inject = (method: 'GET' | 'POST', url: string, who: SignedIn, payload?: object) =>
  t.app.inject({ method, url, headers: who.auth, ...(payload ? { payload } : {}) });
const listed = async (who: SignedIn, query: string) => {
  const res = await inject('GET', `/bookings?${query}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { id: string }[]).map((b) => b.id);
};

beforeAll(async () => {
  t = await createTestApp();
  let s: { id: string };
  ({ admin, client, visits, series: s } = await seriesPaymentsWorld(t, 4));
  coopId = (await t.database.sql<{ coop_id: string }[]>`SELECT coop_id FROM booking_series WHERE id = ${s.id}`)[0]!.coop_id;
  // Visit 0 paid and already over; visit 1 paid then cancelled (refunded); visit 2 paid, still to come; visit 3 cancelled unpaid.
  for (const v of visits.slice(0, 3)) await payBooking(t, client, v.id);
  await t.database.sql`UPDATE bookings SET starts_at = now() - interval '3 hours', ends_at = now() - interval '1 hour', blocked_until = now() - interval '1 hour' WHERE id = ${visits[0]!.id}`;
  for (const v of [visits[1]!, visits[3]!]) expect((await inject('POST', `/bookings/${v.id}/cancel`, client, {})).statusCode).toBe(200);
  expect((await t.database.sql`SELECT 1 FROM refunds WHERE booking_id = ${visits[1]!.id}`).length).toBe(1);
});
afterAll(() => t.close());

describe('series visits in the booking lists', () => {
  it('with_money: the paid visit gone by and the refunded one are listed; the paid one to come and the unpaid cancelled one are left to the series line', async () => {
    expect(await listed(client, 'as=client&scope=past&series=with_money')).toEqual([visits[0]!.id]);
    expect(await listed(client, 'as=client&scope=upcoming&series=with_money')).toEqual([visits[1]!.id]);
    expect(await listed(admin, `as=coop&coopId=${coopId}&scope=past&series=with_money`)).toEqual([visits[0]!.id]);
    expect(await listed(admin, `as=coop&coopId=${coopId}&scope=upcoming&series=with_money`)).toEqual([visits[1]!.id]);
  });

  it('exclude and include answer as before', async () => {
    expect(await listed(client, 'as=client&scope=all&series=exclude')).toEqual([]);
    expect((await listed(client, 'as=client&scope=all&series=include')).sort()).toEqual(visits.map((v) => v.id).sort());
  });
});
