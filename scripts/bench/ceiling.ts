/**
 * The ceiling for this machine: a bare Fastify route (no database, no validation, no auth) in a
 * process of its own, under the same load generator and concurrency as the API benchmarks.
 *
 *   pnpm exec tsx scripts/bench/ceiling.ts [--seconds 10] [--connections 10]
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { httpLoad, type Measured } from './measure.js';

export async function benchCeiling(opts: { seconds?: number; connections?: number } = {}): Promise<Measured> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const base = await new Promise<string>((resolve, reject) => {
      child.once('message', (m) => resolve(String(m)));
      child.once('exit', (code) => reject(new Error(`the bare Fastify process exited with code ${code}`)));
    });
    return await httpLoad(base, [{ method: 'GET', path: '/ping' }], opts.seconds ?? 10, opts.connections ?? 10);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function serve(): Promise<void> {
  const app = Fastify({ logger: false });
  app.get('/ping', async () => ({ ok: true }));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.send!(address);
}

if (process.argv[2] === '--serve') {
  await serve();
} else if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const arg = (name: string, d: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? d) || d;
  const m = await benchCeiling({ seconds: arg('seconds', 10), connections: arg('connections', 10) });
  console.log(`bare Fastify route: ${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, ${m.requests} requests, ${m.failures} failed`);
}
