import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { schema } from '@tissu/db';
import type { FieldErrors } from '@tissu/shared';
import { buildApp } from '../../server/src/app.js';
import { loadConfig, type Config } from '../../server/src/plugins/env.js';
import { createMailer, type Mailer } from '../../server/src/plugins/mailer.js';
import { createTestDatabase } from './test-db.js';
import { startStripeEmulator, type StripeEmulator } from '../../scripts/stripe-emulator/index.js';
import { loggerOptions } from '../../server/src/plugins/logger.js';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';

export interface TestApp {
  app: FastifyInstance;
  db: Awaited<ReturnType<typeof createTestDatabase>>['database']['db'];
  database: Awaited<ReturnType<typeof createTestDatabase>>['database'];
  config: Config;
  mailer: Mailer;
  /** Sends what the outbox holds, as the mail worker would, and lists every email sent so far. */
  sentMail(): ReturnType<Mailer['list']>;
  /** The local Stripe emulator this app talks to; its webhooks reach the app over loopback. */
  stripe: StripeEmulator;
  close(): Promise<void>;
}

/**
 * The real app on a real, private database; only the outside world (mail folder) is local.
 * `now` moves the clock of the fiscal and assembly rules (closing a year once it is over, voting windows).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  opts: { now?: () => Date; /** Every log line, with the production logger settings at debug level. */ logLines?: string[] } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tissu-test-'));
  const stripe = await startStripeEmulator({ port: 0, webhookRetryDelaysMs: [100, 300, 1000] });
  const config = loadConfig({
    STRIPE_API_URL: stripe.url,
    STRIPE_WEBHOOK_SECRET: 'whsec_test_tissu',
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    // A test sends a co-op's offers faster than people do; tests/api/quotes-gaps.test.ts checks the limit itself.
    QUOTE_RATE_LIMIT_PER_MINUTE: '10000',
    ...env,
  });
  const tdb = await createTestDatabase();
  const mailer = createMailer(config);
  // TEST_LOG=error shows the API's own log lines while a test runs.
  const logger = opts.logLines
    ? loggerOptions({ logLevel: 'debug' }, { write: (line: string) => void opts.logLines!.push(line) })
    : process.env.TEST_LOG ? { level: process.env.TEST_LOG } : false;
  const app = await buildApp({ config, database: tdb.database, mailer, now: opts.now, logger });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  stripe.addWebhook(`${address}/webhooks/stripe`, config.stripe.webhookSecret);
  return {
    app,
    db: tdb.database.db,
    database: tdb.database,
    config,
    mailer,
    stripe,
    async sentMail() {
      await dispatchOutbox(tdb.database.db, mailer, { webOrigin: config.webOrigin });
      return mailer.list();
    },
    async close() {
      const t0 = Date.now();
      // The emulator first: stopping it aborts its webhook deliveries still in flight. Closed after
      // the app, a delivery that was running when the app began to close left its keep-alive
      // connection open, and the server waited for it (72 s) — 2 runs in 6 timed out at 30 s.
      await stripe.stop();
      const t1 = Date.now();
      await app.close();
      const t2 = Date.now();
      await tdb.drop();
      if (process.env.TEST_TIMINGS) console.log(`close: emulator ${t1 - t0} ms, app ${t2 - t1} ms, drop ${Date.now() - t2} ms`);
    },
  };
}

export interface SignedIn {
  token: string;
  refreshToken: string;
  userId: string;
  email: string;
  auth: { authorization: string };
}

let counter = 0;
/**
 * Signs up a new account (a client, until given more), confirms its address as the emailed link
 * would (unless `verified: false`), signs in and returns its bearer header.
 */
export async function signUp(
  app: FastifyInstance,
  over: { email?: string; name?: string; locale?: 'fr' | 'en'; verified?: boolean } = {},
): Promise<SignedIn> {
  const email = over.email ?? `user${++counter}-${Date.now()}@example.org`;
  const password = 'correct horse battery';
  const res = await app.inject({
    method: 'POST',
    url: '/auth/sign-up',
    payload: { email, password, name: over.name ?? 'Test User', locale: over.locale ?? 'fr' },
  });
  if (res.statusCode !== 202) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
  if (over.verified !== false) {
    await app.db.update(schema.users).set({ emailVerifiedAt: new Date() }).where(sql`lower(${schema.users.email}) = lower(${email.trim()})`);
  }
  const signIn = await app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email, password } });
  if (signIn.statusCode !== 200) throw new Error(`sign-in after sign-up failed: ${signIn.statusCode} ${signIn.body}`);
  const body = signIn.json();
  return {
    token: body.accessToken,
    refreshToken: body.refreshToken,
    userId: body.user.id,
    email,
    auth: { authorization: `Bearer ${body.accessToken}` },
  };
}

/** Stewards are appointed by the platform co-op's board, not through the API. */
export async function makeSteward(t: TestApp, userId: string): Promise<void> {
  await t.db.update(schema.users).set({ isSteward: true }).where(eq(schema.users.id, userId));
}

export function errorOf(res: LightMyRequestResponse): { code: string; message: string; fields?: FieldErrors } {
  return res.json().error;
}
