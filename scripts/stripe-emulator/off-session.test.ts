import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingSession, emulatorPost, onboardedAccount, startWithReceiver, WEBHOOK_SECRET } from './test-support.js';

let env: Awaited<ReturnType<typeof startWithReceiver>>;
let coop: Stripe.Account;
beforeAll(async () => {
  env = await startWithReceiver();
  coop = await onboardedAccount(env.emulator, env.stripe);
});
afterAll(() => env.stop());

/** A client who saved a card once (as the setup-mode Checkout does), with it as the default. */
async function clientWithSavedCard(card: string) {
  const customer = await env.stripe.customers.create({ email: 'famille.roy@example.com', name: 'Famille Roy' });
  const si = await env.stripe.setupIntents.create({ customer: customer.id, usage: 'off_session' });
  const attached = card === 'pm_card_authenticationRequired'
    ? await env.stripe.paymentMethods.attach(card, { customer: customer.id })
    : await env.stripe.paymentMethods.retrieve((await env.stripe.setupIntents.confirm(si.id, { payment_method: card })).payment_method as string);
  await env.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: attached.id } });
  return { customer: customer.id, paymentMethod: attached.id };
}

function chargeVisit(saved: { customer: string; paymentMethod: string }, key: string, extra: Partial<Stripe.PaymentIntentCreateParams> = {}) {
  return env.stripe.paymentIntents.create(
    {
      amount: 8000,
      currency: 'cad',
      customer: saved.customer,
      payment_method: saved.paymentMethod,
      off_session: true,
      confirm: true,
      application_fee_amount: 400,
      transfer_data: { destination: coop.id },
      metadata: { booking_id: 'bk_visit_3', series_id: 'sr_1' },
      ...extra,
    },
    { idempotencyKey: key },
  );
}

