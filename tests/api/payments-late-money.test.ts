/**
 * Money that arrives through Stripe Checkout for a booking no longer waiting for it (found by an
 * attack on the payments: the client kept the Checkout page open, the booking ended, she paid
 * anyway). It is refunded at once and in full, fee and co-op share included, as a balanced ledger
 * entry; the client is told by email, in her language, with the amount; Stripe down, it waits on
 * the stewards' page and the job returns it; replayed and reordered events refund it once.
 *
 * Amounts: 135.00 $ at a co-op registered for GST and QST, service 13 500, GST 675, QST 1 347,
 * total 15 522, platform fee 675, co-op 14 847 (see payments-refunds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '@tissu/shared';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { createBookingPayments } from '../../server/src/flows/booking-payments.js';
import { createLatePayments } from '../../server/src/modules/payments/index.js';
import type { PaymentGateway } from '../../server/src/plugins/stripe.js';

const TOTAL = 15_522;
const COOP = 14_847;

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

const emulator = (method: 'POST' | 'DELETE', path: string, body?: object) =>
  fetch(`${t.stripe.url}/_emulator/${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });

/**
 * An accepted booking whose client has its Checkout page open, then cancelled by the client through
 * a Stripe that answered "expired" to the closing of that Checkout without closing it (an answer
 * for another session, a closing lost at Stripe): the page can still be paid.
 */
async function cancelledWithCheckoutOpen() {
  const b = await kit.book(w.client, w.listingId, next());
  await kit.accept(w.admin, b.id);
  const res = await kit.post(`/bookings/${b.id}/checkout`, w.client);
  expect(res.statusCode, res.body).toBe(200);
  const sessionId = new URL(res.json().url).pathname.split('/').pop()!;
  const leaky: PaymentGateway = { ...t.app.payments, expireCheckout: async () => 'expired' };
  const flow = createBookingPayments({ db: t.db, gateway: leaky, paymentWindowHours: 48 });
  await flow.cancel({ userId: w.client.userId, sessionId: 'test', isSteward: false, emailVerified: true }, b.id, 'Plus besoin');
  expect(await kit.state(b.id)).toBe('cancelled_by_client');
  return { id: b.id, sessionId };
}

const payAtStripe = async (sessionId: string) => {
  const res = await emulator('POST', `checkout/${sessionId}/pay`);
  expect(res.status, await res.clone().text()).toBe(200);
};

async function paymentRow(bookingId: string) {
  const [p] = await kit.sql`SELECT id, status, total_cents, refunded_cents, receipt_number, payment_intent_id, transfer_id, last_error FROM payments WHERE booking_id = ${bookingId} AND status IN ('to_return', 'returned')`;
  return p;
}

/** The refund is made after the webhook's commit: waits until the payment is returned (or times out). */
async function returned(bookingId: string) {
  for (let i = 0; i < 200; i++) {
    if ((await paymentRow(bookingId))?.status === 'returned') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`payment of ${bookingId} not returned: ${JSON.stringify(await paymentRow(bookingId))}`);
}

/** What Stripe did with the payment: its refunds and the reversals of the co-op's transfer. */
function stripeSide(paymentIntentId: string) {
  const refunds = t.stripe.state.refunds().filter((r) => r.payment_intent === paymentIntentId).map((r) => r.amount);
  const charge = t.stripe.state.charges().find((c) => c.payment_intent === paymentIntentId)!;
  const transfer = kit.stripeObject<{ amount: number; amount_reversed: number }>(charge.transfer as string);
  return { refunds, transfer: { amount: transfer.amount, reversed: transfer.amount_reversed } };
}

const mailsAbout = async (bookingId: string) =>
  (await t.sentMail()).filter((m) => m.to === w.client.email && m.text.includes(`/bookings/${bookingId}`) && /rembours|refund/i.test(m.subject));

