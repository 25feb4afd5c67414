import { writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { createDb } from '@tissu/db';
import { buildApp } from '../server/src/app.js';
import { loadConfig, repoRoot } from '../server/src/plugins/env.js';

/**
 * Writes the contract from the routes' zod schemas: server/openapi.json, then the web's types
 * generated from it (web/src/lib/server/api/schema.d.ts), which its client is typed with. Both are
 * committed, and CI regenerates them and fails on any difference, so the published contract and
 * the web's calls never drift from the code.
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

export async function generateApiTypes(openapiJson: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(openapiJson), { alphabetize: false });
  return '/** Generated from server/openapi.json by `pnpm openapi` (openapi-typescript): do not edit. */\n\n' + astToString(ast);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const doc = await generateOpenApi();
  const outputs = {
    'server/openapi.json': doc,
    'web/src/lib/server/api/schema.d.ts': await generateApiTypes(doc),
  };
  for (const [file, content] of Object.entries(outputs)) {
    writeFileSync(path.join(repoRoot, file), content);
    console.log(`wrote ${file}`);
  }
}
