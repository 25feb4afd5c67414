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

async function paidBooking(): Promise<{ piId: string; chargeId: string }> {
  const session = await createBookingSession(env.stripe, coop.id);
  const { body } = await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/pay`);
  return { piId: body.payment_intent.id, chargeId: body.charge.id };
}

describe('Refunds', () => {
  it('refunds partly then fully, returning the fee and the transfer in proportion', async () => {
    const { piId, chargeId } = await paidBooking();
    const partial = await env.stripe.refunds.create({
      payment_intent: piId,
      amount: 2000,
      reason: 'requested_by_customer',
      metadata: { booking_id: 'bk_1' },
      refund_application_fee: true,
      reverse_transfer: true,
    });
    expect(partial).toMatchObject({ object: 'refund', amount: 2000, status: 'succeeded', charge: chargeId, payment_intent: piId, currency: 'cad', reason: 'requested_by_customer', metadata: { booking_id: 'bk_1' } });
    expect(partial.id).toMatch(/^re_/);
    let charge = await env.stripe.charges.retrieve(chargeId);
    expect(charge).toMatchObject({ amount_refunded: 2000, refunded: false });
    let fee = await env.stripe.applicationFees.retrieve(charge.application_fee as string);
    let transfer = await env.stripe.transfers.retrieve(charge.transfer as string);
    expect(fee.amount_refunded).toBe(100); // 250 × 2000 / 5000
    expect(transfer.amount_reversed).toBe(1900); // 4750 × 2000 / 5000

    const rest = await env.stripe.refunds.create({ charge: chargeId, refund_application_fee: true, reverse_transfer: true });
    expect(rest.amount).toBe(3000);
    charge = await env.stripe.charges.retrieve(chargeId);
    expect(charge).toMatchObject({ amount_refunded: 5000, refunded: true });
    fee = await env.stripe.applicationFees.retrieve(charge.application_fee as string);
    transfer = await env.stripe.transfers.retrieve(charge.transfer as string);
    expect(fee).toMatchObject({ amount_refunded: 250, refunded: true });
    expect(transfer).toMatchObject({ amount_reversed: 4750, reversed: true });
    expect(await env.stripe.refunds.retrieve(rest.id)).toMatchObject({ id: rest.id, amount: 3000 });

    const again = await env.stripe.refunds.create({ payment_intent: piId }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again).toMatchObject({ code: 'charge_already_refunded' });

    const hooks = await env.receiver.waitFor((r) => r.filter((w) => w.event.type === 'refund.created' && w.event.data.object.charge === chargeId).length === 2);
    const forCharge = hooks.filter((w) => w.event.data.object.id === chargeId || w.event.data.object.charge === chargeId).map((w) => w.event.type);
    expect(forCharge).toEqual(['charge.succeeded', 'charge.refunded', 'refund.created', 'charge.refunded', 'refund.created']);
    const lastChargeRefunded = hooks.filter((w) => w.event.type === 'charge.refunded' && w.event.data.object.id === chargeId).at(-1)!;
    expect(lastChargeRefunded.event.data.object).toMatchObject({ amount_refunded: 5000, refunded: true });
  });

  it('refuses to refund more than what remains, as a StripeInvalidRequestError', async () => {
    const { piId, chargeId } = await paidBooking();
    await env.stripe.refunds.create({ payment_intent: piId, amount: 4000 });
    const err = await env.stripe.refunds.create({ payment_intent: piId, amount: 1001 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ statusCode: 400, param: 'amount', code: 'amount_too_large' });
    expect((err as Error).message).toMatch(/greater than unrefunded amount on charge/);
    expect((await env.stripe.charges.retrieve(chargeId)).amount_refunded).toBe(4000);
    const refunds = await env.stripe.refunds.list({ payment_intent: piId });
    expect(refunds.data.map((r) => r.amount)).toEqual([4000]);
  });

  it('keeps the transfer when reverse_transfer is not asked for', async () => {
    const { piId, chargeId } = await paidBooking();
    await env.stripe.refunds.create({ payment_intent: piId });
    const charge = await env.stripe.charges.retrieve(chargeId);
    expect(charge.refunded).toBe(true);
    expect((await env.stripe.transfers.retrieve(charge.transfer as string)).amount_reversed).toBe(0);
    expect((await env.stripe.applicationFees.retrieve(charge.application_fee as string)).amount_refunded).toBe(0);
  });

  it('needs a payment intent or a charge that exists', async () => {
    await expect(env.stripe.refunds.create({})).rejects.toMatchObject({ code: 'parameter_missing' });
    await expect(env.stripe.refunds.create({ payment_intent: 'pi_nope' })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});

describe('Transfers', () => {
  it('pays a connected account from the platform balance', async () => {
    const transfer = await env.stripe.transfers.create({
      amount: 12_345,
      currency: 'cad',
      destination: coop.id,
      description: 'Ristourne 2025',
      metadata: { plan_id: 'plan_2025' },
      transfer_group: 'patronage_2025',
    });
    expect(transfer).toMatchObject({ object: 'transfer', amount: 12_345, currency: 'cad', destination: coop.id, description: 'Ristourne 2025', metadata: { plan_id: 'plan_2025' }, transfer_group: 'patronage_2025', reversed: false, livemode: false });
    expect(transfer.id).toMatch(/^tr_/);
    expect(await env.stripe.transfers.retrieve(transfer.id)).toMatchObject({ id: transfer.id, amount: 12_345 });
    const txn = await env.stripe.balanceTransactions.retrieve(transfer.balance_transaction as string);
    expect(txn).toMatchObject({ amount: -12_345, type: 'transfer', source: transfer.id });
    await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'transfer.created' && w.event.data.object.id === transfer.id));
    const byGroup = await env.stripe.transfers.list({ transfer_group: 'patronage_2025' });
    expect(byGroup.data.map((t) => t.id)).toEqual([transfer.id]);
  });

  it('reverses part of a booking transfer on its own, as Tissu does after a refund', async () => {
    const { piId, chargeId } = await paidBooking();
    await env.stripe.refunds.create({ payment_intent: piId, amount: 2000 });
    const transferId = (await env.stripe.charges.retrieve(chargeId)).transfer as string;
    const reversal = await env.stripe.transfers.createReversal(transferId, { amount: 1900 }, { idempotencyKey: `reversal-${transferId}` });
    expect(reversal).toMatchObject({ object: 'transfer_reversal', amount: 1900, transfer: transferId, currency: 'cad' });
    expect(reversal.id).toMatch(/^trr_/);
    const replay = await env.stripe.transfers.createReversal(transferId, { amount: 1900 }, { idempotencyKey: `reversal-${transferId}` });
    expect(replay.id).toBe(reversal.id);
    expect(await env.stripe.transfers.retrieve(transferId)).toMatchObject({ amount: 4750, amount_reversed: 1900, reversed: false });
    const tooMuch = await env.stripe.transfers.createReversal(transferId, { amount: 2851 }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch).toMatchObject({ param: 'amount' });
    const rest = await env.stripe.transfers.createReversal(transferId);
    expect(rest.amount).toBe(2850);
    expect(await env.stripe.transfers.retrieve(transferId)).toMatchObject({ amount_reversed: 4750, reversed: true });
    const listed = await env.stripe.transfers.listReversals(transferId);
    expect(listed.data.map((r) => r.amount)).toEqual([2850, 1900]);
    await env.receiver.waitFor((r) => r.filter((w) => w.event.type === 'transfer.reversed' && w.event.data.object.id === transferId).length === 2);
  });

  it('refuses an account that cannot receive transfers', async () => {
    const pending = await createCoopAccount(env.stripe);
    const err = await env.stripe.transfers.create({ amount: 100, currency: 'cad', destination: pending.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ param: 'destination' });
    await expect(env.stripe.transfers.create({ amount: 0, currency: 'cad', destination: coop.id })).rejects.toMatchObject({ param: 'amount' });
  });
});
