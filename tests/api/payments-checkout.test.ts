import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, onboardCoop, payBooking, publishListing, setSchedule } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { createCheckoutService } from '../../server/src/modules/payments/checkout.js';

/*
 * 135.00 $ at a co-op registered for GST and QST, platform fee 5 %, hand-checked:
 *   GST 5 %       13 500 × 0.05    =   675.000  →    6.75 $
 *   QST 9.975 %   13 500 × 0.09975 = 1 346.625  →   13.47 $ (half up)
 *   total         13 500 + 675 + 1 347          →  155.22 $
 *   platform fee  13 500 × 0.05    =   675      →    6.75 $ (on the service, before taxes)
 *   co-op share   15 522 − 675                  →  148.47 $ (taxes included: the co-op remits them)
 *   Stripe's fee  15 522 × 2.9 % = 450.138 → 450, + 30 ¢ →  4.80 $
 */
const TAXED = { serviceCents: 13_500, gstCents: 675, qstCents: 1_347, totalCents: 15_522, feeRateBps: 500, platformFeeCents: 675, coopCents: 14_847 };

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
// Each test is another client: one person may hold only a few bookings open (OPEN_BOOKINGS_PER_LISTING),
// and the tests here leave bookings accepted and unpaid.
beforeEach(async () => {
  w.client = await signUp(t.app);
});

async function acceptedBooking(client: SignedIn = w.client, listingId = w.listingId) {
  const b = await kit.book(client, listingId, next());
  await kit.accept(w.admin, b.id);
  return b.id;
}

describe('the price breakdown before paying', () => {
  it('shows service, GST, QST, total, platform fee and co-op share to the cent', async () => {
    const b = await kit.book(w.client, w.listingId, next());
    const waiting = await kit.summary(w.client, b.id);
    expect(waiting).toMatchObject({ status: 'unpaid', payable: false, blocker: 'awaiting_acceptance', breakdown: TAXED });

    await kit.accept(w.admin, b.id);
    const s = await kit.summary(w.client, b.id);
    expect(s.breakdown).toEqual(TAXED);
    expect(s).toMatchObject({
      bookingState: 'accepted', status: 'unpaid', payable: true, blocker: null, paidAt: null, receiptNumber: null, refundedCents: 0, refunds: [],
      coop: { name: 'Ménage Éclat', gstNumber: '123456789RT0001', qstNumber: '1234567890TQ0001' },
    });
    expect(Date.parse(s.paymentDeadline)).toBeGreaterThan(Date.now());
    // The co-op sees the same numbers; nobody else sees the booking at all.
    expect((await kit.summary(w.admin, b.id)).breakdown).toEqual(TAXED);
    expect((await kit.get(`/bookings/${b.id}/payment`, w.stranger)).statusCode).toBe(404);
    expect((await kit.get(`/bookings/${b.id}/payment`, null)).statusCode).toBe(401);
  });

  it('charges no tax for a co-op that is not registered', async () => {
    const admin = await signUp(t.app);
    const coopId = (await approvedCoop(t, w.steward, admin, 'Petite Coop')).id;
    await onboardCoop(t, admin, coopId);
    const listingId = (await publishListing(t, admin, coopId, { priceKind: 'fixed', priceCents: 13_500 })).id;
    await setSchedule(t, admin, listingId);
    const b = await kit.book(w.client, listingId, next());
    await kit.accept(admin, b.id);
    expect((await kit.summary(w.client, b.id)).breakdown).toEqual({
      serviceCents: 13_500, gstCents: 0, qstCents: 0, totalCents: 13_500, feeRateBps: 500, platformFeeCents: 675, coopCents: 12_825,
    });
  });
});

