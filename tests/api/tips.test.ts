import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { payBooking, startBooking } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { patronageKit } from '../support/patronage.js';
import { saveCard } from '../support/series-payments-world.js';
import { freezeMeasures } from '../../server/src/modules/fiscal/measures.js';
import { gatherPersonData } from '../../server/src/modules/data-export/gather.js';

/*
 * The world of payments-refunds: 135.00 $ at a co-op registered for GST and QST
 * (service 13 500, GST 675, QST 1 347, total 15 522, platform fee 675).
 * A tip of 20.00 $ carries no fee and no tax: the client pays 2 000, all of it owed to the co-op.
 * Split among three workers by largest remainder: 2 000 / 3 = 666.67 → 667 / 667 / 666 (ties to
 * the lower user id, so the order is the ids').
 */
let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
let workers: SignedIn[];
const next = slots(72);

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
  workers = (await Promise.all([1, 2].map(() => signUp(t.app)))) as SignedIn[];
  for (const x of workers) await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${w.coopId}, ${x.userId}, 'worker')`;
});
afterAll(() => t.close());

/** A paid booking, started, with the admin and the two workers assigned, then completed (or left paid). */
async function visit(client: SignedIn, complete = true) {
  const b = await kit.book(client, w.listingId, next());
  await kit.accept(w.admin, b.id);
  await payBooking(t, client, b.id);
  await kit.chargeDetailsRecorded();
  const team = await kit.put(`/bookings/${b.id}/workers`, w.admin, { userIds: [w.admin.userId, ...workers.map((x) => x.userId)] });
  expect(team.statusCode, team.body).toBe(200);
  await startBooking(t, b.id, 120);
  if (complete) {
    const done = await kit.post(`/bookings/${b.id}/complete`, w.admin, { hours: [] });
    expect(done.statusCode, done.body).toBe(200);
  }
  return b.id as string;
}

const tip = (id: string, who: SignedIn, amountCents: unknown) => kit.post(`/bookings/${id}/tip`, who, { amountCents });
const tipsOf = (bookingId: string) => t.database.sql<{ status: string; amount_cents: number; payment_intent_id: string | null }[]>`SELECT status, amount_cents, payment_intent_id FROM tips WHERE booking_id = ${bookingId}`;

describe('tips', () => {
  it('offers presets of the service price, only on a completed visit of her own', async () => {
    const id = await visit(w.client);
    const res = await kit.get(`/bookings/${id}/tip`, w.client);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      tip: null, allowed: true, minCents: 100, maxCents: 50_000, card: null,
      presets: [{ percent: 10, amountCents: 1_350 }, { percent: 15, amountCents: 2_025 }, { percent: 20, amountCents: 2_700 }],
    });
    expect((await kit.get(`/bookings/${id}/tip`, w.stranger)).statusCode).toBe(404);
    expect((await kit.get(`/bookings/${id}/tip`, w.admin)).statusCode).toBe(404);
  });

  it('refuses a tip on a visit not completed (409), on another client’s booking (404), and amounts out of bounds (400)', async () => {
    const paidOnly = await visit(w.client, false);
    const early = await tip(paidOnly, w.client, 1_000);
    expect(early.statusCode, early.body).toBe(409);
    expect(errorOf(early).code).toBe('not_completed');

    const id = await visit(w.client);
    expect((await tip(id, w.stranger, 1_000)).statusCode).toBe(404);
    expect((await tip(id, w.admin, 1_000)).statusCode).toBe(404);
    expect(errorOf(await tip(id, w.client, 99)).fields?.amountCents?.[0]).toMatchObject({ code: 'amount_too_small' });
    expect(errorOf(await tip(id, w.client, 50_001)).fields?.amountCents?.[0]).toMatchObject({ code: 'amount_too_large', maximum: 50_000 });
    for (const bad of [-500, 0, 12.5, '1000', null]) expect((await tip(id, w.client, bad)).statusCode, String(bad)).toBe(400);
    expect(await tipsOf(id)).toEqual([]);
  });

  it('without a saved card: a Checkout with no fee; the webhook books it to tips payable, once', async () => {
    const client = await signUp(t.app);
    const id = await visit(client);
    const res = await tip(id, client, 2_000);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'open', amountCents: 2_000, checkoutUrl: expect.stringContaining('http') });
    // A second click while the Checkout is open: the same tip, the same session, nothing new.
    const again = await tip(id, client, 2_000);
    expect(again.json()).toMatchObject({ id: res.json().id, checkoutUrl: res.json().checkoutUrl });
    const sessionId = new URL(res.json().checkoutUrl).pathname.split('/').pop()!;
    const session = kit.stripeObject<{ amount_total: number; payment_intent: string | null }>(sessionId);
    expect(session.amount_total).toBe(2_000);
    const paid = await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' });
    expect(paid.ok).toBe(true);
    await t.stripe.webhooks.idle();
    expect(await tipsOf(id)).toMatchObject([{ status: 'paid', amount_cents: 2_000 }]);
    const pi = kit.stripeObject<{ application_fee_amount: number | null; transfer_data: { destination: string } }>((await tipsOf(id))[0]!.payment_intent_id!);
    expect(pi.application_fee_amount ?? 0).toBe(0);
    expect(pi.transfer_data.destination).toBe(w.stripeAccountId);
    const entries = (await kit.entries(id)).filter((e) => e.kind.startsWith('tip'));
    expect(entries).toEqual([
      { kind: 'tip', source: `tip:${res.json().id}`, lines: { client_payments: 2_000, tips_payable: -2_000 } },
      { kind: 'tip_transfer', source: `tip:${res.json().id}:transfer`, lines: { tips_payable: 2_000, client_payments: -2_000 } },
    ]);
    // No fee, no tax: nothing of the tip reaches the platform's revenue or the co-op's tax account.
    expect(entries.flatMap((e) => Object.keys(e.lines))).not.toContain('platform_fee_revenue');
    expect(entries.flatMap((e) => Object.keys(e.lines))).not.toContain('taxes_collected');
    // Paid: a third click answers the paid tip, charges nothing.
    expect((await tip(id, client, 5_000)).json()).toMatchObject({ status: 'paid', amountCents: 2_000 });
    expect((await kit.get(`/bookings/${id}/tip`, client)).json()).toMatchObject({ allowed: false, tip: { status: 'paid' } });
    await kit.ledgerOk(w.steward);
    // The reconciliation with Stripe knows the tip's charge as Tissu's own.
    const rec = await kit.get('/steward/reconciliation', w.steward);
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json().mismatches).toEqual([]);
    // Her tip is her personal data: in "download my data", with its amount and state.
    const data = await t.database.db.transaction((tx) => gatherPersonData(tx, client.userId));
    expect(data!.tips).toEqual([expect.objectContaining({ bookingId: id, amountCents: 2_000, status: 'paid' })]);
  });

  it('with a saved card: charged off-session at once; a double click charges once', async () => {
    const client = await signUp(t.app);
    await saveCard(t, client);
    const id = await visit(client);
    expect((await kit.get(`/bookings/${id}/tip`, client)).json().card).toMatchObject({ last4: '4242' });
    const [a, b] = await Promise.all([tip(id, client, 2_000), tip(id, client, 2_000)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json().id).toBe(b.json().id);
    await t.stripe.webhooks.idle();
    const rows = await tipsOf(id);
    expect(rows).toMatchObject([{ status: 'paid', amount_cents: 2_000 }]);
    expect(t.stripe.state.paymentIntents().filter((p) => (p.metadata as Record<string, string> | undefined)?.tipId === a.json().id)).toHaveLength(1);
    expect((await kit.entries(id)).filter((e) => e.kind === 'tip')).toHaveLength(1);
    await kit.ledgerOk(w.steward);
  });

  it('a card charge whose answer was lost: settled by Stripe’s event or asked again with the same key, one charge either way', async () => {
    const client = await signUp(t.app);
    await saveCard(t, client);
    const id = await visit(client);
    // The first try's row was written, then the process died before Stripe answered (or Stripe never did).
    const [lost] = await t.database.sql<{ id: string }[]>`
      INSERT INTO tips (booking_id, coop_id, client_id, amount_cents, status, updated_at)
      VALUES (${id}, ${w.coopId}, ${client.userId}, 1500, 'open', now() - interval '2 minutes') RETURNING id`;
    // Stripe had taken it: the charge made with the first try's key and parameters, its answer lost.
    const [card] = await t.database.sql<{ stripe_customer_id: string; payment_method_id: string }[]>`SELECT stripe_customer_id, payment_method_id FROM payment_customers WHERE user_id = ${client.userId}`;
    const first = await t.app.payments.chargeSavedCard({
      idempotencyKey: `tip:${lost!.id}:1`, customerId: card!.stripe_customer_id, paymentMethodId: card!.payment_method_id, amountCents: 1_500,
      applicationFeeCents: 0, destination: w.stripeAccountId, description: 'Tissu — tip', metadata: { bookingId: id, tipId: lost!.id },
    });
    expect(first.ok).toBe(true);
    const again = await tip(id, client, 9_999);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: lost!.id, status: 'paid', amountCents: 1_500 });
    expect((await tip(id, client, 1_500)).json()).toMatchObject({ status: 'paid' });
    await t.stripe.webhooks.idle();
    const intents = t.stripe.state.paymentIntents().filter((p) => (p.metadata as Record<string, string> | undefined)?.tipId === lost!.id);
    expect(intents.map((p) => p.id)).toEqual([first.ok ? first.paymentIntentId : '']);
    expect((await tipsOf(id))[0]!.payment_intent_id).toBe(intents[0]!.id);
    await kit.ledgerOk(w.steward);
  });

  it('splits each tip among the visit’s workers to the cent; a worker sees her own line only', async () => {
    const res = await kit.get(`/coops/${w.coopId}/tips`, w.admin);
    expect(res.statusCode, res.body).toBe(200);
    const byWorker = res.json();
    // Two tips of 20.00 $ so far, each 667 / 667 / 666 in the order of the workers' ids, and one of 15.00 $: 500 each.
    const ids = [w.admin.userId, ...workers.map((x) => x.userId)].sort();
    const expected = Object.fromEntries(ids.map((u, i) => [u, (i === 2 ? 1_332 : 1_334) + 500]));
    expect(byWorker.totalCents).toBe(5_500);
    expect(Object.fromEntries(byWorker.workers.map((x: { userId: string; cents: number }) => [x.userId, x.cents]))).toEqual(expected);
    expect(byWorker.workers.reduce((s: number, x: { cents: number }) => s + x.cents, 0)).toBe(5_500);
    const own = (await kit.get(`/coops/${w.coopId}/tips`, workers[0]!)).json();
    expect(own.workers.map((x: { userId: string }) => x.userId)).toEqual([workers[0]!.userId]);
    expect(own.totalCents).toBe(expected[workers[0]!.userId]);
    expect((await kit.get(`/coops/${w.coopId}/tips`, w.client)).statusCode).toBe(403);
  });

  it('leaves tips out of the patronage measures: the co-op’s and the client’s are the booking’s alone', async () => {
    const p = patronageKit(t);
    const client = await signUp(t.app);
    const year = new Date().getUTCFullYear();
    const startedOn = `${year}-01-01`;
    const coop = await p.join(w.steward, { class: 'producer', coopId: w.coopId, startedOn });
    const user = await p.join(w.steward, { class: 'user', userId: client.userId, startedOn });
    const id = await visit(client);
    const sessionUrl = (await tip(id, client, 3_000)).json().checkoutUrl as string;
    await fetch(`${t.stripe.url}/_emulator/checkout/${new URL(sessionUrl).pathname.split('/').pop()}/pay`, { method: 'POST' });
    await t.stripe.webhooks.idle();
    expect(await tipsOf(id)).toMatchObject([{ status: 'paid' }]);
    const [fy] = await t.database.sql<{ id: number }[]>`INSERT INTO fiscal_years (label, starts_on, ends_on) VALUES ('tips', ${`${year + 50}-01-01`}, ${`${year + 51}-01-01`}) RETURNING id`;
    await t.db.transaction((tx) => freezeMeasures(tx, fy!.id, new Date(Date.UTC(year - 1, 0, 1)), new Date(Date.UTC(year + 2, 0, 1))));
    const units = await t.database.sql<{ membership_id: string; units: number }[]>`SELECT membership_id, sum(units)::int AS units FROM patronage_measures WHERE fiscal_year_id = ${fy!.id} GROUP BY 1`;
    const of = Object.fromEntries(units.map((u) => [u.membership_id, u.units]));
    // The client paid 155.22 $ for the visit and 30.00 $ of tip: her measure is the visit's alone.
    expect(of[user.id]).toBe(15_522);
    // The co-op's measure is the service of its completed, paid bookings: 135.00 $ each, no tip in it.
    const [done] = await t.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM bookings WHERE coop_id = ${w.coopId} AND state = 'completed'`;
    expect(of[coop.id]).toBe(done!.n * 13_500);
    const [tipped] = await t.database.sql<{ cents: number }[]>`SELECT sum(amount_cents)::int AS cents FROM tips WHERE coop_id = ${w.coopId} AND status = 'paid'`;
    expect(tipped!.cents).toBeGreaterThan(0);
  });
});

