import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type SignedIn, type TestApp } from '../support/test-app.js';
import { payBooking } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { createBookingPayments } from '../../server/src/flows/booking-payments.js';
import type { PaymentGateway } from '../../server/src/plugins/stripe.js';

/*
 * Every case pays 135.00 $ at a co-op registered for GST and QST (see payments-checkout):
 * service 13 500, GST 675, QST 1 347, total 15 522, platform fee 675, co-op 14 847.
 *
 * Late cancellation by the client, 50 % kept. The kept half is priced as a purchase of 67.50 $:
 *   GST 6 750 × 0.05 = 337.5 → 338;  QST 6 750 × 0.09975 = 673.3125 → 673;  kept total 7 761
 *   fee kept 6 750 × 0.05 = 337.5 → 338;  co-op keeps 7 761 − 338 = 7 423
 * Refund = payment − kept:
 *   service 6 750, GST 675 − 338 = 337, QST 1 347 − 673 = 674, total 15 522 − 7 761 = 7 761 (77.61 $)
 *   fee refunded 675 − 338 = 337, taken back from the co-op 14 847 − 7 423 = 7 424 (= 7 761 − 337)
 *
 * Steward refund of 50.00 $ of service: the co-op keeps 85.00 $ priced as a purchase:
 *   GST 425, QST 8 500 × 0.09975 = 847.875 → 848, kept total 9 773, fee 425, co-op 9 348
 *   refund: service 5 000, GST 250, QST 499, total 5 749, fee 250, co-op 5 499
 * and then the rest (85.00 $): service 8 500, GST 425, QST 848, total 9 773, fee 425, co-op 9 348.
 */
const FULL = { serviceCents: 13_500, gstCents: 675, qstCents: 1_347, totalCents: 15_522, platformFeeCents: 675 };
const FULL_COOP = 14_847;
const LATE = { serviceCents: 6_750, gstCents: 337, qstCents: 674, totalCents: 7_761, platformFeeCents: 337 };
const LATE_COOP = 7_424;

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
const early = slots(72); // well before the 24 h free-cancellation deadline
const late = slots(3); // past it: the booking starts within 24 h

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
});
afterAll(() => t.close());

async function paidBooking(startsAt: string) {
  const b = await kit.book(w.client, w.listingId, startsAt);
  await kit.accept(w.admin, b.id);
  await payBooking(t, w.client, b.id);
  await kit.chargeDetailsRecorded();
  expect(await kit.state(b.id)).toBe('paid');
  return b.id;
}

/** What Stripe (the emulator) did: the refunds on the payment, and the reversals of the co-op's transfer. */
async function stripeSide(bookingId: string) {
  const p = (await kit.payment(bookingId))!;
  const refunds = t.stripe.state.refunds().filter((r) => r.payment_intent === p.payment_intent_id);
  const transfer = kit.stripeObject<{ amount: number; amount_reversed: number; reversals: { data: { amount: number }[] } }>(p.transfer_id);
  return {
    refunds: refunds.map((r) => r.amount),
    reversals: transfer.reversals.data.map((r) => r.amount).reverse(),
    transfer: { amount: transfer.amount, reversed: transfer.amount_reversed },
  };
}

const cancel = (id: string, who: SignedIn, reason?: string) => kit.post(`/bookings/${id}/cancel`, who, reason ? { reason } : {});

