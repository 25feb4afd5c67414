/**
 * "Mes réservations" showed 135,00 $ for a booking paid 155,22 $ with its taxes, and 190,00 $ for
 * one refunded in full, with nothing said. The booking carries what the client paid (taxes
 * included) and what was refunded, once paid; before that, null (the card shows the price before taxes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payBooking } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
const next = slots(96);

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
});
afterAll(() => t.close());

const listed = async (id: string) => {
  const res = await t.app.inject({ url: '/bookings?scope=all', headers: w.client.auth });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { id: string; paid: unknown }[]).find((b) => b.id === id)!;
};

describe('a booking in the client’s list', () => {
  it('carries nothing paid before payment, then the total paid with taxes, then what was refunded', async () => {
    const b = await kit.book(w.client, w.listingId, next());
    expect((await listed(b.id)).paid).toBeNull();
    await kit.accept(w.admin, b.id);
    expect((await listed(b.id)).paid).toBeNull();

    await payBooking(t, w.client, b.id);
    // 135,00 $ + GST 6,75 $ + QST 13,47 $ = 155,22 $ (payments-checkout.test.ts has the hand check).
    expect((await listed(b.id)).paid).toEqual({ totalCents: 15_522, refundedCents: 0 });
    const one = await t.app.inject({ url: `/bookings/${b.id}`, headers: w.client.auth });
    expect(one.json().paid).toEqual({ totalCents: 15_522, refundedCents: 0 });

    // Another booking, paid too: the refund of the first is not counted on it.
    const other = await kit.book(w.client, w.listingId, next());
    await kit.accept(w.admin, other.id);
    await payBooking(t, w.client, other.id);

    // The co-op cancels the first: everything goes back.
    expect((await kit.post(`/bookings/${b.id}/cancel`, w.admin, { reason: 'Équipe malade' })).statusCode).toBe(200);
    expect((await listed(b.id)).paid).toEqual({ totalCents: 15_522, refundedCents: 15_522 });
    expect((await listed(other.id)).paid).toEqual({ totalCents: 15_522, refundedCents: 0 });
  });
});

describe('a long list, a page at a time', () => {
  it('limit and offset give consecutive pages in the list’s order, without repeats; odd values are refused', async () => {
    const ids = async (query: string) => {
      const res = await t.app.inject({ url: `/bookings?scope=all&${query}`, headers: w.client.auth });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id: string }[]).map((b) => b.id);
    };
    const all = await ids('');
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect([...(await ids('limit=1&offset=0')), ...(await ids(`limit=${all.length}&offset=1`))]).toEqual(all);
    expect(await ids(`offset=${all.length}`)).toEqual([]);
    for (const bad of ['limit=0', 'limit=201', 'offset=-1', 'limit=abc']) {
      expect((await t.app.inject({ url: `/bookings?${bad}`, headers: w.client.auth })).statusCode, bad).toBe(400);
    }
  });
});