describe('no-show under the listing’s policy', () => {
  it('60 % kept: 40 % refunded with its taxes to the cent, in one refund and its reversal', async () => {
    const saved = await kit.put(`/listings/${w.listingId}/schedule`, w.admin, { weekly: (await kit.get(`/listings/${w.listingId}/schedule`, w.admin)).json().weekly, freeCancellationHours: 24, lateCancellationPercent: 50, noShowPercent: 60 });
    expect(saved.statusCode, saved.body).toBe(200);
    const b = await kit.book(w.client, w.listingId, next());
    await kit.accept(w.admin, b.id);
    await payBooking(t, w.client, b.id);
    await kit.chargeDetailsRecorded();
    expect((await kit.get(`/bookings/${b.id}`, w.client)).json().cancellation.noShowPercent).toBe(60);
    // The listing's policy changing later does not touch the booking's.
    await kit.put(`/listings/${w.listingId}/schedule`, w.admin, { weekly: (await kit.get(`/listings/${w.listingId}/schedule`, w.admin)).json().weekly, noShowPercent: 100 });
    await startBooking(t, b.id, 30);
    const res = await kit.post(`/bookings/${b.id}/no-show`, w.admin, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().state).toBe('no_show');
    /*
     * Kept 60 % of 13 500 = 8 100, priced as a purchase: GST 405, QST 8 100 × 0.09975 = 807.975 → 808, total 9 313.
     * Refund = payment − kept: service 5 400, GST 675 − 405 = 270, QST 1 347 − 808 = 539, total 15 522 − 9 313 = 6 209.
     * Fee kept 405 (8 100 × 5 %), refunded 675 − 405 = 270; taken back from the co-op 6 209 − 270 = 5 939.
     */
    const s = await kit.summary(w.client, b.id);
    expect(s).toMatchObject({ status: 'partially_refunded', refundedCents: 6_209, refunds: [{ kind: 'no_show', serviceCents: 5_400, gstCents: 270, qstCents: 539, totalCents: 6_209, platformFeeCents: 270 }] });
    expect((await kit.entries(b.id)).filter((e) => e.kind === 'refund' || e.kind === 'transfer_reversal')).toEqual([
      { kind: 'refund', source: expect.stringMatching(/^refund:/), lines: { client_payments: -6_209, platform_fee_revenue: 270, taxes_collected: 809, coop_payable: 5_130 } },
      { kind: 'transfer_reversal', source: expect.stringMatching(/^refund:.*:reversal$/), lines: { client_payments: 5_939, taxes_collected: -809, coop_payable: -5_130 } },
    ]);
    await kit.ledgerOk(w.steward);
  });

  it('100 % (the default) keeps everything: no refund', async () => {
    const b = await kit.book(w.client, w.listingId, next());
    await kit.accept(w.admin, b.id);
    await payBooking(t, w.client, b.id);
    await startBooking(t, b.id, 30);
    expect((await kit.post(`/bookings/${b.id}/no-show`, w.admin, {})).statusCode).toBe(200);
    expect(await kit.summary(w.client, b.id)).toMatchObject({ status: 'paid', refundedCents: 0 });
  });
});
