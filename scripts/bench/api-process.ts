/**
 * The API in a process of its own, as server.ts runs it, so the load generator does not share
 * its event loop. The parent forks this file and learns the address over IPC.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ApiOptions {
  databaseUrl: string;
  /** The API's connection pool. */
  poolSize: number;
  /** More settings, e.g. the Stripe emulator's address. */
  env?: Record<string, string>;
}

export interface ApiProcess {
  base: string;
  /** CPU time the API process has used so far, user and system, in ms (Linux; NaN elsewhere). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** utime + stime of a process from /proc/<pid>/stat, in clock ticks of 10 ms. */
async function processCpuMs(pid: number | undefined): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

export type Ready = { base: string } | { error: string };

export function startApiProcess(options: ApiOptions): Promise<ApiProcess> {
  return forkServer(fileURLToPath(import.meta.url), options);
}

/**
 * Forks `file` with `--serve <options as JSON>`; the child answers over IPC with its address (or
 * an error) and closes on the message 'close'.
 */
export async function forkServer(file: string, options: unknown): Promise<ApiProcess> {
  const child = fork(file, ['--serve', JSON.stringify(options)], {
    // The tsx loader the parent runs under; BENCH_API_PROFILE=<dir> writes the API's CPU profile there.
    execArgv: [...process.execArgv, ...(process.env.BENCH_API_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_PROFILE}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Ready>((resolve) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', (code) => resolve({ error: `${path.basename(file)} exited with code ${code}` }));
  });
  const stop = async () => {
    // A message rather than SIGTERM: under tsx, the loader's own signal handler may exit first.
    if (child.connected) child.send('close');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  if ('error' in ready) {
    await stop();
    throw new Error(ready.error);
  }
  return { base: ready.base, cpuMs: () => processCpuMs(child.pid), stop };
}

async function serve(options: ApiOptions): Promise<void> {
  const [{ buildApp }, { loadConfig }, { createDb }] = await Promise.all([
    import('@tissu/server/app'),
    import('@tissu/server/env'),
    import('@tissu/db'),
  ]);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tissu-bench-api-'));
  const config = loadConfig({
    NODE_ENV: 'test', // production would also demand real Stripe keys; routes and logging are the same
    DATABASE_URL: options.databaseUrl,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    HOST: '127.0.0.1',
    PORT: '0',
    ...options.env,
  });
  const database = createDb(options.databaseUrl, { max: options.poolSize });
  const app = await buildApp({ config, database });
  await app.listen({ host: '127.0.0.1', port: 0 });
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    try {
      await app.close();
      await database.close();
    } catch (e) {
      console.error('api-process: closing:', e);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  };
  process.on('message', (m) => m === 'close' && void close());
  process.on('disconnect', () => void close()); // the parent died
  process.send!({ base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` } satisfies Ready);
}

if (process.argv[2] === '--serve') {
  serve(JSON.parse(process.argv[3]!) as ApiOptions).catch((e: unknown) => {
    process.send?.({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies Ready);
    process.exit(1);
  });
}
