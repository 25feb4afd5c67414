/**
 * Sign-in benchmark: POST /auth/sign-in with the right password, one at a time, against the API
 * in its own process. Most of it is the argon2id verification (OWASP's minimum: 19 MiB, 2 passes),
 * which is meant to cost tens of milliseconds; the rest is the throttle check and the new session.
 *
 *   pnpm bench auth
 */
import { performance } from 'node:perf_hooks';
import { startApiProcess } from './api-process.js';
import { summarize, type Measured } from './measure.js';
import { scratchDatabase, type BenchServer } from './scratch-db.js';
import { target, type Figure } from './table.js';

export async function benchSignIn(server: BenchServer, opts: { runs?: number } = {}): Promise<Measured> {
  const runs = opts.runs ?? 40;
  const scratch = await scratchDatabase(server, { max: 1 });
  const api = await startApiProcess({ databaseUrl: scratch.url, poolSize: 4 }).catch(async (e: unknown) => {
    await scratch.drop();
    throw e;
  });
  try {
    const post = (url: string, payload: object) =>
      fetch(api.base + url, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    const who = { email: 'amina@bench.test', password: 'bench password 123' };
    const up = await post('/auth/sign-up', { ...who, name: 'Amina' });
    if (up.status >= 300) throw new Error(`sign-up: ${up.status} ${await up.text()}`);
    const times: number[] = [];
    let failures = 0;
    let firstFailure: string | undefined;
    const started = performance.now();
    for (let i = 0; i < runs + 3; i++) {
      const t0 = performance.now();
      const res = await post('/auth/sign-in', who);
      await res.arrayBuffer();
      if (i < 3) continue; // warm-up: connections, the JIT
      if (res.status !== 200) {
        failures++;
        firstFailure ??= `sign-in: ${res.status}`;
      } else times.push(performance.now() - t0);
    }
    return summarize(times, failures, performance.now() - started, firstFailure);
  } finally {
    await api.stop();
    await scratch.drop();
  }
}

export function signInFigures(m: Measured): Figure[] {
  return [{ scenario: 'sign-in, right password, one at a time', via: 'api', ...m, target: target('p50 <= 100 ms', m.p50 <= 100) }];
}
