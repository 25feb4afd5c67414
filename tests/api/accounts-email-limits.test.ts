import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type TestApp } from '../support/test-app.js';
import { testClock } from '../support/patronage.js';

const clock = testClock();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { now: clock.now });
});
afterAll(() => t.close());

/** Emails of one kind queued for an account (sent or not): what a mailbox would receive. */
async function queued(userId: string, message: string): Promise<number> {
  const [row] = await t.database.sql`
    SELECT count(*)::int AS n FROM outbox WHERE payload->>'recipientId' = ${userId} AND payload->>'message' = ${message}`;
  return row!.n as number;
}

describe('one address cannot be flooded with account emails', () => {
  it('twelve reset requests for one address queue one email; the answer never changes; five minutes later another goes', async () => {
    clock.reset();
    const u = await signUp(t.app);
    const answers = [];
    for (let i = 0; i < 12; i++) {
      // From rotating client addresses: the per-address limit is not the one that holds.
      const r = await t.app.inject({ method: 'POST', url: '/auth/password-reset', payload: { email: u.email }, remoteAddress: `203.0.113.${i + 1}` });
      answers.push(`${r.statusCode} ${r.body}`);
    }
    expect(new Set(answers)).toEqual(new Set(['202 {"ok":true}']));
    expect(await queued(u.userId, 'password_reset')).toBe(1);

    // Parallel requests cannot slip past the check either.
    clock.set(new Date(Date.now() + 6 * 60_000));
    const burst = await Promise.all(Array.from({ length: 8 }, () => t.app.inject({ method: 'POST', url: '/auth/password-reset', payload: { email: u.email.toUpperCase() } })));
    expect(burst.map((r) => r.statusCode)).toEqual(Array(8).fill(202));
    expect(await queued(u.userId, 'password_reset')).toBe(2);
    clock.reset();
  });

  it('asking for a reset while one was just sent keeps the link already emailed working', async () => {
    clock.reset();
    const u = await signUp(t.app);
    await t.app.inject({ method: 'POST', url: '/auth/password-reset', payload: { email: u.email } });
    const [first] = await t.database.sql`SELECT token FROM (SELECT payload->>'token' AS token, created_at FROM outbox
      WHERE payload->>'recipientId' = ${u.userId} AND payload->>'message' = 'password_reset') o`;
    await t.app.inject({ method: 'POST', url: '/auth/password-reset', payload: { email: u.email } });
    const ok = await t.app.inject({ method: 'POST', url: '/auth/password-reset/confirm', payload: { token: first!.token, password: 'a brand new password' } });
    expect(ok.statusCode).toBe(200);
  });

  it('asking again and again for a confirmation link sends one per five minutes', async () => {
    clock.reset();
    const u = await signUp(t.app, { verified: false });
    expect(await queued(u.userId, 'verify_email')).toBe(1);
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push((await t.app.inject({ method: 'POST', url: '/auth/verify-email/resend', headers: u.auth })).statusCode);
    expect(answers).toEqual(Array(10).fill(202));
    expect(await queued(u.userId, 'verify_email')).toBe(1);
    clock.set(new Date(Date.now() + 6 * 60_000));
    const burst = await Promise.all(Array.from({ length: 6 }, () => t.app.inject({ method: 'POST', url: '/auth/verify-email/resend', headers: u.auth })));
    expect(burst.map((r) => r.statusCode)).toEqual(Array(6).fill(202));
    expect(await queued(u.userId, 'verify_email')).toBe(2);
    clock.reset();
  });
});
