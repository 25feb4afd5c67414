/**
 * A charge of the saved card whose answer never came (Stripe unreachable): it held back the cancel
 * and the expiry of its visit (409 payment_in_progress) for as long as Stripe stayed silent. The
 * rule now: waited for ten minutes (the charge job asks again with the same key meanwhile); then
 * Stripe is asked what became of it without charging anything. Taken: the visit waits for it to be
 * recorded. Refused or never made: the visit may end. No answer: the visit may end too, and money
 * that lands later is refunded in full when it arrives, with an email saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '@tissu/shared';
import { createTestApp, type SignedIn, type TestApp } from '../support/test-app.js';
import { chargeJobAt, dayBefore, seriesPaymentsWorld } from '../support/series-payments-world.js';
import { createBookingPayments } from '../../server/src/flows/booking-payments.js';
import type { PaymentGateway } from '../../server/src/plugins/stripe.js';

let t: TestApp;
let steward: SignedIn, client: SignedIn;
let visits: { id: string; starts_at: string }[];

const inject = (method: 'GET' | 'POST', url: string, who: SignedIn, payload?: object) =>
  t.app.inject({ method, url, headers: who.auth, ...(payload ? { payload } : {}) });
const emulator = (method: 'POST' | 'DELETE', path: string, body?: object) =>
  fetch(`${t.stripe.url}/_emulator/${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
/** Stripe failing part of its API until the faults are cleared. */
const outage = (method: 'GET' | 'POST', pathPrefix: string) => emulator('POST', 'faults', { method, path_prefix: pathPrefix, status: 500, times: 100 });
const stateOf = async (id: string) => (await t.database.sql<{ state: string }[]>`SELECT state FROM bookings WHERE id = ${id}`)[0]!.state;
const paymentsOf = (id: string) =>
  t.database.sql<{ id: string; status: string; last_error: string | null; total_cents: number; refunded_cents: number; coop_cents: number; platform_fee_cents: number; payment_intent_id: string | null }[]>`
    SELECT id, status, last_error, total_cents, refunded_cents, coop_cents, platform_fee_cents, payment_intent_id FROM payments WHERE booking_id = ${id} ORDER BY created_at`;
const cancel = (id: string) => inject('POST', `/bookings/${id}/cancel`, client, { reason: 'Finalement non' });
/** The attempt's age, as if Stripe had been silent for that long. */
const ageAttempt = (id: string, minutes: number) => t.database.sql`UPDATE payments SET created_at = now() - make_interval(mins => ${minutes}) WHERE booking_id = ${id} AND status = 'open'`;
const ledgerCheck = async () => (await inject('GET', '/steward/ledger/check', steward)).json() as { ok: boolean; checks: { ok: boolean; problems: string[] }[] };
const gate = () => {
  let open!: () => void;
  return { held: new Promise<void>((r) => { open = r; }), open: () => open() };
};
async function attemptWritten(bookingId: string) {
  for (let i = 0; i < 200 && !(await paymentsOf(bookingId)).some((p) => p.status === 'open'); i++) await new Promise((r) => setTimeout(r, 20));
}

beforeAll(async () => {
  t = await createTestApp();
  ({ steward, client, visits } = await seriesPaymentsWorld(t, 6));
  const setup = await inject('POST', '/me/card/setup', client, { returnTo: '/account/card' });
  const sessionId = new URL(setup.json().url).pathname.split('/').pop()!;
  expect((await emulator('POST', `checkout/${sessionId}/setup`, { card: '4242 4242 4242 4242' })).ok).toBe(true);
  await t.stripe.webhooks.idle();
});
afterAll(() => t.close());

