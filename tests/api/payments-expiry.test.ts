import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp } from '../support/test-app.js';
import { createBookingPayments } from '../../server/src/flows/booking-payments.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import type { PaymentGateway } from '../../server/src/plugins/stripe.js';

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

/** The expiry job, as pg-boss runs it every minute. */
const expireNow = () => createBookingPayments({ db: t.db, gateway: t.app.payments, paymentWindowHours: t.config.paymentWindowHours }).expireRequests();

/** An accepted booking whose client opened Checkout and did not pay. */
async function openCheckout() {
  const b = await kit.book(w.client, w.listingId, next());
  await kit.accept(w.admin, b.id);
  const res = await kit.post(`/bookings/${b.id}/checkout`, w.client);
  expect(res.statusCode, res.body).toBe(200);
  return { id: b.id, sessionId: new URL(res.json().url).pathname.split('/').pop()! };
}

const payAtStripe = (sessionId: string) => fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' });

describe('unpaid accepted bookings expire', () => {
  it('becomes expired when the payment window has passed, and the open Checkout can no longer be paid', async () => {
    const { id, sessionId } = await openCheckout();
    await kit.sql`UPDATE bookings SET expires_at = now() - interval '1 minute' WHERE id = ${id}`;
    expect(await expireNow()).toBe(1);

    expect(await kit.state(id)).toBe('expired');
    const [last] = await kit.sql`SELECT from_state, to_state, actor_role, reason FROM booking_events WHERE booking_id = ${id} ORDER BY id DESC LIMIT 1`;
    expect(last).toEqual({ from_state: 'accepted', to_state: 'expired', actor_role: 'system', reason: 'Not paid in time' });
    expect(await kit.summary(w.client, id)).toMatchObject({ bookingState: 'expired', payable: false, blocker: 'not_payable', paymentDeadline: null });
    const again = await kit.post(`/bookings/${id}/checkout`, w.client);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('not_payable');

    // The Checkout page the client still has open is closed at Stripe: paying it is refused.
    expect(kit.stripeObject<{ status: string }>(sessionId).status).toBe('expired');
    const late = await payAtStripe(sessionId);
    expect(late.status).toBe(400);
    expect((await late.json()).error.code).toBe('checkout_session_expired');
    await t.stripe.webhooks.idle();
    expect(await kit.sql`SELECT status FROM payments WHERE booking_id = ${id}`).toEqual([{ status: 'expired' }]);
    expect(await kit.entries(id)).toEqual([]);
    await kit.ledgerOk(w.steward);
  });

  it('does not expire a booking whose payment went through at Stripe while its webhook is still on the way', async () => {
    const { id, sessionId } = await openCheckout();
    t.stripe.webhooks.pause();
    expect((await payAtStripe(sessionId)).status).toBe(200);
    await kit.sql`UPDATE bookings SET expires_at = now() - interval '1 minute' WHERE id = ${id}`;
    expect(await expireNow()).toBe(0);
    expect(await kit.state(id)).toBe('accepted');

    t.stripe.webhooks.release();
    await t.stripe.webhooks.idle();
    expect(await kit.state(id)).toBe('paid');
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });

  it('leaves the booking for the next run when Stripe does not answer', async () => {
    const { id, sessionId } = await openCheckout();
    await kit.sql`UPDATE bookings SET expires_at = now() - interval '1 minute' WHERE id = ${id}`;
    const down: PaymentGateway = { ...t.app.payments, expireCheckout: async () => { throw new Error('connect ECONNREFUSED'); } };
    const job = createBookingPayments({ db: t.db, gateway: down, paymentWindowHours: 48 });
    expect(await job.expireRequests()).toBe(0);
    expect(await kit.state(id)).toBe('accepted');
    expect(kit.stripeObject<{ status: string }>(sessionId).status).toBe('open');
    // A client cancelling meanwhile is told to try again; nothing changed.
    const cancelling = createBookingPayments({ db: t.db, gateway: down, paymentWindowHours: 48 });
    await expect(cancelling.cancel({ userId: w.client.userId, sessionId: 'test', isSteward: false , emailVerified: true }, id)).rejects.toMatchObject({ statusCode: 502 });
    expect(await kit.state(id)).toBe('accepted');
    expect(await expireNow()).toBe(1);
    expect(await kit.state(id)).toBe('expired');
  });

  it('expires unanswered requests too, and leaves paid bookings alone', async () => {
    const requested = await kit.book(w.client, w.listingId, next());
    const { id: paid, sessionId } = await openCheckout();
    expect((await payAtStripe(sessionId)).status).toBe(200);
    await t.stripe.webhooks.idle();
    await kit.sql`UPDATE bookings SET expires_at = now() - interval '1 minute' WHERE id IN ${kit.sql([requested.id, paid])}`;
    expect(await expireNow()).toBe(1);
    expect(await kit.state(requested.id)).toBe('expired');
    expect(await kit.state(paid)).toBe('paid');
    await kit.chargeDetailsRecorded();
  });
});

describe('cancelling an accepted booking whose Checkout is open', () => {
  it('closes the Checkout at Stripe, so the client cannot pay a cancelled booking', async () => {
    const { id, sessionId } = await openCheckout();
    const res = await kit.post(`/bookings/${id}/cancel`, w.client, { reason: 'Plus besoin' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().state).toBe('cancelled_by_client');
    const late = await payAtStripe(sessionId);
    expect(late.status).toBe(400);
    await t.stripe.webhooks.idle();
    expect(await kit.entries(id)).toEqual([]);
    expect(await kit.sql`SELECT status FROM payments WHERE booking_id = ${id}`).toEqual([{ status: 'expired' }]);
  });

  it('refuses to cancel as unpaid a booking whose payment just went through, until the payment is recorded', async () => {
    const { id, sessionId } = await openCheckout();
    t.stripe.webhooks.pause();
    expect((await payAtStripe(sessionId)).status).toBe(200);
    const res = await kit.post(`/bookings/${id}/cancel`, w.client, {});
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('payment_in_progress');
    expect(await kit.state(id)).toBe('accepted');
    t.stripe.webhooks.release();
    await t.stripe.webhooks.idle();
    await kit.chargeDetailsRecorded();
    // Now the cancellation refunds what was paid.
    const after = await kit.post(`/bookings/${id}/cancel`, w.client, {});
    expect(after.statusCode, after.body).toBe(200);
    expect((await kit.payment(id))!.refunded_cents).toBeGreaterThan(0);
    await kit.ledgerOk(w.steward);
  });
});
