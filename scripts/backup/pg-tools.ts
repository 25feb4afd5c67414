import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** pg_dump and pg_restore: the right binary for a server, run without the password in argv. */

export interface PgTool {
  path: string;
  major: number;
}

function majorOf(bin: string): number | null {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const m = r.status === 0 ? /\(PostgreSQL\)\s+(\d+)/.exec(r.stdout) : null;
  return m ? Number(m[1]) : null;
}

/** Where to look: PG_BIN, then Debian's per-version folders (newest first), then PATH. */
function candidates(name: string, pgBin: string | undefined): string[] {
  const found: string[] = [];
  if (pgBin) found.push(path.join(pgBin, name));
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) found.push(path.join(debian, v, 'bin', name));
  }
  found.push(name);
  return found;
}

/**
 * A `name` (pg_dump or pg_restore) of major version `min` or newer: pg_dump refuses a server newer
 * than itself, and pg_restore cannot read an archive made by a newer pg_dump.
 */
export function findPgTool(name: 'pg_dump' | 'pg_restore', min: number, pgBin?: string): PgTool {
  const seen: number[] = [];
  for (const bin of candidates(name, pgBin)) {
    if (bin.includes('/') && !existsSync(bin)) continue;
    const major = majorOf(bin);
    if (major === null) continue;
    if (major >= min) return { path: bin, major };
    seen.push(major);
  }
  const had = seen.length ? `Only ${name} ${[...new Set(seen)].join(', ')} is installed` : `${name} is not installed`;
  throw new Error(
    `${had}; PostgreSQL ${min} needs ${name} ${min} or newer. Install postgresql-client-${min} ` +
      `(Debian and Ubuntu: apt-get install postgresql-client-${min}, from apt.postgresql.org if your release lacks it), ` +
      `or set PG_BIN to the folder that holds it.`,
  );
}

/** libpq reads the password from PGPASSWORD, so it never shows in `ps`. */
export function connectionFor(url: string): { dbname: string; env: Record<string, string> } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** The URL as it may be printed: without its password. */
export function printable(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** Runs a PostgreSQL client (on `url`'s database when given); resolves with its exit code and output. */
export function runPgTool(tool: PgTool, args: string[], url?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { dbname, env } = url ? connectionFor(url) : { dbname: undefined, env: {} };
  return new Promise((resolve, reject) => {
    const child = spawn(tool.path, dbname ? [...args, `--dbname=${dbname}`] : args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
