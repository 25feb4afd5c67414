import { readFileSync } from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import { migrationsFolder } from '@tissu/db';
import { checkLedger, type LedgerCheck } from '../../server/src/modules/ledger/check.js';

/**
 * What a backup held when it was taken, written beside the dump as `<file>.json`: the restore
 * compares the restored database with it, table by table.
 */
export interface Manifest {
  format: 'tissu-backup/1';
  createdAt: string;
  database: string;
  serverVersion: string;
  pgDumpMajor: number;
  migrations: number;
  /** Rows per table, `schema.table`. */
  tables: Record<string, number>;
  ledger: { ok: boolean; entries: number; lines: number };
}

/** Every table of every schema the application owns (public, drizzle's, pg-boss's). */
export async function tableCounts(sql: postgres.Sql | postgres.TransactionSql): Promise<Record<string, number>> {
  const tables = await sql<{ schema: string; name: string }[]>`
    SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
    ORDER BY 1, 2`;
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const [row] = await sql`SELECT count(*)::bigint AS n FROM ${sql(t.schema)}.${sql(t.name)}`;
    counts[`${t.schema}.${t.name}`] = Number(row!.n);
  }
  return counts;
}

/** Migrations applied to the database (0 when it has none), and how many this checkout ships. */
export async function migrationCounts(sql: postgres.Sql | postgres.TransactionSql): Promise<{ applied: number; shipped: number }> {
  const [exists] = await sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS yes`;
  const applied = exists!.yes ? Number((await sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`)[0]!.n) : 0;
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
  return { applied, shipped: journal.entries.length };
}

export function ledgerOf(sql: postgres.Sql | postgres.TransactionSql): Promise<LedgerCheck> {
  return checkLedger((q) => sql.unsafe(q) as unknown as Promise<Record<string, unknown>[]>);
}

/** The tables whose row count differs between the manifest and the restored database. */
export function countDifferences(expected: Record<string, number>, actual: Record<string, number>): string[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return names
    .filter((n) => expected[n] !== actual[n])
    .map((n) => `${n}: ${expected[n] ?? 'absent'} in the backup, ${actual[n] ?? 'absent'} restored`);
}

export function readManifest(file: string): Manifest | null {
  let text: string;
  try {
    text = readFileSync(`${file}.json`, 'utf8');
  } catch {
    return null;
  }
  const m = JSON.parse(text) as Partial<Manifest>;
  if (m.format !== 'tissu-backup/1' || typeof m.tables !== 'object') throw new Error(`${file}.json is not a Tissu backup manifest`);
  return m as Manifest;
}
