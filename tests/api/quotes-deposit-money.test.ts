/**
 * The money of a booking paid in two parts (an accepted quote with a deposit): refunds over both
 * parts, one rule for late cancellation and no-show, the taxes frozen at acceptance, each part's
 * own taxes.
 *
 * Hand-checked numbers (GST 5 %, QST 9.975 %, fee 5 %, each rounded half up), 850.00 $ of service:
 *   whole: GST 42.50, QST 84.7875 → 84.79, total 977.29, fee 42.50.
 *   30 % deposit, taxed as its own purchase of 255.00: GST 12.75, QST 25.43625 → 25.44, total 293.19, fee 12.75.
 *   balance = whole − deposit: 595.00 + 29.75 + 59.35 = 684.10, fee 29.75.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { hourFromNow, payBooking, setSchedule, startBooking } from '../support/fixtures.js';
import { paymentsWorld, type PaymentsKit } from '../support/payments.js';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
let moveListing: string;
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
let nextHours = 3;

async function ok(res: { statusCode: number; body: string; json(): any }, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

/** A move of 4 h × 150.00 $ + a piano 250.00 $ = 850.00 $ offered with a deposit and accepted, `hoursAhead` from now. */
async function acceptedMove(opts: { hoursAhead?: number; depositPercent?: number; policy?: Record<string, number> } = {}) {
  await setSchedule(t, w.admin, moveListing, { freeCancellationHours: 24, lateCancellationPercent: 50, noShowPercent: 100, ...opts.policy });
  await ok(await kit.patch(`/listings/${moveListing}`, w.admin, { depositPercent: opts.depositPercent ?? 30 }));
  const q = await ok(await kit.post('/quotes', w.client, {
    listingId: moveListing, description: 'Déménagement d’un 4 ½ au 3e étage, avec un piano droit.', address: '4521 rue Fabre, Montréal',
    preferredDates: [{ from: inDays(3).slice(0, 10) }],
  }), 201);
  const startsAt = hourFromNow(opts.hoursAhead ?? (nextHours += 7));
  await ok(await kit.post(`/quotes/${q.id}/offers`, w.admin, {
    lines: [{ label: 'Camion et 3 déménageurs (heures)', quantity: 4, unitPriceCents: 15_000 }, { label: 'Piano droit', unitPriceCents: 25_000 }],
    validUntil: inDays(7), durationMinutes: 240, proposedTimes: [startsAt],
  }), 201);
  const accepted = await ok(await kit.post(`/quotes/${q.id}/accept`, w.client, { offerVersion: 1, startsAt }));
  return accepted.bookingId as string;
}

/** Deposit paid, work completed, balance charged to the saved card. */
async function paidInFull(bookingId: string, startedMinutesAgo: number) {
  await payBooking(t, w.client, bookingId);
  await startBooking(t, bookingId, startedMinutesAgo);
  await ok(await kit.post(`/bookings/${bookingId}/complete`, w.admin, { hours: [] }));
  const parts = await kit.sql`SELECT part, total_cents FROM payments WHERE booking_id = ${bookingId} AND status = 'paid' ORDER BY created_at`;
  expect(parts.map((p) => [p.part, p.total_cents])).toEqual([['deposit', 29_319], ['balance', 68_410]]);
}

const refundsOf = (bookingId: string) => kit.sql`
  SELECT p.part, r.kind, r.service_cents, r.gst_cents, r.qst_cents, r.total_cents, r.platform_fee_cents, r.stripe_refund_id
  FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.booking_id = ${bookingId} ORDER BY r.created_at, p.created_at DESC`;

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

