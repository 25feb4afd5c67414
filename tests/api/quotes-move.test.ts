/**
 * The test: a move quoted, revised, accepted with a 30 % deposit, paid, completed, and the
 * balance charged to the card the deposit saved; its ledger check, receipt and patronage measure
 * to the cent. Then a balance the card refuses: the client is emailed and pays it on-session.
 *
 * Hand-checked numbers (GST 5 %, QST 9.975 %, fee 5 %, each rounded half up):
 *   version 2: 4 h × 150.00 $ + piano 250.00 $ = 850.00 $; GST 42.50; QST 84.7875 → 84.79; total 977.29 $; fee 42.50.
 *   deposit 30 % of 977.29 = 293.187 → 293.19, split by largest remainder over 850 / 42.50 / 84.79:
 *     255.0065… → 255.00, 12.7503… → 12.75, 25.4374… → 25.44 (the remaining cent goes to the largest remainder, QST);
 *     its fee: 42.50 × 255/850 = 12.75.
 *   balance = the rest: 595.00 + 29.75 + 59.35 = 684.10 $, fee 29.75.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { firstOfThisMonth, patronageKit } from '../support/patronage.js';
import { hourFromNow, payBooking, startBooking } from '../support/fixtures.js';
import { paymentsWorld, type PaymentsKit } from '../support/payments.js';
import { freezeMeasures } from '../../server/src/modules/fiscal/measures.js';
import { createCheckoutService, createSavedCards } from '../../server/src/modules/payments/index.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
let moveListing: string;
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();

async function ok(res: { statusCode: number; body: string; json(): any }, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

/** A move asked, offered twice (changes asked in between) and accepted at the second version's first time. */
async function acceptedMove(hoursAhead: number) {
  const q = await ok(await kit.post('/quotes', w.client, {
    listingId: moveListing, description: 'Déménagement d’un 4 ½ au 3e étage vers un rez-de-chaussée, avec un piano droit.', address: '4521 rue Fabre, Montréal',
    preferredDates: [{ from: inDays(3).slice(0, 10) }],
  }), 201);
  const times = [hourFromNow(hoursAhead), hourFromNow(hoursAhead + 24)];
  const v1 = { lines: [{ label: 'Camion et 3 déménageurs (heures)', quantity: 5, unitPriceCents: 15_000 }, { label: 'Piano droit', unitPriceCents: 25_000 }], validUntil: inDays(7), durationMinutes: 300, proposedTimes: times };
  await ok(await kit.post(`/quotes/${q.id}/offers`, w.admin, v1), 201);
  await ok(await kit.post(`/quotes/${q.id}/request-changes`, w.client, { reason: 'Quatre heures suffiront : tout est emballé.' }));
  const v2 = await ok(await kit.post(`/quotes/${q.id}/offers`, w.admin, { ...v1, lines: [{ ...v1.lines[0], quantity: 4 }, v1.lines[1]], durationMinutes: 240, message: 'D’accord pour 4 h.' }), 201);
  const accepted = await ok(await kit.post(`/quotes/${q.id}/accept`, w.client, { offerVersion: 2, startsAt: times[0] }));
  return { quoteId: q.id as string, bookingId: accepted.bookingId as string, offers: v2.offers };
}

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
  moveListing = (await ok(await kit.post(`/coops/${w.coopId}/listings`, w.admin, {
    titleFr: 'Déménagement', titleEn: 'Moving', descriptionFr: 'Déménagements résidentiels, sur devis selon les étages.', descriptionEn: 'Home moves, quoted by floors and furniture.',
    category: 'demenagement', priceKind: 'hourly', priceCents: 12_000, durationMinutes: 180, locationMode: 'client_place', boroughs: ['plateau-mont-royal'],
    quoteMode: 'only', depositPercent: 30,
  }), 201)).id;
});
afterAll(() => t.close());

