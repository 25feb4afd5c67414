import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type TestApp } from '../support/test-app.js';
import { testClock } from '../support/patronage.js';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';

const clock = testClock();
/** What signUp() gives every test account. */
const PASSWORD = 'correct horse battery';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, { now: clock.now });
});
afterAll(() => t.close());

let addresses = 0;
/** A client address of its own per test, so one test's wrong passwords do not slow another's. */
const newAddress = () => `198.51.100.${++addresses}`;
const signIn = (email: string, password: string, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email, password }, remoteAddress });
const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload });

/** Sends what the outbox holds, as the mail worker does. */
const dispatch = () => dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });

/** The reset link in the newest email to this address (queued with the answer, sent by the outbox). */
async function resetLink(email: string): Promise<string> {
  await dispatch();
  for (let i = 0; i < 200; i++) {
    const mail = (await t.mailer.list()).find((m) => m.to === email && /mot de passe|password/i.test(m.subject));
    const link = mail?.text.match(/https?:\/\/\S+\/reset-password\/(\S+)/);
    if (link) return link[1]!;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no reset email for ${email}`);
}

describe('too many wrong passwords', () => {
  /** What an attacker sees: status, Retry-After and body. */
  const seen = (r: Awaited<ReturnType<typeof signIn>>) => ({ status: r.statusCode, retryAfter: r.headers['retry-after'], body: r.json() });

  it('five wrong passwords from rotating addresses only delay that email, growing, and an unknown email reads exactly the same', async () => {
    clock.reset();
    const steward = await signUp(t.app);
    await makeSteward(t, steward.userId);
    const unknown = `nobody-${Date.now()}@example.org`;
    const answers: Record<string, ReturnType<typeof seen>[]> = { [steward.email]: [], [unknown]: [] };
    for (const email of [steward.email, unknown]) {
      for (let i = 0; i < 5; i++) answers[email]!.push(seen(await signIn(email, 'wrong password!', newAddress())));
      // The sixth at once is held back without checking the password: 1 s, then 2 s after the next wrong one.
      answers[email]!.push(seen(await signIn(email, 'wrong password!', newAddress())));
      clock.set(new Date(Date.now() + 1_100));
      answers[email]!.push(seen(await signIn(email, 'wrong password!', newAddress())));
      answers[email]!.push(seen(await signIn(email, 'wrong password!', newAddress())));
      clock.reset();
    }
    expect(answers[steward.email]!.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 401, 429]);
    expect(answers[steward.email]![5]).toMatchObject({ retryAfter: '1', body: { error: { code: 'sign_in_delayed' } } });
    expect(answers[steward.email]![7]!.retryAfter).toBe('2');
    expect(answers[unknown]).toEqual(answers[steward.email]);
  });

  it('a stranger cannot keep the owner out: never more than a minute, and not at all from an address she signed in from', async () => {
    clock.reset();
    const u = await signUp(t.app);
    const home = newAddress();
    expect((await signIn(u.email, PASSWORD, home)).statusCode).toBe(200);
    const start = Date.now();
    for (let i = 0; i < 30; i++) {
      clock.set(new Date(start + i * 61_000));
      await signIn(u.email, 'wrong password!', newAddress());
    }
    const fromCafe = await signIn(u.email, PASSWORD, newAddress());
    expect(fromCafe.statusCode).toBe(429);
    expect(Number(fromCafe.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await signIn(u.email, PASSWORD, home)).statusCode).toBe(200);
    clock.set(new Date(start + 29 * 61_000 + 61_000));
    expect((await signIn(u.email, PASSWORD, newAddress())).statusCode).toBe(200);
    clock.reset();
  });

  it('one address guessing many accounts is delayed after 20 wrong passwords, even for a right one', async () => {
    clock.reset();
    const u = await signUp(t.app);
    const guesser = newAddress();
    for (let i = 0; i < 20; i++) expect((await signIn(`guess-${i}-${Date.now()}@example.org`, 'wrong password!', guesser)).statusCode).toBe(401);
    const next = await signIn(u.email, PASSWORD, guesser);
    expect(next.statusCode).toBe(429);
    expect(errorOf(next).code).toBe('sign_in_delayed');
    expect((await signIn(u.email, PASSWORD, newAddress())).statusCode).toBe(200);
  });

  it('a right password in between starts the count again', async () => {
    const u = await signUp(t.app);
    const address = newAddress();
    for (let i = 0; i < 4; i++) await signIn(u.email, 'wrong password!', address);
    expect((await signIn(u.email, PASSWORD, address)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn(u.email, 'wrong password!', address)).statusCode).toBe(401);
    expect((await signIn(u.email, PASSWORD, address)).statusCode).toBe(200);
  });

  it('wrong passwords are forgotten 15 minutes after the last one', async () => {
    clock.reset();
    const u = await signUp(t.app);
    for (let i = 0; i < 5; i++) await signIn(u.email, 'wrong password!', newAddress());
    expect((await signIn(u.email, PASSWORD, newAddress())).statusCode).toBe(429);
    clock.set(new Date(Date.now() + 16 * 60_000));
    for (let i = 0; i < 5; i++) expect((await signIn(u.email, 'wrong password!', newAddress())).statusCode).toBe(401);
    clock.reset();
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
    // The time as the web writes it: "9:05 a.m.", never "09:05 a.m.".
    expect(mail.text.replace(/[\u00a0\u202f]/g, ' ')).toMatch(/expires at [1-9]\d?:\d\d [ap]\.m\. \(Montréal time\)/);

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
    expect(errorOf(again)).toMatchObject({ code: 'invalid_reset_link', fields: { token: [expect.objectContaining({ code: 'invalid_link' })] } });
  });

  it('answers an unknown address exactly like a known one, and sends nothing', async () => {
    await dispatch();
    const before = (await t.mailer.list()).length;
    const r = await post('/auth/password-reset', { email: `nobody-${Date.now()}@example.org` });
    expect(r.statusCode).toBe(202);
    expect(r.json()).toEqual({ ok: true });
    await dispatch();
    expect((await t.mailer.list()).length).toBe(before);
  });

  it('takes as long for an unknown address as for a known one (same answer, same time)', async () => {
    const u = await signUp(t.app);
    const known = () => post('/auth/password-reset', { email: u.email });
    const unknown = () => post('/auth/password-reset', { email: `nobody-${Date.now()}-${Math.random()}@example.org` });
    const timed = async (ask: () => ReturnType<typeof post>) => {
      const start = performance.now();
      const res = await ask();
      return { ms: performance.now() - start, status: res.statusCode, body: res.body };
    };
    for (let i = 0; i < 3; i++) { await known(); await unknown(); } // warm-up
    const times = { known: [] as number[], unknown: [] as number[] };
    const answers = new Set<string>();
    for (let i = 0; i < 15; i++) {
      // Alternating which goes first, so a slow moment of the machine falls on both.
      const pair = i % 2 === 0 ? [['known', known], ['unknown', unknown]] as const : [['unknown', unknown], ['known', known]] as const;
      for (const [which, ask] of pair) {
        const r = await timed(ask);
        times[which].push(r.ms);
        answers.add(`${r.status} ${r.body}`);
      }
    }
    expect([...answers]).toEqual(['202 {"ok":true}']);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(times.unknown) / median(times.known);
    expect(ratio, `medians: unknown ${median(times.unknown).toFixed(2)} ms, known ${median(times.known).toFixed(2)} ms`).toBeGreaterThan(0.5);
    expect(ratio, `medians: unknown ${median(times.unknown).toFixed(2)} ms, known ${median(times.known).toFixed(2)} ms`).toBeLessThan(2);
    // Only the known address gets an email.
    await dispatch();
    expect((await t.mailer.list()).filter((m) => m.to.startsWith('nobody-'))).toEqual([]);
  });

  it('queues the email in the outbox with the link, and drops the token from the row once sent', async () => {
    const u = await signUp(t.app);
    await dispatch(); // earlier messages
    expect((await post('/auth/password-reset', { email: u.email })).statusCode).toBe(202);
    await new Promise((res) => setTimeout(res, 50));
    // Nothing is sent by the request itself: the row waits for the outbox.
    expect((await t.mailer.list()).filter((m) => m.to === u.email && /mot de passe/i.test(m.subject))).toEqual([]);
    const [queued] = await t.database.sql`SELECT id, payload FROM outbox WHERE payload->>'recipientId' = ${u.userId} AND payload->>'message' = 'password_reset'`;
    expect(queued!.payload).toMatchObject({ type: 'account', message: 'password_reset', token: expect.any(String) });

    const token = await resetLink(u.email);
    expect(token).toBe(queued!.payload.token);
    const [sent] = await t.database.sql`SELECT payload, sent_at FROM outbox WHERE id = ${queued!.id}`;
    expect(sent!.sent_at).not.toBeNull();
    expect(sent!.payload).not.toHaveProperty('token');
    expect(JSON.stringify(sent!.payload)).not.toContain(token);
    // The emailed link still works: the secret was in the email, not needed in the row.
    expect((await post('/auth/password-reset/confirm', { token, password: 'a brand new password' })).statusCode).toBe(200);
  });

  it('a link expires after an hour, a newer link voids the older one, and a reset lifts the sign-in delay', async () => {
    clock.reset();
    const u = await signUp(t.app);
    await post('/auth/password-reset', { email: u.email });
    const first = await resetLink(u.email);
    clock.set(new Date(Date.now() + 61 * 60_000));
    const late = await post('/auth/password-reset/confirm', { token: first, password: 'a brand new password' });
    expect(late.statusCode).toBe(400);
    clock.reset();

    // From an address the account never signed in from (signUp's own address is trusted).
    const away = newAddress();
    for (let i = 0; i < 5; i++) await signIn(u.email, 'wrong password!', away);
    expect((await signIn(u.email, PASSWORD, away)).statusCode).toBe(429);
    // One link per five minutes: these asks come as if that long after the one before.
    const fiveMinutesPass = () => t.database.sql`UPDATE password_resets SET created_at = created_at - interval '6 minutes' WHERE user_id = ${u.userId}`;
    await fiveMinutesPass();
    await post('/auth/password-reset', { email: u.email });
    let second = await resetLink(u.email);
    for (let i = 0; second === first && i < 40; i++) second = await resetLink(u.email);
    await fiveMinutesPass();
    await post('/auth/password-reset', { email: u.email });
    let third = await resetLink(u.email);
    for (let i = 0; third === second && i < 40; i++) third = await resetLink(u.email);
    expect((await post('/auth/password-reset/confirm', { token: second, password: 'a brand new password' })).statusCode).toBe(400);
    expect((await post('/auth/password-reset/confirm', { token: third, password: 'a brand new password' })).statusCode).toBe(200);
    expect((await signIn(u.email, 'a brand new password', away)).statusCode).toBe(200);
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
