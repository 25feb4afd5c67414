import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { adminCoopId, apiAs, goto, phone } from '../support/booking-world.js';

let browser: Browser;

/** Ways past a "starts with /" check, as a browser would send them once the query is decoded. */
const REDIRECT_BYPASSES = [
  '/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '/%09/evil.example', '/%0a/x', '//evil.example',
  '/\\evil.example', '\\\\evil.example', '/.//evil.example', '/%2F%2Fevil.example', '///evil.example',
  '/\u3000/evil.example', '/\u200b/evil.example', '\u3000//evil.example', 'javascript:alert(1)',
  'https://evil.example', 'https:evil.example', '//evil.example@localhost', 'data:text/html,x',
];
const web = () => inject('webUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('the web, against a hostile page or hostile text', () => {
  it('sends a strict Content-Security-Policy and refuses to be framed', async () => {
    const res = await fetch(`${web()}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('sends the browser security headers on pages, /_app assets, static files and errors', async () => {
    const { context, page } = await phone(browser);
    const seen: { url: string; headers: Record<string, string> }[] = [];
    page.on('response', (res) => {
      if (res.url().startsWith(web())) seen.push({ url: res.url(), headers: res.headers() });
    });
    await goto(page, '/');
    await page.goto(`${web()}/favicon.svg`);
    await page.goto(`${web()}/no-such-page`);
    await page.goto(`${web()}/_app/immutable/no-such-file.js`);
    await context.close();
    expect(seen.some((r) => r.url.includes('/_app/immutable/'))).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    for (const { url, headers } of seen) {
      expect(headers['x-content-type-options'], url).toBe('nosniff');
      expect(headers['referrer-policy'], url).toBe('strict-origin-when-cross-origin');
      expect(headers['permissions-policy'], url).toContain('camera=()');
      expect(headers['permissions-policy'], url).toContain('geolocation=()');
      // Served over plain http here: HSTS is for https only (see web/server/headers.test.ts).
      expect(headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('never sends anyone to another site, nor answers 500, whatever the redirect target', async () => {
    const origin = new URL(web()).origin;
    const signedIn = await fetch(`${web()}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      // A browser's form post without JavaScript: answered with a 303 (with `accept: */*` SvelteKit answers JSON).
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin },
      body: new URLSearchParams({ email: 'client@tissu.demo', password: 'tissu-demo-2026' }),
    });
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect(cookie).toContain('=');

    const expectOnSite = (res: Response, target: string) => {
      expect(res.status, `${res.url} with ${JSON.stringify(target)}`).toBe(303);
      const location = res.headers.get('location') ?? '';
      expect(new URL(location, web()).origin, `${JSON.stringify(target)} went to ${location}`).toBe(origin);
    };
    for (const target of REDIRECT_BYPASSES) {
      const q = encodeURIComponent(target);
      expectOnSite(await fetch(`${web()}/lang?to=fr&redirect=${q}`, { redirect: 'manual' }), target);
      expectOnSite(await fetch(`${web()}/sign-in?redirectTo=${q}`, { redirect: 'manual', headers: { cookie } }), target);
    }
    // The sign-in form's action, a few forms (each one is a real sign-in).
    for (const target of ['/\t/evil.example', '/\n/x', '/\u3000/evil.example']) {
      const res = await fetch(`${web()}/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin },
        body: new URLSearchParams({ email: 'client@tissu.demo', password: 'tissu-demo-2026', redirectTo: target }),
      });
      expectOnSite(res, target);
    }
  });

  it('refuses a form post from another site (CSRF), and nothing is signed in', async () => {
    const res = await fetch(`${web()}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ email: 'client@tissu.demo', password: 'tissu-demo-2026' }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('shows markup and SQL typed into a listing as text, never runs it', async () => {
    const admin = await apiAs('admin@tissu.demo');
    const coopId = await adminCoopId(admin);
    const title = `<img src=x onerror="window.__pwned=1"> Nettoyage'; DROP TABLE listings; --`;
    const listing = await admin.post<{ id: string }>(`/coops/${coopId}/listings`, {
      titleFr: title, titleEn: title,
      descriptionFr: '<script>window.__pwned=2</script> Description avec <b>balises</b>.',
      descriptionEn: '<script>window.__pwned=2</script> A description with <b>tags</b>.',
      category: 'traduction', priceKind: 'fixed', priceCents: 5_000, durationMinutes: 60, locationMode: 'remote', boroughs: [],
    });
    try {
      const { context, page } = await phone(browser);
      await goto(page, `/listings/${listing.id}`);
      expect(await page.locator('h1').innerText()).toBe(title);
      expect(await page.locator('main').innerText()).toContain('<script>window.__pwned=2</script>');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('main img[src=x], main b').count()).toBe(0);
      await context.close();
    } finally {
      await fetch(`${inject('apiUrl')}/listings/${listing.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'archived' }),
      });
    }
  });
});
