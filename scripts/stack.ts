import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createDb, runMigrations, startEmbeddedPostgres, type Database } from '@tissu/db';
import { buildApp } from '../server/src/app.js';
import { loadConfig, repoRoot, type Config } from '../server/src/plugins/env.js';
import { seedDemo } from './seed/index.js';
import { syncEmulatorAccounts } from './seed/payments.js';
import { seedDemoSeries } from './seed/series.js';
import { createStripeGateway } from '../server/src/plugins/stripe.js';
import { createStorage } from '../server/src/plugins/storage.js';
import { loggerOptions } from '../server/src/plugins/logger.js';
import { developmentLogStream } from '../server/src/plugins/dev-log.js';
import { startStripeEmulator, type StripeEmulator } from './stripe-emulator/index.js';
import { superviseParts, type Death } from './supervise.js';

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
  /** The API's log: every line (JSON) to this file, only warnings and errors to the terminal. */
  logFile?: string;
  /** The web build to serve (and to build into): web/build unless given, the bench has its own. */
  webBuildDir?: string;
  /** Called when a part (the web server) stops while nobody asked it to. */
  onPartDied?: (death: Death) => void;
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

export const DEFAULT_WEB_BUILD = path.join(repoRoot, 'web/build');

/** Builds the web into `dir` (web/svelte.config.js reads WEB_BUILD_DIR). */
export function buildWeb(quiet = false, dir = DEFAULT_WEB_BUILD): void {
  const env = dir === DEFAULT_WEB_BUILD ? process.env : { ...process.env, WEB_BUILD_DIR: dir };
  if (dir !== DEFAULT_WEB_BUILD) {
    // web/tsconfig.json extends .svelte-kit/tsconfig.json, which a build elsewhere does not write:
    // in a fresh clone (no build into web/build yet) the bench's build failed without it.
    const sync = spawnSync('pnpm', ['--filter', '@tissu/web', 'exec', 'svelte-kit', 'sync'], { cwd: repoRoot, stdio: 'pipe', env: process.env });
    if (sync.status !== 0) throw new Error(`svelte-kit sync failed\n${sync.stderr?.toString() ?? ''}`);
  }
  const r = spawnSync('pnpm', ['--filter', '@tissu/web', 'build'], { cwd: repoRoot, stdio: quiet ? 'pipe' : 'inherit', env });
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
  const { seeded } = await seedDemo(database.db, { storage: createStorage(config.media) });

  // The Stripe emulator, unless real Stripe keys are configured.
  let emulator: StripeEmulator | undefined;
  if (config.stripe.apiUrl) {
    const port = Number(new URL(config.stripe.apiUrl).port);
    emulator = await startStripeEmulator({ port, webhooks: [{ url: `http://127.0.0.1:${config.port}/webhooks/stripe`, secret: config.stripe.webhookSecret }] });
    await syncEmulatorAccounts(database.db, createStripeGateway(config.stripe), emulator.url);
  }
  // The demo client's weekly cleaning, once its co-op can take payments (so the co-op accepts it).
  if (seeded) await seedDemoSeries(database.db);

  const logStream = opts.logFile && !opts.quiet ? developmentLogStream(opts.logFile) : undefined;
  const logger = opts.quiet ? false : logStream ? { ...loggerOptions(config), stream: logStream } : undefined;
  const api = await buildApp({ config, database, logger });
  await api.listen({ host: config.host, port: config.port });
  const apiUrl = `http://127.0.0.1:${config.port}`;

  const webBuildDir = opts.webBuildDir ?? DEFAULT_WEB_BUILD;
  if (opts.buildWeb || !existsSync(path.join(webBuildDir, 'handler.js'))) buildWeb(opts.quiet, webBuildDir);
  const webUrl = `http://localhost:${opts.webPort}`;
  // Our own server around adapter-node's handler: security headers on every answer (web/server).
  const web = spawn(process.execPath, [path.join(repoRoot, 'web/server/index.js')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      API_URL: apiUrl,
      PORT: String(opts.webPort),
      HOST: '127.0.0.1',
      ORIGIN: webUrl,
      NODE_ENV: 'production',
      WEB_BUILD_DIR: webBuildDir,
      // adapter-node reads at most 512 KB of a request by default: a photo (10 MB at most, the
      // API's limit) goes through the web's form action, so the web takes a little more than that.
      BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? '11M',
    },
    stdio: opts.quiet ? 'ignore' : 'inherit',
  });
  await waitForHttp(webUrl, web);
  const watch = superviseParts({ web }, (death) => opts.onPartDied?.(death));

  return {
    config,
    database,
    api,
    apiUrl,
    webUrl,
    stripeUrl: emulator?.url ?? null,
    seeded,
    async stop() {
      watch.release();
      web.kill('SIGTERM');
      await api.close();
      await emulator?.stop();
      await database.close();
      await stopPg?.();
      await logStream?.end();
    },
  };
}