describe('a saved-card charge whose answer never came', () => {
  it('holds the cancel for ten minutes; then, Stripe still unreachable, the client cancels, and the money that lands later is refunded in full and she is told', async () => {
    const v = visits[0]!;
    // The charge's request is on its way and Stripe does not answer it.
    const g = gate();
    const held: PaymentGateway = { ...t.app.payments, chargeSavedCard: async (r) => { await g.held; return t.app.payments.chargeSavedCard(r); } };
    const charging = chargeJobAt(t, dayBefore(v), held).chargeVisit(v.id);
    await attemptWritten(v.id);

    const early = await cancel(v.id);
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().error.code).toBe('payment_in_progress');
    await ageAttempt(v.id, 9);
    expect((await cancel(v.id)).statusCode).toBe(409);

    // Ten minutes on, Stripe cannot even say what became of it: the visit may end all the same.
    await ageAttempt(v.id, 11);
    await outage('GET', '/v1/payment_intents');
    try {
      const res = await cancel(v.id);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().state).toBe('cancelled_by_client');
    } finally {
      await emulator('DELETE', 'faults');
    }
    expect(await paymentsOf(v.id)).toMatchObject([{ status: 'expired', last_error: 'outcome_unknown' }]);

    // The request reaches Stripe after all and the card is charged: the money goes back at once.
    g.open();
    expect(await charging).toBe('skipped');
    await t.stripe.webhooks.idle();
    const [p] = await paymentsOf(v.id);
    expect(p).toMatchObject({ status: 'returned', total_cents: 10_000, refunded_cents: 10_000 });
    expect(await stateOf(v.id)).toBe('cancelled_by_client');
    expect(t.stripe.state.refunds().filter((r) => r.payment_intent === p!.payment_intent_id).map((r) => r.amount)).toEqual([10_000]);
    const charge = t.stripe.state.charges().find((c) => c.payment_intent === p!.payment_intent_id)!;
    expect(t.stripe.state.transfers().find((x) => x.id === charge.transfer)).toMatchObject({ amount: p!.coop_cents, amount_reversed: p!.coop_cents });
    expect(await t.database.sql`SELECT kind, total_cents, platform_fee_cents, coop_cents FROM refunds WHERE booking_id = ${v.id}`).toEqual([
      { kind: 'late_payment', total_cents: 10_000, platform_fee_cents: p!.platform_fee_cents, coop_cents: p!.coop_cents },
    ]);
    expect(p!.platform_fee_cents).toBeGreaterThan(0);

    const mails = (await t.sentMail()).filter((m) => m.to === client.email && m.subject.startsWith('Paiement remboursé') && m.text.includes(`/bookings/${v.id}`));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(formatMoney(10_000, 'fr'));
    expect((await ledgerCheck()).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('ten minutes on, Stripe says no charge was made: the visit is cancelled at once and nothing is ever charged', async () => {
    const v = visits[1]!;
    await outage('POST', '/v1/payment_intents');
    try {
      await expect(chargeJobAt(t, dayBefore(v)).chargeVisit(v.id)).rejects.toThrow();
    } finally {
      await emulator('DELETE', 'faults');
    }
    expect(await paymentsOf(v.id)).toMatchObject([{ status: 'open' }]);
    expect((await cancel(v.id)).statusCode).toBe(409);
    await ageAttempt(v.id, 11);
    const res = await cancel(v.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(await paymentsOf(v.id)).toMatchObject([{ status: 'expired', last_error: 'not_charged', payment_intent_id: null }]);
    // The job leaves it alone from now on: never charged for a cancelled visit.
    expect(await chargeJobAt(t, new Date(dayBefore(v).getTime() + 10 * 60_000)).chargeVisit(v.id)).toBe('skipped');
    const [attempt] = await paymentsOf(v.id);
    expect(t.stripe.state.paymentIntents().filter((pi) => pi.metadata.paymentId === attempt!.id)).toEqual([]);
  });

  it('ten minutes on, Stripe says the charge went through: the visit waits for it (409), the job records it, and the cancel then refunds it', async () => {
    const v = visits[2]!;
    // Stripe charged the card, and its answer was lost on the way back (its events held too).
    t.stripe.webhooks.pause();
    const lost: PaymentGateway = { ...t.app.payments, chargeSavedCard: async (r) => { await t.app.payments.chargeSavedCard(r); throw new Error('socket hang up'); } };
    await expect(chargeJobAt(t, dayBefore(v), lost).chargeVisit(v.id)).rejects.toThrow(/hang up/);
    await ageAttempt(v.id, 11);
    const waiting = await cancel(v.id);
    expect(waiting.statusCode, waiting.body).toBe(409);
    expect(waiting.json().error.code).toBe('payment_in_progress');
    expect(await stateOf(v.id)).toBe('accepted');

    // The job asks again with the same key: Stripe answers the same charge, which pays the visit.
    expect(await chargeJobAt(t, new Date(dayBefore(v).getTime() + 15 * 60_000)).chargeVisit(v.id)).toBe('charged');
    t.stripe.webhooks.release();
    await t.stripe.webhooks.idle();
    expect(await stateOf(v.id)).toBe('paid');
    const res = await cancel(v.id);
    expect(res.statusCode, res.body).toBe(200);
    const [p] = await paymentsOf(v.id);
    expect(p!.status).toMatch(/refunded/);
    // One charge at Stripe for the visit, refunded: never a second one.
    expect(t.stripe.state.paymentIntents().filter((pi) => pi.metadata.paymentId === p!.id && pi.status === 'succeeded')).toHaveLength(1);
    expect((await ledgerCheck()).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('the expiry job too ends a visit whose charge Stripe cannot account for, once the wait is over', async () => {
    const v = visits[3]!;
    await outage('POST', '/v1/payment_intents');
    try {
      await expect(chargeJobAt(t, dayBefore(v)).chargeVisit(v.id)).rejects.toThrow();
    } finally {
      await emulator('DELETE', 'faults');
    }
    await t.database.sql`UPDATE bookings SET expires_at = now() - interval '1 minute' WHERE id = ${v.id}`;
    const expiry = createBookingPayments({ db: t.db, gateway: t.app.payments, paymentWindowHours: 48 });
    expect(await expiry.expireRequests()).toBe(0);
    expect(await stateOf(v.id)).toBe('accepted');
    await ageAttempt(v.id, 11);
    await outage('GET', '/v1/payment_intents');
    try {
      expect(await expiry.expireRequests()).toBe(1);
    } finally {
      await emulator('DELETE', 'faults');
    }
    expect(await stateOf(v.id)).toBe('expired');
    expect(await paymentsOf(v.id)).toMatchObject([{ status: 'expired', last_error: 'outcome_unknown' }]);
  });
});

describe('a second payment for a visit already paid', () => {
  it('is returned in full, and the visit keeps its own payment and receipt (was a 500 on every delivery: one paid payment per booking)', async () => {
    const v = visits[4]!;
    // The client opened Checkout early; the card's charge closes it, and Stripe's answer said it was
    // closed when it was not (an answer lost or crossed): the page can still be paid.
    const res = await inject('POST', `/bookings/${v.id}/checkout`, client);
    expect(res.statusCode, res.body).toBe(200);
    const sessionId = new URL(res.json().url).pathname.split('/').pop()!;
    const leaky: PaymentGateway = { ...t.app.payments, expireCheckout: async () => 'expired' };
    expect(await chargeJobAt(t, dayBefore(v), leaky).chargeVisit(v.id)).toBe('charged');
    await t.stripe.webhooks.idle();
    expect(await stateOf(v.id)).toBe('paid');

    const delivered = t.stripe.state.deliveries().length;
    expect((await emulator('POST', `checkout/${sessionId}/pay`)).status).toBe(200);
    await t.stripe.webhooks.idle();
    for (let i = 0; i < 200 && !(await paymentsOf(v.id)).some((p) => p.status === 'returned'); i++) await new Promise((r) => setTimeout(r, 25));
    const rows = await paymentsOf(v.id);
    expect(rows.map((p) => p.status).sort()).toEqual(['paid', 'returned']);
    const second = rows.find((p) => p.status === 'returned')!;
    expect(second).toMatchObject({ total_cents: 10_000, refunded_cents: 10_000 });
    expect(t.stripe.state.refunds().filter((r) => r.payment_intent === second.payment_intent_id).map((r) => r.amount)).toEqual([10_000]);
    // No webhook answered an error: Stripe is not left retrying.
    expect(t.stripe.state.deliveries().slice(delivered).filter((d) => d.status === null || d.status >= 500)).toEqual([]);
    expect(await stateOf(v.id)).toBe('paid');
    const summary = (await inject('GET', `/bookings/${v.id}/payment`, client)).json();
    expect(summary).toMatchObject({ status: 'paid', refundedCents: 0, refunds: [], receiptNumber: expect.stringMatching(/^TIS-/) });
    const mails = (await t.sentMail()).filter((m) => m.to === client.email && m.subject.startsWith('Paiement remboursé') && m.text.includes(`/bookings/${v.id}`));
    expect(mails.map((m) => m.text).join()).toMatch(/déjà payée/);
    expect((await ledgerCheck()).checks.filter((c) => !c.ok)).toEqual([]);
  });
});
