import { createDb, runMigrations, startEmbeddedPostgres } from '@tissu/db';
import path from 'node:path';
import { buildApp } from './app.js';
import { loadConfig } from './plugins/env.js';

/**
 * Process entry: connects to DATABASE_URL, or starts the embedded PostgreSQL kept in the data
 * folder; migrates; serves. SIGTERM/SIGINT close the server, then the pool, then the database.
 */
const config = loadConfig();
let stopEmbedded: (() => Promise<void>) | undefined;
let url = config.databaseUrl;
if (!url) {
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(config.dataDir, 'pg'),
    port: config.embeddedPgPort,
    persistent: true,
  });
  await pg.ensureDatabase(config.embeddedPgDatabase);
  url = pg.databaseUrl(config.embeddedPgDatabase);
  stopEmbedded = pg.stop;
}
await runMigrations(url);
const database = createDb(url);
const app = await buildApp({ config, database });
await app.listen({ host: config.host, port: config.port });

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await database.close();
    await stopEmbedded?.();
    process.exit(0);
  });
}
