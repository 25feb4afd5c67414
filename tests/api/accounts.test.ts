import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';
import { createTestApp, errorOf, signUp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** The newest confirmation link mailed to this address, once the outbox has been sent. */
async function verificationToken(email: string): Promise<string | undefined> {
  await dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });
  const mails = (await t.mailer.list()).filter((m) => m.to === email);
  return mails.map((m) => /\/verify-email\/([\w-]+)/.exec(m.text)?.[1]).find(Boolean);
}

describe('sign up', () => {
  it('creates an account with a hashed password, unconfirmed until the emailed link is opened', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/sign-up',
      payload: { email: '  Marie@Example.ORG ', password: 'une phrase de passe', name: 'Marie Tremblay', locale: 'fr' },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ ok: true });
    const [row] = await t.database.sql`SELECT password_hash, email_verified_at FROM users WHERE email = 'marie@example.org'`;
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    expect(row!.email_verified_at).toBeNull();

    const signIn = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: 'marie@example.org', password: 'une phrase de passe' } });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json().user).toMatchObject({ email: 'marie@example.org', name: 'Marie Tremblay', locale: 'fr', isSteward: false, emailVerified: false, coops: [] });
    expect(signIn.json().accessToken).toMatch(/^ey/);
    const cookies = signIn.cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }));
    expect(cookies).toContainEqual({ name: 'tissu_access', httpOnly: true, sameSite: 'Lax' });
    expect(cookies).toContainEqual({ name: 'tissu_refresh', httpOnly: true, sameSite: 'Strict' });

    const token = await verificationToken('marie@example.org');
    const mail = (await t.mailer.list()).find((m) => m.to === 'marie@example.org')!;
    expect(mail.subject).toBe('Confirmez votre adresse Tissu');
    expect(mail.text).toContain(`${t.config.webOrigin}/verify-email/${token}`);
    expect((await t.app.inject({ method: 'POST', url: '/auth/verify-email', payload: { token } })).statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${signIn.json().accessToken}` } });
    expect(me.json().emailVerified).toBe(true);
    const again = await t.app.inject({ method: 'POST', url: '/auth/verify-email', payload: { token } });
    expect(again.statusCode).toBe(400);
    expect(errorOf(again)).toMatchObject({ code: 'invalid_verification_link', fields: { token: [expect.objectContaining({ code: 'invalid_link' })] } });
  });

  it('answers a taken email exactly like a new one, creates nothing, and tells the owner by email', async () => {
    const owner = await signUp(t.app, { email: `dup-${Date.now()}@example.org`, locale: 'en' });
    const taken = await t.app.inject({
      method: 'POST', url: '/auth/sign-up',
      payload: { email: owner.email.toUpperCase(), password: 'another password', name: 'X' },
    });
    const fresh = await t.app.inject({
      method: 'POST', url: '/auth/sign-up',
      payload: { email: `fresh-${Date.now()}@example.org`, password: 'another password', name: 'X' },
    });
    expect({ status: taken.statusCode, body: taken.json() }).toEqual({ status: fresh.statusCode, body: fresh.json() });
    expect(taken.statusCode).toBe(202);
    const [{ n }] = (await t.database.sql`SELECT count(*)::int AS n FROM users WHERE lower(email) = ${owner.email}`) as unknown as [{ n: number }];
    expect(n).toBe(1);
    // The owner's password is unchanged, and the owner is told (no confirmation link: nothing new to confirm).
    expect((await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: owner.email, password: 'another password' } })).statusCode).toBe(401);
    expect(await verificationToken(owner.email)).toBeUndefined();
    const mails = (await t.mailer.list()).filter((m) => m.to === owner.email);
    expect(mails.map((m) => m.subject)).toContain('Someone tried to create a Tissu account with your address');
    const notice = mails.find((m) => m.subject.startsWith('Someone tried'))!;
    expect(notice.text).toContain(`${t.config.webOrigin}/forgot-password`);
    expect(notice.text).toContain(`${t.config.webOrigin}/sign-in`);
  });

  it('answers field by field when the input is wrong', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/auth/sign-up', payload: { email: 'nope', password: 'short', name: '' } });
    expect(res.statusCode).toBe(400);
    const err = errorOf(res);
    expect(err.code).toBe('validation_failed');
    expect(Object.keys(err.fields!).sort()).toEqual(['email', 'name', 'password']);
  });

  it('gives each field error a code from the catalogue, with the limit it broke', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/auth/sign-up', payload: { email: 'nope', password: 'short', name: '' } });
    expect(errorOf(res).fields).toEqual({
      email: [{ code: 'invalid_email', message: 'Must be a valid email address' }],
      password: [{ code: 'too_short', minimum: 10, message: 'At least 10 characters' }],
      name: [{ code: 'required', message: 'Required' }],
    });
    // A field not sent at all is required, whatever type it should have had.
    const missing = await t.app.inject({ method: 'POST', url: '/auth/sign-up', payload: { email: 'a@example.org', name: 'A' } });
    expect(errorOf(missing).fields).toEqual({ password: [{ code: 'required', message: 'Required' }] });
    const tooLong = await t.app.inject({ method: 'POST', url: '/auth/sign-up', payload: { email: 'a@example.org', password: 'x'.repeat(201), name: 'A' } });
    expect(errorOf(tooLong).fields).toEqual({ password: [{ code: 'too_long', maximum: 200, message: 'At most 200 characters' }] });
  });
});

describe('sign in, tokens and sign out', () => {
  it('signs in with the right password only, with the same answer for an unknown email', async () => {
    await signUp(t.app, { email: 'sam@example.org' });
    const wrong = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: 'sam@example.org', password: 'wrong password' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: 'who@example.org', password: 'wrong password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(errorOf(wrong)).toEqual(errorOf(unknown));
    const ok = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: 'SAM@example.org', password: 'correct horse battery' } });
    expect(ok.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${ok.json().accessToken}` } });
    expect(me.json().email).toBe('sam@example.org');
  });

  it('accepts the access token from the httpOnly cookie too', async () => {
    const u = await signUp(t.app);
    const me = await t.app.inject({ method: 'GET', url: '/me', cookies: { tissu_access: u.token } });
    expect(me.statusCode).toBe(200);
  });

  it('rejects requests without a token, with a forged one, and with an expired one', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/me' })).statusCode).toBe(401);
    const forged = await t.app.inject({ method: 'GET', url: '/me', headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(errorOf(forged).code).toBe('invalid_token');

    const short = await createTestApp({ ACCESS_TOKEN_TTL_SECONDS: '10' });
    try {
      const u = await signUp(short.app);
      const later = Date.now() + 11_000;
      const realNow = Date.now;
      Date.now = () => later;
      try {
        const res = await short.app.inject({ method: 'GET', url: '/me', headers: u.auth });
        expect(res.statusCode).toBe(401);
        expect(errorOf(res).code).toBe('token_expired');
      } finally {
        Date.now = realNow;
      }
      // The refresh token still works, and is single-use: it rotates.
      const refreshed = await short.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: u.refreshToken } });
      expect(refreshed.statusCode).toBe(200);
      const me = await short.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${refreshed.json().accessToken}` } });
      expect(me.statusCode).toBe(200);
      // Past the few seconds two tabs may present it together, a swapped token is spent.
      await short.database.sql`UPDATE spent_refresh_tokens SET spent_at = spent_at - interval '1 minute'`;
      const again = await short.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: u.refreshToken } });
      expect(again.statusCode).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('refuses a correctly signed access token that carries no expiry', async () => {
    const u = await signUp(t.app);
    const { sub, sid } = t.app.jwt.decode<{ sub: string; sid: string }>(u.token)!;
    // Signed with the real secret and a live session, but without `exp`: it would never expire.
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub, sid, iat: Math.floor(Date.now() / 1000) })}`;
    const forever = `${unsigned}.${createHmac('sha256', t.config.jwtSecret).update(unsigned).digest('base64url')}`;
    const res = await t.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${forever}` } });
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('invalid_token');
    expect((await t.app.inject({ method: 'GET', url: '/me', headers: u.auth })).statusCode).toBe(200);
  });

  it('refuses a correctly signed token whose subject or session is not an id with 401, not 400', async () => {
    const u = await signUp(t.app);
    const { sub, sid } = t.app.jwt.decode<{ sub: string; sid: string }>(u.token)!;
    for (const claims of [{ sub: 'not-a-uuid', sid }, { sub, sid: "x' OR '1'='1" }, { sub: 42 as unknown as string, sid }]) {
      const res = await t.app.inject({ method: 'GET', url: '/me/waiting', headers: { authorization: `Bearer ${t.app.signAccessToken(claims)}` } });
      expect(res.statusCode, JSON.stringify(claims)).toBe(401);
      expect(errorOf(res).code).toBe('invalid_token');
    }
  });

  it('a refresh token used a second time ends the whole session, the newer token too, and the owner is told by email', async () => {
    const u = await signUp(t.app, { email: `stolen-${Date.now()}@example.org`, locale: 'fr' });
    const laptop = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: u.email, password: 'correct horse battery' } });
    const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
    // The thief refreshes first with the copied token; the owner's own (now spent) copy comes back.
    const thief = await refresh(u.refreshToken);
    expect(thief.statusCode).toBe(200);
    // Later than two tabs refreshing together would (accounts-refresh-grace.test.ts).
    await t.database.sql`UPDATE spent_refresh_tokens SET spent_at = spent_at - interval '1 minute'
      WHERE session_id = (SELECT id FROM sessions WHERE user_id = ${u.userId} ORDER BY created_at LIMIT 1)`;
    const owner = await refresh(u.refreshToken);
    expect(owner.statusCode).toBe(401);
    expect(errorOf(owner).code).toBe('invalid_refresh_token');

    expect((await refresh(thief.json().refreshToken)).statusCode).toBe(401);
    const me = await t.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${thief.json().accessToken}` } });
    expect(errorOf(me).code).toBe('session_revoked');
    // Another device's session is not part of that family and stays signed in.
    expect((await t.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${laptop.json().accessToken}` } })).statusCode).toBe(200);

    // A third use changes nothing more and queues no second email.
    expect((await refresh(u.refreshToken)).statusCode).toBe(401);
    await dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });
    const mails = (await t.mailer.list()).filter((m) => m.to === u.email);
    expect(mails.map((m) => m.subject)).toEqual(['Tissu : nous avons fermé une de vos sessions par prudence']);
    expect(mails[0]!.text).toContain(`${t.config.webOrigin}/forgot-password`);
  });

  it('sign-out revokes the session at once: the access token and the refresh token stop working', async () => {
    const u = await signUp(t.app);
    const out = await t.app.inject({ method: 'POST', url: '/auth/sign-out', headers: u.auth });
    expect(out.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/me', headers: u.auth });
    expect(me.statusCode).toBe(401);
    expect(errorOf(me).code).toBe('session_revoked');
    const refresh = await t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: u.refreshToken } });
    expect(refresh.statusCode).toBe(401);
  });

  it('a password change signs out every other session', async () => {
    const u = await signUp(t.app, { email: 'pw@example.org' });
    const other = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: 'pw@example.org', password: 'correct horse battery' } });
    const bad = await t.app.inject({ method: 'POST', url: '/auth/password', headers: u.auth, payload: { currentPassword: 'nope', newPassword: 'a brand new passphrase' } });
    expect(bad.statusCode).toBe(400);
    const ok = await t.app.inject({ method: 'POST', url: '/auth/password', headers: u.auth, payload: { currentPassword: 'correct horse battery', newPassword: 'a brand new passphrase' } });
    expect(ok.statusCode).toBe(200);
    const otherMe = await t.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${other.json().accessToken}` } });
    expect(otherMe.statusCode).toBe(401);
    const signIn = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: 'pw@example.org', password: 'a brand new passphrase' } });
    expect(signIn.statusCode).toBe(200);
  });

  it('stores the preferred language', async () => {
    const u = await signUp(t.app, { locale: 'fr' });
    const res = await t.app.inject({ method: 'PATCH', url: '/me', headers: u.auth, payload: { locale: 'en' } });
    expect(res.json().locale).toBe('en');
    const empty = await t.app.inject({ method: 'PATCH', url: '/me', headers: u.auth, payload: {} });
    expect(empty.statusCode).toBe(400);
  });
});

describe('rate limits', () => {
  it('slows down repeated sign-in attempts with 429 and Retry-After', async () => {
    const limited = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const codes: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await limited.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: 'x@example.org', password: 'whatever' } });
        codes.push(last.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      expect(errorOf(last!).code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});
