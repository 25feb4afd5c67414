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
});

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`
  Tissu is running.

    Web:        ${stack.webUrl}
    API:        ${stack.apiUrl}   (docs: ${stack.apiUrl}/docs)
    Database:   ${stack.config.databaseUrl ? 'DATABASE_URL' : 'embedded PostgreSQL in .data/pg'}${stack.seeded ? ' (demo data loaded)' : ''}
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
