/**
 * Sign-in benchmark: POST /auth/sign-in with the right password, one at a time, against the API
 * in its own process. Most of it is the argon2id verification (OWASP's minimum: 19 MiB, 2 passes),
 * which is meant to cost tens of milliseconds; the rest is the throttle check and the new session.
 *
 *   pnpm bench auth
 */
import { startApiProcess } from './api-process.js';
import { oneAtATime, type Measured } from './measure.js';
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
    // Three unmeasured first: connections, the JIT.
    return await oneAtATime(runs, 3, 'sign-in', async () => {
      const res = await post('/auth/sign-in', who);
      await res.arrayBuffer();
      return res.status;
    });
  } finally {
    await api.stop();
    await scratch.drop();
  }
}

export function signInFigures(m: Measured): Figure[] {
  return [{ scenario: 'sign-in, right password, one at a time', via: 'api', ...m, target: target('p50 <= 100 ms', m.p50 <= 100) }];
}
