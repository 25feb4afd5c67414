import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, signUp, type TestApp } from '../support/test-app.js';
import { testClock } from '../support/patronage.js';

const clock = testClock();
/** What signUp() gives every test account. */
const PASSWORD = 'correct horse battery';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, { now: clock.now });
});
afterAll(() => t.close());

const signIn = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email, password } });
const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload });

/** The reset link in the newest email to this address (sent just after the answer). */
async function resetLink(email: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const mail = (await t.mailer.list()).find((m) => m.to === email && /mot de passe|password/i.test(m.subject));
    const link = mail?.text.match(/https?:\/\/\S+\/reset-password\/(\S+)/);
    if (link) return link[1]!;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no reset email for ${email}`);
}

describe('too many wrong passwords', () => {
  it('five in a row lock the account for 15 minutes with Retry-After, even for the right password; then it opens again', async () => {
    clock.reset();
    const u = await signUp(t.app);
    for (let i = 0; i < 4; i++) expect((await signIn(u.email, 'wrong password!')).statusCode).toBe(401);
    const fifth = await signIn(u.email, 'wrong password!');
    expect(fifth.statusCode).toBe(429);
    expect(errorOf(fifth).code).toBe('account_locked');
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(890);
    expect(Number(fifth.headers['retry-after'])).toBeLessThanOrEqual(900);

    const right = await signIn(u.email, PASSWORD);
    expect(right.statusCode).toBe(429);
    expect(right.headers['set-cookie']).toBeUndefined();

    clock.set(new Date(Date.now() + 16 * 60_000));
    expect((await signIn(u.email, PASSWORD)).statusCode).toBe(200);
    clock.reset();
  });

  it('a right password in between starts the count again', async () => {
    const u = await signUp(t.app);
    for (let i = 0; i < 4; i++) await signIn(u.email, 'wrong password!');
    expect((await signIn(u.email, PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn(u.email, 'wrong password!')).statusCode).toBe(401);
    expect((await signIn(u.email, PASSWORD)).statusCode).toBe(200);
  });

  it('an unknown address gets the same 401 every time (no lock to reveal an account)', async () => {
    const codes = [];
    for (let i = 0; i < 7; i++) codes.push((await signIn(`nobody-${Date.now()}@example.org`, 'wrong password!')).statusCode);
    expect(codes).toEqual(Array(7).fill(401));
  });

  it('concurrent wrong passwords still lock after five', async () => {
    const u = await signUp(t.app);
    const codes = (await Promise.all(Array.from({ length: 8 }, () => signIn(u.email, 'wrong password!')))).map((r) => r.statusCode);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(4);
    expect((await signIn(u.email, PASSWORD)).statusCode).toBe(429);
  });
});

describe('forgot password', () => {
  it('emails a one-time link; the new password works, the old one and every session stop working', async () => {
    const u = await signUp(t.app, { locale: 'en' });
    const asked = await post('/auth/password-reset', { email: u.email.toUpperCase() });
    expect(asked.statusCode).toBe(202);
    const token = await resetLink(u.email);
    const mail = (await t.mailer.list()).find((m) => m.to === u.email)!;
    expect(mail.subject).toBe('Choose a new Tissu password');

    const weak = await post('/auth/password-reset/confirm', { token, password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(errorOf(weak).fields).toHaveProperty('password');

    expect((await post('/auth/password-reset/confirm', { token, password: 'a brand new password' })).statusCode).toBe(200);
    expect((await signIn(u.email, PASSWORD)).statusCode).toBe(401);
    expect((await signIn(u.email, 'a brand new password')).statusCode).toBe(200);
    // The session opened before the reset is over.
    expect((await t.app.inject({ method: 'GET', url: '/me', headers: u.auth })).statusCode).toBe(401);

    const again = await post('/auth/password-reset/confirm', { token, password: 'yet another password' });
    expect(again.statusCode).toBe(400);
    expect(errorOf(again)).toMatchObject({ code: 'invalid_reset_link', fields: { token: [expect.any(String)] } });
  });

  it('answers an unknown address exactly like a known one, and sends nothing', async () => {
    const before = (await t.mailer.list()).length;
    const r = await post('/auth/password-reset', { email: `nobody-${Date.now()}@example.org` });
    expect(r.statusCode).toBe(202);
    expect(r.json()).toEqual({ ok: true });
    await new Promise((res) => setTimeout(res, 100));
    expect((await t.mailer.list()).length).toBe(before);
  });

  it('a link expires after an hour, a newer link voids the older one, and a reset unlocks a locked account', async () => {
    clock.reset();
    const u = await signUp(t.app);
    await post('/auth/password-reset', { email: u.email });
    const first = await resetLink(u.email);
    clock.set(new Date(Date.now() + 61 * 60_000));
    const late = await post('/auth/password-reset/confirm', { token: first, password: 'a brand new password' });
    expect(late.statusCode).toBe(400);
    clock.reset();

    for (let i = 0; i < 5; i++) await signIn(u.email, 'wrong password!');
    expect((await signIn(u.email, PASSWORD)).statusCode).toBe(429);
    await post('/auth/password-reset', { email: u.email });
    let second = await resetLink(u.email);
    for (let i = 0; second === first && i < 40; i++) second = await resetLink(u.email);
    await post('/auth/password-reset', { email: u.email });
    let third = await resetLink(u.email);
    for (let i = 0; third === second && i < 40; i++) third = await resetLink(u.email);
    expect((await post('/auth/password-reset/confirm', { token: second, password: 'a brand new password' })).statusCode).toBe(400);
    expect((await post('/auth/password-reset/confirm', { token: third, password: 'a brand new password' })).statusCode).toBe(200);
    expect((await signIn(u.email, 'a brand new password')).statusCode).toBe(200);
  });

  it('is rate limited like sign-in', async () => {
    const limited = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await limited.app.inject({ method: 'POST', url: '/auth/password-reset', payload: { email: 'a@example.org' } })).statusCode);
      expect(codes).toEqual([202, 202, 429]);
    } finally {
      await limited.close();
    }
  });
});
