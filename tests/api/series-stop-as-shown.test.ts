/**
 * A pause or an end confirmed from its preview does what the preview showed, or nothing: between
 * the two, the free cancellation of a paid visit may end (found by an attack: "refunded in full"
 * shown, half kept once confirmed two minutes later) or the charge job may pay a visit shown as
 * "not paid yet". The confirmation sends the preview's digest; a changed outcome answers 409
 * `preview_changed`, writes nothing, and the new preview can then be confirmed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type SignedIn, type TestApp } from '../support/test-app.js';
import { chargeJobAt, saveCard, seriesPaymentsWorld } from '../support/series-payments-world.js';
import { payBooking } from '../support/fixtures.js';

let t: TestApp;
let clock: Date | null = null;
const HOUR = 3_600_000;
const inject = (method: 'GET' | 'POST', url: string, who: SignedIn, payload?: object) =>
  t.app.inject({ method, url, headers: who.auth, ...(payload ? { payload } : {}) });
type Preview = { digest: string; visits: { bookingId: string; state: string; refund: { paidCents: number; refundCents: number; keptCents: number } | null }[] };
const visitOf = async (id: string) => (await t.database.sql<{ d: string; free: number; starts: Date }[]>`
  SELECT series_date::text AS d, free_cancellation_hours AS free, starts_at AS starts FROM bookings WHERE id = ${id}`)[0]!;
const state = async (seriesId: string, bookingId: string) => ({
  series: (await t.database.sql`SELECT state, ends_on::text, paused_from::text FROM booking_series WHERE id = ${seriesId}`)[0],
  visit: (await t.database.sql`SELECT state FROM bookings WHERE id = ${bookingId}`)[0],
  payments: await t.database.sql`SELECT status, refunded_cents FROM payments WHERE booking_id = ${bookingId} ORDER BY created_at`,
});

beforeAll(async () => {
  t = await createTestApp({}, { now: () => clock ?? new Date() });
});
afterAll(() => t.close());

describe('a stop confirmed from its preview', () => {
  it('an end shown as a full refund, confirmed after the free cancellation ended: refused, nothing done; the new preview then holds', async () => {
    const w = await seriesPaymentsWorld(t, 3);
    const paid = w.visits[1]!;
    await payBooking(t, w.client, paid.id);
    const v = await visitOf(paid.id);
    const deadline = new Date(v.starts).getTime() - v.free * HOUR;
    clock = new Date(deadline - 60_000);
    const shown = (await inject('GET', `/series/${w.series.id}/end-preview?from=${v.d}`, w.client)).json() as Preview;
    const refund = shown.visits.find((x) => x.bookingId === paid.id)!.refund!;
    expect(refund.refundCents).toBe(refund.paidCents);

    clock = new Date(deadline + 60_000);
    const before = await state(w.series.id, paid.id);
    const late = await inject('POST', `/series/${w.series.id}/end`, w.client, { from: v.d, previewDigest: shown.digest });
    expect([late.statusCode, errorOf(late).code]).toEqual([409, 'preview_changed']);
    expect(await state(w.series.id, paid.id)).toEqual(before);

    const now = (await inject('GET', `/series/${w.series.id}/end-preview?from=${v.d}`, w.client)).json() as Preview;
    const kept = now.visits.find((x) => x.bookingId === paid.id)!.refund!;
    expect(kept.keptCents).toBeGreaterThan(0);
    const ended = await inject('POST', `/series/${w.series.id}/end`, w.client, { from: v.d, previewDigest: now.digest });
    expect(ended.statusCode, ended.body).toBe(200);
    expect((await state(w.series.id, paid.id)).payments.map((p) => p.refunded_cents)).toContain(kept.refundCents);
    clock = null;
  });

  it('a pause shown with a visit not paid yet, confirmed after the charge job paid it: refused, nothing done', async () => {
    const w = await seriesPaymentsWorld(t, 3);
    await saveCard(t, w.client);
    const first = w.visits[0]!;
    const v = await visitOf(first.id);
    const chargeAt = new Date(v.starts).getTime() - Math.max(v.free, 24) * HOUR;
    clock = new Date(chargeAt - 5 * 60_000);
    const shown = (await inject('GET', `/series/${w.series.id}/pause-preview?from=${v.d}`, w.client)).json() as Preview;
    expect(shown.visits.find((x) => x.bookingId === first.id)).toMatchObject({ state: 'accepted', refund: null });

    clock = new Date(chargeAt + 60_000);
    await chargeJobAt(t, clock).chargeVisit(first.id);
    await t.stripe.webhooks.idle();
    expect((await t.database.sql`SELECT state FROM bookings WHERE id = ${first.id}`)[0]!.state).toBe('paid');
    const before = await state(w.series.id, first.id);
    const late = await inject('POST', `/series/${w.series.id}/pause`, w.client, { from: v.d, previewDigest: shown.digest });
    expect([late.statusCode, errorOf(late).code]).toEqual([409, 'preview_changed']);
    expect(await state(w.series.id, first.id)).toEqual(before);
    clock = null;
  });
});
