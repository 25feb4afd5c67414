/**
 * The account page's rules (issue 15): profile and phone, per-kind email choices, moving the
 * account to another address (only once the new one's link is opened, the old one told),
 * signed-in devices, and leaving a co-op.
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
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0';

const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: { auth: Record<string, string> } | null, payload?: unknown) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload === undefined ? {} : { payload: payload as object }) });

async function signInFrom(email: string, userAgent: string, address = '203.0.113.42', password = PASSWORD) {
  const res = await t.app.inject({ method: 'POST', url: '/auth/sign-in', headers: { 'user-agent': userAgent, 'x-forwarded-for': address }, payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  return { id: '', refreshToken: body.refreshToken as string, auth: { authorization: `Bearer ${body.accessToken}` } };
}

/** Sends what the outbox holds and returns the mails to `to` sent by this call. */
async function mailsTo(to: string) {
  const all = await t.sentMail();
  return all.filter((m) => m.to === to);
}

describe('profile', () => {
  it('changes name, phone and language; a bad phone or an empty name answers 400 with the field, and changes nothing', async () => {
    const u = await signUp(t.app, { name: 'Awa Diallo' });
    const ok = await req('PATCH', '/me', u, { name: '  Awa Diallo-Tremblay ', phone: '+1 (438) 555-0199', locale: 'en' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'Awa Diallo-Tremblay', phone: '+1 (438) 555-0199', locale: 'en' });

    const badPhone = await req('PATCH', '/me', u, { phone: 'call me maybe' });
    expect(badPhone.statusCode).toBe(400);
    expect(errorOf(badPhone).fields).toEqual({ phone: [expect.objectContaining({ code: 'invalid_phone' })] });
    const emptyName = await req('PATCH', '/me', u, { name: '   ' });
    expect(emptyName.statusCode).toBe(400);
    expect(Object.keys(errorOf(emptyName).fields ?? {})).toEqual(['name']);
    const wrongType = await req('PATCH', '/me', u, { reminderEmails: 'yes' });
    expect(wrongType.statusCode).toBe(400);
    expect((await req('GET', '/me', u)).json()).toMatchObject({ name: 'Awa Diallo-Tremblay', phone: '+1 (438) 555-0199', locale: 'en', reminderEmails: true });

    // A phone may be removed.
    expect((await req('PATCH', '/me', u, { phone: '' })).json().phone).toBe('');
  });

  it('keeps each optional kind of email on until she turns it off, one by one', async () => {
    const u = await signUp(t.app);
    expect((await req('GET', '/me', u)).json()).toMatchObject({ messageEmails: true, reminderEmails: true, assemblyEmails: true });
    const off = await req('PATCH', '/me', u, { reminderEmails: false, assemblyEmails: false });
    expect(off.json()).toMatchObject({ messageEmails: true, reminderEmails: false, assemblyEmails: false });
    expect((await req('PATCH', '/me', u, { assemblyEmails: true })).json()).toMatchObject({ reminderEmails: false, assemblyEmails: true });
  });

  it('never lets one person change another’s profile: PATCH /me is always the caller’s own', async () => {
    const a = await signUp(t.app, { name: 'Première' });
    const b = await signUp(t.app, { name: 'Seconde' });
    await req('PATCH', '/me', a, { name: 'Changée', id: b.userId });
    expect((await req('GET', '/me', b)).json().name).toBe('Seconde');
    expect((await req('PATCH', '/me', null, { name: 'Anonyme' })).statusCode).toBe(401);
  });
});