describe('refunds on cancellation, to the cent', () => {
  it('client cancels before the free-cancellation deadline: everything back, fee included', async () => {
    const id = await paidBooking(early());
    // Free now, the terms still say what a late cancellation would keep: the late case's kept part, taxes included.
    expect((await kit.summary(w.client, id)).lateCancellation).toEqual({ serviceCents: 6_750, gstCents: 338, qstCents: 673, totalCents: 7_761 });
    const res = await cancel(id, w.client);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().state).toBe('cancelled_by_client');

    const s = await kit.summary(w.client, id);
    expect(s).toMatchObject({ status: 'refunded', refundedCents: 15_522, refunds: [{ kind: 'client_cancellation', ...FULL }] });
    expect(await kit.payment(id)).toMatchObject({ status: 'refunded', refunded_cents: 15_522 });
    expect(await stripeSide(id)).toEqual({ refunds: [15_522], reversals: [FULL_COOP], transfer: { amount: FULL_COOP, reversed: FULL_COOP } });
    expect((await kit.entries(id)).slice(3)).toEqual([
      { kind: 'refund', source: expect.stringMatching(/^refund:/), lines: { client_payments: -15_522, platform_fee_revenue: 675, taxes_collected: 2_022, coop_payable: 12_825 } },
      { kind: 'transfer_reversal', source: expect.stringMatching(/^refund:.*:reversal$/), lines: { client_payments: 14_847, taxes_collected: -2_022, coop_payable: -12_825 } },
    ]);
    await kit.ledgerOk(w.steward);
  });

  it('client cancels after the deadline: 50 % of the service kept, 77.61 $ back with its taxes and fee share', async () => {
    const id = await paidBooking(late());
    // Before she cancels, her cancel form is told what she keeps and gets back, taxes included, in
    // parts (the walk found it saying only the service kept): the refund below is exactly that.
    expect((await kit.summary(w.client, id)).cancelNow).toEqual({ paidCents: 15_522, refundCents: 7_761, kept: { serviceCents: 6_750, gstCents: 338, qstCents: 673, totalCents: 7_761 } });
    // The terms box beside it states the same amount, taxes included (it said 67,50 $, before taxes).
    expect((await kit.summary(w.client, id)).lateCancellation).toEqual((await kit.summary(w.client, id)).cancelNow!.kept);
    // The co-op cancelling refunds everything.
    expect((await kit.summary(w.admin, id)).cancelNow).toEqual({ paidCents: 15_522, refundCents: 15_522, kept: { serviceCents: 0, gstCents: 0, qstCents: 0, totalCents: 0 } });
    const res = await cancel(id, w.client, 'Empêchement de dernière minute');
    expect(res.statusCode, res.body).toBe(200);

    const s = await kit.summary(w.client, id);
    expect(s).toMatchObject({ status: 'partially_refunded', refundedCents: 7_761, refunds: [{ kind: 'client_cancellation', ...LATE, reason: 'Empêchement de dernière minute' }] });
    const [row] = await kit.sql`SELECT service_cents, gst_cents, qst_cents, total_cents, platform_fee_cents, coop_cents FROM refunds WHERE booking_id = ${id}`;
    expect(row).toEqual({ service_cents: 6_750, gst_cents: 337, qst_cents: 674, total_cents: 7_761, platform_fee_cents: 337, coop_cents: LATE_COOP });
    expect(await stripeSide(id)).toEqual({ refunds: [7_761], reversals: [LATE_COOP], transfer: { amount: FULL_COOP, reversed: LATE_COOP } });
    expect((await kit.entries(id)).slice(3)).toEqual([
      { kind: 'refund', source: expect.any(String), lines: { client_payments: -7_761, platform_fee_revenue: 337, taxes_collected: 1_011, coop_payable: 6_413 } },
      { kind: 'transfer_reversal', source: expect.any(String), lines: { client_payments: 7_424, taxes_collected: -1_011, coop_payable: -6_413 } },
    ]);
    await kit.ledgerOk(w.steward);
  });

  it('a request sent before the cutoff and accepted after it stays free while the client could not know: everything back', async () => {
    const b = await kit.book(w.client, w.listingId, late());
    // Sent two days ago, when cancelling was still free; the co-op answers only now, 3 h before the start.
    await kit.sql`UPDATE bookings SET created_at = now() - interval '2 days' WHERE id = ${b.id}`;
    const accepted = await kit.accept(w.admin, b.id);
    // Free until a day after the acceptance, capped at the start: here, the start.
    expect(accepted.cancellation.deadline).toBe(b.startsAt);
    expect(Date.parse(accepted.cancellation.coopAcceptedAt)).toBeGreaterThan(Date.now() - 60_000);
    await payBooking(t, w.client, b.id);
    await kit.chargeDetailsRecorded();
    const res = await cancel(b.id, w.client);
    expect(res.statusCode, res.body).toBe(200);
    expect(await kit.summary(w.client, b.id)).toMatchObject({ status: 'refunded', refundedCents: 15_522, refunds: [{ kind: 'client_cancellation', ...FULL }] });
    await kit.ledgerOk(w.steward);
  });

  it('before payment, the terms say what a late cancellation would keep once paid, taxes included, as the refund would', async () => {
    const b = await kit.book(w.client, w.listingId, early());
    await kit.accept(w.admin, b.id);
    expect((await kit.summary(w.client, b.id)).lateCancellation).toEqual({ serviceCents: 6_750, gstCents: 338, qstCents: 673, totalCents: 7_761 });
  });

  it('co-op cancels late: the client gets everything back all the same', async () => {
    const id = await paidBooking(late());
    const res = await cancel(id, w.admin, 'Notre équipe est malade');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().state).toBe('cancelled_by_coop');
    expect(await kit.summary(w.client, id)).toMatchObject({ status: 'refunded', refundedCents: 15_522, refunds: [{ kind: 'coop_cancellation', ...FULL }] });
    expect(await stripeSide(id)).toEqual({ refunds: [15_522], reversals: [FULL_COOP], transfer: { amount: FULL_COOP, reversed: FULL_COOP } });
    await kit.ledgerOk(w.steward);
  });

  it('a co-op cancelling without a reason is refused before any money moves', async () => {
    const id = await paidBooking(late());
    const res = await cancel(id, w.admin);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).fields).toHaveProperty('reason');
    expect(await kit.state(id)).toBe('paid');
    expect(await stripeSide(id)).toEqual({ refunds: [], reversals: [], transfer: { amount: FULL_COOP, reversed: 0 } });
    await kit.ledgerOk(w.steward);
  });
});

