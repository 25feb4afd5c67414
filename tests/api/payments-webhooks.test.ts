import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { payBooking } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { sign } from '../../scripts/stripe-emulator/index.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
const next = slots(72);

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
});
afterEach(async () => {
  t.stripe.webhooks.release(); // a failed test must not leave deliveries held for the next one
  await t.stripe.webhooks.idle();
  await kit.chargeDetailsRecorded();
});
afterAll(() => t.close());

async function acceptedBooking() {
  const b = await kit.book(w.client, w.listingId, next());
  await kit.accept(w.admin, b.id);
  return b.id;
}

/** Opens Checkout and pays at the emulator, without waiting for the webhooks. */
async function payAtStripe(bookingId: string, outcome: 'pay' | 'decline' = 'pay') {
  const res = await kit.post(`/bookings/${bookingId}/checkout`, w.client);
  expect(res.statusCode, res.body).toBe(200);
  const sessionId = new URL(res.json().url).pathname.split('/').pop()!;
  const paid = await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/${outcome}`, { method: 'POST' });
  expect(paid.status).toBe(200);
  return sessionId;
}

/** The events Stripe sent about one Checkout session's payment, oldest first. */
function eventsOf(sessionId: string) {
  const session = kit.stripeObject<{ payment_intent: string }>(sessionId);
  return t.stripe.state.events().filter((e) => {
    const o = e.data.object as { id: string; payment_intent?: string };
    return o.id === sessionId || o.id === session.payment_intent || o.payment_intent === session.payment_intent;
  });
}

const paidTransitions = async (bookingId: string) =>
  (await kit.sql`SELECT count(*)::int AS n FROM booking_events WHERE booking_id = ${bookingId} AND to_state = 'paid'`)[0]!.n;
const paymentEntries = async (bookingId: string) =>
  (await kit.sql`SELECT count(*)::int AS n FROM journal_entries WHERE booking_id = ${bookingId} AND kind = 'payment'`)[0]!.n;

const postWebhook = (body: string, signature: string) =>
  t.app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, payload: body });

describe('Stripe webhooks', () => {
  it('the same event delivered three times changes the booking once and books the payment once', async () => {
    const id = await acceptedBooking();
    const sessionId = await payBooking(t, w.client, id);
    const events = eventsOf(sessionId);
    expect(events.map((e) => e.type)).toEqual(['payment_intent.succeeded', 'charge.succeeded', 'checkout.session.completed']);
    for (const e of events) {
      t.stripe.webhooks.resend(e.id);
      const res = await fetch(`${t.stripe.url}/_emulator/events/${e.id}/resend`, { method: 'POST' });
      expect(res.status).toBe(200);
    }
    await t.stripe.webhooks.idle();

    // Every delivery was answered 2xx (a duplicate is not an error to retry), three times each.
    const attempts = t.stripe.state.deliveries().filter((d) => events.some((e) => e.id === d.eventId));
    expect(attempts).toHaveLength(9);
    expect(attempts.every((a) => a.ok)).toBe(true);
    expect(await kit.state(id)).toBe('paid');
    expect(await paidTransitions(id)).toBe(1);
    expect(await paymentEntries(id)).toBe(1);
    const recorded = await kit.sql`SELECT id FROM stripe_events WHERE id IN ${kit.sql(events.map((e) => e.id))}`;
    expect(recorded).toHaveLength(3);
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });

  it('answers a redelivery with duplicate: true', async () => {
    const id = await acceptedBooking();
    const sessionId = await payBooking(t, w.client, id);
    const completed = eventsOf(sessionId).find((e) => e.type === 'checkout.session.completed')!;
    const body = JSON.stringify(completed);
    const res = await postWebhook(body, sign(body, t.config.stripe.webhookSecret));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: true, duplicate: true });
  });

  it('refuses a bad signature and a tampered body with 400, and changes nothing', async () => {
    const id = await acceptedBooking();
    t.stripe.webhooks.pause();
    const sessionId = await payAtStripe(id);
    const completed = eventsOf(sessionId).find((e) => e.type === 'checkout.session.completed')!;
    const body = JSON.stringify(completed, null, 2);
    const secret = t.config.stripe.webhookSecret;

    const wrongSecret = await postWebhook(body, sign(body, 'whsec_someone_else'));
    const garbage = await postWebhook(body, 't=1,v1=deadbeef');
    const missing = await t.app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json' }, payload: body });
    // Signed, then changed on the way: a lower amount and someone else's booking.
    const tampered = body.replace('"amount_total": 15522', '"amount_total": 1').replace(/"bookingId": "[^"]+"/, '"bookingId": "00000000-0000-4000-8000-000000000000"');
    expect(tampered).not.toBe(body);
    const tamperedRes = await postWebhook(tampered, sign(body, secret));
    const stale = await postWebhook(body, sign(body, secret, Math.floor(Date.now() / 1000) - 3_600));
    for (const res of [wrongSecret, garbage, missing, tamperedRes, stale]) {
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_signature');
    }
    expect(await kit.sql`SELECT id FROM stripe_events WHERE id = ${completed.id}`).toHaveLength(0);
    expect(await kit.state(id)).toBe('accepted');
    expect(await kit.sql`SELECT status FROM payments WHERE booking_id = ${id}`).toEqual([{ status: 'open' }]);
    expect(await kit.entries(id)).toEqual([]);

    // The genuine delivery still works afterwards.
    t.stripe.webhooks.release();
    await t.stripe.webhooks.idle();
    expect(await kit.state(id)).toBe('paid');
  });

  it('events delivered in reverse order end in the same place, with one payment entry', async () => {
    const id = await acceptedBooking();
    t.stripe.webhooks.pause();
    const sessionId = await payAtStripe(id);
    const released = t.stripe.webhooks.release('reverse');
    expect(released[0]).toBe(eventsOf(sessionId).find((e) => e.type === 'checkout.session.completed')!.id);
    await t.stripe.webhooks.idle();

    expect(await kit.state(id)).toBe('paid');
    expect(await paidTransitions(id)).toBe(1);
    expect(await paymentEntries(id)).toBe(1);
    const session = kit.stripeObject<{ payment_intent: string }>(sessionId);
    expect(await kit.payment(id)).toMatchObject({ status: 'paid', payment_intent_id: session.payment_intent });
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });

  it('a decline reported after the success does not bring the error back', async () => {
    const id = await acceptedBooking();
    t.stripe.webhooks.pause();
    const sessionId = await payAtStripe(id, 'decline');
    await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' });
    const types = eventsOf(sessionId).map((e) => e.type);
    expect(types).toEqual(['payment_intent.payment_failed', 'payment_intent.succeeded', 'charge.succeeded', 'checkout.session.completed']);
    t.stripe.webhooks.release('reverse'); // the failure arrives last
    await t.stripe.webhooks.idle();
    expect(await kit.summary(w.client, id)).toMatchObject({ bookingState: 'paid', status: 'paid', lastError: null });
    expect(await paymentEntries(id)).toBe(1);
  });

  it('the same and the paired events arriving at the same instant (two API instances) still pay once', async () => {
    const id = await acceptedBooking();
    t.stripe.webhooks.pause();
    const sessionId = await payAtStripe(id);
    const pair = eventsOf(sessionId).filter((e) => e.type !== 'charge.succeeded');
    const bodies = [...pair, ...pair].map((e) => JSON.stringify(e));
    const answers = await Promise.all(bodies.map((b) => postWebhook(b, sign(b, t.config.stripe.webhookSecret))));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(answers.filter((a) => a.json().duplicate)).toHaveLength(2);
    expect(await kit.state(id)).toBe('paid');
    expect(await paidTransitions(id)).toBe(1);
    expect(await paymentEntries(id)).toBe(1);
    t.stripe.webhooks.release();
    await t.stripe.webhooks.idle();
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });

  it('only checkout.session.completed arriving (payment_intent.succeeded lost) is enough, and the late one changes nothing', async () => {
    const id = await acceptedBooking();
    t.stripe.webhooks.pause();
    const sessionId = await payAtStripe(id);
    const [succeeded, charge, completed] = eventsOf(sessionId);
    t.stripe.webhooks.release([completed!.id]);
    await t.stripe.webhooks.idle();
    expect(await kit.state(id)).toBe('paid');
    t.stripe.webhooks.release([charge!.id, succeeded!.id]);
    await t.stripe.webhooks.idle();
    expect(await paidTransitions(id)).toBe(1);
    expect(await paymentEntries(id)).toBe(1);
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });
});

describe('account.updated events out of order', () => {
  const accountEvent = (id: string, created: number, object: Record<string, unknown>) =>
    JSON.stringify({ id, object: 'event', type: 'account.updated', created, data: { object: { id: w.stripeAccountId, object: 'account', details_submitted: true, ...object } } });
  const deliver = (body: string) => postWebhook(body, sign(body, t.config.stripe.webhookSecret));
  const account = async () => (await kit.sql`SELECT charges_enabled, payouts_enabled, requirements_due FROM coop_payment_accounts WHERE coop_id = ${w.coopId}`)[0];

  it('an older event arriving after a newer one changes nothing: charges stay off while requirements are due', async () => {
    const now = Math.floor(Date.now() / 1000);
    const newer = accountEvent('evt_account_newer', now, { charges_enabled: false, payouts_enabled: false, requirements: { currently_due: ['individual.verification.document'], past_due: [] } });
    const older = accountEvent('evt_account_older', now - 3_600, { charges_enabled: true, payouts_enabled: true, requirements: { currently_due: [], past_due: [] } });
    expect((await deliver(newer)).statusCode).toBe(200);
    const late = await deliver(older);
    expect(late.statusCode, late.body).toBe(200);
    expect(await account()).toEqual({ charges_enabled: false, payouts_enabled: false, requirements_due: ['individual.verification.document'] });
    // Recorded all the same: a redelivery of the old event is a duplicate, not a second chance.
    expect(await kit.sql`SELECT id FROM stripe_events WHERE id = 'evt_account_older'`).toHaveLength(1);
    // A request may still be sent; the co-op cannot accept it.
    const request = await kit.book(w.client, w.listingId, next());
    expect((await kit.post(`/bookings/${request.id}/accept`, w.admin, {})).json().error.code).toBe('coop_not_ready');

    // A newer event (even from the same second) applies.
    expect((await deliver(accountEvent('evt_account_newest', now, { charges_enabled: true, payouts_enabled: true, requirements: { currently_due: [], past_due: [] } }))).statusCode).toBe(200);
    expect(await account()).toEqual({ charges_enabled: true, payouts_enabled: true, requirements_due: [] });
  });

  it('an account read from Stripe (the refresh button) is newer than any event created before the read', async () => {
    const refreshed = await kit.get(`/coops/${w.coopId}/payments/account?refresh=1`, w.admin);
    expect(refreshed.json()).toMatchObject({ chargesEnabled: true });
    const stale = accountEvent('evt_account_before_refresh', Math.floor(Date.now() / 1000) - 60, { charges_enabled: false, payouts_enabled: false, requirements: { currently_due: ['external_account'], past_due: [] } });
    expect((await deliver(stale)).statusCode).toBe(200);
    expect(await account()).toMatchObject({ charges_enabled: true, requirements_due: [] });
  });

  it('an account event without its creation time is acknowledged and changes nothing', async () => {
    const body = JSON.stringify({ id: 'evt_account_no_created', type: 'account.updated', data: { object: { id: w.stripeAccountId, charges_enabled: false } } });
    const res = await deliver(body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ received: true, ignored: 'malformed' });
    expect(await account()).toMatchObject({ charges_enabled: true });
  });
});
