/**
 * Before a pause is made, either side sees what it would cancel: each visit from the date and,
 * for a paid one, what is refunded and what is kept under the listing's policy. The preview writes
 * nothing, and the pause then refunds exactly what it said.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createTestApp, errorOf, type SignedIn, type TestApp } from '../support/test-app.js';
import { seriesPaymentsWorld } from '../support/series-payments-world.js';
import { payBooking } from '../support/fixtures.js';

let t: TestApp;
let admin: SignedIn, client: SignedIn;
let seriesId: string;
let visits: { id: string; starts_at: string }[];

const inject = (method: 'GET' | 'POST', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
const dateOf = async (bookingId: string) => (await t.database.sql<{ d: string }[]>`SELECT series_date::text AS d FROM bookings WHERE id = ${bookingId}`)[0]!.d;
const snapshot = async () => ({
  bookings: await t.database.sql`SELECT id, state FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at`,
  series: await t.database.sql`SELECT state, paused_from, sequence FROM booking_series WHERE id = ${seriesId}`,
  refunds: await t.database.sql`SELECT count(*)::int AS n FROM refunds`,
  events: await t.database.sql`SELECT count(*)::int AS n FROM booking_series_events WHERE series_id = ${seriesId}`,
});

beforeAll(async () => {
  t = await createTestApp();
  let s: { id: string };
  ({ admin, client, visits, series: s } = await seriesPaymentsWorld(t, 4));
  seriesId = s.id;
  await payBooking(t, client, visits[1]!.id);
  await payBooking(t, client, visits[2]!.id);
  // The third visit's free cancellation already over (a week's notice, half kept): cancelling it now is late.
  await t.database.sql`UPDATE bookings SET free_cancellation_hours = ${24 * 30}, late_cancellation_percent = 50 WHERE id = ${visits[2]!.id}`;
});
afterAll(() => t.close());

describe('a pause previewed', () => {
  it('names every visit it cancels and, for the paid ones, the refund of a cancellation by that side; nothing is written', async () => {
    const from = await dateOf(visits[1]!.id);
    const before = await snapshot();
    const res = await inject('GET', `/series/${seriesId}/pause-preview?from=${from}`, client);
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview.from).toBe(from);
    expect(preview.visits.map((v: { bookingId: string }) => v.bookingId)).toEqual([visits[1]!.id, visits[2]!.id, visits[3]!.id]);
    const [free, late, unpaid] = preview.visits;
    expect(free.state).toBe('paid');
    expect(free.refund.refundCents).toBe(free.refund.paidCents);
    expect(free.refund.keptCents).toBe(0);
    expect(late.refund.keptCents).toBeGreaterThan(0);
    expect(late.refund.refundCents + late.refund.keptCents).toBe(late.refund.paidCents);
    expect(Math.abs(late.refund.keptCents - late.refund.paidCents / 2)).toBeLessThanOrEqual(1); // half kept, taxes rounded
    expect(unpaid.refund).toBeNull();
    expect(await snapshot()).toEqual(before);

    // The co-op's admin asks the same: a co-op's cancellation refunds everything.
    const coop = (await inject('GET', `/series/${seriesId}/pause-preview?from=${from}`, admin)).json();
    expect(coop.visits[1].refund).toEqual({ paidCents: late.refund.paidCents, refundCents: late.refund.paidCents, keptCents: 0 });
  });

  it('is refused as the pause would be: a date gone by, a missing date', async () => {
    const yesterday = DateTime.now().setZone('America/Toronto').minus({ days: 1 }).toISODate();
    const past = await inject('GET', `/series/${seriesId}/pause-preview?from=${yesterday}`, client);
    expect(past.statusCode).toBe(400);
    expect(errorOf(past).fields?.from?.[0]?.code).toBe('day_passed');
    const none = await inject('GET', `/series/${seriesId}/pause-preview`, client);
    expect(none.statusCode).toBe(400);
    expect(errorOf(none).fields?.from).toBeDefined();
  });

  it('the pause then refunds exactly what the preview said', async () => {
    const from = await dateOf(visits[1]!.id);
    const preview = (await inject('GET', `/series/${seriesId}/pause-preview?from=${from}`, client)).json();
    const paused = await inject('POST', `/series/${seriesId}/pause`, client, { from });
    expect(paused.statusCode, paused.body).toBe(200);
    const refunds = await t.database.sql<{ booking_id: string; total_cents: number }[]>`
      SELECT booking_id, total_cents FROM refunds WHERE booking_id IN ${t.database.sql([visits[1]!.id, visits[2]!.id])}`;
    const byBooking = Object.fromEntries(refunds.map((r) => [r.booking_id, r.total_cents]));
    for (const v of preview.visits.filter((x: { refund: unknown }) => x.refund)) expect(byBooking[v.bookingId]).toBe(v.refund.refundCents);
    // Paused from that date already: nothing more would be cancelled.
    expect((await inject('GET', `/series/${seriesId}/pause-preview?from=${from}`, client)).json().visits).toEqual([]);
  });
});
