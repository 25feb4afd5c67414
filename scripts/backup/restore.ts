/**
 * `pnpm db:restore <file> --into <database name or URL>`: restores a `pnpm db:backup` dump (or
 * any pg_dump custom-format archive of Tissu) into a new, empty database, in one transaction,
 * then proves it: every table holds the rows the backup's manifest lists and the ledger check
 * passes. A name means a database on the server of DATABASE_URL (or the embedded one).
 *
 * Exit codes: 0 restored and verified; 1 failed or did not verify; 2 refused (usage, not empty).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { databaseName, withDatabase } from '@tissu/db';
import { openServer, serverMajor, settings, type OpenServer } from './database.js';
import { countDifferences, ledgerOf, migrationCounts, readManifest, tableCounts } from './manifest.js';
import { findPgTool, printable, runPgTool } from './pg-tools.js';

const log = (line: string) => console.log(line);

class Refused extends Error {}

const USAGE = 'Usage: pnpm db:restore <backup file> --into <new database name or postgres:// URL>';

/** Relations and extensions (beyond plpgsql) a database holds: a fresh one holds none. */
async function objectsIn(sql: postgres.Sql): Promise<number> {
  const [row] = await sql`
    SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%')
         + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql') AS n`;
  return Number(row!.n);
}

/** Creates the target when it does not exist; refuses one that holds anything. Returns whether it created it. */
async function prepareTarget(target: string): Promise<boolean> {
  const name = databaseName(target);
  if (!name) throw new Refused(`${printable(target)} names no database.`);
  const admin = postgres(withDatabase(target, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    const [found] = await admin`SELECT 1 AS yes FROM pg_database WHERE datname = ${name}`;
    if (!found) {
      await admin`CREATE DATABASE ${admin(name)}`;
      return true;
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  const sql = postgres(target, { max: 1, onnotice: () => {} });
  try {
    const n = await objectsIn(sql);
    if (n > 0) throw new Refused(`The database ${name} is not empty (${n} tables, indexes or extensions). Restore into a new database, or drop this one first.`);
    return false;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function dropDatabase(target: string): Promise<void> {
  const admin = postgres(withDatabase(target, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    await admin`DROP DATABASE IF EXISTS ${admin(databaseName(target))} WITH (FORCE)`;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** What the restored database must show before anyone switches to it. Returns the problems found. */
async function verify(target: string, file: string): Promise<string[]> {
  const manifest = readManifest(file);
  const sql = postgres(target, { max: 1, onnotice: () => {} });
  const problems: string[] = [];
  try {
    // pg_restore brings no planner statistics; the search indexes are chosen from them.
    await sql`ANALYZE`;
    const counts = await tableCounts(sql);
    if (manifest) {
      const differences = countDifferences(manifest.tables, counts);
      problems.push(...differences);
      log(`  tables: ${Object.keys(counts).length}, rows as in the backup: ${differences.length === 0 ? 'yes' : 'NO'}`);
    } else {
      log(`  no ${file}.json beside the dump: row counts not compared`);
    }
    const ledger = await ledgerOf(sql);
    log(`  ledger check: ${ledger.ok ? 'ok' : 'FAILED'} (${ledger.entries} entries, ${ledger.lines} lines)`);
    for (const c of ledger.checks.filter((c) => !c.ok)) problems.push(`${c.name}: ${c.problems.join('; ')}`);
    const { applied, shipped } = await migrationCounts(sql);
    if (applied < shipped) log(`  migrations: ${applied} of ${shipped}; the API applies the other ${shipped - applied} when it starts`);
    else if (applied > shipped) problems.push(`the backup has ${applied} migrations, this checkout only ${shipped}: restore it with the Tissu version that made it`);
    else log(`  migrations: ${applied} of ${shipped}`);
    log(`  accounts ${counts['public.users'] ?? 0}, bookings ${counts['public.bookings'] ?? 0}, payments ${counts['public.payments'] ?? 0}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  return problems;
}

async function restore(server: OpenServer, file: string, into: string): Promise<number> {
  const target = into.includes('://') ? into : server.url(into);
  const manifest = readManifest(file);
  const probe = postgres(withDatabase(target, 'postgres'), { max: 1, onnotice: () => {} });
  const major = await serverMajor(probe).finally(() => probe.end({ timeout: 5 }));
  const pgRestore = findPgTool('pg_restore', Math.max(major, manifest?.pgDumpMajor ?? 0), settings().pgBin);

  const created = await prepareTarget(target);
  log(`Restoring ${file} into ${printable(target)} (PostgreSQL ${major}) with pg_restore ${pgRestore.major}…`);
  // One transaction: a damaged or partial archive leaves the database as empty as it was.
  const args = ['--exit-on-error', '--single-transaction', '--no-owner', '--no-privileges', file];
  const restored = await runPgTool(pgRestore, args, target);
  if (restored.code !== 0) {
    if (created) await dropDatabase(target);
    console.error(`pg_restore failed; nothing was restored${created ? ' and the new database was removed' : ''}.\n${restored.stderr.trim()}`);
    return 1;
  }
  const problems = await verify(target, file);
  if (problems.length > 0) {
    console.error(`The restored database ${printable(target)} did NOT pass its checks; do not switch to it:`);
    for (const p of problems) console.error(`  - ${p}`);
    return 1;
  }
  const name = databaseName(target);
  log(server.embedded && !into.includes('://')
    ? `Restored and verified. To run Tissu on it: EMBEDDED_PG_DATABASE=${name} pnpm start`
    : `Restored and verified. To run Tissu on it, set DATABASE_URL=${printable(target)} and start the API.`);
  return 0;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { into: { type: 'string' } }, allowPositionals: true });
  const file = positionals[0];
  if (!file || positionals.length > 1 || !values.into) throw new Refused(USAGE);
  if (!existsSync(file)) throw new Refused(`No such file: ${file}`);
  const server = await openServer(log);
  try {
    return await restore(server, file, values.into);
  } finally {
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(e instanceof Refused ? 2 : 1);
  },
);
