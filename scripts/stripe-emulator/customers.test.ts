import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithReceiver, WEBHOOK_SECRET } from './test-support.js';

let env: Awaited<ReturnType<typeof startWithReceiver>>;
beforeAll(async () => {
  env = await startWithReceiver();
});
afterAll(() => env.stop());

const newClient = () => env.stripe.customers.create({ email: 'famille.tremblay@example.com', name: 'Famille Tremblay', metadata: { client_id: 'cl_1' } });

describe('Customers', () => {
  it('creates, retrieves, updates and deletes a customer, with its webhooks', async () => {
    const customer = await newClient();
    expect(customer.id).toMatch(/^cus_/);
    expect(customer).toMatchObject({ object: 'customer', email: 'famille.tremblay@example.com', name: 'Famille Tremblay', metadata: { client_id: 'cl_1' }, livemode: false, invoice_settings: { default_payment_method: null } });
    expect(await env.stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, email: customer.email });

    const updated = await env.stripe.customers.update(customer.id, { name: 'Famille Tremblay-Roy', metadata: { series: 'sr_1', client_id: '' } });
    expect(updated).toMatchObject({ name: 'Famille Tremblay-Roy', metadata: { series: 'sr_1' } });
    expect(updated.metadata).not.toHaveProperty('client_id');

    const deleted = await env.stripe.customers.del(customer.id);
    expect(deleted).toEqual(expect.objectContaining({ id: customer.id, object: 'customer', deleted: true }));
    expect(await env.stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, deleted: true });
    const gone = await env.stripe.customers.update(customer.id, { name: 'x' }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(gone).toMatchObject({ statusCode: 404, code: 'resource_missing' });

    const hooks = await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'customer.deleted' && w.event.data.object.id === customer.id));
    const mine = hooks.filter((w) => w.event.data.object.id === customer.id);
    expect(mine.map((w) => w.event.type)).toEqual(['customer.created', 'customer.updated', 'customer.deleted']);
    const update = env.stripe.webhooks.constructEvent(mine[1]!.rawBody, mine[1]!.signature, WEBHOOK_SECRET);
    expect(update.data.previous_attributes).toMatchObject({ name: 'Famille Tremblay', metadata: { client_id: 'cl_1' } });
  });

  it('refuses unknown parameters and an unknown customer', async () => {
    await expect(env.stripe.customers.create({ email: 'a@example.com', colour: 'red' } as never)).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'parameter_unknown', param: 'colour' });
    const missing = await env.stripe.customers.retrieve('cus_missing').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such customer: 'cus_missing'" });
  });

  it('lists customers by email', async () => {
    const a = await env.stripe.customers.create({ email: 'liste@example.com' });
    await env.stripe.customers.create({ email: 'autre@example.com' });
    const found = await env.stripe.customers.list({ email: 'liste@example.com' });
    expect(found.data.map((c) => c.id)).toEqual([a.id]);
  });
});

