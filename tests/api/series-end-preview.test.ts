/**
 * Before an end is made, either side sees what it would cancel and what it would cost, as for a
 * pause (one function answers both): the visits from the date and, for each paid one, what is
 * refunded and what is kept. The client's end keeps what the listing's policy keeps; the co-op's
 * end (with a reason) refunds in full. The preview writes nothing, and the end then refunds and
 * keeps, to the cent, what it said: read in the refunds, the payments and the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createTestApp, errorOf, type SignedIn, type TestApp } from '../support/test-app.js';
import { seriesPaymentsWorld } from '../support/series-payments-world.js';
import { payBooking } from '../support/fixtures.js';

let t: TestApp;
type Refund = { paidCents: number; refundCents: number; keptCents: number } | null;
type PreviewVisit = { bookingId: string; state: string; refund: Refund };

const inject = (method: 'GET' | 'POST', url: string, who: SignedIn, payload?: object) =>
  t.app.inject({ method, url, headers: who.auth, ...(payload ? { payload } : {}) });
const dateOf = async (bookingId: string) => (await t.database.sql<{ d: string }[]>`SELECT series_date::text AS d FROM bookings WHERE id = ${bookingId}`)[0]!.d;

/** Everything an end would write: the visits, the series, its history, refunds, payments and the ledger. */
const snapshot = async (seriesId: string) => ({
  bookings: await t.database.sql`SELECT id, state FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at`,
  series: await t.database.sql`SELECT state, ends_on::text, end_reason, paused_from, sequence FROM booking_series WHERE id = ${seriesId}`,
  events: await t.database.sql`SELECT count(*)::int AS n FROM booking_series_events WHERE series_id = ${seriesId}`,
  refunds: await t.database.sql`SELECT count(*)::int AS n FROM refunds`,
  payments: await t.database.sql`SELECT id, status, refunded_cents FROM payments ORDER BY id`,
  entries: await t.database.sql`SELECT count(*)::int AS n FROM journal_entries`,
  outbox: await t.database.sql`SELECT count(*)::int AS n FROM outbox`,
  bookingEvents: await t.database.sql`SELECT count(*)::int AS n FROM booking_events`,
  rules: await t.database.sql`SELECT starts_on::text, until::text FROM booking_series_rules WHERE series_id = ${seriesId} ORDER BY starts_on`,
});

/** What the end really did to one visit's money: refunded (refund rows, and the ledger's client payments), and kept. */
async function moneyAfter(bookingId: string) {
  const [p] = await t.database.sql<{ total: number; refunded: number }[]>`
    SELECT total_cents AS total, refunded_cents AS refunded FROM payments WHERE booking_id = ${bookingId} AND status IN ('refunded', 'partially_refunded', 'succeeded')`;
  const [r] = await t.database.sql<{ n: number }[]>`SELECT coalesce(sum(total_cents), 0)::int AS n FROM refunds WHERE booking_id = ${bookingId}`;
  const [l] = await t.database.sql<{ n: number }[]>`
    SELECT coalesce(-sum(l.amount_cents), 0)::int AS n FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id JOIN ledger_accounts a ON a.id = l.account_id
    WHERE e.booking_id = ${bookingId} AND e.kind = 'refund' AND a.code = 'client_payments'`;
  return { paidCents: p!.total, refundCents: r!.n, ledgerRefundCents: l!.n, keptCents: p!.total - p!.refunded };
}

