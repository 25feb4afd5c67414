/**
 * A local Stripe-compatible emulator for development and tests: the official `stripe` SDK is
 * pointed at it with `new Stripe(key, { host: '127.0.0.1', port, protocol: 'http' })`.
 * It keeps state in memory, serves test Checkout and Connect onboarding pages, and sends
 * webhooks signed as Stripe signs them. Only what Tissu uses is implemented.
 *
 * Standalone: pnpm exec tsx scripts/stripe-emulator/index.ts --port 12111 \
 *   --webhook http://127.0.0.1:4000/webhooks/stripe --secret whsec_...
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Emulator } from './context.js';
import { EventLog } from './events.js';
import { feeSchedule } from './money.js';
import { expireDueSessions } from './resources/checkout-sessions.js';
import { buildServer } from './server.js';
import { stateOf, type EmulatorState } from './state.js';
import { Store } from './store.js';
import { WebhookDispatcher, type ReleaseOrder } from './webhooks.js';

export { sign } from './webhooks.js';
export type { EmulatorState } from './state.js';
export type { DeliveryAttempt, ReleaseOrder } from './webhooks.js';

/** The API version of the stripe SDK v23 the project uses; events carry it. */
export const DEFAULT_API_VERSION = '2026-10-28.endive';

export interface StripeEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A loopback address; 127.0.0.1 by default. */
  host?: string;
  /** Base of the checkout and onboarding URLs handed to browsers; http://host:port by default. */
  publicUrl?: string;
  webhooks?: Array<{ url: string; secret: string }>;
  /** Stripe's card fee: feePercent % of the amount (rounded half up) + feeFixedCents. 2.9 % + 30 ¢ by default. */
  feePercent?: number;
  feeFixedCents?: number;
  apiVersion?: string;
  /** Waits before each webhook retry; tries = length + 1. Default 0.2 s, 1 s, 3 s, 9 s (5 tries). */
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs?: number;
  logger?: boolean;
}

export interface StripeEmulator {
  url: string;
  port: number;
  addWebhook(url: string, secret: string): void;
  stop(): Promise<void>;
  state: EmulatorState;
  /** The same controls as the /_emulator/webhooks routes. */
  webhooks: {
    pause(): void;
    release(order?: ReleaseOrder): string[];
    resend(eventId: string): number;
    /** Resolves when no delivery is under way or waiting for a retry. */
    idle(): Promise<void>;
  };
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|::1)$/;

export async function startStripeEmulator(opts: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK_HOST.test(host)) throw new Error(`The Stripe emulator listens only on loopback addresses, not ${host}`);
  const store = new Store();
  let events: EventLog | undefined;
  const webhooks = new WebhookDispatcher({
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [200, 1_000, 3_000, 9_000],
    timeoutMs: opts.webhookTimeoutMs ?? 10_000,
    onDelivered: (eventId, endpointId) => events?.delivered(eventId, endpointId),
  });
  const apiVersion = opts.apiVersion ?? DEFAULT_API_VERSION;
  events = new EventLog(store, webhooks, apiVersion);
  const emu: Emulator = {
    store,
    events,
    webhooks,
    checkout: new Map(),
    cards: new Map(),
    detachedPaymentMethods: new Set(),
    faults: [],
    config: { publicUrl: '', fees: feeSchedule(opts.feePercent ?? 2.9, opts.feeFixedCents ?? 30), apiVersion },
  };
  for (const w of opts.webhooks ?? []) webhooks.addEndpoint(w.url, w.secret);

  const app = buildServer(emu, opts.logger ?? false);
  await app.listen({ host, port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  emu.config.publicUrl = (opts.publicUrl ?? url).replace(/\/$/, '');

  const sweep = setInterval(() => expireDueSessions(emu), 1_000);
  sweep.unref();

  return {
    url,
    port,
    addWebhook: (whUrl, secret) => void webhooks.addEndpoint(whUrl, secret),
    async stop() {
      clearInterval(sweep);
      await webhooks.stop();
      await app.close();
    },
    state: stateOf(emu),
    webhooks: {
      pause: () => webhooks.pause(),
      release: (order) => webhooks.release(order),
      resend: (eventId) => webhooks.resend(store.require(eventId, 'event')),
      idle: () => webhooks.idle(),
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '12111' },
      host: { type: 'string', default: '127.0.0.1' },
      'public-url': { type: 'string' },
      webhook: { type: 'string', multiple: true, default: [] },
      secret: { type: 'string', multiple: true, default: [] },
    },
  });
  const secrets = values.secret ?? [];
  const webhooks = (values.webhook ?? []).map((url, i) => {
    const secret = secrets[i] ?? secrets[0];
    if (!secret) throw new Error(`--webhook ${url} needs a --secret whsec_…`);
    return { url, secret };
  });
  const emulator = await startStripeEmulator({
    port: Number(values.port),
    host: values.host,
    publicUrl: values['public-url'],
    webhooks,
    logger: false,
  });
  console.log(`Stripe emulator listening on ${emulator.url}`);
  console.log(`  SDK: new Stripe('sk_test_…', { host: '${values.host}', port: ${emulator.port}, protocol: 'http' })`);
  for (const w of webhooks) console.log(`  webhooks -> ${w.url}`);
  const shutdown = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
