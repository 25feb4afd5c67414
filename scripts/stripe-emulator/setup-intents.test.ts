import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorPost, startWithReceiver, WEBHOOK_SECRET } from './test-support.js';

let env: Awaited<ReturnType<typeof startWithReceiver>>;
beforeAll(async () => {
  env = await startWithReceiver();
});
afterAll(() => env.stop());

const newClient = () => env.stripe.customers.create({ email: 'famille.nguyen@example.com', name: 'Famille Nguyen' });

describe('SetupIntents', () => {
  it('saves a card for off-session use: confirmed with pm_card_visa, succeeded, card attached to the customer', async () => {
    const customer = await newClient();
    const si = await env.stripe.setupIntents.create({ customer: customer.id, usage: 'off_session', allowed_payment_method_types: ['card'], metadata: { series_id: 'sr_1' } });
    expect(si.id).toMatch(/^seti_/);
    expect(si).toMatchObject({ object: 'setup_intent', status: 'requires_payment_method', customer: customer.id, usage: 'off_session', payment_method: null, metadata: { series_id: 'sr_1' }, allowed_payment_method_types: ['card'], payment_method_types: ['card'] });
    expect(si.client_secret).toMatch(new RegExp(`^${si.id}_secret_`));

    const confirmed = await env.stripe.setupIntents.confirm(si.id, { payment_method: 'pm_card_visa' });
    expect(confirmed).toMatchObject({ status: 'succeeded', last_setup_error: null });
    const pmId = confirmed.payment_method as string;
    expect(pmId).toMatch(/^pm_/);
    expect(await env.stripe.paymentMethods.retrieve(pmId)).toMatchObject({ customer: customer.id, card: { brand: 'visa', last4: '4242' } });
    expect(await env.stripe.setupIntents.retrieve(si.id, { expand: ['payment_method'] })).toMatchObject({ status: 'succeeded', payment_method: { id: pmId, object: 'payment_method' } });
    expect((await env.stripe.setupIntents.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([si.id]);

    const hooks = await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'setup_intent.succeeded' && w.event.data.object.id === si.id));
    const succeeded = hooks.find((w) => w.event.type === 'setup_intent.succeeded' && w.event.data.object.id === si.id)!;
    const event = env.stripe.webhooks.constructEvent(succeeded.rawBody, succeeded.signature, WEBHOOK_SECRET);
    expect(event.data.object).toMatchObject({ id: si.id, status: 'succeeded', payment_method: pmId, customer: customer.id });
    expect(hooks.some((w) => w.event.type === 'payment_method.attached' && w.event.data.object.id === pmId)).toBe(true);
    await expect(env.stripe.setupIntents.confirm(si.id, { payment_method: 'pm_card_visa' })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'setup_intent_unexpected_state' });
  });

  it('creates and confirms in one call', async () => {
    const customer = await newClient();
    const si = await env.stripe.setupIntents.create({ customer: customer.id, payment_method: 'pm_card_mastercard', confirm: true });
    expect(si).toMatchObject({ status: 'succeeded', usage: 'off_session' });
    expect((await env.stripe.customers.listPaymentMethods(customer.id)).data[0]).toMatchObject({ card: { brand: 'mastercard', last4: '4444' } });
  });

  it('refuses a declined card with a StripeCardError carrying the SetupIntent, and sends setup_intent.setup_failed', async () => {
    const customer = await newClient();
    const si = await env.stripe.setupIntents.create({ customer: customer.id, usage: 'off_session' });
    const err = await env.stripe.setupIntents.confirm(si.id, { payment_method: 'pm_card_chargeDeclined' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    const cardErr = err as Stripe.errors.StripeCardError;
    expect(cardErr).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
    expect(cardErr.setup_intent).toMatchObject({ id: si.id, status: 'requires_payment_method', last_setup_error: { code: 'card_declined', decline_code: 'generic_decline' } });
    expect(cardErr.payment_method).toMatchObject({ card: { last4: '0002' } });
    expect((await env.stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
    await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'setup_intent.setup_failed' && w.event.data.object.id === si.id));

    const retried = await env.stripe.setupIntents.confirm(si.id, { payment_method: 'pm_card_visa' });
    expect(retried).toMatchObject({ status: 'succeeded', last_setup_error: null });
  });

  it('saves an insufficient-funds card (it fails only when charged), refuses an expired one', async () => {
    const customer = await newClient();
    const saved = await env.stripe.setupIntents.create({ customer: customer.id, payment_method: 'pm_card_chargeDeclinedInsufficientFunds', confirm: true });
    expect(saved.status).toBe('succeeded');
    const si = await env.stripe.setupIntents.create({ customer: customer.id });
    await expect(env.stripe.setupIntents.confirm(si.id, { payment_method: 'pm_card_expired' })).rejects.toMatchObject({ type: 'StripeCardError', code: 'expired_card', decline_code: 'expired_card' });
  });

  it('asks for 3D Secure for pm_card_authenticationRequired; the card is saved once the person authenticates', async () => {
    const customer = await newClient();
    const si = await env.stripe.setupIntents.create({ customer: customer.id, payment_method: 'pm_card_authenticationRequired', confirm: true });
    expect(si).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
    expect((await env.stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
    const done = await emulatorPost(env.emulator, `/_emulator/setup_intents/${si.id}/authenticate`, { outcome: 'complete' });
    expect(done.body).toMatchObject({ status: 'succeeded', next_action: null });
    expect((await env.stripe.customers.listPaymentMethods(customer.id)).data[0]).toMatchObject({ card: { last4: '3184' } });

    const other = await env.stripe.setupIntents.create({ customer: customer.id, payment_method: 'pm_card_authenticationRequired', confirm: true });
    const failed = await emulatorPost(env.emulator, `/_emulator/setup_intents/${other.id}/authenticate`, { outcome: 'fail' });
    expect(failed.body).toMatchObject({ status: 'requires_payment_method', last_setup_error: { code: 'setup_intent_authentication_failure' } });
    await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'setup_intent.requires_action' && w.event.data.object.id === other.id));
  });

  it('validates like Stripe: unknown customer, payment method and parameters; cancels', async () => {
    await expect(env.stripe.setupIntents.create({ customer: 'cus_nope' })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'customer' });
    await expect(env.stripe.setupIntents.create({ usage: 'sometimes' as never })).rejects.toMatchObject({ param: 'usage' });
    const si = await env.stripe.setupIntents.create({});
    await expect(env.stripe.setupIntents.confirm(si.id, { payment_method: 'pm_nope' })).rejects.toMatchObject({ statusCode: 404, param: 'payment_method' });
    await expect(env.stripe.setupIntents.confirm(si.id)).rejects.toMatchObject({ code: 'setup_intent_unexpected_state' });
    expect(await env.stripe.setupIntents.cancel(si.id, { cancellation_reason: 'abandoned' })).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
  });
});

