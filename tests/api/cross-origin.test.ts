import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, signUp, type SignedIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
let u: SignedIn;
/** The access cookie a browser that signed in on the API itself would send back. */
let cookie: string;
beforeAll(async () => {
  t = await createTestApp();
  u = await signUp(t.app);
  const signIn = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: u.email, password: 'correct horse battery' } });
  cookie = `tissu_access=${signIn.cookies.find((c) => c.name === 'tissu_access')!.value}`;
});
afterAll(() => t.close());

const EVIL = 'http://evil.example';
/** A change of the account's name: a state-changing request a forged form could send. */
const rename = (headers: Record<string, string>, name = 'Renamed') =>
  t.app.inject({ method: 'PATCH', url: '/me', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ name }) });

describe('requests carried by the API cookie from another site', () => {
  it('are refused with 403 when their Origin is another site, whatever the body type', async () => {
    const res = await rename({ cookie, origin: EVIL });
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('forbidden');
    const plain = await t.app.inject({ method: 'POST', url: '/auth/sign-out', headers: { cookie, origin: EVIL, 'content-type': 'text/plain' }, payload: 'x' });
    expect(plain.statusCode).toBe(403);
    const opaque = await rename({ cookie, origin: 'null' });
    expect(opaque.statusCode).toBe(403);
    // Nothing was changed, and the session still works.
    const me = await t.app.inject({ method: 'GET', url: '/me', headers: u.auth });
    expect(me.statusCode).toBe(200);
    expect(me.json().name).toBe('Test User');
  });

  it('are refused when, without an Origin, their Referer is another site', async () => {
    const res = await rename({ cookie, referer: `${EVIL}/page?x=1` });
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('forbidden');
  });

  it("go through from the web's own origin, from the API's own, and with neither header (a script, curl)", async () => {
    expect((await rename({ cookie, origin: new URL(t.config.webOrigin).origin }, 'From the web')).statusCode).toBe(200);
    expect((await rename({ cookie, origin: 'http://localhost:80', host: 'localhost:80' }, 'From the API')).statusCode).toBe(200);
    expect((await rename({ cookie, referer: `${t.config.webOrigin}/account` }, 'By referer')).statusCode).toBe(200);
    expect((await rename({ cookie }, 'No header')).statusCode).toBe(200);
  });

  it('a Bearer token cannot be sent by a forged form, so its requests are not checked; nor are reads', async () => {
    expect((await rename({ ...u.auth, origin: EVIL }, 'By bearer')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/me', headers: { cookie, origin: EVIL } })).statusCode).toBe(200);
    // Without any credential there is nothing to abuse: sign-in from anywhere answers as usual.
    const signIn = await t.app.inject({ method: 'POST', url: '/auth/sign-in', headers: { origin: EVIL }, payload: { email: u.email, password: 'correct horse battery' } });
    expect(signIn.statusCode).toBe(200);
  });
});