describe('steward refunds (disputes)', () => {
  it('only stewards refund, never more than what is left, to the cent', async () => {
    const id = await paidBooking(early());
    const body = (serviceCents: number) => ({ serviceCents, reason: 'Travail incomplet selon la cliente' });
    for (const who of [w.client, w.admin]) {
      expect((await kit.post(`/bookings/${id}/refunds`, who, body(5_000))).statusCode).toBe(403);
    }
    // Someone who is not party to the booking learns nothing of it.
    expect((await kit.post(`/bookings/${id}/refunds`, w.stranger, body(5_000))).statusCode).toBe(404);
    expect((await kit.post(`/bookings/${id}/refunds`, null, body(5_000))).statusCode).toBe(401);
    expect((await kit.post(`/bookings/${id}/refunds`, w.steward, { serviceCents: 0, reason: 'x' })).statusCode).toBe(400);

    const first = await kit.post(`/bookings/${id}/refunds`, w.steward, body(5_000));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      bookingState: 'paid', status: 'partially_refunded', refundedCents: 5_749,
      refunds: [{ kind: 'steward', serviceCents: 5_000, gstCents: 250, qstCents: 499, totalCents: 5_749, platformFeeCents: 250 }],
    });
    expect(await stripeSide(id)).toEqual({ refunds: [5_749], reversals: [5_499], transfer: { amount: FULL_COOP, reversed: 5_499 } });

    const tooMuch = await kit.post(`/bookings/${id}/refunds`, w.steward, body(8_501));
    expect(tooMuch.statusCode).toBe(400);
    expect(errorOf(tooMuch).fields?.serviceCents).toEqual([{ code: 'refund_above_left', maximum: 8500, message: 'At most 85.00 $ is left to refund' }]);

    const rest = await kit.post(`/bookings/${id}/refunds`, w.steward, body(8_500));
    expect(rest.statusCode, rest.body).toBe(201);
    expect(rest.json()).toMatchObject({ status: 'refunded', refundedCents: 15_522 });
    expect(rest.json().refunds[1]).toMatchObject({ serviceCents: 8_500, gstCents: 425, qstCents: 848, totalCents: 9_773, platformFeeCents: 425 });
    expect(await stripeSide(id)).toEqual({ refunds: [5_749, 9_773], reversals: [5_499, 9_348], transfer: { amount: FULL_COOP, reversed: FULL_COOP } });

    const nothing = await kit.post(`/bookings/${id}/refunds`, w.steward, body(1));
    expect(nothing.statusCode).toBe(409);
    expect(errorOf(nothing).code).toBe('nothing_to_refund');
    // The refunds are on the booking's history, with the steward and the reason.
    const events = await kit.sql`SELECT actor_role, reason FROM booking_events WHERE booking_id = ${id} AND actor_role = 'steward' ORDER BY id`;
    expect(events).toHaveLength(2);
    expect(events[0]!.reason).toBe('Refund: Travail incomplet selon la cliente');
    await kit.ledgerOk(w.steward);
    // The client is told each refund, once, with its amount, the reason and her receipt.
    const told = (await t.sentMail()).filter((m) => m.to === w.client.email && m.text.includes(`/bookings/${id}/receipt`) && /Remboursement|Refund/.test(m.subject));
    expect(told.map((m) => m.text.replace(/[\u00a0\u202f]/g, ' ').match(/(57,49|57\.49|97,73|97\.73) \$/)?.[1])).toEqual(expect.arrayContaining([expect.stringMatching(/57.49/), expect.stringMatching(/97.73/)]));
    expect(told).toHaveLength(2);
    expect(told[0]!.text).toContain('Travail incomplet selon la cliente');
  });

  it('after a late cancellation, refunds at most the half the co-op kept', async () => {
    const id = await paidBooking(late());
    await cancel(id, w.client);
    const tooMuch = await kit.post(`/bookings/${id}/refunds`, w.steward, { serviceCents: 6_751, reason: 'Geste commercial' });
    expect(tooMuch.statusCode).toBe(400);
    const rest = await kit.post(`/bookings/${id}/refunds`, w.steward, { serviceCents: 6_750, reason: 'Geste commercial' });
    expect(rest.statusCode, rest.body).toBe(201);
    // What the co-op had kept (7 761, fee 338, co-op 7 423) goes back too.
    expect(rest.json()).toMatchObject({ status: 'refunded', refundedCents: 15_522 });
    expect(rest.json().refunds[1]).toMatchObject({ serviceCents: 6_750, gstCents: 338, qstCents: 673, totalCents: 7_761, platformFeeCents: 338 });
    expect(await stripeSide(id)).toEqual({ refunds: [7_761, 7_761], reversals: [LATE_COOP, 7_423], transfer: { amount: FULL_COOP, reversed: FULL_COOP } });
    await kit.ledgerOk(w.steward);
  });
});

