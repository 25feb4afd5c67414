/**
 * `pnpm db:backup [--out file]`: a consistent pg_dump of Tissu's database (custom format) and,
 * beside it, `<file>.json` with what it holds, taken from the same snapshot. Restore it with
 * `pnpm db:restore` (./restore.ts). Works on DATABASE_URL, or on the embedded PostgreSQL of
 * `pnpm start`, running or not.
 */
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openServer, serverMajor, settings } from './database.js';
import { ledgerOf, migrationCounts, tableCounts, type Manifest } from './manifest.js';
import { findPgTool, printable, runPgTool } from './pg-tools.js';

const log = (line: string) => console.log(line);

function defaultFile(): string {
  const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  return path.join(settings().dataDir, 'backups', `tissu-${stamp}.dump`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const file = path.resolve(values.out ?? defaultFile());
  const partial = `${file}.partial`;
  await mkdir(path.dirname(file), { recursive: true });

  const server = await openServer(log);
  const url = server.url();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const major = await serverMajor(sql);
    const pgDump = findPgTool('pg_dump', major, settings().pgBin);
    log(`Backing up ${printable(url)} (PostgreSQL ${major}) with pg_dump ${pgDump.major}…`);

    // The counts, the ledger check and pg_dump all read one exported snapshot: the manifest
    // describes exactly what the dump holds, even while the API keeps writing.
    const manifest = await sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
      const [snap] = await tx`SELECT pg_export_snapshot() AS id, current_setting('server_version') AS version, current_database() AS db`;
      const tables = await tableCounts(tx);
      const ledger = await ledgerOf(tx);
      const { applied } = await migrationCounts(tx);
      const args = ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snap!.id}`, `--file=${partial}`];
      const dumped = await runPgTool(pgDump, args, url);
      if (dumped.code !== 0) throw new Error(`pg_dump failed:\n${dumped.stderr.trim()}`);
      const m: Manifest = {
        format: 'tissu-backup/1',
        createdAt: new Date().toISOString(),
        database: String(snap!.db),
        serverVersion: String(snap!.version),
        pgDumpMajor: pgDump.major,
        migrations: applied,
        tables,
        ledger: { ok: ledger.ok, entries: ledger.entries, lines: ledger.lines },
      };
      return m;
    });

    // An archive pg_restore cannot read is no backup: list its contents before calling it done.
    const listed = await runPgTool(findPgTool('pg_restore', pgDump.major, settings().pgBin), ['--list', partial]);
    if (listed.code !== 0) throw new Error(`pg_restore cannot read the dump:\n${listed.stderr.trim()}`);
    await rename(partial, file);
    await writeFile(`${file}.json`, `${JSON.stringify(manifest, null, 2)}\n`);

    const size = (await stat(file)).size;
    const t = manifest.tables;
    log(`Backup written: ${file} (${(size / 1024).toFixed(0)} KB) and ${path.basename(file)}.json`);
    log(`  ${Object.keys(t).length} tables, ${Object.values(t).reduce((a, b) => a + b, 0)} rows: ` +
      `${t['public.users'] ?? 0} accounts, ${t['public.bookings'] ?? 0} bookings, ${t['public.payments'] ?? 0} payments, ` +
      `${manifest.ledger.entries} ledger entries`);
    log(`  ledger check at the time of the backup: ${manifest.ledger.ok ? 'ok' : 'FAILED (see GET /steward/ledger/check)'}`);
    log(`Restore it into a new database with: pnpm db:restore ${file} --into <database name or URL>`);
    return 0;
  } finally {
    await rm(partial, { force: true });
    await sql.end({ timeout: 5 });
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