describe('a move on quote, with a deposit', () => {
  let bookingId = '';

  it('prices the revised offer, its deposit and its balance to the cent', async () => {
    const m = await acceptedMove(30);
    bookingId = m.bookingId;
    expect(m.offers.map((o: { version: number; state: string }) => [o.version, o.state])).toEqual([[1, 'changes_requested'], [2, 'sent']]);
    expect(m.offers[1]).toMatchObject({
      serviceCents: 85_000, gstCents: 4_250, qstCents: 8_479, totalCents: 97_729, platformFeeCents: 4_250, depositPercent: 30,
      deposit: { serviceCents: 25_500, gstCents: 1_275, qstCents: 2_544, totalCents: 29_319, platformFeeCents: 1_275 },
      balance: { serviceCents: 59_500, gstCents: 2_975, qstCents: 5_935, totalCents: 68_410, platformFeeCents: 2_975 },
    });
    const booking = await ok(await kit.get(`/bookings/${bookingId}`, w.client));
    expect(booking).toMatchObject({ state: 'accepted', priceCents: 85_000, durationMinutes: 240 });
    // Her email says the whole price and that only the deposit is paid now, as the pay button does.
    const mail = (await t.sentMail()).filter((x) => x.to === w.client.email && x.text.includes(bookingId)).map((x) => x.text.replace(/[\u00a0\u202f]/g, ' '));
    expect(mail.some((x) => x.includes('977,29 $') && x.includes('Acompte à payer maintenant (le solde à la fin du travail) : 293,19 $')), mail.join('\n---\n')).toBe(true);
  });

  it('takes the deposit through Checkout, keeps the card, and the booking is paid', async () => {
    const before = await kit.summary(w.client, bookingId);
    expect(before).toMatchObject({ payable: true, breakdown: { serviceCents: 85_000, totalCents: 97_729 } });
    expect(before.installments.map((i: { part: string; status: string; totalCents: number }) => [i.part, i.status, i.totalCents])).toEqual([['deposit', 'due', 29_319], ['balance', 'due', 68_410]]);
    await payBooking(t, w.client, bookingId);
    expect(await kit.state(bookingId)).toBe('paid');
    const [deposit] = await kit.sql`SELECT part, total_cents, platform_fee_cents, status FROM payments WHERE booking_id = ${bookingId} AND status = 'paid'`;
    expect(deposit).toMatchObject({ part: 'deposit', total_cents: 29_319, platform_fee_cents: 1_275 });
    const [card] = await kit.sql`SELECT payment_method_id FROM payment_customers WHERE user_id = ${w.client.userId}`;
    expect(card?.payment_method_id).toBeTruthy();
    const again = await kit.post(`/bookings/${bookingId}/checkout`, w.client);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_paid');
  });

  it('charges the balance to the saved card when the co-op marks the work completed', async () => {
    await startBooking(t, bookingId);
    await ok(await kit.post(`/bookings/${bookingId}/complete`, w.admin, { hours: [] }));
    expect(await kit.state(bookingId)).toBe('completed');
    const paid = await kit.sql`SELECT part, total_cents, service_cents, gst_cents, qst_cents, platform_fee_cents, receipt_number FROM payments WHERE booking_id = ${bookingId} AND status = 'paid' ORDER BY created_at`;
    expect(paid.map((p) => [p.part, p.total_cents, p.platform_fee_cents])).toEqual([['deposit', 29_319, 1_275], ['balance', 68_410, 2_975]]);
    expect(paid.reduce((s, p) => s + p.total_cents, 0)).toBe(97_729);
    // Nothing more to pay, and no second balance.
    expect((await kit.post(`/bookings/${bookingId}/checkout`, w.client)).statusCode).toBe(409);
  });

  it('keeps the ledger balanced: each payment its own entry, fee and taxes on each part', async () => {
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
    const entries = await kit.entries(bookingId);
    const payments = entries.filter((e) => e.kind === 'payment');
    expect(payments.map((e) => e.lines)).toEqual([
      { client_payments: 29_319, platform_fee_revenue: -1_275, taxes_collected: -(1_275 + 2_544), coop_payable: -(29_319 - 1_275 - 1_275 - 2_544) },
      { client_payments: 68_410, platform_fee_revenue: -2_975, taxes_collected: -(2_975 + 5_935), coop_payable: -(68_410 - 2_975 - 2_975 - 5_935) },
    ]);
    for (const e of entries) expect(Object.values(e.lines).reduce((a, b) => a + b, 0)).toBe(0);
    expect(await kit.balance('platform_fee_revenue')).toBe(-4_250);
    expect(await kit.balance(`taxes_collected:${w.coopId}`)).toBe(0);
    expect(await kit.balance(`coop_payable:${w.coopId}`)).toBe(0);
  });

  it('shows the whole price, the deposit and the balance on the receipt', async () => {
    const s = await kit.summary(w.client, bookingId);
    expect(s).toMatchObject({ payable: false, breakdown: { serviceCents: 85_000, gstCents: 4_250, qstCents: 8_479, totalCents: 97_729, platformFeeCents: 4_250 } });
    expect(s.installments).toEqual([
      expect.objectContaining({ part: 'deposit', status: 'paid', serviceCents: 25_500, gstCents: 1_275, qstCents: 2_544, totalCents: 29_319, receiptNumber: expect.stringMatching(/^TIS-/) }),
      expect.objectContaining({ part: 'balance', status: 'paid', serviceCents: 59_500, gstCents: 2_975, qstCents: 5_935, totalCents: 68_410, receiptNumber: expect.stringMatching(/^TIS-/) }),
    ]);
    const list = await ok(await kit.get('/bookings?as=client&scope=all', w.client));
    expect(list.items.find((b: { id: string }) => b.id === bookingId).paid).toEqual({ totalCents: 97_729, refundedCents: 0 });
  });

  it('counts the booking’s full value once in the patronage measures', async () => {
    const p = patronageKit(t);
    const coop = await p.join(w.steward, { class: 'producer', coopId: w.coopId, startedOn: firstOfThisMonth() });
    const user = await p.join(w.steward, { class: 'user', userId: w.client.userId, startedOn: firstOfThisMonth() });
    const year = await p.ok('POST', '/steward/fiscal-years', w.steward, {}, 201);
    await t.db.transaction((tx) => freezeMeasures(tx, year.id, new Date(Date.now() - 30 * DAY), new Date(Date.now() + 365 * DAY)));
    const measures = await p.measures(year.id);
    expect(measures[coop.id]).toBe(85_000);
    expect(measures[user.id]).toBe(97_729);
  });
});