describe('off-session PaymentIntents on a saved card', () => {
  it('charges the saved card: succeeded, with the same fee, application fee and transfer as a Checkout payment', async () => {
    const saved = await clientWithSavedCard('pm_card_visa');
    const pi = await chargeVisit(saved, 'visit-bk_visit_3-a');
    expect(pi.id).toMatch(/^pi_/);
    expect(pi).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 8000, amount_received: 8000, currency: 'cad', customer: saved.customer, payment_method: saved.paymentMethod, application_fee_amount: 400, transfer_data: { destination: coop.id }, metadata: { booking_id: 'bk_visit_3' }, last_payment_error: null });

    const full = await env.stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge.balance_transaction'] });
    const charge = full.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ status: 'succeeded', paid: true, amount: 8000, customer: saved.customer, payment_method: saved.paymentMethod, payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } }, metadata: { booking_id: 'bk_visit_3' } });
    // 2.9 % of 80.00 = 2.32, plus 0.30.
    expect(charge.balance_transaction).toMatchObject({ amount: 8000, fee: 262, net: 7738, type: 'charge' });
    expect(await env.stripe.applicationFees.retrieve(charge.application_fee as string)).toMatchObject({ amount: 400, account: coop.id, charge: charge.id });
    expect(await env.stripe.transfers.retrieve(charge.transfer as string)).toMatchObject({ amount: 7600, destination: coop.id, source_transaction: charge.id });

    const hooks = await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'charge.succeeded' && w.event.data.object.id === charge.id));
    const types = hooks.filter((w) => w.event.data.object.id === pi.id || w.event.data.object.id === charge.id).map((w) => w.event.type);
    expect(types).toEqual(['payment_intent.created', 'payment_intent.succeeded', 'charge.succeeded']);
    const succeeded = hooks.find((w) => w.event.type === 'payment_intent.succeeded' && w.event.data.object.id === pi.id)!;
    const event = env.stripe.webhooks.constructEvent(succeeded.rawBody, succeeded.signature, WEBHOOK_SECRET);
    expect(event.request).toMatchObject({ id: expect.stringMatching(/^req_/), idempotency_key: 'visit-bk_visit_3-a' });

    const refund = await env.stripe.refunds.create({ payment_intent: pi.id, refund_application_fee: true, reverse_transfer: true });
    expect(refund).toMatchObject({ amount: 8000, status: 'succeeded' });
    expect((await env.stripe.paymentIntents.list({ customer: saved.customer })).data.map((p) => p.id)).toEqual([pi.id]);
  });

  it('replays the first answer for the same idempotency key: one charge only', async () => {
    const saved = await clientWithSavedCard('pm_card_visa');
    const first = await chargeVisit(saved, 'visit-bk_visit_4');
    const again = await chargeVisit(saved, 'visit-bk_visit_4');
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(env.emulator.state.charges().filter((c) => c.payment_intent === first.id)).toHaveLength(1);
    const other = await chargeVisit(saved, 'visit-bk_visit_4', { amount: 9000 }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  const declines: Array<[string, { code: string; decline_code: string; message: string }]> = [
    ['pm_card_chargeDeclinedInsufficientFunds', { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' }],
    ['pm_card_chargeCustomerFail', { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' }],
  ];
  for (const [card, expected] of declines) {
    it(`throws a StripeCardError for ${card} (${expected.decline_code}) and sends payment_intent.payment_failed`, async () => {
      const saved = await clientWithSavedCard(card);
      const err = await chargeVisit(saved, `visit-${card}`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
      const cardErr = err as Stripe.errors.StripeCardError;
      expect(cardErr).toMatchObject({ type: 'StripeCardError', rawType: 'card_error', statusCode: 402, ...expected });
      expect(cardErr.charge).toMatch(/^ch_/);
      const pi = cardErr.payment_intent!;
      expect(pi).toMatchObject({ status: 'requires_payment_method', customer: saved.customer, latest_charge: cardErr.charge, last_payment_error: { type: 'card_error', ...expected, charge: cardErr.charge, payment_method: { id: saved.paymentMethod } } });
      expect(cardErr.payment_method).toMatchObject({ id: saved.paymentMethod });
      expect(await env.stripe.charges.retrieve(cardErr.charge!)).toMatchObject({ status: 'failed', paid: false, failure_code: expected.code, balance_transaction: null, transfer: null, outcome: { type: 'issuer_declined', reason: expected.decline_code } });
      expect(env.emulator.state.transfers().filter((t) => t.source_transaction === cardErr.charge)).toEqual([]);

      const hooks = await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'payment_intent.payment_failed' && w.event.data.object.id === pi.id));
      const failed = hooks.find((w) => w.event.type === 'payment_intent.payment_failed' && w.event.data.object.id === pi.id)!;
      const event = env.stripe.webhooks.constructEvent(failed.rawBody, failed.signature, WEBHOOK_SECRET);
      expect(event.data.object).toMatchObject({ id: pi.id, status: 'requires_payment_method', last_payment_error: { decline_code: expected.decline_code } });
      expect(hooks.some((w) => w.event.type === 'charge.failed' && w.event.data.object.id === cardErr.charge)).toBe(true);

      const replay = await chargeVisit(saved, `visit-${card}`).catch((e: unknown) => e);
      expect(replay).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect((replay as Stripe.errors.StripeCardError).payment_intent!.id).toBe(pi.id);
      expect(env.emulator.state.paymentIntents().filter((p) => p.id === pi.id)).toHaveLength(1);
    });
  }

  it('declines an expired card with code expired_card', async () => {
    const customer = await env.stripe.customers.create({ email: 'x@example.com' });
    const err = await chargeVisit({ customer: customer.id, paymentMethod: 'pm_card_expired' }, 'visit-expired').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ code: 'expired_card', decline_code: 'expired_card', message: 'Your card has expired.' });
    expect((err as Stripe.errors.StripeCardError).payment_intent).toMatchObject({ status: 'requires_payment_method' });
  });

  it('fails with authentication_required when the card asks for 3D Secure and nobody is there', async () => {
    const saved = await clientWithSavedCard('pm_card_authenticationRequired');
    const err = await chargeVisit(saved, 'visit-3ds').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    const cardErr = err as Stripe.errors.StripeCardError;
    expect(cardErr).toMatchObject({ statusCode: 402, code: 'authentication_required', decline_code: 'authentication_required' });
    expect(cardErr.payment_intent).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'authentication_required' } });
    const piId = cardErr.payment_intent!.id;
    expect(await env.stripe.paymentIntents.retrieve(piId)).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'authentication_required', decline_code: 'authentication_required' } });
    await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'payment_intent.payment_failed' && w.event.data.object.id === piId));

    // Back on-session, the client authenticates and the same intent is paid.
    const onSession = await env.stripe.paymentIntents.confirm(piId, { payment_method: saved.paymentMethod });
    expect(onSession).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
    const done = await emulatorPost(env.emulator, `/_emulator/payment_intents/${piId}/authenticate`, { outcome: 'complete' });
    expect(done.body).toMatchObject({ status: 'succeeded', amount_received: 8000 });
  });

  it('validates like Stripe', async () => {
    const saved = await clientWithSavedCard('pm_card_visa');
    const stranger = await env.stripe.customers.create({ email: 'autre@example.com' });
    const before = env.emulator.state.paymentIntents().length;
    await expect(chargeVisit({ ...saved, customer: stranger.id }, 'v-1')).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'payment_method' });
    expect(env.emulator.state.paymentIntents()).toHaveLength(before);
    await expect(chargeVisit({ ...saved, customer: 'cus_nope' }, 'v-2')).rejects.toMatchObject({ statusCode: 404, param: 'customer' });
    await expect(chargeVisit(saved, 'v-3', { amount: 20 })).rejects.toMatchObject({ code: 'amount_too_small', param: 'amount' });
    await expect(chargeVisit(saved, 'v-4', { application_fee_amount: 9000 })).rejects.toMatchObject({ param: 'application_fee_amount' });
    await expect(chargeVisit(saved, 'v-5', { transfer_data: { destination: 'acct_nope' } })).rejects.toMatchObject({ param: 'transfer_data[destination]' });
    await expect(chargeVisit(saved, 'v-6', { confirm: false })).rejects.toMatchObject({ param: 'off_session' });
    await expect(env.stripe.paymentIntents.create({ amount: 8000, currency: 'cad', customer: saved.customer, confirm: true, off_session: true })).rejects.toMatchObject({ code: 'payment_intent_unexpected_state', param: 'payment_method' });
    await env.stripe.paymentMethods.detach(saved.paymentMethod);
    await expect(chargeVisit({ customer: saved.customer, paymentMethod: saved.paymentMethod }, 'v-7')).rejects.toMatchObject({ code: 'payment_method_unexpected_state' });
  });

  it('creates without confirming, then confirms or cancels', async () => {
    const saved = await clientWithSavedCard('pm_card_visa');
    const pending = await env.stripe.paymentIntents.create({ amount: 5000, currency: 'cad', customer: saved.customer, payment_method: saved.paymentMethod, transfer_data: { destination: coop.id } });
    expect(pending.status).toBe('requires_confirmation');
    expect(await env.stripe.paymentIntents.confirm(pending.id, { off_session: true })).toMatchObject({ status: 'succeeded' });
    await expect(env.stripe.paymentIntents.confirm(pending.id)).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
    const other = await env.stripe.paymentIntents.create({ amount: 5000, currency: 'cad', customer: saved.customer });
    expect(await env.stripe.paymentIntents.cancel(other.id, { cancellation_reason: 'abandoned' })).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
  });

  it('saves the card paid with on Checkout (setup_future_usage), so the next visit is charged off-session', async () => {
    const customer = await env.stripe.customers.create({ email: 'famille.roy@example.com' });
    const session = await createBookingSession(env.stripe, coop.id, {
      customer: customer.id,
      customer_email: undefined,
      payment_intent_data: { application_fee_amount: 250, transfer_data: { destination: coop.id }, setup_future_usage: 'off_session' },
    });
    const { body } = await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/pay`);
    expect(body.payment_intent).toMatchObject({ status: 'succeeded', customer: customer.id, setup_future_usage: 'off_session' });
    const [saved] = (await env.stripe.customers.listPaymentMethods(customer.id)).data;
    expect(saved).toMatchObject({ customer: customer.id, card: { last4: '4242' } });
    expect(body.charge).toMatchObject({ payment_method: saved!.id, customer: customer.id });
    const next = await chargeVisit({ customer: customer.id, paymentMethod: saved!.id }, 'visit-after-checkout');
    expect(next.status).toBe('succeeded');

    const anonymous = await createBookingSession(env.stripe, coop.id, { payment_intent_data: { transfer_data: { destination: coop.id }, setup_future_usage: 'off_session' } });
    const paid = await emulatorPost(env.emulator, `/_emulator/checkout/${anonymous.id}/pay`);
    expect(paid.body.session.customer).toMatch(/^cus_/);
    expect(await env.stripe.customers.retrieve(paid.body.session.customer)).toMatchObject({ email: 'client@example.com' });
  });

  it('keeps the card the client pays with (here a Mastercard), says so on the page, and charges it off-session like a saved one', async () => {
    const customer = await env.stripe.customers.create({ email: 'famille.roy@example.com' });
    const keep = { customer: customer.id, customer_email: undefined, payment_intent_data: { application_fee_amount: 250, transfer_data: { destination: coop.id }, setup_future_usage: 'off_session' as const } };
    const session = await createBookingSession(env.stripe, coop.id, keep);
    const page = await (await fetch(`${env.emulator.url}/checkout/${session.id}`)).text();
    expect(page).toContain('Your card will be saved and used for future payments');
    const { status, body } = await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/pay`, { card: '5555 5555 5555 4444' });
    expect(status).toBe(200);
    expect(body.charge.payment_method_details.card).toMatchObject({ brand: 'mastercard', last4: '4444' });
    const pi = await env.stripe.paymentIntents.retrieve(body.payment_intent.id, { expand: ['payment_method'] });
    expect(pi.payment_method).toMatchObject({ customer: customer.id, card: { brand: 'mastercard', last4: '4444' } });
    expect((await chargeVisit({ customer: customer.id, paymentMethod: (pi.payment_method as Stripe.PaymentMethod).id }, 'visit-after-mastercard')).status).toBe('succeeded');

    // A card that asks for 3D Secure: the person authenticates on the page, and it still asks off-session.
    const secure = await createBookingSession(env.stripe, coop.id, keep);
    const paid3ds = await emulatorPost(env.emulator, `/_emulator/checkout/${secure.id}/pay`, { card: '4000 0027 6000 3184' });
    expect(paid3ds.body.payment_intent.status).toBe('succeeded');
    await expect(chargeVisit({ customer: customer.id, paymentMethod: paid3ds.body.payment_intent.payment_method }, 'visit-after-3ds')).rejects.toMatchObject({ code: 'authentication_required' });

    // A card a charge refuses is not "paid" with; the session stays open.
    const refused = await createBookingSession(env.stripe, coop.id, keep);
    expect((await emulatorPost(env.emulator, `/_emulator/checkout/${refused.id}/pay`, { card: '4000 0000 0000 9995' })).status).toBe(400);
    expect((await emulatorPost(env.emulator, `/_emulator/checkout/${refused.id}/pay`, { card: '1234' })).body.error.code).toBe('incorrect_number');
    expect((await env.stripe.checkout.sessions.retrieve(refused.id)).status).toBe('open');
  });

  it('a payment that does not ask to keep the card leaves it on no customer, and the page says nothing of saving it', async () => {
    const customer = await env.stripe.customers.create({ email: 'solo@example.com' });
    const session = await createBookingSession(env.stripe, coop.id, { customer: customer.id, customer_email: undefined });
    expect(await (await fetch(`${env.emulator.url}/checkout/${session.id}`)).text()).not.toContain('future payments');
    const { body } = await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/pay`, { card: '5555555555554444' });
    const pi = await env.stripe.paymentIntents.retrieve(body.payment_intent.id, { expand: ['payment_method'] });
    expect(pi.setup_future_usage).toBeNull();
    expect(pi.payment_method).toMatchObject({ customer: null, card: { last4: '4444' } });
    expect((await env.stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
  });
});
