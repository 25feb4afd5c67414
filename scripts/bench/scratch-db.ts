import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { createDb, runMigrations, startEmbeddedPostgres, type Database } from '@tissu/db';

export interface ScratchDb {
  url: string;
  database: Database;
  drop(): Promise<void>;
}

/**
 * A migrated, empty database for one benchmark: on the server at `serverUrl` when given,
 * otherwise on an embedded PostgreSQL that is deleted afterwards.
 */
export async function scratchDatabase(serverUrl?: string, port = 54341): Promise<ScratchDb> {
  let adminUrl = serverUrl;
  let stop: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (!adminUrl) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tissu-bench-'));
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port, persistent: false });
    adminUrl = pg.adminUrl;
    stop = pg.stop;
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  await runMigrations(url);
  const database = createDb(url, { max: 20 });
  return {
    url,
    database,
    async drop() {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      await stop?.();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