/** Reads the setup page's form as a browser would and submits a card number. */
async function typeCard(sessionUrl: string, number: string) {
  const html = await (await fetch(sessionUrl)).text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(action).toBeTruthy();
  return fetch(new URL(action!, sessionUrl), { method: 'POST', body: new URLSearchParams({ card_number: number }), redirect: 'manual' });
}

describe('Checkout Sessions in setup mode', () => {
  const createSetupSession = (customer: string, extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) =>
    env.stripe.checkout.sessions.create({
      mode: 'setup',
      customer,
      allowed_payment_method_types: ['card'],
      setup_intent_data: { metadata: { series_id: 'sr_42' } },
      success_url: 'http://127.0.0.1:5173/series/sr_42/card-saved?session={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://127.0.0.1:5173/series/sr_42',
      ...extra,
    });

  it('creates an open session with no amount and no intent yet', async () => {
    const customer = await newClient();
    const session = await createSetupSession(customer.id);
    expect(session).toMatchObject({ object: 'checkout.session', mode: 'setup', status: 'open', payment_status: 'no_payment_required', customer: customer.id, amount_total: null, currency: null, setup_intent: null, payment_intent: null, url: `${env.emulator.url}/checkout/${session.id}` });
  });

  it('refuses what setup mode does not take, and an unknown customer', async () => {
    const customer = await newClient();
    const withItems = await createSetupSession(customer.id, { line_items: [{ quantity: 1, price_data: { currency: 'cad', unit_amount: 100, product_data: { name: 'x' } } }] }).catch((e: unknown) => e);
    expect(withItems).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(withItems).toMatchObject({ param: 'line_items' });
    await expect(createSetupSession(customer.id, { payment_intent_data: { description: 'x' } })).rejects.toMatchObject({ param: 'payment_intent_data' });
    await expect(createSetupSession(customer.id, { customer_email: 'a@example.com' })).rejects.toMatchObject({ param: 'customer_email' });
    await expect(createSetupSession('cus_nope')).rejects.toMatchObject({ statusCode: 404, param: 'customer' });
    // This API version wants a currency in setup mode unless the payment method types are given.
    await expect(createSetupSession(customer.id, { allowed_payment_method_types: undefined })).rejects.toMatchObject({ code: 'parameter_missing', param: 'currency' });
    expect(await createSetupSession(customer.id, { allowed_payment_method_types: undefined, currency: 'cad' })).toMatchObject({ currency: 'cad', allowed_payment_method_types: null });
  });

  it('shows a page where a person types a test card; 4242 saves it and redirects to success_url', async () => {
    const customer = await newClient();
    const session = await createSetupSession(customer.id);
    const html = await (await fetch(session.url!)).text();
    expect(html).toContain('Enregistrer la carte / Save card');
    expect(html).toContain('famille.nguyen@example.com');
    expect(html).toContain('4000 0027 6000 3184');
    expect(html).toContain('href="http://127.0.0.1:5173/series/sr_42"');

    const res = await typeCard(session.url!, '4242 4242 4242 4242');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://127.0.0.1:5173/series/sr_42/card-saved?session=${session.id}`);

    const done = await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['setup_intent', 'setup_intent.payment_method'] });
    expect(done).toMatchObject({ status: 'complete', payment_status: 'no_payment_required', url: null, customer: customer.id });
    const si = done.setup_intent as Stripe.SetupIntent;
    expect(si).toMatchObject({ object: 'setup_intent', status: 'succeeded', customer: customer.id, usage: 'off_session', metadata: { series_id: 'sr_42' } });
    expect(si.payment_method).toMatchObject({ customer: customer.id, card: { last4: '4242' } });
    expect(await (await fetch(session.url!)).text()).toContain('Carte enregistrée / Card saved');

    const hooks = await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'checkout.session.completed' && w.event.data.object.id === session.id));
    const completed = hooks.find((w) => w.event.type === 'checkout.session.completed' && w.event.data.object.id === session.id)!;
    const event = env.stripe.webhooks.constructEvent(completed.rawBody, completed.signature, WEBHOOK_SECRET);
    expect(event.data.object).toMatchObject({ mode: 'setup', status: 'complete', setup_intent: si.id, customer: customer.id });
    const forIntent = hooks.filter((w) => w.event.data.object.id === si.id).map((w) => w.event.type);
    expect(forIntent).toEqual(['setup_intent.created', 'setup_intent.succeeded']);
    const order = hooks.map((w) => w.event.type);
    expect(order.indexOf('setup_intent.succeeded')).toBeLessThan(order.indexOf('checkout.session.completed'));
  });

  it('keeps the session open with an error for a declined card or a number that is not a test card, then accepts another card', async () => {
    const customer = await newClient();
    const session = await createSetupSession(customer.id);
    const declined = await typeCard(session.url!, '4000 0000 0000 0002');
    expect(declined.status).toBe(303);
    const page = await (await fetch(new URL(declined.headers.get('location')!, session.url!))).text();
    expect(page).toContain('Votre carte a été refusée / Your card was declined.');
    expect(page).toContain('Enregistrer la carte / Save card');
    const open = await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['setup_intent'] });
    expect(open.status).toBe('open');
    expect(open.setup_intent).toMatchObject({ status: 'requires_payment_method', last_setup_error: { decline_code: 'generic_decline' } });

    const wrong = await typeCard(session.url!, '1234 5678 9012 3456');
    expect(await (await fetch(new URL(wrong.headers.get('location')!, session.url!))).text()).toContain('Your card number is incorrect');

    const saved = await typeCard(session.url!, '4000002760003184');
    expect(saved.headers.get('location')).toContain('/card-saved');
    const done = await env.stripe.checkout.sessions.retrieve(session.id);
    expect(done.setup_intent).toBe((open.setup_intent as Stripe.SetupIntent).id);
    expect((await env.stripe.customers.listPaymentMethods(customer.id)).data.map((pm) => pm.card!.last4)).toEqual(['3184']);
  });

  it('saves each test card as the table says, through the test control', async () => {
    const outcomes: Array<[string, string | null]> = [
      ['4242424242424242', null],
      ['4000000000000002', 'generic_decline'],
      ['4000000000009995', null],
      ['4000002760003184', null],
      ['4000000000000069', 'expired_card'],
    ];
    for (const [card, decline] of outcomes) {
      const customer = await newClient();
      const session = await createSetupSession(customer.id);
      const { status, body } = await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/setup`, { card });
      expect(status).toBe(200);
      expect(body.decline_code).toBe(decline);
      expect(body.session.status).toBe(decline ? 'open' : 'complete');
      expect(body.setup_intent.status).toBe(decline ? 'requires_payment_method' : 'succeeded');
    }
  });

  it('does not take a payment on a setup session, and answers an unknown session with a page', async () => {
    const customer = await newClient();
    const session = await createSetupSession(customer.id);
    expect((await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/pay`)).status).toBe(400);
    const pay = await fetch(`${env.emulator.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(303);
    expect((await env.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    const missing = await fetch(`${env.emulator.url}/checkout/cs_test_missing/setup`, { method: 'POST', body: new URLSearchParams({ card_number: '4242424242424242' }) });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Session introuvable / Session not found');
  });
});
