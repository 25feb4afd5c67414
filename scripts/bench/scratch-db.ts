import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { createDb, runMigrations, startEmbeddedPostgres, type Database } from '@tissu/db';
import { freePort } from '../free-port.js';

/** The PostgreSQL server the benchmarks create their databases on. */
export interface BenchServer {
  adminUrl: string;
  description: string;
  stop(): Promise<void>;
}

/**
 * The server at `serverUrl` (a role that may create databases; left running), or an embedded
 * PostgreSQL in a temporary folder, deleted when stopped.
 */
export async function benchServer(serverUrl?: string, fixedPort?: number): Promise<BenchServer> {
  if (serverUrl) {
    return { adminUrl: serverUrl, description: "DATABASE_URL's server (scratch databases, dropped at the end)", stop: async () => {} };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tissu-bench-'));
  // A free port: two checkouts can run their benchmarks side by side.
  const port = fixedPort ?? (await freePort());
  try {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port, persistent: false });
    return {
      adminUrl: pg.adminUrl,
      description: `embedded PostgreSQL on 127.0.0.1:${port} (temporary folder, deleted at the end)`,
      async stop() {
        await pg.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

export interface ScratchDb {
  url: string;
  database: Database;
  drop(): Promise<void>;
}

/** A migrated, empty database of its own on `server`, dropped by `drop()`. */
export async function scratchDatabase(server: BenchServer, options: { max?: number } = {}): Promise<ScratchDb> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const u = new URL(server.adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const drop = async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end({ timeout: 5 });
  };
  try {
    await runMigrations(url);
  } catch (e) {
    await drop();
    throw e;
  }
  const database = createDb(url, { max: options.max ?? 20 });
  return {
    url,
    database,
    async drop() {
      await database.close();
      await drop();
    },
  };
}

