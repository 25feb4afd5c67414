import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingSession, createCoopAccount, emulatorPost, onboardedAccount, startWithReceiver } from './test-support.js';

let env: Awaited<ReturnType<typeof startWithReceiver>>;
let coop: Stripe.Account;
beforeAll(async () => {
  env = await startWithReceiver();
  coop = await onboardedAccount(env.emulator, env.stripe);
});
afterAll(() => env.stop());

describe('Checkout Sessions', () => {
  it('refuses a destination that does not exist or has not finished onboarding', async () => {
    const pending = await createCoopAccount(env.stripe);
    const notReady = await createBookingSession(env.stripe, pending.id).catch((e: unknown) => e);
    expect(notReady).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(notReady).toMatchObject({ statusCode: 400, code: 'insufficient_capabilities_for_transfer', param: 'payment_intent_data[transfer_data][destination]' });
    const missing = await createBookingSession(env.stripe, 'acct_doesnotexist').catch((e: unknown) => e);
    expect(missing).toMatchObject({ type: 'StripeInvalidRequestError', code: 'resource_missing' });
  });

  it('validates amounts and expiry like Stripe', async () => {
    const tooBigFee = await createBookingSession(env.stripe, coop.id, {
      payment_intent_data: { application_fee_amount: 6000, transfer_data: { destination: coop.id } },
    }).catch((e: unknown) => e);
    expect(tooBigFee).toMatchObject({ param: 'payment_intent_data[application_fee_amount]' });
    const soon = Math.floor(Date.now() / 1000) + 60;
    await expect(createBookingSession(env.stripe, coop.id, { expires_at: soon })).rejects.toMatchObject({ param: 'expires_at' });
    await expect(
      createBookingSession(env.stripe, coop.id, { line_items: [{ quantity: 1, price_data: { currency: 'cad', unit_amount: 'abc' as never, product_data: { name: 'x' } } }] }),
    ).rejects.toMatchObject({ code: 'parameter_invalid_integer', param: 'line_items[0][price_data][unit_amount]' });
  });

  it('creates an open session with the totals, URL and references Tissu gave', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const session = await createBookingSession(env.stripe, coop.id, { expires_at: expiresAt });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({
      object: 'checkout.session',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 5000,
      amount_subtotal: 5000,
      currency: 'cad',
      payment_intent: null,
      client_reference_id: 'bk_1',
      customer_email: 'client@example.com',
      metadata: { booking_id: 'bk_1' },
      expires_at: expiresAt,
      livemode: false,
      url: `${env.emulator.url}/checkout/${session.id}`,
    });
    const items = await env.stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toMatchObject([{ description: 'Ménage 2 h', quantity: 2, amount_total: 5000, price: { unit_amount: 2500 } }]);
  });

  it('shows a test payment page with the amount in CAD and both cards', async () => {
    const session = await createBookingSession(env.stripe, coop.id);
    const res = await fetch(session.url!);
    const html = await res.text();
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Tissu — paiement de test / test payment');
    expect(html).toMatch(/50,00\s\$/);
    expect(html).toMatch(/25,00\s\$/);
    expect(html).toContain('Ménage 2 h');
    expect(html).toContain('Payer');
    expect(html).toContain('Carte refusée / Card declined');
    expect(html).toContain('href="http://127.0.0.1:5173/bookings/bk_1"');
  });

  it('pays from the page: redirects to success_url with the session id, then records the payment', async () => {
    const session = await createBookingSession(env.stripe, coop.id);
    const res = await fetch(`${env.emulator.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://127.0.0.1:5173/bookings/bk_1/paid?session=${session.id}`);
    const paid = await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(paid).toMatchObject({ status: 'complete', payment_status: 'paid', url: null });
    const pi = paid.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 5000, metadata: { booking_id: 'bk_1' } });
    expect(await (await fetch(session.url!)).text()).toContain('Paiement reçu / Payment received');
  });

  it('records charge, Stripe fee, application fee and the transfer to the co-op', async () => {
    const session = await createBookingSession(env.stripe, coop.id);
    const { status, body } = await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/pay`);
    expect(status).toBe(200);
    const piId = body.payment_intent.id as string;
    const pi = await env.stripe.paymentIntents.retrieve(piId, { expand: ['latest_charge', 'latest_charge.balance_transaction'] });
    expect(pi).toMatchObject({ amount: 5000, amount_received: 5000, application_fee_amount: 250, transfer_data: { destination: coop.id }, currency: 'cad' });
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ object: 'charge', paid: true, amount: 5000, amount_refunded: 0, refunded: false, status: 'succeeded', payment_intent: piId });
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    // 2.9 % of 50.00 = 1.45, plus 0.30.
    expect(txn).toMatchObject({ object: 'balance_transaction', amount: 5000, fee: 175, net: 4825, type: 'charge', source: charge.id });
    expect(txn.fee_details).toEqual([expect.objectContaining({ type: 'stripe_fee', amount: 175 })]);
    expect(await env.stripe.balanceTransactions.retrieve(txn.id)).toMatchObject({ id: txn.id, fee: 175 });
    expect(await env.stripe.charges.retrieve(charge.id)).toMatchObject({ id: charge.id, application_fee_amount: 250 });
    const fee = await env.stripe.applicationFees.retrieve(charge.application_fee as string);
    expect(fee).toMatchObject({ amount: 250, account: coop.id, charge: charge.id });
    const transfer = await env.stripe.transfers.retrieve(charge.transfer as string);
    expect(transfer).toMatchObject({ amount: 4750, destination: coop.id, source_transaction: charge.id });
  });

  it('a declined card leaves the session open and payable, with the same PaymentIntent', async () => {
    const session = await createBookingSession(env.stripe, coop.id);
    const declined = await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/decline`);
    expect(declined.body.session.status).toBe('open');
    expect(declined.body.payment_intent).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'card_declined', decline_code: 'generic_decline' } });
    await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'payment_intent.payment_failed' && w.event.data.object.id === declined.body.payment_intent.id));

    const page = await fetch(`${env.emulator.url}/checkout/${session.id}/decline`, { method: 'POST' });
    const html = await page.text();
    expect(html).toContain('Votre carte a été refusée / Your card was declined');
    expect(html).toContain('Payer');
    expect((await env.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');

    const paid = await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/pay`);
    expect(paid.body.payment_intent).toMatchObject({ id: declined.body.payment_intent.id, status: 'succeeded', last_payment_error: null });
  });

  it('expires a session: no longer payable, with its webhook', async () => {
    const session = await createBookingSession(env.stripe, coop.id);
    const expired = await env.stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: 'expired', url: null });
    await expect(env.stripe.checkout.sessions.expire(session.id)).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const pay = await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/pay`);
    expect(pay.status).toBe(400);
    await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'checkout.session.expired' && w.event.data.object.id === session.id));
  });

  it('lists payment intents newest first, by creation date and with cursors', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    for (let i = 0; i < 3; i++) {
      const s = await createBookingSession(env.stripe, coop.id);
      await emulatorPost(env.emulator, `/_emulator/checkout/${s.id}/pay`);
    }
    const first = await env.stripe.paymentIntents.list({ limit: 2, created: { gte: since } });
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const next = await env.stripe.paymentIntents.list({ limit: 100, created: { gte: since }, starting_after: first.data[1]!.id });
    const all = await env.stripe.paymentIntents.list({ limit: 100, created: { gte: since } });
    expect([...first.data, ...next.data].map((p) => p.id)).toEqual(all.data.map((p) => p.id));
    const expanded = await env.stripe.paymentIntents.list({ limit: 1, created: { gte: since }, expand: ['data.latest_charge'] });
    expect(expanded.data[0]!.latest_charge).toMatchObject({ object: 'charge', amount_refunded: 0 });
    const future = await env.stripe.paymentIntents.list({ created: { gte: since + 3600 } });
    expect(future.data).toEqual([]);
    const ids: string[] = [];
    for await (const pi of env.stripe.paymentIntents.list({ limit: 1, created: { gte: since } })) ids.push(pi.id);
    expect(ids).toEqual(all.data.map((p) => p.id));
  });
});
