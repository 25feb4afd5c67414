import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createDb, runMigrations, startEmbeddedPostgres, type Database } from '@tissu/db';
import { buildApp } from '../server/src/app.js';
import { loadConfig, repoRoot, type Config } from '../server/src/plugins/env.js';
import { seedDemo } from './seed/index.js';
import { syncEmulatorAccounts } from './seed/payments.js';
import { createStripeGateway } from '../server/src/plugins/stripe.js';
import { startStripeEmulator, type StripeEmulator } from './stripe-emulator/index.js';

export interface StackOptions {
  /** Environment as the API would read it (defaults to process.env). */
  env?: Record<string, string | undefined>;
  /** Folder for the embedded database, when no DATABASE_URL is given. */
  pgDir: string;
  persistent: boolean;
  databaseName?: string;
  apiPort: number;
  webPort: number;
  buildWeb: boolean;
  quiet?: boolean;
}

export interface Stack {
  config: Config;
  database: Database;
  api: FastifyInstance;
  apiUrl: string;
  webUrl: string;
  stripeUrl: string | null;
  seeded: boolean;
  stop(): Promise<void>;
}

export function buildWeb(quiet = false): void {
  const r = spawnSync('pnpm', ['--filter', '@tissu/web', 'build'], { cwd: repoRoot, stdio: quiet ? 'pipe' : 'inherit' });
  if (r.status !== 0) throw new Error(`web build failed\n${r.stderr?.toString() ?? ''}`);
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`web process exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** PostgreSQL (embedded unless DATABASE_URL), migrations, demo data, the API and the web. */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const env = { ...(opts.env ?? process.env), PORT: String(opts.apiPort), WEB_PORT: String(opts.webPort) };
  const config = loadConfig(env);
  let stopPg: (() => Promise<void>) | undefined;
  let url = config.databaseUrl;
  if (!url) {
    const pg = await startEmbeddedPostgres({ dataDir: opts.pgDir, port: config.embeddedPgPort, persistent: opts.persistent });
    const name = opts.databaseName ?? config.embeddedPgDatabase;
    await pg.ensureDatabase(name);
    url = pg.databaseUrl(name);
    stopPg = pg.stop;
  }
  await runMigrations(url);
  const database = createDb(url);
  const { seeded } = await seedDemo(database.db);

  // The Stripe emulator, unless real Stripe keys are configured.
  let emulator: StripeEmulator | undefined;
  if (config.stripe.apiUrl) {
    const port = Number(new URL(config.stripe.apiUrl).port);
    emulator = await startStripeEmulator({ port, webhooks: [{ url: `http://127.0.0.1:${config.port}/webhooks/stripe`, secret: config.stripe.webhookSecret }] });
    await syncEmulatorAccounts(database.db, createStripeGateway(config.stripe), emulator.url);
  }

  const api = await buildApp({ config, database, logger: opts.quiet ? false : undefined });
  await api.listen({ host: config.host, port: config.port });
  const apiUrl = `http://127.0.0.1:${config.port}`;

  if (opts.buildWeb || !existsSync(path.join(repoRoot, 'web/build/index.js'))) buildWeb(opts.quiet);
  const webUrl = `http://localhost:${opts.webPort}`;
  const web = spawn(process.execPath, [path.join(repoRoot, 'web/build/index.js')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      API_URL: apiUrl,
      PORT: String(opts.webPort),
      HOST: '127.0.0.1',
      ORIGIN: webUrl,
      NODE_ENV: 'production',
    },
    stdio: opts.quiet ? 'ignore' : 'inherit',
  });
  await waitForHttp(webUrl, web);

  return {
    config,
    database,
    api,
    apiUrl,
    webUrl,
    stripeUrl: emulator?.url ?? null,
    seeded,
    async stop() {
      web.kill('SIGTERM');
      await api.close();
      await emulator?.stop();
      await database.close();
      await stopPg?.();
    },
  };
}
