/**
 * The API in a child process of its own, for the fault tests: it can be SIGKILLed like a crashed
 * server and started again on the same port and database. The parent forks this file (under tsx)
 * and learns the address over IPC once the server listens.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/free-port.js';
export { freePort };

export interface FaultApiOptions {
  databaseUrl: string;
  /** A fixed port (a restart keeps the address the emulator's webhooks go to); 0 picks one. */
  port?: number;
  /** Shared by every instance and restart, so access tokens stay valid. */
  jwtSecret: string;
  dataDir: string;
  poolSize?: number;
  /** More settings: JOBS, STRIPE_API_URL, STRIPE_WEBHOOK_SECRET, SMTP_URL... */
  env?: Record<string, string>;
  /** A name for the log lines this process prints on stderr. */
  name?: string;
}

export interface FaultApi {
  base: string;
  port: number;
  pid: number;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<number | null>;
  /** A crash: the process dies at once, with its connections, transactions and timers. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** A clean shutdown (close the server, the job worker, the pool). */
  stop(): Promise<void>;
}

type Ready = { port: number } | { error: string };


export async function startFaultApi(options: FaultApiOptions): Promise<FaultApi> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve', JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<Ready>((resolve) => {
    const timer = setTimeout(() => resolve({ error: 'the API process did not start within 60 s' }), 60_000);
    child.once('message', (m) => { clearTimeout(timer); resolve(m as Ready); });
    child.once('exit', (code) => { clearTimeout(timer); resolve({ error: `the API process exited with code ${code} before listening` }); });
  });
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  if ('error' in ready) {
    await kill();
    throw new Error(ready.error);
  }
  return {
    base: `http://127.0.0.1:${ready.port}`,
    port: ready.port,
    pid: child.pid!,
    exited,
    kill,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // A message rather than SIGTERM: under tsx, the loader's own signal handler may exit first.
      if (child.connected) child.send('close');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

async function serve(options: FaultApiOptions): Promise<void> {
  const t0 = Date.now();
  const [{ buildApp }, { loadConfig }, { createDb }] = await Promise.all([
    import('@tissu/server/app'),
    import('@tissu/server/env'),
    import('@tissu/db'),
  ]);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl,
    JWT_SECRET: options.jwtSecret,
    DATA_DIR: options.dataDir,
    LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'silent', // e.g. FAULTS_LOG_LEVEL=error to see what a 5xx was
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
    ...options.env,
  });
  const t1 = Date.now();
  const database = createDb(options.databaseUrl, { max: options.poolSize ?? 10 });
  const app = await buildApp({ config, database });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  if (process.env.FAULTS_DEBUG) console.error(`faults-api ${options.name}: imports ${t1 - t0} ms, app ${Date.now() - t1} ms`);
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    try {
      await app.close();
      await database.close();
    } catch (e) {
      console.error(`faults-api ${options.name ?? ''}: closing:`, e);
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (m) => m === 'close' && void close());
  process.on('disconnect', () => void close()); // the parent died
  process.send!({ port: (app.server.address() as AddressInfo).port } satisfies Ready);
}

if (process.argv[2] === '--serve') {
  serve(JSON.parse(process.argv[3]!) as FaultApiOptions).catch((e: unknown) => {
    process.send?.({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies Ready);
    process.exit(1);
  });
}
