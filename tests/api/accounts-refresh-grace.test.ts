import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, signUp, type TestApp } from '../support/test-app.js';
import { testClock } from '../support/patronage.js';

const clock = testClock();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { now: clock.now });
});
afterAll(() => t.close());

const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
const me = (accessToken: string) => t.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${accessToken}` } });

describe('two tabs refreshing at once', () => {
  it('ten parallel refreshes with one token all succeed, with the same next token, and the session lives on', async () => {
    clock.reset();
    const u = await signUp(t.app);
    const answers = await Promise.all(Array.from({ length: 10 }, () => refresh(u.refreshToken)));
    expect(answers.map((r) => r.statusCode), answers.map((r) => r.body).join('\n')).toEqual(Array(10).fill(200));
    const next = new Set(answers.map((r) => r.json().refreshToken));
    expect(next.size).toBe(1);
    for (const r of answers) expect((await me(r.json().accessToken)).statusCode).toBe(200);
    // The next token goes on working: one more rotation, then /me again.
    const later = await refresh([...next][0]!);
    expect(later.statusCode).toBe(200);
    expect((await me(later.json().accessToken)).statusCode).toBe(200);
    const [{ n }] = (await t.database.sql`SELECT count(*)::int AS n FROM outbox WHERE payload->>'recipientId' = ${u.userId} AND payload->>'message' = 'session_reused'`) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  it('a late tab that presents the token two rotations back, within the window, still lands on the live token', async () => {
    clock.reset();
    const u = await signUp(t.app);
    const first = await refresh(u.refreshToken);
    const second = await refresh(first.json().refreshToken);
    const late = await refresh(u.refreshToken);
    expect(late.statusCode).toBe(200);
    expect(late.json().refreshToken).toBe(second.json().refreshToken);
    expect((await me(late.json().accessToken)).statusCode).toBe(200);
  });

  it('after the window, the spent token coming back still ends the whole session', async () => {
    clock.reset();
    const u = await signUp(t.app);
    const fresh = await refresh(u.refreshToken);
    expect(fresh.statusCode).toBe(200);
    clock.set(new Date(Date.now() + 30_000));
    const reused = await refresh(u.refreshToken);
    expect(reused.statusCode).toBe(401);
    expect(errorOf(reused).code).toBe('invalid_refresh_token');
    clock.reset();
    expect((await refresh(fresh.json().refreshToken)).statusCode).toBe(401);
    expect((await me(fresh.json().accessToken)).statusCode).toBe(401);
  });
});
