import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { runMigrations, startEmbeddedPostgres, withDatabase } from '@tissu/db';
import postgres from 'postgres';
import { freePort } from '../../scripts/free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}


/**
 * One PostgreSQL for the whole run: the embedded one (fresh, deleted afterwards) or the server at
 * TEST_DATABASE_URL. The migrated template lets each test file clone its own database in ~50 ms.
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    // Each project that uses this setup (api, faults) gets its own server: a folder and a free port.
    const pg = await startEmbeddedPostgres({
      dataDir: path.resolve('.data', `pg-test-${process.pid}-${project.name}`),
      port: await freePort(),
      persistent: false,
    });
    adminUrl = pg.adminUrl;
    stop = pg.stop;
  }
  // One template per project, so projects sharing an external server do not drop each other's.
  const TEMPLATE = `tissu_test_template_${project.name}`;
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await sql.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
  await sql.unsafe(`CREATE DATABASE ${TEMPLATE}`);
  await sql.end();
  await runMigrations(withDatabase(adminUrl, TEMPLATE));
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', TEMPLATE);
  return async () => {
    await stop?.();
  };
}

