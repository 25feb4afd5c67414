import { describe, expect, it } from 'vitest';
import { fromOwnSite, requestOrigin } from './own-site';

const OWN = 'https://tissu.example';
const req = (over: Partial<{ secFetchSite: string; origin: string; referer: string }>) => ({
  secFetchSite: over.secFetchSite ?? null,
  origin: over.origin ?? null,
  referer: over.referer ?? null,
});

describe('fromOwnSite (a GET that may change what is saved for the signed-in person)', () => {
  it.each([
    ['a link on one of our pages', { secFetchSite: 'same-origin', referer: `${OWN}/search?q=x` }],
    ['a typed URL or a bookmark', { secFetchSite: 'none' }],
    ['our page, the header in capitals', { secFetchSite: 'Same-Origin' }],
    ['an older browser, our page as Referer', { referer: `${OWN}/` }],
    ['an older browser, our Origin', { origin: OWN }],
  ])('yes for %s', (_, r) => {
    expect(fromOwnSite(req(r), OWN)).toBe(true);
  });

  it.each([
    ['a link or image on another site', { secFetchSite: 'cross-site', referer: 'https://evil.example/page' }],
    ['another site with no Referer (no-referrer policy)', { secFetchSite: 'cross-site' }],
    ['a sibling subdomain', { secFetchSite: 'same-site', referer: 'https://blog.tissu.example/' }],
    ['same-origin said, but the Referer is another site', { secFetchSite: 'same-origin', referer: 'https://evil.example/' }],
    ['none said, but an Origin of another site', { secFetchSite: 'none', origin: 'https://evil.example' }],
    ['a sandboxed frame (Origin: null)', { secFetchSite: 'same-origin', origin: 'null' }],
    ['our host on another scheme', { referer: 'http://tissu.example/' }],
    ['our host on another port', { referer: 'https://tissu.example:8443/' }],
    ['a look-alike host', { referer: 'https://tissu.example.evil.example/' }],
    ['an unreadable Referer', { referer: 'not a url' }],
    ['an unknown Sec-Fetch-Site value', { secFetchSite: 'maybe', referer: `${OWN}/` }],
    ['an older browser saying nothing', {}],
  ])('no for %s', (_, r) => {
    expect(fromOwnSite(req(r), OWN)).toBe(false);
  });

  it('reads the three headers from a request', () => {
    const headers = new Headers({ 'sec-fetch-site': 'cross-site', referer: 'https://evil.example/' });
    expect(requestOrigin(headers)).toEqual({ secFetchSite: 'cross-site', origin: null, referer: 'https://evil.example/' });
    expect(fromOwnSite(requestOrigin(headers), OWN)).toBe(false);
  });
});

describe('GET /lang (the route, without SvelteKit around it)', () => {
  /** Calls the handler as SvelteKit would; says whether the profile was saved and what cookie was set. */
  async function switchTo(headers: Record<string, string>) {
    const { GET } = await import('../../routes/lang/+server');
    const saved: unknown[] = [];
    const cookies: Record<string, string> = {};
    const url = new URL(`${OWN}/lang?to=en&redirect=%2Fsearch`);
    const event = {
      url,
      request: new Request(url, { headers }),
      cookies: { set: (name: string, value: string) => { cookies[name] = value; }, delete: (name: string) => { delete cookies[name]; } },
      locals: { user: { locale: 'fr' }, api: { PATCH: async (path: string, init: { body: unknown }) => { if (path === '/me') saved.push(init.body); } } },
    };
    let location: string | undefined;
    try {
      await GET(event as unknown as Parameters<typeof GET>[0]);
    } catch (r) {
      location = (r as { location?: string }).location;
    }
    return { saved, cookies, location };
  }

  it('from our own page: the cookie is set and the profile saved', async () => {
    const r = await switchTo({ 'sec-fetch-site': 'same-origin', referer: `${OWN}/search` });
    expect(r.saved).toEqual([{ locale: 'en' }]);
    // Paraglide's, and the mark that the choice was made here (a later sign-in adopts it).
    expect(r.cookies).toEqual({ PARAGLIDE_LOCALE: 'en', tissu_lang_chosen: 'en' });
    expect(r.location).toBe('/search');
  });

  it.each([
    ['a cross-site link or image', { 'sec-fetch-site': 'cross-site', referer: 'https://evil.example/' }],
    ['a same-site subdomain', { 'sec-fetch-site': 'same-site' }],
    ['an Origin of another site', { origin: 'https://evil.example' }],
  ])('from %s: this browser switches, the saved language does not change', async (_, headers) => {
    const r = await switchTo(headers);
    expect(r.saved).toEqual([]);
    expect(r.cookies).toEqual({ PARAGLIDE_LOCALE: 'en' });
    expect(r.location).toBe('/search');
  });
});