describe('changing the email address', () => {
  it('takes effect only when the link sent to the new address is opened; the old address is told before and after', async () => {
    const u = await signUp(t.app, { name: 'Léa Roy', email: `lea-${Date.now()}@example.org` });
    const newEmail = `lea.nouvelle-${Date.now()}@example.org`;
    await t.sentMail();

    const wrong = await req('POST', '/me/email', u, { newEmail, currentPassword: 'not my password' });
    expect(wrong.statusCode).toBe(400);
    expect(errorOf(wrong).fields).toEqual({ currentPassword: [expect.objectContaining({ code: 'wrong_password' })] });
    const same = await req('POST', '/me/email', u, { newEmail: u.email.toUpperCase(), currentPassword: PASSWORD });
    expect(errorOf(same).fields).toEqual({ newEmail: [expect.objectContaining({ code: 'same_email' })] });
    const notEmail = await req('POST', '/me/email', u, { newEmail: 'pas une adresse', currentPassword: PASSWORD });
    expect(errorOf(notEmail).fields).toEqual({ newEmail: [expect.objectContaining({ code: 'invalid_email' })] });
    expect(await mailsTo(newEmail)).toEqual([]);

    const asked = await req('POST', '/me/email', u, { newEmail: `  ${newEmail.toUpperCase()} `, currentPassword: PASSWORD });
    expect(asked.statusCode, asked.body).toBe(202);
    const [toNew] = await mailsTo(newEmail);
    expect(toNew!.subject).toBe('Confirmez votre nouvelle adresse Tissu');
    const token = /\/confirm-email\/([\w-]+)/.exec(toNew!.text)![1]!;
    expect(toNew!.text).toContain(`${t.config.webOrigin}/confirm-email/${token}`);
    const [toOld] = await mailsTo(u.email);
    expect(toOld!.subject).toBe('Tissu : demande de changement d’adresse de votre compte');
    expect(toOld!.text).toContain(newEmail);
    expect(toOld!.text).toContain(`${t.config.webOrigin}/forgot-password`);
    // The secret left the outbox with the email.
    expect(await t.database.sql`SELECT 1 FROM outbox WHERE payload ? 'token' AND payload->>'message' = 'email_change'`).toHaveLength(0);

    // Nothing changed yet.
    expect((await req('GET', '/me', u)).json().email).toBe(u.email);
    expect((await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: newEmail, password: PASSWORD } })).statusCode).toBe(401);

    const confirmed = await t.app.inject({ method: 'POST', url: '/auth/email-change/confirm', payload: { token } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toEqual({ email: newEmail });
    // Opened signed out: every device of hers is signed out (see account-email-pending.test.ts).
    expect((await req('GET', '/me', u)).statusCode).toBe(401);
    const back = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: newEmail, password: PASSWORD } });
    expect(back.statusCode).toBe(200);
    expect(back.json().user).toMatchObject({ email: newEmail, emailVerified: true });
    expect((await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: u.email, password: PASSWORD } })).statusCode).toBe(401);
    const changed = (await mailsTo(u.email)).filter((m) => m.subject === 'Tissu : l’adresse de votre compte a changé');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.text).toContain(newEmail);

    const again = await t.app.inject({ method: 'POST', url: '/auth/email-change/confirm', payload: { token } });
    expect(again.statusCode).toBe(400);
    expect(errorOf(again)).toMatchObject({ code: 'invalid_email_change_link', fields: { token: [expect.objectContaining({ code: 'invalid_link' })] } });
    const junk = await t.app.inject({ method: 'POST', url: '/auth/email-change/confirm', payload: { token: 'x'.repeat(43) } });
    expect(errorOf(junk).code).toBe('invalid_email_change_link');
  });

  it('answers an address that has an account exactly like a free one; only that address’s owner is told, and nothing changes', async () => {
    const owner = await signUp(t.app, { name: 'Propriétaire' });
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const free = `libre-${Date.now()}@example.org`;
    await t.sentMail();
    const taken = await req('POST', '/me/email', a, { newEmail: owner.email, currentPassword: PASSWORD });
    const fresh = await req('POST', '/me/email', b, { newEmail: free, currentPassword: PASSWORD });
    expect(taken.statusCode).toBe(fresh.statusCode);
    expect(taken.body).toBe(fresh.body);
    // Each asker's own mailbox gets the same notice.
    const [toA] = await mailsTo(a.email);
    const [toB] = await mailsTo(b.email);
    expect(toA!.subject).toBe(toB!.subject);
    // The owner of the taken address gets a notice, with no link that could move anything.
    const [toOwner] = await mailsTo(owner.email);
    expect(toOwner!.subject).toBe('Quelqu’un a voulu utiliser votre adresse pour un autre compte Tissu');
    expect(toOwner!.text).not.toMatch(/confirm-email/);
    expect((await req('GET', '/me', owner)).json().email).toBe(owner.email);
    expect((await req('GET', '/me', a)).json().email).toBe(a.email);
  });

  it('a password change or reset drops a pending change: its link no longer works', async () => {
    const u = await signUp(t.app);
    const newEmail = `pending-${Date.now()}@example.org`;
    expect((await req('POST', '/me/email', u, { newEmail, currentPassword: PASSWORD })).statusCode).toBe(202);
    const token = /\/confirm-email\/([\w-]+)/.exec((await mailsTo(newEmail))[0]!.text)![1]!;
    expect((await req('POST', '/auth/password', u, { currentPassword: PASSWORD, newPassword: 'une toute nouvelle phrase' })).statusCode).toBe(200);
    const late = await t.app.inject({ method: 'POST', url: '/auth/email-change/confirm', payload: { token } });
    expect(errorOf(late).code).toBe('invalid_email_change_link');
    expect((await req('GET', '/me', u)).json().email).toBe(u.email);
  });
});

