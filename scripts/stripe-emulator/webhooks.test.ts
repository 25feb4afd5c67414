import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sign, startStripeEmulator } from './index.js';
import { createBookingSession, emulatorPost, onboardedAccount, startReceiver, startWithReceiver, WEBHOOK_SECRET } from './test-support.js';

let env: Awaited<ReturnType<typeof startWithReceiver>>;
let coop: Stripe.Account;
beforeAll(async () => {
  env = await startWithReceiver();
  coop = await onboardedAccount(env.emulator, env.stripe);
  await env.emulator.webhooks.idle();
});
afterAll(() => env.stop());
beforeEach(async () => {
  await env.emulator.webhooks.idle();
  env.receiver.received.length = 0;
});

async function paidSession() {
  const session = await createBookingSession(env.stripe, coop.id);
  const { body } = await emulatorPost(env.emulator, `/_emulator/checkout/${session.id}/pay`);
  return { session, piId: body.payment_intent.id as string };
}

describe('webhooks', { timeout: 15_000 }, () => {
  it('signs as Stripe does: the SDK accepts the event and rejects a tampered body', async () => {
    const { session } = await paidSession();
    const [hook] = await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'checkout.session.completed'));
    const received = env.receiver.received.find((w) => w.event.type === 'checkout.session.completed')!;
    expect(hook).toBeDefined();
    expect(received.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(received.headers['content-type']).toContain('application/json');

    const event = env.stripe.webhooks.constructEvent(received.rawBody, received.signature, WEBHOOK_SECRET);
    expect(event).toMatchObject({ object: 'event', type: 'checkout.session.completed', livemode: false });
    expect(event.id).toMatch(/^evt_/);
    expect(event.api_version).toBeTruthy();
    expect(event.request).toEqual({ id: null, idempotency_key: null });
    expect(event.data.object).toMatchObject({ id: session.id, status: 'complete', payment_status: 'paid', client_reference_id: 'bk_1' });

    const tampered = received.rawBody.replace('"paid"', '"unpaid"');
    expect(() => env.stripe.webhooks.constructEvent(tampered, received.signature, WEBHOOK_SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => env.stripe.webhooks.constructEvent(received.rawBody, received.signature, 'whsec_other')).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('sends the payment events in order: payment_intent.succeeded, charge.succeeded, checkout.session.completed', async () => {
    const { piId } = await paidSession();
    await env.receiver.waitFor((r) => r.length >= 3);
    expect(env.receiver.types()).toEqual(['payment_intent.succeeded', 'charge.succeeded', 'checkout.session.completed']);
    expect(env.receiver.received[0]!.event.data.object).toMatchObject({ id: piId, status: 'succeeded' });
  });

  it('signs with the same scheme as the SDK test helper', () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event' });
    const header = env.stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: 1_700_000_000 });
    expect(sign(payload, WEBHOOK_SECRET, 1_700_000_000)).toBe(header);
  });

  it('retries with backoff until the endpoint answers 2xx, then clears pending_webhooks', async () => {
    env.receiver.failNext(500, 503);
    const transfer = await env.stripe.transfers.create({ amount: 100, currency: 'cad', destination: coop.id });
    await env.receiver.waitFor((r) => r.some((w) => w.event.type === 'transfer.created'), 6_000);
    await env.emulator.webhooks.idle();
    const event = env.emulator.state.events().find((e) => e.type === 'transfer.created' && e.data.object.id === transfer.id)!;
    const attempts = env.emulator.state.deliveries().filter((d) => d.eventId === event.id);
    expect(attempts.map((a) => [a.attempt, a.status, a.ok])).toEqual([
      [1, 500, false],
      [2, 503, false],
      [3, 200, true],
    ]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(180);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(900);
    const fromApi = await env.stripe.events.retrieve(event.id);
    expect(fromApi).toMatchObject({ id: event.id, type: 'transfer.created', pending_webhooks: 0 });
    expect(fromApi.request).toMatchObject({ id: expect.stringMatching(/^req_/) });
  });

  it('resends an event: the receiver sees the same event id twice', async () => {
    const transfer = await env.stripe.transfers.create({ amount: 200, currency: 'cad', destination: coop.id });
    await env.receiver.waitFor((r) => r.some((w) => w.event.data.object.id === transfer.id));
    const eventId = env.receiver.received.find((w) => w.event.data.object.id === transfer.id)!.event.id;
    const res = await emulatorPost(env.emulator, `/_emulator/events/${eventId}/resend`);
    expect(res.body).toMatchObject({ resent: 1 });
    await env.receiver.waitFor((r) => r.filter((w) => w.event.id === eventId).length === 2);
    const copies = env.receiver.received.filter((w) => w.event.id === eventId);
    expect(env.stripe.webhooks.constructEvent(copies[1]!.rawBody, copies[1]!.signature, WEBHOOK_SECRET).id).toBe(eventId);
  });

  it('holds deliveries and releases them in reverse order', async () => {
    await emulatorPost(env.emulator, '/_emulator/webhooks/pause');
    await paidSession();
    await new Promise((r) => setTimeout(r, 100));
    expect(env.receiver.received).toHaveLength(0);
    const status = await (await fetch(`${env.emulator.url}/_emulator/webhooks`)).json();
    expect(status.held.map((h: { type: string }) => h.type)).toEqual(['payment_intent.succeeded', 'charge.succeeded', 'checkout.session.completed']);
    const released = await emulatorPost(env.emulator, '/_emulator/webhooks/release', { order: 'reverse' });
    expect(released.body.released).toHaveLength(3);
    expect(released.body.paused).toBe(false);
    await env.receiver.waitFor((r) => r.length === 3);
    expect(env.receiver.types()).toEqual(['checkout.session.completed', 'charge.succeeded', 'payment_intent.succeeded']);
  });

  it('releases held events one by one in a chosen order', async () => {
    env.emulator.webhooks.pause();
    await paidSession();
    const held = env.emulator.state.events().slice(-3);
    const [pi, charge, completed] = held.map((e) => e.id);
    await emulatorPost(env.emulator, '/_emulator/webhooks/release', { order: [charge] });
    await env.receiver.waitFor((r) => r.length === 1);
    await emulatorPost(env.emulator, '/_emulator/webhooks/release', { order: [completed, pi] });
    await env.receiver.waitFor((r) => r.length === 3);
    expect(env.receiver.received.map((w) => w.event.id)).toEqual([charge, completed, pi]);
    env.emulator.webhooks.release('forward');
  });

  it('lists events newest first, filtered by type', async () => {
    const { session } = await paidSession();
    const completed = await env.stripe.events.list({ type: 'checkout.session.completed', limit: 1 });
    expect(completed.data[0]!.data.object).toMatchObject({ id: session.id });
    const all = await env.stripe.events.list({ limit: 3 });
    expect(all.data.map((e) => e.type)).toEqual(['checkout.session.completed', 'charge.succeeded', 'payment_intent.succeeded']);
  });
});

