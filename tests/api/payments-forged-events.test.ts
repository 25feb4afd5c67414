import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { sign } from '../../scripts/stripe-emulator/index.js';

/**
 * Signed payment events that lie: forged by someone who has the webhook secret, or a genuine
 * event of another booking replayed. The signature is good, so only the payment's own figures
 * (amount, currency, status, which booking and session) can tell: nothing changes, and the log
 * says why.
 */
let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
const lines: string[] = [];
const next = slots(72);

beforeAll(async () => {
  t = await createTestApp({}, { logLines: lines });
  w = await paymentsWorld(t);
  kit = w.kit;
});
afterEach(async () => {
  t.stripe.webhooks.release();
  await t.stripe.webhooks.idle();
});
afterAll(() => t.close());

type StripeEvent = { id: string; type: string; data: { object: Record<string, unknown> } };

/** An accepted booking whose client paid at Stripe; the webhooks are held back. */
async function paidAtStripeNotYetTold() {
  const b = await kit.book(w.client, w.listingId, next());
  await kit.accept(w.admin, b.id);
  t.stripe.webhooks.pause();
  const res = await kit.post(`/bookings/${b.id}/checkout`, w.client);
  expect(res.statusCode, res.body).toBe(200);
  const sessionId = new URL(res.json().url).pathname.split('/').pop()!;
  expect((await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' })).status).toBe(200);
  const session = kit.stripeObject<{ payment_intent: string }>(sessionId);
  const events = t.stripe.state.events() as unknown as StripeEvent[];
  const completed = events.find((e) => e.type === 'checkout.session.completed' && e.data.object.id === sessionId)!;
  const succeeded = events.find((e) => e.type === 'payment_intent.succeeded' && e.data.object.id === session.payment_intent)!;
  const [payment] = await kit.sql`SELECT id, total_cents FROM payments WHERE booking_id = ${b.id}`;
  return { bookingId: b.id, sessionId, completed, succeeded, paymentId: String(payment!.id), totalCents: Number(payment!.total_cents) };
}

let forgeries = 0;
/** A copy of a genuine event under a new id, changed, and signed with the webhook secret. */
async function deliverForged(genuine: StripeEvent, change: (o: Record<string, unknown>) => void) {
  const e = structuredClone(genuine);
  e.id = `evt_forged_${++forgeries}`;
  change(e.data.object);
  const body = JSON.stringify(e);
  const res = await t.app.inject({
    method: 'POST', url: '/webhooks/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': sign(body, t.config.stripe.webhookSecret) },
    payload: body,
  });
  return { res, eventId: e.id };
}

async function untouched(bookingId: string) {
  expect(await kit.state(bookingId)).toBe('accepted');
  expect(await kit.sql`SELECT status, receipt_number FROM payments WHERE booking_id = ${bookingId}`).toEqual([{ status: 'open', receipt_number: null }]);
  expect(await kit.entries(bookingId)).toEqual([]);
  expect(await kit.sql`SELECT 1 FROM booking_events WHERE booking_id = ${bookingId} AND to_state = 'paid'`).toHaveLength(0);
}

const refusals = () => lines.map((l) => JSON.parse(l) as { msg: string; mismatches?: string[]; paymentId?: string }).filter((l) => l.msg === 'payment event refused: it does not match the payment');

describe('signed payment events that do not match the payment', () => {
  it.each([
    ['a lower amount', (o: Record<string, unknown>) => { o.amount_total = 1; }, 'amount 1 instead of'],
    ['another currency', (o: Record<string, unknown>) => { o.currency = 'usd'; }, 'currency usd instead of cad'],
    // Stripe sends this for payments that settle later: waited for, not an error to log.
    ['an unpaid session', (o: Record<string, unknown>) => { o.payment_status = 'unpaid'; }, null],
    ['no amount at all', (o: Record<string, unknown>) => { delete o.amount_total; }, 'amount undefined instead of'],
  ] as const)('checkout.session.completed with %s changes nothing, is kept and logged', async (_, change, why) => {
    const paid = await paidAtStripeNotYetTold();
    const before = refusals().length;
    const { res, eventId } = await deliverForged(paid.completed, change);
    expect(res.statusCode, res.body).toBe(200);
    await untouched(paid.bookingId);
    expect(await kit.sql`SELECT type FROM stripe_events WHERE id = ${eventId}`).toEqual([{ type: 'checkout.session.completed' }]);
    const logged = refusals().slice(before);
    expect(logged).toHaveLength(why ? 1 : 0);
    if (why) {
      expect(logged[0]).toMatchObject({ paymentId: paid.paymentId });
      expect(logged[0]!.mismatches!.join('; ')).toContain(why);
    }

    // Stripe's genuine events, when they come, still pay the booking.
    t.stripe.webhooks.release();
    await t.stripe.webhooks.idle();
    expect(await kit.state(paid.bookingId)).toBe('paid');
    expect((await kit.payment(paid.bookingId))!.total_cents).toBe(paid.totalCents);
  });

  it('payment_intent.succeeded that is still processing, or for less, changes nothing', async () => {
    const paid = await paidAtStripeNotYetTold();
    const before = refusals().length;
    for (const change of [
      (o: Record<string, unknown>) => { o.status = 'processing'; },
      (o: Record<string, unknown>) => { o.amount = 100; o.amount_received = 100; },
      (o: Record<string, unknown>) => { o.currency = 'eur'; },
    ]) {
      const { res } = await deliverForged(paid.succeeded, change);
      expect(res.statusCode, res.body).toBe(200);
    }
    await untouched(paid.bookingId);
    expect(refusals().slice(before).map((l) => l.mismatches![0])).toEqual(['not paid', `amount 100 instead of ${paid.totalCents}`, 'currency eur instead of cad']);
  });

  it("one booking's paid session, replayed with another booking's metadata, pays neither twice nor the other", async () => {
    const a = await paidAtStripeNotYetTold();
    t.stripe.webhooks.release();
    await t.stripe.webhooks.idle();
    expect(await kit.state(a.bookingId)).toBe('paid');
    // Stripe's fee is fetched after the webhook is answered: A's books are complete once it is in.
    await vi.waitFor(async () => {
      const [p] = await kit.sql`SELECT processor_fee_cents FROM payments WHERE booking_id = ${a.bookingId}`;
      expect(p!.processor_fee_cents).not.toBeNull();
    }, { timeout: 10_000, interval: 50 });
    const entriesOfA = await kit.entries(a.bookingId);

    // B has an open Checkout of the same amount and was never paid.
    const b = await kit.book(w.client, w.listingId, next());
    await kit.accept(w.admin, b.id);
    expect((await kit.post(`/bookings/${b.id}/checkout`, w.client)).statusCode).toBe(200);
    const [bPayment] = await kit.sql`SELECT id FROM payments WHERE booking_id = ${b.id}`;
    const before = refusals().length;

    const forgedAsB = [
      (o: Record<string, unknown>) => { o.metadata = { bookingId: b.id, paymentId: String(bPayment!.id) }; },
      (o: Record<string, unknown>) => { o.metadata = { bookingId: b.id }; o.id = 'cs_someone_else'; },
      (o: Record<string, unknown>) => { o.metadata = { ...(o.metadata as object), bookingId: b.id }; },
    ];
    for (const change of forgedAsB) expect((await deliverForged(a.completed, change)).res.statusCode).toBe(200);
    const asB = await deliverForged(a.succeeded, (o) => { o.metadata = { bookingId: b.id, paymentId: String(bPayment!.id) }; });
    expect(asB.res.statusCode, asB.res.body).toBe(200);

    await untouched(b.id);
    expect(await kit.entries(a.bookingId)).toEqual(entriesOfA);
    const logged = refusals().slice(before);
    // The last forgery names A's own payment (by its session) with B's booking: refused too.
    expect(logged.length).toBeGreaterThanOrEqual(3);
    expect(logged.every((l) => l.mismatches!.length > 0)).toBe(true);
    await kit.ledgerOk(w.steward);
  });
});