describe('idempotency at Stripe', () => {
  it('derives the refund’s and the reversal’s idempotency keys from Tissu’s own ids', async () => {
    const id = await paidBooking(early());
    await cancel(id, w.client);
    const p = (await kit.payment(id))!;
    const [refund] = await kit.sql`SELECT id, stripe_refund_id FROM refunds WHERE booking_id = ${id}`;
    const events = t.stripe.state.events();
    const created = events.find((e) => e.type === 'refund.created' && (e.data.object as { id: string }).id === refund!.stripe_refund_id)!;
    const reversed = events.find((e) => e.type === 'transfer.reversed' && (e.data.object as { id: string }).id === p.transfer_id)!;
    const key = (created.request as { idempotency_key: string }).idempotency_key;
    expect(key).toMatch(new RegExp(`^refund:${p.id}:`));
    expect((reversed.request as { idempotency_key: string }).idempotency_key).toBe(key.replace(/^refund:/, 'reversal:'));
  });

  it('a refund retried after a failure half way does not refund twice', async () => {
    const id = await paidBooking(early());
    // Stripe refunds, then the transfer reversal fails: our transaction rolls back, the client retries.
    let failReversal = true;
    const real = t.app.payments;
    const flaky: PaymentGateway = {
      ...real,
      async reverseTransfer(input) {
        if (failReversal) {
          failReversal = false;
          throw new Error('connection reset');
        }
        return real.reverseTransfer(input);
      },
    };
    const bookings = createBookingPayments({ db: t.db, gateway: flaky, paymentWindowHours: 48 });
    const actor = { userId: w.client.userId, sessionId: 'test', isSteward: false , emailVerified: true };
    await expect(bookings.cancel(actor, id, 'Je déménage')).rejects.toMatchObject({ statusCode: 502 });
    expect(await kit.state(id)).toBe('paid');
    expect(await kit.sql`SELECT id FROM refunds WHERE booking_id = ${id}`).toHaveLength(0);
    expect((await stripeSide(id)).refunds).toEqual([15_522]); // Stripe did refund

    // The retry, worded differently, gets the same refund back from Stripe.
    const done = await bookings.cancel(actor, id, 'Je déménage à Québec');
    expect(done.state).toBe('cancelled_by_client');
    expect(await stripeSide(id)).toEqual({ refunds: [15_522], reversals: [FULL_COOP], transfer: { amount: FULL_COOP, reversed: FULL_COOP } });
    expect(await kit.sql`SELECT total_cents FROM refunds WHERE booking_id = ${id}`).toEqual([{ total_cents: 15_522 }]);
    await kit.ledgerOk(w.steward);
  });

  it('reverses the co-op’s transfer even when the charge details were not read after the payment', async () => {
    const id = await paidBooking(early());
    // The read after the webhook can fail (it is only logged): the payment then has no transfer id.
    await kit.sql`UPDATE payments SET transfer_id = NULL WHERE booking_id = ${id}`;
    const p = (await kit.payment(id))!;
    const transferId = t.stripe.state.charges().find((c) => c.payment_intent === p.payment_intent_id)!.transfer as string;
    expect((await cancel(id, w.client)).statusCode).toBe(200);
    const transfer = kit.stripeObject<{ amount_reversed: number }>(transferId);
    expect(transfer.amount_reversed).toBe(FULL_COOP);
    await kit.ledgerOk(w.steward);
  });
});

describe('after all these refunds', () => {
  it('Stripe and Tissu agree, payment by payment', async () => {
    const res = await kit.get('/steward/reconciliation', w.steward);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().mismatches).toEqual([]);
    expect(res.json().matched).toBeGreaterThanOrEqual(9);
  });
});
