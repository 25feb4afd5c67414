/**
 * Stripe's fee on a tip. A tip is a destination charge without an application fee: the co-op gets
 * all of it and Stripe takes its fee (2.9 % + 0.30 $ at the emulator) from the platform's balance,
 * as on a booking's payment. It is booked as a processor fee, once, so the ledger's view of the
 * platform's Stripe balance stays what Stripe holds.
 *   20.00 $ tip: fee 2 000 × 2.9 % = 58 + 30 = 0.88 $.   15.00 $ tip: 43.5 → 44 + 30 = 0.74 $.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { payBooking, startBooking } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { saveCard } from '../support/series-payments-world.js';
import { createTipFees } from '../../server/src/modules/tips/index.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
const next = slots(72);

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
});
afterAll(() => t.close());

async function completedVisit(client: SignedIn) {
  const b = await kit.book(client, w.listingId, next());
  await kit.accept(w.admin, b.id);
  await payBooking(t, client, b.id);
  await startBooking(t, b.id, 120);
  const done = await kit.post(`/bookings/${b.id}/complete`, w.admin, { hours: [] });
  expect(done.statusCode, done.body).toBe(200);
  return b.id as string;
}

/** Stripe's own fee on a payment intent, as its balance transaction says. */
function stripeFee(paymentIntentId: string): number {
  const pi = kit.stripeObject<{ latest_charge: string }>(paymentIntentId);
  const charge = kit.stripeObject<{ balance_transaction: string }>(pi.latest_charge);
  return kit.stripeObject<{ fee: number }>(charge.balance_transaction).fee;
}

async function tipFeeEntries(bookingId: string) {
  return (await kit.entries(bookingId)).filter((e) => e.kind === 'processor_fee' && e.source.startsWith('processor_fee:tip:'));
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Stripe’s fee on a tip', () => {
  it('paid through Checkout: booked as a processor fee once Stripe says it, to the cent', async () => {
    const id = await completedVisit(w.client);
    const res = await kit.post(`/bookings/${id}/tip`, w.client, { amountCents: 2_000 });
    expect(res.statusCode, res.body).toBe(200);
    const sessionId = new URL(res.json().checkoutUrl).pathname.split('/').pop()!;
    expect((await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' })).ok).toBe(true);
    await t.stripe.webhooks.idle();
    const [row] = await until(() => kit.sql`SELECT id, payment_intent_id, processor_fee_cents FROM tips WHERE booking_id = ${id}`, (r) => r[0]?.processor_fee_cents != null);
    expect(row!.processor_fee_cents).toBe(88);
    expect(stripeFee(row!.payment_intent_id)).toBe(88);
    expect(await tipFeeEntries(id)).toEqual([{ kind: 'processor_fee', source: `processor_fee:tip:${row!.id}`, lines: { processor_fees: 88, client_payments: -88 } }]);
    // Its share of the platform's balance: 2 000 in, 2 000 to the co-op, 88 to Stripe.
    const tipLines = (await kit.entries(id)).filter((e) => e.kind === 'tip' || e.kind === 'tip_transfer' || e.source.startsWith('processor_fee:tip:'));
    expect(tipLines.reduce((s, e) => s + (e.lines.client_payments ?? 0), 0)).toBe(-88);
    await kit.ledgerOk(w.steward);
  });

  it('charged to the saved card while Stripe cannot say its fee: the charge-details job books it later, once', async () => {
    const client = await signUp(t.app);
    await saveCard(t, client);
    const id = await completedVisit(client);
    await kit.chargeDetailsRecorded();
    // Stripe does not answer the fee's question right after the charge.
    const fault = await fetch(`${t.stripe.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'GET', path_prefix: '/v1/payment_intents', status: 500, times: 100 }) });
    expect(fault.ok, await fault.clone().text()).toBe(true);
    let paid;
    try {
      paid = await kit.post(`/bookings/${id}/tip`, client, { amountCents: 1_500 });
    } finally {
      await fetch(`${t.stripe.url}/_emulator/faults`, { method: 'DELETE' });
    }
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().status).toBe('paid');
    await t.stripe.webhooks.idle();
    expect(await tipFeeEntries(id)).toEqual([]);
    const fees = createTipFees({ db: t.db, gateway: t.app.payments });
    expect(await fees.fillMissing(new Date(Date.now() + 60_000))).toEqual({ filled: 1, failed: 0 });
    expect(await fees.fillMissing(new Date(Date.now() + 60_000))).toEqual({ filled: 0, failed: 0 });
    const [row] = await kit.sql`SELECT id, payment_intent_id, processor_fee_cents FROM tips WHERE booking_id = ${id}`;
    expect(row!.processor_fee_cents).toBe(74);
    expect(stripeFee(row!.payment_intent_id)).toBe(74);
    expect((await tipFeeEntries(id)).map((e) => e.lines)).toEqual([{ processor_fees: 74, client_payments: -74 }]);
    await kit.ledgerOk(w.steward);
  });
});
