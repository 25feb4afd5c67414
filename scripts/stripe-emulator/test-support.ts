import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from './index.js';

export const WEBHOOK_SECRET = 'whsec_test_emulator_secret';

export interface ReceivedWebhook {
  rawBody: string;
  signature: string;
  headers: IncomingHttpHeaders;
  event: { id: string; type: string; data: { object: Record<string, unknown> } };
}

/** A tiny webhook endpoint: records what it gets and answers the next scripted status (200 when none is left). */
export async function startReceiver() {
  const received: ReceivedWebhook[] = [];
  const statuses: number[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const status = statuses.shift() ?? 200;
      const rawBody = Buffer.concat(chunks).toString('utf8');
      if (status >= 200 && status < 300) {
        received.push({ rawBody, signature: String(req.headers['stripe-signature']), headers: req.headers, event: JSON.parse(rawBody) });
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    /** Answers these statuses to the next requests, in order. */
    failNext: (...s: number[]) => statuses.push(...s),
    requestCount: () => requests,
    types: () => received.map((r) => r.event.type),
    async waitFor(predicate: (r: ReceivedWebhook[]) => boolean, timeoutMs = 8_000): Promise<ReceivedWebhook[]> {
      const until = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > until) throw new Error(`webhooks not received in time; got: ${received.map((r) => r.event.type).join(', ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export function stripeFor(emulator: StripeEmulator): Stripe {
  return new Stripe('sk_test_tissu_emulator', { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0 });
}

export async function startWithReceiver(opts: StripeEmulatorOptions = {}) {
  const receiver = await startReceiver();
  const emulator = await startStripeEmulator({ ...opts, webhooks: [{ url: receiver.url, secret: WEBHOOK_SECRET }] });
  const stripe = stripeFor(emulator);
  return {
    emulator,
    receiver,
    stripe,
    async stop() {
      await emulator.stop();
      await receiver.close();
    },
  };
}

export function createCoopAccount(stripe: Stripe, name = 'Coop Ménage Plateau') {
  return stripe.accounts.create({
    type: 'express',
    country: 'CA',
    email: 'admin@coop.example',
    business_type: 'non_profit',
    business_profile: { name },
    capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
    metadata: { coop_id: 'coop-1' },
  });
}

/** An account that went through onboarding (through the test control, not the page). */
export async function onboardedAccount(emulator: StripeEmulator, stripe: Stripe): Promise<Stripe.Account> {
  const account = await createCoopAccount(stripe);
  const res = await fetch(`${emulator.url}/_emulator/accounts/${account.id}/onboard`, { method: 'POST' });
  if (!res.ok) throw new Error(`onboarding failed: ${res.status}`);
  return stripe.accounts.retrieve(account.id);
}

export function createBookingSession(stripe: Stripe, destination: string, extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [
      { quantity: 2, price_data: { currency: 'cad', unit_amount: 2500, product_data: { name: 'Ménage 2 h', description: 'Grand ménage, Plateau' } } },
    ],
    payment_intent_data: { application_fee_amount: 250, transfer_data: { destination }, metadata: { booking_id: 'bk_1' } },
    metadata: { booking_id: 'bk_1' },
    client_reference_id: 'bk_1',
    customer_email: 'client@example.com',
    success_url: 'http://127.0.0.1:5173/bookings/bk_1/paid?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://127.0.0.1:5173/bookings/bk_1',
    ...extra,
  });
}

export async function emulatorPost(emulator: StripeEmulator, path: string, body?: unknown) {
  const res = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
