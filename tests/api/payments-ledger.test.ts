import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { payBooking } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { postEntry } from '../../server/src/modules/ledger/post.js';
import { ACCOUNTS } from '../../server/src/modules/ledger/accounts.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
const early = slots(72);
const late = slots(3);
const booked: Record<'kept' | 'late' | 'refunded', string> = { kept: '', late: '', refunded: '' };

async function paidBooking(startsAt: string) {
  const b = await kit.book(w.client, w.listingId, startsAt);
  await kit.accept(w.admin, b.id);
  await payBooking(t, w.client, b.id);
  return b.id;
}

/**
 * Three payments of 155.22 $ (see payments-checkout and payments-refunds for the hand-checked
 * numbers): one kept, one cancelled late by the client (77.61 $ back), one cancelled early (all back).
 */
beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
  booked.kept = await paidBooking(early());
  booked.late = await paidBooking(late());
  booked.refunded = await paidBooking(early());
  expect((await kit.post(`/bookings/${booked.late}/cancel`, w.client)).statusCode).toBe(200);
  expect((await kit.post(`/bookings/${booked.refunded}/cancel`, w.client)).statusCode).toBe(200);
  await kit.chargeDetailsRecorded();
});
afterAll(() => t.close());

describe('the ledger check', () => {
  it('is for stewards only, and passes after payments and refunds', async () => {
    expect((await kit.get('/steward/ledger/check', null)).statusCode).toBe(401);
    expect((await kit.get('/steward/ledger/check', w.admin)).statusCode).toBe(403);
    expect((await kit.get('/steward/ledger/check', w.client)).statusCode).toBe(403);
    const check = await kit.ledgerOk(w.steward);
    // 3 × (payment, transfer, processor fee) + 2 × (refund, transfer reversal)
    expect(check).toMatchObject({ entries: 13, lines: 3 * (4 + 3 + 2) + 2 * (4 + 3) });
  });

  it('balances the accounts as hand-computed', async () => {
    // Fees: 675 + 338 (the late half's) + 0; Stripe's fees: 3 × 4.80 $ (not refunded by Stripe).
    expect(await kit.balance('platform_fee_revenue')).toBe(-(675 + 338));
    expect(await kit.balance('processor_fees')).toBe(3 * 480);
    expect(await kit.balance(`coop_payable:${w.coopId}`)).toBe(0);
    expect(await kit.balance(`taxes_collected:${w.coopId}`)).toBe(0);
    // What stays on the platform's Stripe balance: its fee revenue, less Stripe's fees.
    expect(await kit.balance('client_payments')).toBe(675 + 338 - 3 * 480);
  });

  it('notices a payment whose refunded total disagrees with its refunds', async () => {
    await kit.sql`UPDATE payments SET refunded_cents = refunded_cents - 1 WHERE booking_id = ${booked.late}`;
    try {
      const res = await kit.get('/steward/ledger/check', w.steward);
      expect(res.json().ok).toBe(false);
      const failed = res.json().checks.filter((c: { ok: boolean }) => !c.ok);
      expect(failed).toEqual([{ name: 'Each payment’s refunded total matches its refunds', ok: false, problems: [expect.stringContaining('says 7760 refunded, its refunds add up to 7761')] }]);
    } finally {
      await kit.sql`UPDATE payments SET refunded_cents = refunded_cents + 1 WHERE booking_id = ${booked.late}`;
    }
    await kit.ledgerOk(w.steward);
  });
});

