import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '@tissu/db';
import { buildApp } from '../server/src/app.js';
import { loadConfig, repoRoot } from '../server/src/plugins/env.js';

/**
 * Writes server/openapi.json from the routes' zod schemas. It is committed, and CI regenerates it
 * and fails on any difference, so the published contract never drifts from the code.
 * No query runs: the pool connects lazily, so an unreachable URL is fine here.
 */
export async function generateOpenApi(): Promise<string> {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), DATA_DIR: path.join(repoRoot, '.data'), LOG_LEVEL: 'silent' });
  const database = createDb('postgres://openapi@127.0.0.1:9/openapi', { max: 1 });
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  const doc = JSON.stringify((await app.inject('/openapi.json')).json(), null, 2) + '\n';
  await app.close();
  await database.close();
  return doc;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = path.join(repoRoot, 'server/openapi.json');
  writeFileSync(out, await generateOpenApi());
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
