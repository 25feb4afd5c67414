import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { adminCoopId, apiAs, goto, phone } from '../support/booking-world.js';

let browser: Browser;
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
