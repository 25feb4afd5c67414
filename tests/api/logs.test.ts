import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeSteward, signUp, type TestApp } from '../support/test-app.js';
import { approvedCoop, onboardCoop } from '../support/fixtures.js';

/**
 * Everything a request can carry that must never reach a log line, with the production logger
 * settings at debug level: passwords, access and refresh tokens, invitation and reset links,
 * Stripe signatures and keys, the JWT secret.
 */
const lines: string[] = [];
let t: TestApp;
const secrets = new Set<string>();
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  t = await createTestApp({ STRIPE_SECRET_KEY: 'sk_test_never_logged_123' }, { logLines: lines });
});
afterAll(() => t.close());

async function linkIn(email: string, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 200; i++) {
    for (const m of await t.sentMail()) {
      const match = m.to === email ? pattern.exec(m.text) : null;
      if (match) return match[1]!;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no link for ${email}`);
}

describe('logs', () => {
  it('hold no password, token, link secret, signature or key, while still logging each request', async () => {
    secrets.add(PASSWORD).add(t.config.jwtSecret).add(t.config.stripe.webhookSecret).add('sk_test_never_logged_123');
    const steward = await signUp(t.app);
    await makeSteward(t, steward.userId);
    const admin = await signUp(t.app);
    secrets.add(admin.token).add(admin.refreshToken);

    // Sign-in with cookies both ways, refresh by cookie, a wrong password.
    const signIn = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: admin.email, password: PASSWORD } });
    const { accessToken, refreshToken } = signIn.json();
    secrets.add(accessToken).add(refreshToken);
    const refreshed = await t.app.inject({ method: 'POST', url: '/auth/refresh', cookies: { tissu_refresh: refreshToken } });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    secrets.add(refreshed.json().accessToken).add(refreshed.json().refreshToken);
    await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: admin.email, password: 'a wrong password 42' } });
    secrets.add('a wrong password 42');
    await t.app.inject({ method: 'GET', url: '/me', cookies: { tissu_access: refreshed.json().accessToken } });

    // An invitation link, opened and accepted.
    const coop = await approvedCoop(t, steward, admin, 'Coop des journaux');
    await onboardCoop(t, admin, coop.id);
    await t.app.inject({ method: 'POST', url: `/coops/${coop.id}/invitations`, headers: admin.auth, payload: { email: 'worker.logs@example.org', role: 'worker' } });
    const invitation = await linkIn('worker.logs@example.org', /\/invitations\/([A-Za-z0-9_-]{43})/);
    secrets.add(invitation);
    const worker = await signUp(t.app, { email: 'worker.logs@example.org' });
    await t.app.inject({ method: 'GET', url: `/invitations/${invitation}` });
    await t.app.inject({ method: 'POST', url: `/invitations/${invitation}/accept`, headers: worker.auth });

    // A password reset, and its link used.
    await t.app.inject({ method: 'POST', url: '/auth/password-reset', payload: { email: admin.email } });
    const reset = await linkIn(admin.email, /\/reset-password\/(\S+)/);
    secrets.add(reset).add('the new password 99');
    await t.app.inject({ method: 'POST', url: '/auth/password-reset/confirm', payload: { token: reset, password: 'the new password 99' } });

    // A webhook with a forged signature, a token in a query string, an error answer.
    const signature = 't=1700000000,v1=deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef';
    secrets.add('deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef');
    await t.app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'stripe-signature': signature, 'content-type': 'application/json' }, payload: '{}' });
    await t.app.inject({ method: 'GET', url: '/listings?q=x&access_token=query-token-secret-77' });
    secrets.add('query-token-secret-77');
    await t.app.inject({ method: 'GET', url: '/me', headers: { authorization: 'Bearer not.a.real-token-secret-88' } });
    secrets.add('not.a.real-token-secret-88');

    const log = lines.join('');
    // The requests were logged (with their request ids), only without the secrets.
    expect(lines.length).toBeGreaterThan(20);
    expect(log).toContain('"reqId"');
    expect(log).toContain('/invitations/[redacted]');
    for (const secret of secrets) expect(log.includes(secret), `a log line holds ${secret.slice(0, 12)}…`).toBe(false);
  });
});