describe('a balance the saved card refuses', () => {
  it('asks the client to pay it on-session, and Checkout then takes the balance only', async () => {
    const m = await acceptedMove(80);
    // The deposit paid on the page with a card that asks for 3-D Secure on every payment: off-session, the bank refuses.
    const res = await kit.post(`/bookings/${m.bookingId}/checkout`, w.client);
    const sessionId = new URL(res.json().url).pathname.split('/').pop()!;
    const paid = await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card: '4000 0027 6000 3184' }) });
    expect(paid.ok, await paid.clone().text()).toBe(true);
    await t.stripe.webhooks.idle();
    expect(await kit.state(m.bookingId)).toBe('paid');
    await startBooking(t, m.bookingId, 400);
    await ok(await kit.post(`/bookings/${m.bookingId}/complete`, w.admin, { hours: [] }));
    const s = await kit.summary(w.client, m.bookingId);
    expect(s.installments.map((i: { part: string; status: string }) => [i.part, i.status])).toEqual([['deposit', 'paid'], ['balance', 'failed']]);
    expect(s).toMatchObject({ payable: true, blocker: null });
    const mail = await kit.sql`SELECT payload FROM outbox WHERE payload->>'bookingId' = ${m.bookingId} AND payload->>'message' = 'balance_due'`;
    expect(mail.map((r) => r.payload.recipientId)).toEqual([w.client.userId]);
    await payBooking(t, w.client, m.bookingId);
    const parts = await kit.sql`SELECT part, total_cents FROM payments WHERE booking_id = ${m.bookingId} AND status = 'paid' ORDER BY created_at`;
    expect(parts.map((p) => [p.part, p.total_cents])).toEqual([['deposit', 29_319], ['balance', 68_410]]);
    expect(await kit.state(m.bookingId)).toBe('completed');
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });
});

describe('cancelling a booking paid with a deposit', () => {
  it('applies the policy to the whole price, capped by what was paid: a late cancellation keeping half keeps all the deposit', async () => {
    const m = await acceptedMove(5); // inside the 24 h of free cancellation
    await payBooking(t, w.client, m.bookingId);
    await ok(await kit.post(`/bookings/${m.bookingId}/cancel`, w.client, { reason: 'Déménagement reporté' }));
    expect(await kit.state(m.bookingId)).toBe('cancelled_by_client');
    // 50 % of 850.00 = 425.00 of service kept, more than the 255.00 the deposit paid: all of it is kept, nothing refunded.
    expect(await kit.sql`SELECT r.service_cents FROM refunds r WHERE r.booking_id = ${m.bookingId}`).toEqual([]);
    // The balance is not owed any more: the page must not tell her she still has to pay it.
    const payment = (await kit.get(`/bookings/${m.bookingId}/payment`, w.client)).json();
    expect(payment.installments.map((i: { part: string; status: string }) => [i.part, i.status])).toEqual([['deposit', 'paid'], ['balance', 'not_owed']]);
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });
});

describe('a balance left uncharged at completion', () => {
  it('is charged by the job, once', async () => {
    const m = await acceptedMove(130);
    await payBooking(t, w.client, m.bookingId);
    // Completed while Stripe did not answer: the booking is completed and its balance not charged.
    await startBooking(t, m.bookingId, 800);
    await kit.sql`UPDATE bookings SET state = 'completed' WHERE id = ${m.bookingId}`;
    const log = { warn() {}, error() {} };
    const deps = { db: t.db, gateway: t.app.payments, webOrigin: t.config.webOrigin, log };
    const cards = createSavedCards({ ...deps, checkout: createCheckoutService(deps) });
    expect(await cards.chargeDueBalances()).toEqual({ charged: 1, refused: 0 });
    expect(await cards.chargeDueBalances()).toEqual({ charged: 0, refused: 0 });
    const parts = await kit.sql`SELECT part, total_cents FROM payments WHERE booking_id = ${m.bookingId} AND status = 'paid' ORDER BY created_at`;
    expect(parts.map((p) => [p.part, p.total_cents])).toEqual([['deposit', 29_319], ['balance', 68_410]]);
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });
});