describe('a steward refund after the balance was charged', () => {
  it('refunds over both parts, the balance first, each part its own refund at Stripe and in the ledger', async () => {
    const id = await acceptedMove();
    await paidInFull(id, 300);
    const before = await kit.summary(w.steward, id);
    expect(before).toMatchObject({ status: 'paid', refundedCents: 0, refundableServiceCents: 85_000 });

    // 700.00 $ of service: all of the balance's 595.00, then 105.00 of the deposit's 255.00.
    await ok(await kit.post(`/bookings/${id}/refunds`, w.steward, { serviceCents: 70_000, reason: 'Piano rayé pendant le transport' }), 201);
    const rows = await refundsOf(id);
    expect(rows.map((r) => [r.part, r.kind, r.service_cents, r.gst_cents, r.qst_cents, r.total_cents, r.platform_fee_cents])).toEqual([
      ['balance', 'steward', 59_500, 2_975, 5_935, 68_410, 2_975],
      // The deposit keeps 150.00 of service priced as a purchase of it: GST 7.50, QST 14.9625 → 14.96, fee 7.50.
      ['deposit', 'steward', 10_500, 1_275 - 750, 2_544 - 1_496, 10_500 + 525 + 1_048, 1_275 - 750],
    ]);
    expect(new Set(rows.map((r) => r.stripe_refund_id)).size).toBe(2);
    const after = await kit.summary(w.steward, id);
    expect(after).toMatchObject({ status: 'partially_refunded', refundedCents: 68_410 + 12_073, refundableServiceCents: 15_000 });
    expect(after.refunds.map((r: { part: string; totalCents: number }) => [r.part, r.totalCents])).toEqual([['balance', 68_410], ['deposit', 12_073]]);
    expect(after.installments.map((i: { part: string; status: string }) => [i.part, i.status])).toEqual([['deposit', 'partially_refunded'], ['balance', 'refunded']]);

    // The rest of the service is the most a steward may refund now.
    const tooMuch = await kit.post(`/bookings/${id}/refunds`, w.steward, { serviceCents: 15_001, reason: 'Encore' });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().error.fields.serviceCents[0]).toMatchObject({ code: 'refund_above_left', maximum: 15_000 });
    await ok(await kit.post(`/bookings/${id}/refunds`, w.steward, { serviceCents: 15_000, reason: 'Le reste aussi' }), 201);
    expect(await kit.summary(w.steward, id)).toMatchObject({ status: 'refunded', refundedCents: 97_729, refundableServiceCents: 0 });

    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
    const entries = await kit.entries(id);
    for (const e of entries) expect(Object.values(e.lines).reduce((a, b) => a + b, 0)).toBe(0);
    const refunded = entries.filter((e) => e.kind === 'refund').reduce((s, e) => s - (e.lines.client_payments ?? 0), 0);
    expect(refunded).toBe(97_729);
    expect(entries.filter((e) => e.kind === 'transfer_reversal')).toHaveLength(3);
  });
});