describe('signed-in devices', () => {
  it('lists her live sessions with a readable device and a shortened address, and marks this one', async () => {
    const u = await signUp(t.app);
    const phone = await signInFrom(u.email, ANDROID, '198.51.100.7');
    const laptop = await signInFrom(u.email, MAC, '203.0.113.42');
    const list = await req('GET', '/me/sessions', phone);
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; browser: string | null; os: string | null; approximateAddress: string | null; current: boolean }[];
    expect(items).toHaveLength(3); // sign-up's own session, the phone and the laptop
    expect(items.filter((s) => s.current)).toEqual([expect.objectContaining({ browser: 'Chrome', os: 'Android', approximateAddress: '198.51.100.x' })]);
    expect(items).toContainEqual(expect.objectContaining({ browser: 'Firefox', os: 'macOS', approximateAddress: '203.0.113.x', current: false }));
    expect(JSON.stringify(items)).not.toMatch(/203\.0\.113\.42|token/i);
    // Another person never sees them.
    const other = await signUp(t.app);
    const theirs = (await req('GET', '/me/sessions', other)).json().items as { id: string }[];
    expect(theirs.map((s) => s.id)).not.toContain(items[0]!.id);
    void laptop;
  });

  it('signs one device out: its access and refresh tokens stop working; another person’s session answers 404', async () => {
    const u = await signUp(t.app);
    const phone = await signInFrom(u.email, ANDROID);
    const laptop = await signInFrom(u.email, MAC);
    const items = (await req('GET', '/me/sessions', phone)).json().items as { id: string; os: string; current: boolean }[];
    const laptopId = items.find((s) => s.os === 'macOS')!.id;

    const stranger = await signUp(t.app);
    const notTheirs = await req('DELETE', `/me/sessions/${laptopId}`, stranger);
    expect(notTheirs.statusCode).toBe(404);
    expect((await req('GET', '/me', laptop)).statusCode).toBe(200);
    expect((await req('DELETE', '/me/sessions/not-an-id', phone)).statusCode).toBe(400);

    expect((await req('DELETE', `/me/sessions/${laptopId}`, phone)).statusCode).toBe(200);
    expect((await req('GET', '/me', laptop)).statusCode).toBe(401);
    const refresh = await t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: laptop.refreshToken } });
    expect(refresh.statusCode).toBe(401);
    expect(errorOf(refresh).code).toBe('invalid_refresh_token');
    expect((await req('DELETE', `/me/sessions/${laptopId}`, phone)).statusCode).toBe(404); // already ended
    expect((await req('GET', '/me', phone)).statusCode).toBe(200);
  });

  it('"sign out everywhere else" ends every other session and keeps this one', async () => {
    const u = await signUp(t.app);
    const phone = await signInFrom(u.email, ANDROID);
    const laptop = await signInFrom(u.email, MAC);
    const res = await req('POST', '/me/sessions/revoke-others', phone);
    expect(res.json()).toEqual({ revoked: 2 });
    expect((await req('GET', '/me', laptop)).statusCode).toBe(401);
    expect((await req('GET', '/me', u)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: laptop.refreshToken } })).statusCode).toBe(401);
    expect((await req('GET', '/me', phone)).statusCode).toBe(200);
    expect(((await req('GET', '/me/sessions', phone)).json().items as unknown[])).toHaveLength(1);
    // Refreshing keeps the device and moves its "last used".
    const before = (await req('GET', '/me/sessions', phone)).json().items[0];
    const refreshed = await t.app.inject({ method: 'POST', url: '/auth/refresh', headers: { 'x-forwarded-for': '192.0.2.9' }, payload: { refreshToken: phone.refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    const after = (await req('GET', '/me/sessions', { auth: { authorization: `Bearer ${refreshed.json().accessToken}` } })).json().items[0];
    expect(after).toMatchObject({ id: before.id, browser: 'Chrome', os: 'Android', approximateAddress: '192.0.2.x', current: true });
    expect(Date.parse(after.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(before.lastUsedAt));
  });

  it('a password change signs every other device out and keeps this one', async () => {
    const u = await signUp(t.app);
    const laptop = await signInFrom(u.email, MAC);
    expect((await req('POST', '/auth/password', u, { currentPassword: PASSWORD, newPassword: 'une toute nouvelle phrase' })).statusCode).toBe(200);
    expect((await req('GET', '/me', laptop)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: laptop.refreshToken } })).statusCode).toBe(401);
    expect((await req('GET', '/me', u)).statusCode).toBe(200);
  });
});

