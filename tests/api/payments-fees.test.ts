import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp } from '../support/test-app.js';
import { payBooking } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';

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

const FOUNDING = { rateBps: 500, effectiveFrom: '2026-01-01T05:00:00.000Z', reason: 'Founding rate adopted by the members' };

describe('the platform fee over time', () => {
  it('is public', async () => {
    const res = await kit.get('/platform/fee', null);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ current: FOUNDING, upcoming: [], history: [FOUNDING] });
  });

  it('is changed by stewards only, from a date that has not passed, within 0–30 %', async () => {
    const body = { rateBps: 400, effectiveFrom: new Date(Date.now() + 7 * 86_400_000).toISOString(), reason: 'Vote de l’assemblée de juin' };
    expect((await kit.post('/platform/fee-rates', null, body)).statusCode).toBe(401);
    expect((await kit.post('/platform/fee-rates', w.admin, body)).statusCode).toBe(403);
    expect((await kit.post('/platform/fee-rates', w.client, body)).statusCode).toBe(403);
    const past = await kit.post('/platform/fee-rates', w.steward, { ...body, effectiveFrom: new Date(Date.now() - 86_400_000).toISOString() });
    expect(past.statusCode).toBe(400);
    expect(errorOf(past).fields).toHaveProperty('effectiveFrom');
    const tooHigh = await kit.post('/platform/fee-rates', w.steward, { ...body, rateBps: 3_001 });
    expect(tooHigh.statusCode).toBe(400);
    expect(errorOf(tooHigh).fields).toHaveProperty('rateBps');
    expect((await kit.sql`SELECT id FROM platform_fee_rates`)).toHaveLength(1);
  });

  it('one rate per start instant: twenty stewards\' clicks at once give one rate, the others a 409 on effectiveFrom', async () => {
    const body = { rateBps: 600, effectiveFrom: '2027-06-01T00:00:00Z', reason: 'dup' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => kit.post('/platform/fee-rates', w.steward, body)));
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of answers.filter((r) => r.statusCode !== 201)) {
      expect(r.statusCode, r.body).toBe(409);
      expect(errorOf(r).code).toBe('fee_rate_exists');
      expect(errorOf(r).fields?.effectiveFrom?.map((e) => e.code)).toEqual(['fee_rate_exists']);
    }
    // The same instant written another way is the same start.
    const again = await kit.post('/platform/fee-rates', w.steward, { ...body, rateBps: 700, effectiveFrom: '2027-06-01T00:00:00.000Z' });
    expect(again.statusCode).toBe(409);
    expect((await kit.sql`SELECT rate_bps FROM platform_fee_rates WHERE effective_from = '2027-06-01T00:00:00Z'`)).toEqual([{ rate_bps: 600 }]);
    await kit.sql`DELETE FROM platform_fee_rates WHERE effective_from = '2027-06-01T00:00:00Z'`;
  });

  it('bookings made before a new rate keep theirs; bookings made after use the new one', async () => {
    const effectiveFrom = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const set = await kit.post('/platform/fee-rates', w.steward, { rateBps: 400, effectiveFrom, reason: 'Vote de l’assemblée de juin' });
    expect(set.statusCode, set.body).toBe(201);
    expect(set.json()).toMatchObject({ current: FOUNDING, upcoming: [{ rateBps: 400, effectiveFrom, reason: 'Vote de l’assemblée de juin' }] });
    expect((await kit.get('/platform/fee', null)).json().upcoming).toHaveLength(1);

    const before = await kit.book(w.client, w.listingId, next());

    // A week passes: the new rate's date arrives.
    await kit.sql`UPDATE platform_fee_rates SET effective_from = now() - interval '1 second' WHERE rate_bps = 400`;
    const now = (await kit.get('/platform/fee', null)).json();
    expect(now.current).toMatchObject({ rateBps: 400 });
    expect(now.upcoming).toEqual([]);
    expect(now.history.map((r: { rateBps: number }) => r.rateBps)).toEqual([400, 500]);

    const after = await kit.book(w.client, w.listingId, next());
    const rates = await kit.sql`SELECT id, fee_rate_bps FROM bookings WHERE id IN ${kit.sql([before.id, after.id])}`;
    expect(Object.fromEntries(rates.map((r) => [r.id, r.fee_rate_bps]))).toEqual({ [before.id]: 500, [after.id]: 400 });

    // Both accepted and paid after the change: each pays the rate of the day it was made.
    for (const b of [before, after]) {
      await kit.accept(w.admin, b.id);
      await payBooking(t, w.client, b.id);
    }
    // 135.00 $ + GST + QST = 155.22 $; fee 5 % = 6.75 $ before, 4 % = 5.40 $ after.
    expect((await kit.summary(w.client, before.id)).breakdown).toMatchObject({ feeRateBps: 500, platformFeeCents: 675, coopCents: 14_847 });
    expect((await kit.summary(w.client, after.id)).breakdown).toMatchObject({ feeRateBps: 400, platformFeeCents: 540, coopCents: 14_982 });
    expect(await kit.payment(before.id)).toMatchObject({ fee_rate_bps: 500, platform_fee_cents: 675 });
    expect(await kit.payment(after.id)).toMatchObject({ fee_rate_bps: 400, platform_fee_cents: 540 });

    // Stripe took those fees too.
    const fees = await Promise.all([before.id, after.id].map(async (id) => {
      const p = (await kit.payment(id))!;
      return kit.stripeObject<{ application_fee_amount: number }>(p.payment_intent_id).application_fee_amount;
    }));
    expect(fees).toEqual([675, 540]);
    await kit.chargeDetailsRecorded();
    expect(await kit.balance('platform_fee_revenue')).toBe(-(675 + 540));
    await kit.ledgerOk(w.steward);
  });
});

