import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startStack } from '../../scripts/stack.js';
import { freePort } from '../../scripts/free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
    apiUrl: string;
    mailDir: string;
    stripeUrl: string;
    /** The stack's database, for tests that render what the API would (every email kind). */
    databaseUrl: string;
  }
}


/** The whole product as a person meets it: a fresh database with the demo data, API and web. */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tissu-browser-'));
  const [apiPort, webPort, pgPort, stripePort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    STRIPE_API_URL: `http://127.0.0.1:${stripePort}`,
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    // The job worker sends the emails the booking tests read on the development mailbox.
    JOBS: 'on',
  };
  if (process.env.TEST_DATABASE_URL) {
    // An external server: a private database on it, created by the stack's migrations.
    env.DATABASE_URL = process.env.TEST_DATABASE_URL;
  }
  const stack = await startStack({
    env,
    pgDir: path.join(dataDir, 'pg'),
    persistent: false,
    apiPort,
    webPort,
    buildWeb: false,
    quiet: true,
  });
  project.provide('webUrl', stack.webUrl);
  project.provide('apiUrl', stack.apiUrl);
  project.provide('mailDir', stack.config.mailDir);
  project.provide('stripeUrl', stack.stripeUrl ?? '');
  project.provide('databaseUrl', stack.database.url);
  return () => stack.stop();
}