/** A weekly series of four visits, the second and third paid; the third's free cancellation is over (half kept). */
async function world() {
  const w = await seriesPaymentsWorld(t, 4);
  await payBooking(t, w.client, w.visits[1]!.id);
  await payBooking(t, w.client, w.visits[2]!.id);
  await t.database.sql`UPDATE bookings SET free_cancellation_hours = ${24 * 30}, late_cancellation_percent = 50 WHERE id = ${w.visits[2]!.id}`;
  return { ...w, from: await dateOf(w.visits[1]!.id) };
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('an end previewed', () => {
  it("by the client: names the visits it cancels and what the listing's policy refunds and keeps; nothing is written; the end then refunds and keeps exactly that", async () => {
    const w = await world();
    const before = await snapshot(w.series.id);
    const res = await inject('GET', `/series/${w.series.id}/end-preview?from=${w.from}`, w.client);
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json() as { from: string; side: string; visits: PreviewVisit[] };
    expect(preview).toMatchObject({ from: w.from, side: 'client' });
    expect(preview.visits.map((v) => v.bookingId)).toEqual([w.visits[1]!.id, w.visits[2]!.id, w.visits[3]!.id]);
    const [free, late, unpaid] = preview.visits as [PreviewVisit, PreviewVisit, PreviewVisit];
    expect(free.refund).toMatchObject({ keptCents: 0 });
    expect(free.refund!.refundCents).toBe(free.refund!.paidCents);
    expect(late.refund!.keptCents).toBeGreaterThan(0);
    expect(late.refund!.refundCents + late.refund!.keptCents).toBe(late.refund!.paidCents);
    expect(unpaid).toMatchObject({ state: 'accepted', refund: null });
    expect(await snapshot(w.series.id)).toEqual(before);

    const ended = await inject('POST', `/series/${w.series.id}/end`, w.client, { from: w.from });
    expect(ended.statusCode, ended.body).toBe(200);
    for (const v of [free, late]) {
      const after = await moneyAfter(v.bookingId);
      expect({ paidCents: after.paidCents, refundCents: after.refundCents, keptCents: after.keptCents }).toEqual(v.refund);
      expect(after.ledgerRefundCents).toBe(v.refund!.refundCents);
    }
    const states = await t.database.sql<{ id: string; state: string }[]>`SELECT id, state FROM bookings WHERE id IN ${t.database.sql(preview.visits.map((v) => v.bookingId))}`;
    expect(states.every((s) => s.state === 'cancelled_by_client')).toBe(true);
    expect((await inject('GET', '/steward/ledger/check', w.steward)).json()).toMatchObject({ ok: true });
  });

  it("by the co-op with a reason: every paid visit refunded in full, as its end then does", async () => {
    const w = await world();
    const before = await snapshot(w.series.id);
    const preview = (await inject('GET', `/series/${w.series.id}/end-preview?from=${w.from}`, w.admin)).json() as { side: string; visits: PreviewVisit[] };
    expect(preview.side).toBe('coop');
    const paid = preview.visits.filter((v) => v.refund);
    expect(paid).toHaveLength(2);
    for (const v of paid) expect(v.refund).toEqual({ paidCents: v.refund!.paidCents, refundCents: v.refund!.paidCents, keptCents: 0 });
    expect(await snapshot(w.series.id)).toEqual(before);

    const ended = await inject('POST', `/series/${w.series.id}/end`, w.admin, { from: w.from, reason: 'Équipe réduite cet été' });
    expect(ended.statusCode, ended.body).toBe(200);
    for (const v of paid) {
      const after = await moneyAfter(v.bookingId);
      expect({ paidCents: after.paidCents, refundCents: after.refundCents, keptCents: after.keptCents }).toEqual(v.refund);
      expect(after.ledgerRefundCents).toBe(v.refund!.paidCents);
    }
    expect((await inject('GET', '/steward/ledger/check', w.steward)).json()).toMatchObject({ ok: true });
  });

  it('is refused as the end would be: a date gone by, a date after the last visit, no date, a series already ended', async () => {
    const w = await seriesPaymentsWorld(t, 3);
    const yesterday = DateTime.now().setZone('America/Toronto').minus({ days: 1 }).toISODate();
    const past = await inject('GET', `/series/${w.series.id}/end-preview?from=${yesterday}`, w.client);
    expect([past.statusCode, errorOf(past).fields?.from?.[0]?.code]).toEqual([400, 'day_passed']);
    const last = (await inject('GET', `/series/${w.series.id}`, w.client)).json().endsOn as string;
    const after = await inject('GET', `/series/${w.series.id}/end-preview?from=${DateTime.fromISO(last).plus({ days: 7 }).toISODate()}`, w.client);
    expect([after.statusCode, errorOf(after).fields?.from?.[0]?.code]).toEqual([400, 'after_series_end']);
    const none = await inject('GET', `/series/${w.series.id}/end-preview`, w.client);
    expect(none.statusCode).toBe(400);
    expect(errorOf(none).fields?.from).toBeDefined();
    // Ended already: an end, and so its preview, is refused.
    expect((await inject('POST', `/series/${w.series.id}/end`, w.client, { from: await dateOf(w.visits[0]!.id) })).statusCode).toBe(200);
    const again = await inject('GET', `/series/${w.series.id}/end-preview?from=${await dateOf(w.visits[1]!.id)}`, w.client);
    expect(again.statusCode).toBe(409);
  });
});