describe('one rule for a late cancellation and a no-show on a deposit booking', () => {
  it('a late cancellation keeping 60 % of 850.00 $ keeps all of the 255.00 $ the deposit paid, and the balance is not owed', async () => {
    const id = await acceptedMove({ hoursAhead: 5, policy: { lateCancellationPercent: 60 } });
    await payBooking(t, w.client, id);
    const preview = await kit.summary(w.client, id);
    expect(preview.cancelNow).toEqual({ paidCents: 29_319, refundCents: 0, kept: { serviceCents: 25_500, gstCents: 1_275, qstCents: 2_544, totalCents: 29_319 } });
    await ok(await kit.post(`/bookings/${id}/cancel`, w.client, { reason: 'Déménagement reporté' }));
    expect(await refundsOf(id)).toEqual([]);
    const s = await kit.summary(w.client, id);
    expect(s.installments.map((i: { part: string; status: string }) => [i.part, i.status])).toEqual([['deposit', 'paid'], ['balance', 'not_owed']]);
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });

  it('a late cancellation keeping 20 % of 850.00 $ keeps 170.00 $ of service and refunds the rest of the deposit with its taxes', async () => {
    const id = await acceptedMove({ hoursAhead: 5, policy: { lateCancellationPercent: 20 } });
    await payBooking(t, w.client, id);
    // Kept: 170.00 priced as a purchase: GST 8.50, QST 16.9575 → 16.96, total 195.46; refunded: 293.19 − 195.46 = 97.73.
    const kept = { serviceCents: 17_000, gstCents: 850, qstCents: 1_696, totalCents: 19_546 };
    expect((await kit.summary(w.client, id)).cancelNow).toEqual({ paidCents: 29_319, refundCents: 9_773, kept });
    await ok(await kit.post(`/bookings/${id}/cancel`, w.client, { reason: 'Déménagement reporté' }));
    expect((await refundsOf(id)).map((r) => [r.part, r.kind, r.service_cents, r.gst_cents, r.qst_cents, r.total_cents, r.platform_fee_cents]))
      .toEqual([['deposit', 'client_cancellation', 8_500, 425, 848, 9_773, 425]]);
    const s = await kit.summary(w.client, id);
    expect(s).toMatchObject({ status: 'partially_refunded', refundedCents: 9_773 });
    expect(s.installments.map((i: { part: string; status: string }) => [i.part, i.status])).toEqual([['deposit', 'partially_refunded'], ['balance', 'not_owed']]);
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
    const refund = (await kit.entries(id)).find((e) => e.kind === 'refund')!;
    expect(refund.lines).toEqual({ client_payments: -9_773, platform_fee_revenue: 425, taxes_collected: 425 + 848, coop_payable: 9_773 - 425 - 425 - 848 });
  });

  it('a no-show keeping 20 % of 850.00 $ keeps the same 170.00 $ of service, to the cent', async () => {
    const id = await acceptedMove({ policy: { noShowPercent: 20 } });
    await payBooking(t, w.client, id);
    await startBooking(t, id, 600);
    await ok(await kit.post(`/bookings/${id}/no-show`, w.admin, { reason: 'Personne au rendez-vous' }));
    expect((await refundsOf(id)).map((r) => [r.part, r.kind, r.service_cents, r.gst_cents, r.qst_cents, r.total_cents, r.platform_fee_cents]))
      .toEqual([['deposit', 'no_show', 8_500, 425, 848, 9_773, 425]]);
    const s = await kit.summary(w.client, id);
    expect(s.installments.map((i: { part: string; status: string }) => [i.part, i.status])).toEqual([['deposit', 'partially_refunded'], ['balance', 'not_owed']]);
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });
});

describe('the taxes of an accepted offer', () => {
  it('are the ones the offer showed, even when the co-op’s registration changes before the deposit and the balance', async () => {
    const id = await acceptedMove();
    const [snap] = await kit.sql`SELECT gst_registered, qst_registered FROM bookings WHERE id = ${id}`;
    expect(snap).toEqual({ gst_registered: true, qst_registered: true });
    // Deregistered after the acceptance: the offer was taxed, so she pays the taxed amounts it showed.
    await kit.setTaxes(w.admin, w.coopId, false);
    try {
      const before = await kit.summary(w.client, id);
      expect(before.breakdown).toMatchObject({ serviceCents: 85_000, gstCents: 4_250, qstCents: 8_479, totalCents: 97_729 });
      expect(before.installments.map((i: { totalCents: number }) => i.totalCents)).toEqual([29_319, 68_410]);
      await paidInFull(id, 900);
      const paid = await kit.sql`SELECT part, service_cents, gst_cents, qst_cents FROM payments WHERE booking_id = ${id} AND status = 'paid' ORDER BY created_at`;
      expect(paid.map((p) => [p.part, p.service_cents, p.gst_cents, p.qst_cents])).toEqual([['deposit', 25_500, 1_275, 2_544], ['balance', 59_500, 2_975, 5_935]]);
      // An ordinary booking is still taxed by the registration in force when paid: none now.
      const b = await kit.book(w.client, w.listingId, hourFromNow(200));
      await kit.accept(w.admin, b.id);
      expect((await kit.summary(w.client, b.id)).breakdown).toMatchObject({ serviceCents: 13_500, gstCents: 0, qstCents: 0, totalCents: 13_500 });
    } finally {
      await kit.setTaxes(w.admin, w.coopId, true);
    }
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });
});