describe('paying through Stripe Checkout (the emulator)', () => {
  it('pays: the booking is paid, the receipt has a number, Stripe holds the same amounts', async () => {
    const id = await acceptedBooking();
    const sessionId = await payBooking(t, w.client, id);
    expect(await kit.state(id)).toBe('paid');
    const s = await kit.summary(w.client, id);
    expect(s).toMatchObject({ bookingState: 'paid', status: 'paid', payable: false, blocker: null, lastError: null, breakdown: TAXED });
    expect(s.receiptNumber).toMatch(/^TIS-\d{4}-\d{6}$/);
    expect(Date.parse(s.paidAt)).toBeLessThanOrEqual(Date.now());

    // What the client was shown is what Stripe charged, line by line (the emulator lists them newest first).
    const items = await kit.stripeApi('GET', `/checkout/sessions/${sessionId}/line_items`);
    expect(items.data.map((i: { description: string; amount_total: number }) => [i.description, i.amount_total]).reverse()).toEqual([
      ['Ménage résidentiel — Ménage Éclat', 13_500], ['TPS (5 %)', 675], ['TVQ (9,975 %)', 1_347],
    ]);
    const session = kit.stripeObject<{ payment_intent: string; metadata: Record<string, string> }>(sessionId);
    const pi = kit.stripeObject<{ amount: number; application_fee_amount: number; status: string; transfer_data: { destination: string } }>(session.payment_intent);
    expect(pi).toMatchObject({ amount: 15_522, application_fee_amount: 675, status: 'succeeded', transfer_data: { destination: w.stripeAccountId } });
    const transfer = t.stripe.state.transfers().find((tr) => tr.destination === w.stripeAccountId && tr.source_transaction !== null);
    expect(transfer?.amount).toBe(14_847);

    await kit.chargeDetailsRecorded();
    const p = await kit.payment(id);
    expect(p).toMatchObject({ status: 'paid', payment_intent_id: session.payment_intent, transfer_id: transfer!.id, processor_fee_cents: 480, total_cents: 15_522 });
    expect(await kit.entries(id)).toEqual([
      { kind: 'payment', source: expect.stringMatching(/^stripe:evt_/), lines: { client_payments: 15_522, platform_fee_revenue: -675, taxes_collected: -2_022, coop_payable: -12_825 } },
      { kind: 'transfer', source: expect.stringMatching(/:transfer$/), lines: { taxes_collected: 2_022, coop_payable: 12_825, client_payments: -14_847 } },
      { kind: 'processor_fee', source: `processor_fee:${p!.id}`, lines: { processor_fees: 480, client_payments: -480 } },
    ]);
    await kit.ledgerOk(w.steward);
  });

  it('a declined card leaves the booking accepted and payable, with the error; paying again succeeds', async () => {
    const id = await acceptedBooking();
    const first = await payBooking(t, w.client, id, 'decline');
    expect(await kit.state(id)).toBe('accepted');
    const declined = await kit.summary(w.client, id);
    expect(declined).toMatchObject({ status: 'open', payable: true, blocker: null, lastError: 'Your card was declined.', receiptNumber: null });
    expect(await kit.entries(id)).toEqual([]);

    const second = await payBooking(t, w.client, id, 'pay');
    expect(second).toBe(first); // the same Checkout session, still open after the decline
    expect(await kit.state(id)).toBe('paid');
    expect(await kit.summary(w.client, id)).toMatchObject({ status: 'paid', lastError: null });
    const rows = await kit.sql`SELECT status FROM payments WHERE booking_id = ${id}`;
    expect(rows.map((r) => r.status)).toEqual(['paid']);
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });

  it('only the booking’s client opens Checkout, and only for an accepted, unpaid booking', async () => {
    const id = await acceptedBooking();
    const as = (who: SignedIn | null) => kit.post(`/bookings/${id}/checkout`, who);
    expect((await as(w.admin)).statusCode).toBe(403);
    expect((await as(w.steward)).statusCode).toBe(403);
    expect((await as(w.stranger)).statusCode).toBe(404);
    expect((await as(null)).statusCode).toBe(401);
    expect(await kit.sql`SELECT id FROM payments WHERE booking_id = ${id}`).toHaveLength(0);

    // Opening it twice gives the same session, not a second one.
    const a = await as(w.client);
    const b = await as(w.client);
    expect(a.statusCode, a.body).toBe(200);
    expect(b.json().url).toBe(a.json().url);

    const requested = await kit.book(w.client, w.listingId, next());
    const early = await kit.post(`/bookings/${requested.id}/checkout`, w.client);
    expect(early.statusCode).toBe(409);
    expect(errorOf(early).code).toBe('not_payable');

    await payBooking(t, w.client, id);
    const again = await as(w.client);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('already_paid');
    await kit.chargeDetailsRecorded();
  });
});

