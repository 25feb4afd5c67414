/**
 * Sign-up took a password of ten spaces, and sign-in then worked with it. A new password made only
 * of blanks is a field error on sign-up and on a password change, and no account is made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, signUp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const users = async () => Number((await t.database.sql`SELECT count(*)::int AS n FROM users`)[0]!.n);

describe('a password of blanks only', () => {
  it('is refused on sign-up, and no account is made', async () => {
    const before = await users();
    const res = await t.app.inject({ method: 'POST', url: '/auth/sign-up', payload: { email: 'espaces@example.org', password: ' '.repeat(10), name: 'Espace', locale: 'fr' } });
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).fields?.password?.map((e) => e.code)).toEqual(['password_blank']);
    expect(await users()).toBe(before);
    const signIn = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: 'espaces@example.org', password: ' '.repeat(10) } });
    expect(signIn.statusCode).toBe(401);
  });

  it('is refused as a new password', async () => {
    const me = await signUp(t.app);
    const res = await t.app.inject({ method: 'POST', url: '/auth/password', headers: me.auth, payload: { currentPassword: 'correct horse battery', newPassword: '\t'.repeat(12) } });
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).fields?.newPassword?.map((e) => e.code)).toEqual(['password_blank']);
  });
});