describe('the emails and the receipt of a booking paid in two parts', () => {
  it('say "Acompte reçu" for the deposit and "Solde reçu" for the balance, each part with its taxes, once each', async () => {
    const webOrigin = 'https://tissu.example';
    await kit.sql`UPDATE users SET locale = 'en' WHERE id = ${w.admin.userId}`;
    await kit.sql`UPDATE users SET locale = 'fr' WHERE id = ${w.client.userId}`;
    const id = await acceptedMove();
    await paidInFull(id, 1_200);
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const mails = (await t.mailer.list()).filter((m) => m.text.includes(id)).map((m) => ({ ...m, text: m.text.replace(/[\u00a0\u202f]/g, ' ') }));
    const toClient = mails.filter((m) => m.to === w.client.email);
    const confirmed = toClient.filter((m) => m.subject === 'Réservation confirmée : Déménagement');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]!.text).toContain('Acompte reçu : ');
    expect(confirmed[0]!.text).toContain('Le solde sera prélevé sur la même carte à la fin du travail.');
    expect(confirmed[0]!.text).toContain('Acompte payé : 293,19 $ (service 255,00 $ + TPS 12,75 $ + TVQ 25,44 $)');
    const balance = toClient.filter((m) => m.subject === 'Solde reçu : Déménagement');
    expect(balance).toHaveLength(1);
    expect(balance[0]!.text).toContain(`Nous avons reçu le solde de Déménagement du `);
    expect(balance[0]!.text).toContain(`l’acompte et le solde sont payés. Merci ! Votre reçu, avec les deux paiements : ${webOrigin}/bookings/${id}/receipt`);
    expect(balance[0]!.text).toContain('Acompte payé : 293,19 $ (service 255,00 $ + TPS 12,75 $ + TVQ 25,44 $)');
    expect(balance[0]!.text).toContain('Solde payé : 684,10 $ (service 595,00 $ + TPS 29,75 $ + TVQ 59,35 $)');
    const toCoop = mails.filter((m) => m.to === w.admin.email && m.subject === 'Deposit paid: Moving');
    expect(toCoop).toHaveLength(1);
    expect(toCoop[0]!.text).toContain('paid the deposit for Moving');
    expect(toCoop[0]!.text).toContain('Deposit paid: $293.19 (service $255.00 + GST $12.75 + QST $25.44)');
    // Sent once: another dispatch sends nothing more about it.
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    expect((await t.mailer.list()).filter((m) => m.text.includes(id))).toHaveLength(mails.length);
  });

  it('gives the receipt each part paid, its date, receipt number and taxes, and each refund with the part it came from', async () => {
    const id = await acceptedMove();
    await paidInFull(id, 1_500);
    await ok(await kit.post(`/bookings/${id}/refunds`, w.steward, { serviceCents: 60_000, reason: 'Retard de deux heures' }), 201);
    const s = await kit.summary(w.client, id);
    expect(s.lines).toEqual([
      { label: 'Camion et 3 déménageurs (heures)', quantity: 4, unitPriceCents: 15_000, amountCents: 60_000 },
      { label: 'Piano droit', quantity: null, unitPriceCents: 25_000, amountCents: 25_000 },
    ]);
    expect(s.installments.map((i: Record<string, unknown>) => [i.part, i.status, i.totalCents, i.refundedCents, typeof i.paidAt, typeof i.receiptNumber])).toEqual([
      // 5.00 of the deposit's service: it keeps 250.00 priced as a purchase (GST 12.50, QST 24.9375 → 24.94), 287.44; 5.75 back.
      ['deposit', 'partially_refunded', 29_319, 575, 'string', 'string'],
      ['balance', 'refunded', 68_410, 68_410, 'string', 'string'],
    ]);
    expect(s.refunds.map((r: { part: string; serviceCents: number }) => [r.part, r.serviceCents])).toEqual([['balance', 59_500], ['deposit', 500]]);
  });
});
