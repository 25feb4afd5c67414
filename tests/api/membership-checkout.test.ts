import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop } from '../support/fixtures.js';
import { patronageKit, torontoDate, type PatronageKit } from '../support/patronage.js';
import { sign } from '../../scripts/stripe-emulator/index.js';

/*
 * Joining the platform co-op by paying the qualifying share through Stripe Checkout (the emulator).
 * Default shares: producer 100.00 $, worker 20.00 $, user 10.00 $.
 */
let t: TestApp;
let kit: PatronageKit;
let steward: SignedIn, admin: SignedIn, worker: SignedIn, client: SignedIn, outsider: SignedIn, otherAdmin: SignedIn;
let coopId: string;

beforeAll(async () => {
  t = await createTestApp();
  kit = patronageKit(t);
  [steward, admin, worker, client, outsider, otherAdmin] = (await Promise.all([1, 2, 3, 4, 5, 6].map(() => signUp(t.app, { name: 'Membre Test' })))) as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Éclat')).id;
  await approvedCoop(t, steward, otherAdmin, 'Autre Coop');
  await kit.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${worker.userId}, 'worker')`;
});
afterEach(async () => {
  t.stripe.webhooks.release();
  await t.stripe.webhooks.idle();
});
afterAll(() => t.close());

const sessionOf = (url: string) => new URL(url).pathname.split('/').pop()!;

/** POST /membership/checkout, then pays (or not) at the emulator and waits for the webhooks. */
async function join(who: SignedIn, body: { class: string; coopId?: string }, outcome: 'pay' | 'none' = 'pay') {
  const res = await kit.post('/membership/checkout', who, body);
  expect(res.statusCode, res.body).toBe(200);
  const sessionId = sessionOf(res.json().url);
  if (outcome === 'pay') {
    const paid = await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' });
    expect(paid.status).toBe(200);
    await t.stripe.webhooks.idle();
  }
  return { ...(res.json() as { url: string; shareCents: number; memberClass: string }), sessionId };
}

const membershipsOf = async (holder: { userId?: string; coopId?: string }) =>
  holder.coopId
    ? kit.sql`SELECT id, member_class, share_cents, paid_by, started_on, ended_on FROM memberships WHERE coop_id = ${holder.coopId}`
    : kit.sql`SELECT id, member_class, share_cents, paid_by, started_on, ended_on FROM memberships WHERE user_id = ${holder.userId!}`;

async function ledgerOk() {
  const check = await kit.ok('GET', '/steward/ledger/check', steward);
  expect(check.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
}

describe('joining by paying the qualifying share online', () => {
  it('tells a person what each class’s share costs before they pay', async () => {
    const mine = await kit.ok('GET', '/membership', outsider);
    expect(mine).toEqual({ memberships: [], qualifyingShareCents: { producer: 10_000, worker: 2_000, user: 1_000, supporting: 1_000 } });
  });

  it('a co-op admin pays the producer share: the co-op is a member with 100.00 $ of capital, booked once', async () => {
    const { shareCents, memberClass, sessionId } = await join(admin, { class: 'producer', coopId });
    expect([memberClass, shareCents]).toEqual(['producer', 10_000]);

    // Stripe charged the platform itself: no connected account, no application fee, no tax line.
    const session = t.stripe.state.get(sessionId) as unknown as { payment_intent: string; amount_total: number; metadata: Record<string, string> };
    expect(session.amount_total).toBe(10_000);
    const pi = t.stripe.state.get(session.payment_intent) as unknown as { amount: number; application_fee_amount: number | null; transfer_data: unknown; status: string };
    expect(pi).toMatchObject({ amount: 10_000, application_fee_amount: null, transfer_data: null, status: 'succeeded' });

    const [m] = await membershipsOf({ coopId });
    expect(m).toMatchObject({ member_class: 'producer', share_cents: 10_000, paid_by: 'stripe', started_on: torontoDate(new Date()), ended_on: null });
    expect(await kit.balance(`member_capital:${m!.id}`)).toBe(-10_000);
    const entries = await kit.sql`
      SELECT e.kind, a.code, l.amount_cents::int AS amount FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
      JOIN ledger_accounts a ON a.id = l.account_id WHERE e.source = ${`membership:${m!.id}:share`} ORDER BY l.amount_cents DESC`;
    expect(entries.map((r) => [r.kind, r.code, r.amount])).toEqual([
      ['member_share', 'client_payments', 10_000], ['member_share', `member_capital:${m!.id}`, -10_000],
    ]);
    // The admin sees the co-op's membership and its capital.
    const mine = await kit.ok('GET', '/membership', admin);
    expect(mine.memberships).toMatchObject([{ memberClass: 'producer', capitalCents: 10_000, paidBy: 'stripe', holder: { kind: 'coop', id: coopId } }]);
    await ledgerOk();
  });

  it('a worker of a member co-op and a client join for themselves', async () => {
    expect((await join(worker, { class: 'worker' })).shareCents).toBe(2_000);
    expect((await join(client, { class: 'user' })).shareCents).toBe(1_000);
    const [w] = await membershipsOf({ userId: worker.userId });
    const [c] = await membershipsOf({ userId: client.userId });
    expect(await kit.balance(`member_capital:${w!.id}`)).toBe(-2_000);
    expect(await kit.balance(`member_capital:${c!.id}`)).toBe(-1_000);
    expect((await kit.ok('GET', '/membership', worker)).memberships[0]).toMatchObject({ memberClass: 'worker', capitalCents: 2_000, open: true });
    await ledgerOk();
  });

  it('a second join is refused with 409, before any Checkout is opened', async () => {
    const sessionsBefore = t.stripe.state.checkoutSessions().length;
    const again = await kit.post('/membership/checkout', client, { class: 'user' });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again)).toMatchObject({ code: 'already_member', message: expect.stringContaining('already a member') });
    const asSupporter = await kit.post('/membership/checkout', client, { class: 'supporting' });
    expect(errorOf(asSupporter).code).toBe('already_member');
    const coopAgain = await kit.post('/membership/checkout', admin, { class: 'producer', coopId });
    expect([coopAgain.statusCode, errorOf(coopAgain).message]).toEqual([409, expect.stringContaining('This co-op is already a member')]);
    expect(t.stripe.state.checkoutSessions().length).toBe(sessionsBefore);
  });

  it("books Stripe's fee on each share paid online as the platform's expense, as the emulator charged it", async () => {
    const apps = await kit.sql`SELECT id, payment_intent_id FROM membership_applications WHERE status = 'paid' ORDER BY paid_at`;
    expect(apps.length).toBe(3);
    for (const a of apps) {
      // The fee is read after the webhook's commit.
      await expect.poll(async () => (await kit.sql`SELECT processor_fee_cents FROM membership_applications WHERE id = ${a.id}`)[0]!.processor_fee_cents, { timeout: 10_000 }).not.toBeNull();
      const pi = t.stripe.state.get(a.payment_intent_id) as unknown as { latest_charge: string };
      const charge = t.stripe.state.get(pi.latest_charge) as unknown as { balance_transaction: string };
      const { fee } = t.stripe.state.get(charge.balance_transaction) as unknown as { fee: number };
      expect(fee).toBeGreaterThan(0);
      const lines = await kit.sql`
        SELECT e.kind, a.code, l.amount_cents::int AS amount FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
        JOIN ledger_accounts a ON a.id = l.account_id WHERE e.source = ${`processor_fee:membership_application:${a.id}`} ORDER BY l.amount_cents DESC`;
      expect(lines.map((r) => [r.kind, r.code, r.amount])).toEqual([['processor_fee', 'processor_fees', fee], ['processor_fee', 'client_payments', -fee]]);
    }
    // What the ledger holds from these shares at Stripe = what Stripe's balance got: the shares less its fees.
    const fees = await kit.sql`SELECT coalesce(sum(processor_fee_cents), 0)::int AS f FROM membership_applications`;
    expect(await kit.balance('processor_fees')).toBe(fees[0]!.f);
    expect(await kit.balance('client_payments')).toBe(10_000 + 2_000 + 1_000 - fees[0]!.f);
    await ledgerOk();
  });

  it('the reconciliation with Stripe finds every share paid online recorded in Tissu', async () => {
    const r = await kit.ok('GET', '/steward/reconciliation', steward);
    expect(r.mismatches).toEqual([]);
    expect(r.matched).toBe(3);
  });
});

describe('who may join, and as what', () => {
  it('refuses a worker-member outside a member co-op, field by field', async () => {
    const res = await kit.post('/membership/checkout', outsider, { class: 'worker' });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res)).toMatchObject({ code: 'not_eligible', fields: { class: [expect.objectContaining({ code: 'worker_not_in_member_coop' })] } });
  });

  it('refuses a co-op that is not approved, someone else’s co-op, and malformed bodies', async () => {
    const pending = await t.app.inject({
      method: 'POST', url: '/coops', headers: outsider.auth,
      payload: { legalName: 'Coop en attente', legalForm: 'worker_coop', region: 'verdun', languages: ['fr'], foundedYear: 2020, descriptionFr: 'Une coopérative pas encore approuvée.', descriptionEn: 'A co-op not approved yet.' },
    });
    const notApproved = await kit.post('/membership/checkout', outsider, { class: 'producer', coopId: pending.json().id });
    expect(notApproved.statusCode).toBe(409);
    expect(errorOf(notApproved)).toMatchObject({ code: 'coop_not_approved', fields: { coopId: [expect.objectContaining({ code: 'coop_not_approved' })] } });

    const notTheirs = await kit.post('/membership/checkout', otherAdmin, { class: 'producer', coopId });
    expect(notTheirs.statusCode).toBe(403);
    const noCoop = await kit.post('/membership/checkout', admin, { class: 'producer' });
    expect([noCoop.statusCode, Object.keys(errorOf(noCoop).fields!)]).toEqual([400, ['coopId']]);
    const personWithCoop = await kit.post('/membership/checkout', outsider, { class: 'user', coopId });
    expect(errorOf(personWithCoop).fields).toHaveProperty('coopId');
    const badClass = await kit.post('/membership/checkout', outsider, { class: 'owner' });
    expect([badClass.statusCode, Object.keys(errorOf(badClass).fields!)]).toEqual([400, ['class']]);
    expect((await kit.post('/membership/checkout', null, { class: 'user' })).statusCode).toBe(401);
    expect(await membershipsOf({ userId: outsider.userId })).toHaveLength(0);
  });
});

describe('the webhook', () => {
  it('refuses an unsigned or wrongly signed event with 400 and writes nothing; the real one then creates the membership once', async () => {
    const person = await signUp(t.app);
    t.stripe.webhooks.pause();
    const { sessionId } = await join(person, { class: 'user' }, 'none');
    // Opening Checkout twice gives the same session: one way to pay the share.
    expect(sessionOf((await kit.ok('POST', '/membership/checkout', person, { class: 'user' })).url)).toBe(sessionId);
    await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' });
    const completed = t.stripe.state.events().find((e) => e.type === 'checkout.session.completed' && (e.data.object as { id: string }).id === sessionId)!;
    const body = JSON.stringify(completed);

    const post = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json', ...headers }, payload: body });
    for (const res of [await post({}), await post({ 'stripe-signature': sign(body, 'whsec_someone_else') }), await post({ 'stripe-signature': 't=1,v1=00' })]) {
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).code).toBe('invalid_signature');
    }
    expect(await membershipsOf({ userId: person.userId })).toHaveLength(0);
    expect(await kit.sql`SELECT id FROM stripe_events WHERE id = ${completed.id}`).toHaveLength(0);
    expect(await kit.sql`SELECT status FROM membership_applications WHERE user_id = ${person.userId}`).toEqual([{ status: 'open' }]);

    // Stripe's deliveries, then the same events again, then a signed replay: one membership, one entry.
    t.stripe.webhooks.release();
    await t.stripe.webhooks.idle();
    for (const e of t.stripe.state.events().filter((ev) => (ev.data.object as { id: string }).id === sessionId || (ev.data.object as { metadata?: Record<string, string> }).metadata?.membershipApplicationId)) {
      await fetch(`${t.stripe.url}/_emulator/events/${e.id}/resend`, { method: 'POST' });
    }
    await t.stripe.webhooks.idle();
    const replay = await post({ 'stripe-signature': sign(body, t.config.stripe.webhookSecret) });
    expect(replay.json()).toEqual({ received: true, duplicate: true });

    const rows = await membershipsOf({ userId: person.userId });
    expect(rows).toHaveLength(1);
    const shareEntries = await kit.sql`SELECT count(*)::int AS n FROM journal_entries WHERE source = ${`membership:${rows[0]!.id}:share`}`;
    expect(shareEntries[0]!.n).toBe(1);
    expect(await kit.balance(`member_capital:${rows[0]!.id}`)).toBe(-1_000);
    expect(await kit.sql`SELECT status, membership_id FROM membership_applications WHERE user_id = ${person.userId}`).toEqual([{ status: 'paid', membership_id: rows[0]!.id }]);
    await ledgerOk();
  });

  it('a signed event for a share with another amount or currency settles nothing; the real one then does', async () => {
    const person = await signUp(t.app);
    t.stripe.webhooks.pause();
    const { sessionId } = await join(person, { class: 'user' }, 'none');
    const [application] = await kit.sql`SELECT id, share_cents FROM membership_applications WHERE user_id = ${person.userId}`;
    const forged = (id: string, amount: number, currency: string) => {
      const body = JSON.stringify({
        id, type: 'checkout.session.completed',
        data: { object: { id: sessionId, object: 'checkout.session', payment_status: 'paid', payment_intent: `pi_${id}`, amount_total: amount, currency, metadata: { membershipApplicationId: application!.id } } },
      });
      return t.app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': sign(body, t.config.stripe.webhookSecret) }, payload: body });
    };
    for (const res of [await forged('evt_share_one_cent', 1, 'cad'), await forged('evt_share_usd', application!.share_cents, 'usd')]) {
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await membershipsOf({ userId: person.userId })).toHaveLength(0);
    expect(await kit.sql`SELECT status FROM membership_applications WHERE user_id = ${person.userId}`).toEqual([{ status: 'open' }]);

    await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' });
    t.stripe.webhooks.release();
    await t.stripe.webhooks.idle();
    expect(await membershipsOf({ userId: person.userId })).toHaveLength(1);
    await ledgerOk();
  });

  it('a share paid after a steward recorded the same person is kept as owed back, not a second membership', async () => {
    const person = await signUp(t.app);
    t.stripe.webhooks.pause();
    const { sessionId } = await join(person, { class: 'user' }, 'none');
    await kit.join(steward, { class: 'user', userId: person.userId, startedOn: torontoDate(new Date()) });
    await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' });
    t.stripe.webhooks.release();
    await t.stripe.webhooks.idle();
    expect(await membershipsOf({ userId: person.userId })).toHaveLength(1);
    expect(await kit.sql`SELECT status FROM membership_applications WHERE user_id = ${person.userId}`).toEqual([{ status: 'unapplied' }]);
    expect(await kit.balance('share_payments_to_refund')).toBe(-1_000);
    await ledgerOk();
  });

  it('a worker who left her co-op before her payment arrived is not made a member: the share is held to refund', async () => {
    const leaver = await signUp(t.app);
    await kit.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${leaver.userId}, 'worker')`;
    t.stripe.webhooks.pause();
    const { sessionId } = await join(leaver, { class: 'worker' }, 'none');
    await kit.sql`DELETE FROM coop_members WHERE coop_id = ${coopId} AND user_id = ${leaver.userId}`;
    const owedBefore = await kit.balance('share_payments_to_refund');
    await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST' });
    t.stripe.webhooks.release();
    await t.stripe.webhooks.idle();
    expect(await membershipsOf({ userId: leaver.userId })).toEqual([]);
    expect(await kit.sql`SELECT status FROM membership_applications WHERE user_id = ${leaver.userId}`).toEqual([{ status: 'unapplied' }]);
    expect(await kit.balance('share_payments_to_refund')).toBe(owedBefore - 2_000);
    // Stripe's fee on it is still the platform's expense.
    await expect.poll(async () => (await kit.sql`SELECT processor_fee_cents FROM membership_applications WHERE user_id = ${leaver.userId}`)[0]!.processor_fee_cents, { timeout: 10_000 }).toBeGreaterThan(0);
    await ledgerOk();
  });

  it('an expired Checkout closes the application; joining again opens a new one', async () => {
    const person = await signUp(t.app);
    const { sessionId } = await join(person, { class: 'supporting' }, 'none');
    await fetch(`${t.stripe.url}/v1/checkout/sessions/${sessionId}/expire`, { method: 'POST', headers: { authorization: `Bearer ${t.config.stripe.secretKey}` } });
    await t.stripe.webhooks.idle();
    expect(await kit.sql`SELECT status FROM membership_applications WHERE user_id = ${person.userId}`).toEqual([{ status: 'expired' }]);
    const again = await join(person, { class: 'supporting' });
    expect(again.sessionId).not.toBe(sessionId);
    expect(await membershipsOf({ userId: person.userId })).toMatchObject([{ member_class: 'supporting', share_cents: 1_000 }]);
  });
});