describe('the database guards the ledger', () => {
  async function accounts() {
    const rows = await kit.sql`SELECT id, code FROM ledger_accounts WHERE code IN ('client_payments', 'platform_fee_revenue')`;
    return Object.fromEntries(rows.map((r) => [r.code, r.id])) as Record<string, number>;
  }

  it('refuses, at commit, an entry whose lines do not sum to zero', async () => {
    const a = await accounts();
    const before = (await kit.sql`SELECT count(*)::int AS n FROM journal_entries`)[0]!.n;
    await expect(
      kit.sql.begin(async (tx) => {
        const [e] = await tx`INSERT INTO journal_entries (kind, source, memo) VALUES ('test', 'test:unbalanced', 'off by one') RETURNING id`;
        await tx`INSERT INTO journal_lines (entry_id, account_id, amount_cents) VALUES (${e!.id}, ${a.client_payments!}, 100), (${e!.id}, ${a.platform_fee_revenue!}, -99)`;
        // Accepted so far: the trigger is deferred to the commit, when all the lines are in.
        const [{ n }] = (await tx`SELECT count(*)::int AS n FROM journal_lines WHERE entry_id = ${e!.id}`) as unknown as [{ n: number }];
        expect(n).toBe(2);
      }),
    ).rejects.toThrow(/does not balance \(off by 1 cents\)/);
    expect((await kit.sql`SELECT count(*)::int AS n FROM journal_entries`)[0]!.n).toBe(before);
    expect(await kit.sql`SELECT id FROM journal_entries WHERE source = 'test:unbalanced'`).toHaveLength(0);
  });

  it('accepts lines that balance only once the transaction’s last statement is in', async () => {
    const a = await accounts();
    await kit.sql.begin(async (tx) => {
      const [e] = await tx`INSERT INTO journal_entries (kind, source, memo) VALUES ('test', 'test:balanced', 'two statements') RETURNING id`;
      await tx`INSERT INTO journal_lines (entry_id, account_id, amount_cents) VALUES (${e!.id}, ${a.client_payments!}, 1)`;
      await tx`INSERT INTO journal_lines (entry_id, account_id, amount_cents) VALUES (${e!.id}, ${a.client_payments!}, -1)`;
    });
    expect(await kit.sql`SELECT id FROM journal_entries WHERE source = 'test:balanced'`).toHaveLength(1);
  });

  it('refuses to change or remove journal lines and entries', async () => {
    const [line] = await kit.sql`SELECT l.id, l.entry_id FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.booking_id = ${booked.kept} LIMIT 1`;
    await expect(kit.sql`UPDATE journal_lines SET amount_cents = amount_cents + 1 WHERE id = ${line!.id}`).rejects.toThrow(/append-only/);
    await expect(kit.sql`DELETE FROM journal_lines WHERE id = ${line!.id}`).rejects.toThrow(/append-only/);
    await expect(kit.sql`UPDATE journal_entries SET memo = 'edited' WHERE id = ${line!.entry_id}`).rejects.toThrow(/append-only/);
    await expect(kit.sql`DELETE FROM journal_entries WHERE id = ${line!.entry_id}`).rejects.toThrow(/append-only/);
    await kit.ledgerOk(w.steward);
  });

  it('books the same cause once: a second entry with the same source is ignored', async () => {
    const lines = [{ account: ACCOUNTS.bank, amount: 500 }, { account: ACCOUNTS.otherIncome, amount: -500 }];
    expect(await t.db.transaction((tx) => postEntry(tx, { kind: 'test', source: 'test:once', lines }))).toBe(true);
    expect(await t.db.transaction((tx) => postEntry(tx, { kind: 'test', source: 'test:once', lines }))).toBe(false);
    await expect(t.db.transaction((tx) => postEntry(tx, { kind: 'test', source: 'test:off', lines: [{ account: ACCOUNTS.bank, amount: 1 }] }))).rejects.toThrow(/does not balance/);
    expect(await kit.balance('bank')).toBe(500);
  });
});

describe('earnings of a co-op', () => {
  it('shows each payment with its fee, taxes, refunds and what reached the co-op, to the cent', async () => {
    expect((await kit.get(`/coops/${w.coopId}/earnings`, w.client)).statusCode).toBe(403);
    expect((await kit.get(`/coops/${w.coopId}/earnings`, null)).statusCode).toBe(401);
    const res = await kit.get(`/coops/${w.coopId}/earnings`, w.admin);
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json();
    const byId = Object.fromEntries(e.bookings.map((b: { bookingId: string }) => [b.bookingId, b]));
    expect(byId[booked.kept]).toMatchObject({ grossCents: 15_522, feeCents: 675, taxesCents: 2_022, refundedCents: 0, netCents: 14_847, payout: 'transferred' });
    expect(byId[booked.late]).toMatchObject({ grossCents: 15_522, feeCents: 338, taxesCents: 1_011, refundedCents: 7_761, netCents: 7_423, payout: 'partially_reversed' });
    expect(byId[booked.refunded]).toMatchObject({ grossCents: 15_522, feeCents: 0, taxesCents: 0, refundedCents: 15_522, netCents: 0, payout: 'reversed' });
    const totals = { grossCents: 46_566, feeCents: 1_013, taxesCents: 3_033, refundedCents: 23_283, netCents: 22_270 };
    expect(e.totals).toEqual(totals);
    // gross − refunded − fee = net
    expect(totals.grossCents - totals.refundedCents - totals.feeCents).toBe(totals.netCents);
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto', year: 'numeric', month: '2-digit' }).format(new Date());
    expect(e.months).toEqual([{ month, ...totals }]);
    // A year with nothing in it.
    expect((await kit.get(`/coops/${w.coopId}/earnings?year=2021`, w.admin)).json()).toMatchObject({ year: 2021, bookings: [], totals: { grossCents: 0 } });
  });
});

describe('reconciliation with Stripe', () => {
  it('is for stewards only', async () => {
    expect((await kit.get('/steward/reconciliation', null)).statusCode).toBe(401);
    expect((await kit.get('/steward/reconciliation', w.admin)).statusCode).toBe(403);
  });

  it('finds no mismatch after the flows, then lists a refund done by hand in the Stripe dashboard', async () => {
    const clean = await kit.get('/steward/reconciliation', w.steward);
    expect(clean.statusCode, clean.body).toBe(200);
    expect(clean.json()).toMatchObject({ matched: 3, mismatches: [] });

    const p = (await kit.payment(booked.kept))!;
    // Someone refunds 10.00 $ in the dashboard, outside Tissu.
    await kit.stripeApi('POST', '/refunds', { payment_intent: p.payment_intent_id, amount: '1000', reason: 'requested_by_customer' });
    await t.stripe.webhooks.idle(); // charge.refunded arrives and is only recorded

    const res = await kit.get('/steward/reconciliation', w.steward);
    expect(res.json().matched).toBe(2);
    expect(res.json().mismatches).toEqual([
      { paymentIntentId: p.payment_intent_id, bookingId: booked.kept, problem: 'Refunded amounts differ', tissuCents: 0, stripeCents: 1_000 },
    ]);
    expect(await kit.state(booked.kept)).toBe('paid');
  });
});
