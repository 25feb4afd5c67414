import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import errorsPlugin from './errors.js';

/** An error as postgres.js raises it: a PostgreSQL code with its severity. */
const pgError = (code: string) => Object.assign(new Error(`postgres said ${code}`), { code, severity: 'ERROR' });

async function answerTo(err: Error) {
  const app = Fastify({ logger: false });
  await app.register(errorsPlugin);
  app.get('/boom', async () => { throw err; });
  const res = await app.inject({ method: 'GET', url: '/boom' });
  await app.close();
  return { status: res.statusCode, body: res.json() as { error: { code: string } } };
}

describe('what a request hears when PostgreSQL refuses it', () => {
  it('two requests deadlocked, or a transaction that could not be serialized: 409 busy, to try again, never a 500', async () => {
    for (const code of ['40P01', '40001']) {
      const { status, body } = await answerTo(pgError(code));
      expect(status, code).toBe(409);
      expect(body.error.code, code).toBe('busy');
    }
  });

  it('an error of ours is still a 500', async () => {
    expect((await answerTo(new Error('bug'))).status).toBe(500);
  });
});