describe('clicking Pay twice, paying twice', () => {
  it('ten simultaneous clicks on Pay open one Checkout session, and everyone gets its address', async () => {
    const id = await acceptedBooking();
    const answers = await Promise.all(Array.from({ length: 10 }, () => kit.post(`/bookings/${id}/checkout`, w.client)));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((r) => r.json().url)).size).toBe(1);
    expect(await kit.sql`SELECT status FROM payments WHERE booking_id = ${id}`).toEqual([{ status: 'open' }]);
  });

  it('numbers receipts in order within the year, never twice', async () => {
    const ids = [await acceptedBooking(), await acceptedBooking()];
    for (const id of ids) await payBooking(t, w.client, id);
    const [first, second] = await Promise.all(ids.map(async (id) => (await kit.summary(w.client, id)).receiptNumber as string));
    const [, year1, n1] = /^TIS-(\d{4})-(\d{6})$/.exec(first!)!;
    const [, year2, n2] = /^TIS-(\d{4})-(\d{6})$/.exec(second!)!;
    expect(year2).toBe(year1);
    expect(Number(n2)).toBe(Number(n1) + 1);
    // The number is stored with the payment: the receipt shows the same one tomorrow.
    expect((await kit.payment(ids[1]!))).toMatchObject({ receipt_number: second });
    await kit.chargeDetailsRecorded();
  });
});

describe('Stripe unreachable right after a payment', () => {
  it('the payment is recorded at once; Stripe’s fee and the transfer are filled in by the job worker later', async () => {
    const id = await acceptedBooking();
    // Every read of the payment intent fails for a while (the SDK tries each call three times).
    await fetch(`${t.stripe.url}/_emulator/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'GET', path_prefix: '/v1/payment_intents/', status: 500, times: 3 }),
    });
    await payBooking(t, w.client, id);
    await t.stripe.webhooks.idle();
    expect(await kit.state(id)).toBe('paid');
    // The webhook's own attempt has used up the outage.
    const remaining = async () => (await (await fetch(`${t.stripe.url}/_emulator/faults`)).json()).reduce((n: number, f: { remaining: number }) => n + f.remaining, 0);
    await expect.poll(remaining, { timeout: 10_000 }).toBe(0);
    expect(await kit.payment(id)).toMatchObject({ processor_fee_cents: null, transfer_id: null });

    const worker = createCheckoutService({ db: t.app.db, gateway: t.app.payments, webOrigin: 'http://localhost', log: t.app.log, now: () => new Date(Date.now() + 60_000) });
    expect(await worker.fillMissingChargeDetails()).toEqual({ filled: 1, failed: 0 });
    expect(await kit.payment(id)).toMatchObject({ processor_fee_cents: 480, transfer_id: expect.stringMatching(/^tr_/) });
    // Asked again, nothing is booked twice.
    expect(await worker.fillMissingChargeDetails()).toEqual({ filled: 0, failed: 0 });
    expect((await kit.entries(id)).filter((e) => e.kind === 'processor_fee')).toHaveLength(1);
    await kit.ledgerOk(w.steward);
  });
});

describe('a co-op that has not finished onboarding', () => {
  it('cannot accept (409 coop_not_ready) nor be booked instantly, until Stripe says it can take payments', async () => {
    const admin = await signUp(t.app);
    const coopId = (await approvedCoop(t, w.steward, admin, 'Coop en route')).id;
    const listingId = (await publishListing(t, admin, coopId)).id;
    await setSchedule(t, admin, listingId);
    const b = await kit.book(w.client, listingId, next());

    const never = await kit.post(`/bookings/${b.id}/accept`, admin);
    expect(never.statusCode).toBe(409);
    expect(errorOf(never).code).toBe('coop_not_ready');

    // Onboarding started but left incomplete at Stripe: still not ready.
    const link = await kit.post(`/coops/${coopId}/payments/onboarding`, admin);
    const account = new URL(link.json().url).pathname.split('/').pop()!;
    await fetch(`${t.stripe.url}/_emulator/accounts/${account}/onboard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'incomplete' }) });
    await t.stripe.webhooks.idle();
    const halfway = await kit.post(`/bookings/${b.id}/accept`, admin);
    expect(halfway.statusCode).toBe(409);
    expect(errorOf(halfway).code).toBe('coop_not_ready');
    expect(await kit.state(b.id)).toBe('requested');
    const pay = await kit.get(`/bookings/${b.id}/payment`, w.client);
    expect(pay.json()).toMatchObject({ payable: false });

    const instant = (await publishListing(t, admin, coopId, { priceKind: 'fixed', priceCents: 9_000 })).id;
    await setSchedule(t, admin, instant, { instantBooking: true });
    const refused = await kit.post('/bookings', w.client, bookingBody(instant, next()));
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused).code).toBe('coop_not_ready');

    // Completed: the account.updated webhook alone makes it ready.
    await fetch(`${t.stripe.url}/_emulator/accounts/${account}/onboard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'complete' }) });
    await t.stripe.webhooks.idle();
    expect((await kit.post(`/bookings/${b.id}/accept`, admin)).statusCode).toBe(200);
  });
});