describe('leaving a co-op', () => {
  let steward: SignedIn;
  beforeAll(async () => {
    steward = await signUp(t.app);
    await makeSteward(t, steward.userId);
  });

  it('a worker-member leaves; her co-op disappears from her account; a stranger learns nothing (404)', async () => {
    const admin = await signUp(t.app);
    const worker = await signUp(t.app);
    const coop = await approvedCoop(t, steward, admin, 'Coop à quitter');
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coop.id}, ${worker.userId}, 'worker')`;
    expect((await req('GET', '/me', worker)).json().coops).toEqual([expect.objectContaining({ coopId: coop.id, role: 'worker' })]);

    const stranger = await signUp(t.app);
    const notMember = await req('POST', `/coops/${coop.id}/leave`, stranger, {});
    expect(notMember.statusCode).toBe(404);
    expect((await req('POST', `/coops/${coop.id}/leave`, null, {})).statusCode).toBe(401);

    expect((await req('POST', `/coops/${coop.id}/leave`, worker, {})).statusCode).toBe(200);
    expect((await req('GET', '/me', worker)).json().coops).toEqual([]);
    expect((await req('POST', `/coops/${coop.id}/leave`, worker, {})).statusCode).toBe(404);
    // The admin's list no longer has her.
    const members = (await req('GET', `/coops/${coop.id}/members`, admin)).json();
    expect(JSON.stringify(members)).not.toContain(worker.userId);
  });

  it('the last admin may not leave (409 last_admin); once another is admin, she may', async () => {
    const admin = await signUp(t.app);
    const second = await signUp(t.app);
    const coop = await approvedCoop(t, steward, admin, 'Coop à un admin');
    const refused = await req('POST', `/coops/${coop.id}/leave`, admin, {});
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused).code).toBe('last_admin');
    expect((await req('GET', '/me', admin)).json().coops).toHaveLength(1);

    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coop.id}, ${second.userId}, 'admin')`;
    expect((await req('POST', `/coops/${coop.id}/leave`, admin, {})).statusCode).toBe(200);
    expect((await req('GET', '/me', admin)).json().coops).toEqual([]);
    expect(errorOf(await req('POST', `/coops/${coop.id}/leave`, second, {})).code).toBe('last_admin');
  });

  it('two admins leaving at once leave one behind', async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const coop = await approvedCoop(t, steward, a, 'Coop à deux admins');
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coop.id}, ${b.userId}, 'admin')`;
    const both = await Promise.all([req('POST', `/coops/${coop.id}/leave`, a, {}), req('POST', `/coops/${coop.id}/leave`, b, {})]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const [{ n }] = (await t.database.sql`SELECT count(*)::int AS n FROM coop_members WHERE coop_id = ${coop.id} AND role = 'admin'`) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });
});