describe('webhook endpoints that are down', { timeout: 15_000 }, () => {
  it('keeps retrying while the endpoint is unreachable and delivers once it is up', async () => {
    // Down, then up, on one port held all along: freeing the port and listening on it again later
    // lost it to another process now and then (EADDRINUSE in a full run). Down drops each connection.
    const { createServer } = await import('node:http');
    const bodies: string[] = [];
    let up = false;
    const server = createServer((req, res) => {
      if (!up) {
        req.socket.destroy();
        return;
      }
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        bodies.push(raw);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const emulator = await startStripeEmulator({ webhookRetryDelaysMs: [100, 300, 600] });
    try {
      const added = await emulatorPost(emulator, '/_emulator/webhook_endpoints', { url: `http://127.0.0.1:${port}/webhooks/stripe`, secret: WEBHOOK_SECRET });
      expect(added.status).toBe(200);
      const refused = await emulatorPost(emulator, '/_emulator/webhook_endpoints', { url: 'http://192.0.2.1/hook', secret: 'x' });
      expect(refused.status).toBe(400);
      const stripe = new Stripe('sk_test_x', { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
      const account = await stripe.accounts.create({ type: 'express', capabilities: { transfers: { requested: true } } });
      await emulatorPost(emulator, `/_emulator/accounts/${account.id}/onboard`, { outcome: 'incomplete' });
      await new Promise((r) => setTimeout(r, 250));
      up = true;
      await emulator.webhooks.idle();
      const attempts = emulator.state.deliveries();
      expect(attempts[0]).toMatchObject({ ok: false, status: null });
      expect(attempts.at(-1)).toMatchObject({ ok: true, status: 200 });
      expect(bodies).toHaveLength(1);
      expect(JSON.parse(bodies[0]!)).toMatchObject({ type: 'account.updated', data: { object: { id: account.id, details_submitted: true } } });
    } finally {
      await emulator.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
