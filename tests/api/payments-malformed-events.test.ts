import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import { schema } from '@tissu/db';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { sign } from '../../scripts/stripe-emulator/index.js';

/**
 * Events signed with the webhook secret whose shape the app cannot use. Stripe retries anything
 * that is not a 2xx for days, so such an event is acknowledged without effect and logged; only
 * an event without a usable id (which could not be deduplicated) is refused. Never a 500, and
 * nothing is written.
 */
let t: TestApp;
const lines: string[] = [];

beforeAll(async () => {
  t = await createTestApp({}, { logLines: lines });
});
afterAll(() => t.close());

async function deliver(event: unknown) {
  const body = JSON.stringify(event);
  return t.app.inject({
    method: 'POST', url: '/webhooks/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': sign(body, t.config.stripe.webhookSecret) },
    payload: body,
  });
}

const recorded = async () => (await t.db.select({ id: schema.stripeEvents.id }).from(schema.stripeEvents).orderBy(asc(schema.stripeEvents.id))).map((r) => r.id);
const warnings = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; eventId?: unknown; eventType?: unknown; reason?: string })
  .filter((l) => l.msg === 'Stripe event ignored: malformed');

const notUuid = 'not-a-uuid';
const paidSession = (metadata: unknown) => ({ id: 'cs_x', object: 'checkout.session', payment_status: 'paid', payment_intent: 'pi_x', amount_total: 1000, currency: 'cad', metadata });

describe('signed Stripe events of a shape we cannot use', () => {
  it.each([
    ['a null object', { id: 'evt_null_object', type: 'checkout.session.completed', data: { object: null } }],
    ['no data', { id: 'evt_no_data', type: 'payment_intent.succeeded' }],
    ['an array for object', { id: 'evt_array_object', type: 'checkout.session.expired', data: { object: [1, 2] } }],
    ['no type', { id: 'evt_no_type', data: { object: { id: 'cs_x' } } }],
    ['a session without an id', { id: 'evt_session_no_id', type: 'checkout.session.expired', data: { object: { object: 'checkout.session' } } }],
    ['a payment id that is not a UUID', { id: 'evt_bad_payment_id', type: 'checkout.session.completed', data: { object: paidSession({ paymentId: notUuid, bookingId: notUuid }) } }],
    ['a payment id that is a number', { id: 'evt_numeric_payment_id', type: 'payment_intent.payment_failed', data: { object: { id: 'pi_x', metadata: { paymentId: 42 } } } }],
    ['a share application id that is not a UUID', { id: 'evt_bad_share_id', type: 'payment_intent.succeeded', data: { object: { id: 'pi_x', status: 'succeeded', amount: 100, currency: 'cad', metadata: { membershipApplicationId: notUuid } } } }],
    ['metadata that is not an object', { id: 'evt_string_metadata', type: 'payment_intent.succeeded', data: { object: { id: 'pi_x', metadata: 'paymentId' } } }],
    ['account requirements that are not lists', { id: 'evt_bad_requirements', type: 'account.updated', data: { object: { id: 'acct_x', requirements: { currently_due: 5 } } } }],
  ])('%s is acknowledged, changes nothing and is logged', async (_, event) => {
    const before = await recorded();
    const warned = warnings().length;
    const res = await deliver(event);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ received: true, ignored: 'malformed' });
    expect(await recorded()).toEqual(before);
    const logged = warnings().slice(warned);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 40, eventId: event.id, eventType: (event as { type?: string }).type ?? null });
    expect(logged[0]!.reason).toBeTruthy();
  });

  it.each([
    ['null', null],
    ['missing', undefined],
    ['empty', ''],
    ['a number', 12],
    ['an object', { evt: 1 }],
    ['too long', `evt_${'x'.repeat(300)}`],
  ])('an event id that is %s is refused (400): it could not be deduplicated', async (_, id) => {
    const before = await recorded();
    const res = await deliver({ id, type: 'checkout.session.completed', data: { object: paidSession({}) } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('invalid_event');
    expect(await recorded()).toEqual(before);
  });

  it('a well-formed event of a type we do not use is still recorded once', async () => {
    const event = { id: 'evt_other_type', type: 'customer.created', data: { object: { id: 'cus_x', object: 'customer' } } };
    const first = await deliver(event);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ received: true, duplicate: false });
    expect((await deliver(event)).json()).toEqual({ received: true, duplicate: true });
    expect(await recorded()).toContain('evt_other_type');
  });

  it('a wrong signature is still refused first', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/webhooks/stripe',
      headers: { 'content-type': 'application/json', 'stripe-signature': sign('{}', 'whsec_someone_else') },
      payload: JSON.stringify({ id: null, type: 'checkout.session.completed', data: { object: null } }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_signature');
  });
});
