/**
 * Issue 15's leftovers on the account page: a pending change of address is shown, can be sent
 * again or cancelled, and a password change that drops it says so; confirming a change signs
 * every other device out; her co-ops say where she is the last admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop } from '../support/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const PASSWORD = 'correct horse battery';
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0';

const req = (method: 'GET' | 'POST' | 'DELETE', url: string, who: { auth: Record<string, string> } | null, payload?: unknown) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload === undefined ? {} : { payload: payload as object }) });

async function signInFrom(email: string) {
  const res = await t.app.inject({ method: 'POST', url: '/auth/sign-in', headers: { 'user-agent': MAC }, payload: { email, password: PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  return { refreshToken: res.json().refreshToken as string, auth: { authorization: `Bearer ${res.json().accessToken}` } };
}

const linksTo = async (to: string) =>
  (await t.sentMail()).filter((m) => m.to === to).map((m) => /\/confirm-email\/([\w-]+)/.exec(m.text)?.[1]).filter(Boolean) as string[];

const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });

describe('a pending change of address', () => {
  it('is shown until it is confirmed or cancelled; "send again" mails a fresh link (not twice in five minutes); cancel voids the link', async () => {
    const u = await signUp(t.app);
    expect((await req('GET', '/me/email-change', u)).json()).toEqual({ pending: null });
    expect((await req('GET', '/me/email-change', null)).statusCode).toBe(401);
    expect(errorOf(await req('POST', '/me/email-change/resend', u)).code).toBe('not_found');

    const newEmail = `attente-${Date.now()}@example.org`;
    expect((await req('POST', '/me/email', u, { newEmail, currentPassword: PASSWORD })).statusCode).toBe(202);
    const pending = (await req('GET', '/me/email-change', u)).json();
    expect(pending.pending.newEmail).toBe(newEmail);
    expect(Date.parse(pending.pending.expiresAt)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    const [first] = await linksTo(newEmail);
    // Another person sees only her own (nothing).
    const other = await signUp(t.app);
    expect((await req('GET', '/me/email-change', other)).json()).toEqual({ pending: null });

    // Sent a moment ago: "send again" answers the same and sends nothing; the first link still works later.
    expect((await req('POST', '/me/email-change/resend', u)).statusCode).toBe(202);
    expect(await linksTo(newEmail)).toEqual([first]);
    // Five minutes on, a fresh link goes and the first stops working.
    await t.database.sql`UPDATE email_changes SET created_at = created_at - interval '6 minutes' WHERE user_id = ${u.userId}`;
    expect((await req('POST', '/me/email-change/resend', u)).statusCode).toBe(202);
    const links = await linksTo(newEmail);
    expect(links).toHaveLength(2);
    const second = links.find((l) => l !== first)!;
    expect(second).toBeDefined();
    expect(errorOf(await t.app.inject({ method: 'POST', url: '/auth/email-change/confirm', payload: { token: first } })).code).toBe('invalid_email_change_link');
    expect((await req('GET', '/me/email-change', u)).json().pending.newEmail).toBe(newEmail);

    // Cancel: the link no longer works, nothing is pending, cancelling again answers the same.
    expect((await req('DELETE', '/me/email-change', u)).statusCode).toBe(200);
    expect((await req('GET', '/me/email-change', u)).json()).toEqual({ pending: null });
    expect(errorOf(await t.app.inject({ method: 'POST', url: '/auth/email-change/confirm', payload: { token: second } })).code).toBe('invalid_email_change_link');
    expect((await req('DELETE', '/me/email-change', u)).statusCode).toBe(200);
    expect((await req('GET', '/me', u)).json().email).toBe(u.email);
  });

  it('a password change says whether it dropped a pending change', async () => {
    const u = await signUp(t.app);
    const none = await req('POST', '/auth/password', u, { currentPassword: PASSWORD, newPassword: 'une toute nouvelle phrase' });
    expect(none.json()).toEqual({ ok: true, emailChangeCancelled: false });
    expect((await req('POST', '/me/email', u, { newEmail: `mdp-${Date.now()}@example.org`, currentPassword: 'une toute nouvelle phrase' })).statusCode).toBe(202);
    const dropped = await req('POST', '/auth/password', u, { currentPassword: 'une toute nouvelle phrase', newPassword: PASSWORD });
    expect(dropped.json()).toEqual({ ok: true, emailChangeCancelled: true });
    expect((await req('GET', '/me/email-change', u)).json()).toEqual({ pending: null });
  });
});

describe('confirming a change of address', () => {
  it('signs every other device out (their refresh tokens answer 401) and keeps the one confirming', async () => {
    const u = await signUp(t.app);
    const laptop = await signInFrom(u.email);
    const newEmail = `appareils-${Date.now()}@example.org`;
    await req('POST', '/me/email', u, { newEmail, currentPassword: PASSWORD });
    const [token] = await linksTo(newEmail);
    const confirmed = await t.app.inject({ method: 'POST', url: '/auth/email-change/confirm', headers: u.auth, payload: { token } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((await req('GET', '/me', laptop)).statusCode).toBe(401);
    expect((await refresh(laptop.refreshToken)).statusCode).toBe(401);
    expect((await req('GET', '/me', u)).json().email).toBe(newEmail);
    expect((await refresh(u.refreshToken)).statusCode).toBe(200);
  });

  it('opened signed out (or as someone else), signs every device of hers out', async () => {
    const u = await signUp(t.app);
    const laptop = await signInFrom(u.email);
    const newEmail = `partout-${Date.now()}@example.org`;
    await req('POST', '/me/email', u, { newEmail, currentPassword: PASSWORD });
    const [token] = await linksTo(newEmail);
    const someoneElse = await signUp(t.app);
    const confirmed = await t.app.inject({ method: 'POST', url: '/auth/email-change/confirm', headers: someoneElse.auth, payload: { token } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    for (const device of [u, laptop]) {
      expect((await req('GET', '/me', device)).statusCode).toBe(401);
      expect((await refresh(device.refreshToken)).statusCode).toBe(401);
    }
    expect((await req('GET', '/me', someoneElse)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: newEmail, password: PASSWORD } })).statusCode).toBe(200);
  });
});

describe('her co-ops on the account', () => {
  let steward: SignedIn;
  beforeAll(async () => {
    steward = await signUp(t.app);
    await makeSteward(t, steward.userId);
  });

  it('say where she is the last admin, before she tries to leave', async () => {
    const admin = await signUp(t.app);
    const worker = await signUp(t.app);
    const coop = await approvedCoop(t, steward, admin, 'Coop du dernier admin');
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coop.id}, ${worker.userId}, 'worker')`;
    expect((await req('GET', '/me', admin)).json().coops).toEqual([expect.objectContaining({ coopId: coop.id, role: 'admin', lastAdmin: true })]);
    expect((await req('GET', '/me', worker)).json().coops).toEqual([expect.objectContaining({ coopId: coop.id, role: 'worker', lastAdmin: false })]);
    await t.database.sql`UPDATE coop_members SET role = 'admin' WHERE user_id = ${worker.userId}`;
    expect((await req('GET', '/me', admin)).json().coops).toEqual([expect.objectContaining({ lastAdmin: false })]);
  });
});