/** The web's words, as the pages print them. */
const messages = async (lang: 'fr' | 'en') =>
  JSON.parse(await readFile(new URL(`../../web/messages/${lang}.json`, import.meta.url), 'utf8')) as Record<string, string>;

describe("who pays Stripe's fee", () => {
  it('the platform, out of its fee: the co-op gets price − platform fee + taxes to the cent, and the pages say so', async () => {
    const b = await kit.book(w.client, w.listingId, next());
    await kit.accept(w.admin, b.id);
    await payBooking(t, w.client, b.id);
    await kit.chargeDetailsRecorded();
    const p = (await kit.payment(b.id))!;
    const taxes = p.gst_cents + p.qst_cents;
    const coopGets = p.service_cents - p.platform_fee_cents + taxes;
    expect(p.processor_fee_cents).toBeGreaterThan(0);

    // What Stripe moved to the co-op's account: the destination charge's transfer.
    expect(kit.stripeObject<{ amount: number }>(p.transfer_id).amount).toBe(coopGets);
    // What the ledger paid out to the co-op (its share and its taxes), and the fee booked as the platform's expense.
    const entries = await kit.entries(b.id);
    const transfer = entries.find((e) => e.kind === 'transfer')!;
    expect(transfer.lines.coop_payable! + transfer.lines.taxes_collected!).toBe(coopGets);
    const fee = entries.find((e) => e.kind === 'processor_fee')!;
    expect(fee.lines).toEqual({ processor_fees: p.processor_fee_cents, client_payments: -p.processor_fee_cents });
    expect(entries.flatMap((e) => (e.kind === 'processor_fee' ? Object.keys(e.lines) : [])).some((a) => a.startsWith('coop'))).toBe(false);

    // The fees page, the co-op's earnings page and the transparency page tell that same story.
    const fr = await messages('fr');
    const en = await messages('en');
    expect(fr.public_fees_example_note).toContain('Les frais de Stripe, qui traite les paiements par carte, sont payés par Tissu');
    expect(fr.public_fees_example_note).toContain('la coopérative reçoit le prix moins les frais Tissu, plus les taxes, sans autre retenue');
    expect(fr.earnings_explain).toContain('Les frais de Stripe sont payés par Tissu');
    expect(fr.transparency_processor_fees).toContain('payés par Tissu');
    expect(en.public_fees_example_note).toContain("Stripe's fees for processing card payments are paid by Tissu");
    expect(en.earnings_explain).toContain("Stripe's fees are paid by Tissu");
    expect(en.transparency_processor_fees).toContain('paid by Tissu');
    for (const text of [...Object.values(fr), ...Object.values(en)].filter((v) => typeof v === 'string')) {
      expect(text).not.toMatch(/sur la part de la coopérative|from the co-op's share|Stripe sont en plus|apply on top/);
    }
    await kit.ledgerOk(w.steward);
  });
});
