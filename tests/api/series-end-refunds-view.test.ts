/**
 * After an end, the visits it cancelled once paid are still reachable from the series: its view
 * gives each visit what was refunded on it (from its payment), so the page can list the visits
 * cancelled and refunded with a link to each booking. Visits never paid show nothing refunded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { seriesPaymentsWorld } from '../support/series-payments-world.js';
import { payBooking } from '../support/fixtures.js';

let t: TestApp;
type Visit = { bookingId: string; state: string; endedWithSeries: boolean; refundedCents: number };

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('a series ended with paid visits', () => {
  it('gives each visit it cancelled its refund, as the refunds made it', async () => {
    const w = await seriesPaymentsWorld(t, 4);
    await payBooking(t, w.client, w.visits[1]!.id);
    await payBooking(t, w.client, w.visits[2]!.id);
    // A late cancellation for the third: half of it is kept, so its refund is not its price.
    await t.database.sql`UPDATE bookings SET free_cancellation_hours = ${24 * 60}, late_cancellation_percent = 50 WHERE id = ${w.visits[2]!.id}`;
    const [d] = await t.database.sql<{ d: string }[]>`SELECT series_date::text AS d FROM bookings WHERE id = ${w.visits[1]!.id}`;
    const ended = await t.app.inject({ method: 'POST', url: `/series/${w.series.id}/end`, headers: w.client.auth, payload: { from: d!.d } });
    expect(ended.statusCode, ended.body).toBe(200);

    const view = await t.app.inject({ method: 'GET', url: `/series/${w.series.id}`, headers: w.client.auth });
    expect(view.statusCode, view.body).toBe(200);
    const visits = new Map((view.json().visits as Visit[]).map((v) => [v.bookingId, v]));
    const refunds = await t.database.sql<{ booking_id: string; n: number }[]>`
      SELECT booking_id, sum(total_cents)::int AS n FROM refunds WHERE booking_id IN ${t.database.sql([w.visits[1]!.id, w.visits[2]!.id])} GROUP BY booking_id`;
    expect(refunds).toHaveLength(2);
    for (const r of refunds) expect(visits.get(r.booking_id)).toMatchObject({ state: 'cancelled_by_client', endedWithSeries: true, refundedCents: r.n });
    expect(refunds.find((r) => r.booking_id === w.visits[1]!.id)!.n).not.toBe(refunds.find((r) => r.booking_id === w.visits[2]!.id)!.n);
    // Never paid: cancelled by the end, nothing refunded; before the end: still to come.
    expect(visits.get(w.visits[3]!.id)).toMatchObject({ endedWithSeries: true, refundedCents: 0 });
    expect(visits.get(w.visits[0]!.id)).toMatchObject({ state: 'accepted', refundedCents: 0 });
  });
});