describe('paid through Checkout after the booking was cancelled', () => {
  it('is refunded at once and in full, fee included, as balanced entries; the client is emailed the amount; the booking stays cancelled', async () => {
    const { id, sessionId } = await cancelledWithCheckoutOpen();
    await payAtStripe(sessionId);
    await t.stripe.webhooks.idle();
    await returned(id);

    const p = (await paymentRow(id))!;
    expect(p).toMatchObject({ status: 'returned', total_cents: TOTAL, refunded_cents: TOTAL, receipt_number: null });
    expect(await kit.sql`SELECT kind, service_cents, gst_cents, qst_cents, total_cents, platform_fee_cents, coop_cents, stripe_refund_id IS NOT NULL AS at_stripe FROM refunds WHERE booking_id = ${id}`).toEqual([
      { kind: 'late_payment', service_cents: 13_500, gst_cents: 675, qst_cents: 1_347, total_cents: TOTAL, platform_fee_cents: 675, coop_cents: COOP, at_stripe: true },
    ]);
    expect(stripeSide(p.payment_intent_id)).toEqual({ refunds: [TOTAL], transfer: { amount: COOP, reversed: COOP } });

    // Received, then given back: nothing is left as the platform's fee or owed to the co-op.
    const entries = await kit.entries(id);
    const byKind = (kind: string) => entries.filter((e) => e.kind === kind).map((e) => e.lines);
    expect(byKind('payment')).toEqual([{ client_payments: TOTAL, platform_fee_revenue: -675, taxes_collected: -2_022, coop_payable: -12_825 }]);
    expect(byKind('refund')).toEqual([{ client_payments: -TOTAL, platform_fee_revenue: 675, taxes_collected: 2_022, coop_payable: 12_825 }]);
    expect(byKind('transfer_reversal')).toEqual([{ client_payments: COOP, taxes_collected: -2_022, coop_payable: -12_825 }]);
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);

    expect(await kit.state(id)).toBe('cancelled_by_client');
    const summary = await kit.summary(w.client, id);
    expect(summary).toMatchObject({ bookingState: 'cancelled_by_client', status: 'unpaid', receiptNumber: null, refunds: [{ kind: 'late_payment', totalCents: TOTAL }] });

    const mails = await mailsAbout(id);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^Paiement remboursé/);
    expect(mails[0]!.text).toContain(formatMoney(TOTAL, 'fr'));
    expect(mails[0]!.text).toMatch(/avait été annulée/);
  });

  it('replayed and reordered events refund it once', async () => {
    const { id, sessionId } = await cancelledWithCheckoutOpen();
    t.stripe.webhooks.pause();
    await payAtStripe(sessionId);
    t.stripe.webhooks.release('reverse');
    await t.stripe.webhooks.idle();
    await returned(id);
    const p = (await paymentRow(id))!;
    // Every event about this payment delivered again, twice.
    const about = t.stripe.state.events().filter((e) => {
      const o = e.data.object as { id?: string; payment_intent?: string };
      return o.id === sessionId || o.id === p.payment_intent_id || o.payment_intent === p.payment_intent_id;
    });
    expect(about.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 2; i++) for (const e of about) expect((await emulator('POST', `events/${e.id}/resend`)).ok).toBe(true);
    await t.stripe.webhooks.idle();
    await new Promise((r) => setTimeout(r, 100));
    expect(stripeSide(p.payment_intent_id).refunds).toEqual([TOTAL]);
    expect(await kit.sql`SELECT total_cents FROM refunds WHERE booking_id = ${id}`).toEqual([{ total_cents: TOTAL }]);
    expect(await kit.entries(id).then((es) => es.filter((e) => e.kind === 'payment' || e.kind === 'refund').length)).toBe(2);
    expect(await mailsAbout(id)).toHaveLength(1);
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });

  it('Stripe down at that moment: it waits on the stewards’ page with the error, and the job returns it when Stripe is back', async () => {
    const { id, sessionId } = await cancelledWithCheckoutOpen();
    await emulator('POST', 'faults', { method: 'POST', path_prefix: '/v1/refunds', status: 500, times: 100 });
    try {
      await payAtStripe(sessionId);
      await t.stripe.webhooks.idle();
      for (let i = 0; i < 400 && !(await paymentRow(id))?.last_error; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      await emulator('DELETE', 'faults');
    }
    const p = (await paymentRow(id))!;
    expect(p).toMatchObject({ status: 'to_return', refunded_cents: 0, last_error: expect.stringMatching(/did not answer/) });
    expect(stripeSide(p.payment_intent_id).refunds).toEqual([]);
    const listed = await kit.get('/steward/money-to-return', w.steward);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().payments).toContainEqual({ paymentId: p.id, bookingId: id, totalCents: TOTAL, paidAt: expect.any(String), lastError: expect.stringMatching(/did not answer/) });
    expect((await kit.get('/steward/money-to-return', w.client)).statusCode).toBe(403);
    expect(await mailsAbout(id)).toEqual([]);
    // Received and not yet given back: the ledger still balances, the money is held.
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);

    // The job's next run (every minute).
    const job = createLatePayments({ db: t.db, gateway: t.app.payments, log: { warn() {} }, now: () => new Date(Date.now() + 60_000) });
    expect(await job.returnDue()).toEqual({ returned: 1, failed: 0 });
    expect(await job.returnDue()).toEqual({ returned: 0, failed: 0 });
    expect(await paymentRow(id)).toMatchObject({ status: 'returned', refunded_cents: TOTAL });
    expect(stripeSide(p.payment_intent_id)).toEqual({ refunds: [TOTAL], transfer: { amount: COOP, reversed: COOP } });
    expect((await kit.get('/steward/money-to-return', w.steward)).json().payments.map((x: { bookingId: string }) => x.bookingId)).not.toContain(id);
    expect(await mailsAbout(id)).toHaveLength(1);
    await kit.ledgerOk(w.steward);
  });

  it('Stripe and Tissu still agree, payment by payment, money returned included', async () => {
    const res = await kit.get('/steward/reconciliation', w.steward);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().mismatches).toEqual([]);
    expect(res.json().matched).toBeGreaterThanOrEqual(3);
  });
});