describe('Payment methods', () => {
  it("makes a new card PaymentMethod from each test id, with the card's brand, last4 and expiry", async () => {
    const visa = await env.stripe.paymentMethods.retrieve('pm_card_visa');
    const again = await env.stripe.paymentMethods.retrieve('pm_card_visa');
    expect(visa.id).toMatch(/^pm_/);
    expect(visa.id).not.toBe('pm_card_visa');
    expect(again.id).not.toBe(visa.id);
    expect(again.card!.fingerprint).toBe(visa.card!.fingerprint);
    expect(visa).toMatchObject({ object: 'payment_method', type: 'card', customer: null, card: { brand: 'visa', last4: '4242', funding: 'credit', exp_month: 12 } });
    expect(visa.card!.exp_year).toBeGreaterThan(new Date().getFullYear());
    expect(await env.stripe.paymentMethods.retrieve(visa.id)).toMatchObject({ id: visa.id, card: { last4: '4242' } });

    const cases: Array<[string, string]> = [
      ['pm_card_mastercard', '4444'],
      ['pm_card_chargeDeclined', '0002'],
      ['pm_card_chargeDeclinedInsufficientFunds', '9995'],
      ['pm_card_authenticationRequired', '3184'],
      ['pm_card_expired', '0069'],
      ['pm_card_chargeDeclinedExpiredCard', '0069'],
    ];
    for (const [id, last4] of cases) expect((await env.stripe.paymentMethods.retrieve(id)).card!.last4).toBe(last4);

    const fromToken = await env.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' }, billing_details: { name: 'Famille Tremblay' } });
    expect(fromToken).toMatchObject({ card: { brand: 'visa', last4: '4242' }, billing_details: { name: 'Famille Tremblay' } });
    await expect(env.stripe.paymentMethods.retrieve('pm_nope')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such PaymentMethod: 'pm_nope'" });
    const rawNumber = await env.stripe.paymentMethods.create({ type: 'card', card: { number: '4242424242424242', exp_month: 12, exp_year: 2040 } } as never).catch((e: unknown) => e);
    expect(rawNumber).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it('attaches, lists, sets as default and detaches a customer’s cards', async () => {
    const customer = await newClient();
    const visa = await env.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(visa).toMatchObject({ customer: customer.id, card: { last4: '4242' } });
    const mc = await env.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_mastercard' } });
    await env.stripe.paymentMethods.attach(mc.id, { customer: customer.id });

    const listed = await env.stripe.customers.listPaymentMethods(customer.id, { type: 'card' });
    expect(listed.data.map((pm) => pm.id)).toEqual([mc.id, visa.id]);
    const viaPaymentMethods = await env.stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(viaPaymentMethods.data.map((pm) => pm.id)).toEqual([mc.id, visa.id]);
    expect(await env.stripe.customers.retrievePaymentMethod(customer.id, visa.id)).toMatchObject({ id: visa.id });

    const withDefault = await env.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
    expect(withDefault.invoice_settings.default_payment_method).toBe(visa.id);
    const expanded = await env.stripe.customers.retrieve(customer.id, { expand: ['invoice_settings.default_payment_method'] }) as Stripe.Customer;
    expect(expanded.invoice_settings.default_payment_method).toMatchObject({ id: visa.id, card: { last4: '4242' } });

    const stranger = await env.stripe.paymentMethods.retrieve('pm_card_visa');
    const notHers = await env.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: stranger.id } }).catch((e: unknown) => e);
    expect(notHers).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(notHers).toMatchObject({ code: 'resource_missing', param: 'invoice_settings[default_payment_method]' });

    const other = await env.stripe.customers.create({ email: 'autre@example.com' });
    await expect(env.stripe.paymentMethods.attach(visa.id, { customer: other.id })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'payment_method_unexpected_state' });

    const detached = await env.stripe.paymentMethods.detach(visa.id);
    expect(detached.customer).toBeNull();
    expect((await env.stripe.customers.retrieve(customer.id) as Stripe.Customer).invoice_settings.default_payment_method).toBeNull();
    expect((await env.stripe.customers.listPaymentMethods(customer.id)).data.map((pm) => pm.id)).toEqual([mc.id]);
    await expect(env.stripe.paymentMethods.attach(visa.id, { customer: customer.id })).rejects.toMatchObject({ code: 'payment_method_unexpected_state' });

    const hooks = await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'payment_method.detached' && w.event.data.object.id === visa.id));
    expect(hooks.filter((w) => w.event.data.object.id === visa.id).map((w) => w.event.type)).toEqual(['payment_method.attached', 'payment_method.detached']);
  });

  it('refuses to save a card the issuer declines, as a StripeCardError; a card declined only at charge time is saved', async () => {
    const customer = await newClient();
    const declined = await env.stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: customer.id }).catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined', decline_code: 'generic_decline' });
    const expired = await env.stripe.paymentMethods.attach('pm_card_expired', { customer: customer.id }).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(expired).toMatchObject({ code: 'expired_card', decline_code: 'expired_card' });
    for (const id of ['pm_card_chargeDeclinedInsufficientFunds', 'pm_card_authenticationRequired']) {
      expect(await env.stripe.paymentMethods.attach(id, { customer: customer.id })).toMatchObject({ customer: customer.id });
    }
    expect((await env.stripe.customers.listPaymentMethods(customer.id)).data.map((pm) => pm.card!.last4)).toEqual(['3184', '9995']);
  });

  it('detaches the cards of a deleted customer', async () => {
    const customer = await newClient();
    const pm = await env.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await env.stripe.customers.del(customer.id);
    expect((await env.stripe.paymentMethods.retrieve(pm.id)).customer).toBeNull();
    await expect(env.stripe.customers.listPaymentMethods(customer.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});
