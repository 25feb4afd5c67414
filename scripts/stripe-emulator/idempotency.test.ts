import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingSession, emulatorPost, onboardedAccount, startWithReceiver } from './test-support.js';

let env: Awaited<ReturnType<typeof startWithReceiver>>;
let coop: Stripe.Account;
beforeAll(async () => {
  env = await startWithReceiver();
  coop = await onboardedAccount(env.emulator, env.stripe);
});
afterAll(() => env.stop());

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and parameters, with no second effect', async () => {
    const before = env.emulator.state.checkoutSessions().length;
    const first = await env.stripe.checkout.sessions.create(
      { mode: 'payment', success_url: 'http://127.0.0.1/s', line_items: [{ quantity: 1, price_data: { currency: 'cad', unit_amount: 1000, product_data: { name: 'Garde' } } }] },
      { idempotencyKey: 'booking-bk_9-checkout' },
    );
    const replay = await env.stripe.checkout.sessions.create(
      { mode: 'payment', success_url: 'http://127.0.0.1/s', line_items: [{ quantity: 1, price_data: { currency: 'cad', unit_amount: 1000, product_data: { name: 'Garde' } } }] },
      { idempotencyKey: 'booking-bk_9-checkout' },
    );
    expect(replay.id).toBe(first.id);
    expect(replay).toEqual(first);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(env.emulator.state.checkoutSessions().length).toBe(before + 1);
  });

  it('does not refund twice when a refund is retried with its key', async () => {
    const session = await createBookingSession(env.stripe, coop.id);
    const { body } = await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/pay`);
    const a = await env.stripe.refunds.create({ payment_intent: body.payment_intent.id, amount: 1000 }, { idempotencyKey: 'refund-bk_1-1' });
    const b = await env.stripe.refunds.create({ payment_intent: body.payment_intent.id, amount: 1000 }, { idempotencyKey: 'refund-bk_1-1' });
    expect(b.id).toBe(a.id);
    expect((await env.stripe.charges.retrieve(body.charge.id)).amount_refunded).toBe(1000);
    expect(env.emulator.state.refunds().filter((r) => r.charge === body.charge.id)).toHaveLength(1);
  });

  it('refuses the same key with other parameters or on another endpoint', async () => {
    await env.stripe.transfers.create({ amount: 500, currency: 'cad', destination: coop.id }, { idempotencyKey: 'transfer-1' });
    const other = await env.stripe.transfers.create({ amount: 501, currency: 'cad', destination: coop.id }, { idempotencyKey: 'transfer-1' }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(other).toMatchObject({ statusCode: 400 });
    const elsewhere = await env.stripe.accounts
      .create({ type: 'express', capabilities: { transfers: { requested: true } } }, { idempotencyKey: 'transfer-1' })
      .catch((e: unknown) => e);
    expect(elsewhere).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(env.emulator.state.transfers().filter((t) => t.amount === 501)).toHaveLength(0);
  });

  it('lets a key be reused after a request that failed validation', async () => {
    await expect(env.stripe.transfers.create({ amount: 700, currency: 'cad' } as never, { idempotencyKey: 'transfer-2' })).rejects.toMatchObject({ code: 'parameter_missing' });
    const ok = await env.stripe.transfers.create({ amount: 700, currency: 'cad', destination: coop.id }, { idempotencyKey: 'transfer-2' });
    expect(ok.amount).toBe(700);
  });
});
