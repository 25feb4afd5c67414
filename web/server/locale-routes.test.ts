import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerRouteInLocale, isRouteResolution, localeOf, routeInLocale } from './locale-routes.js';

// The shape SvelteKit answers for /listings/<id>/__route.js (runtime/server/page/server_routing.js).
const answer = [
  "import('../../_app/immutable/entry/start.X.js').then(x => x.load_css(['/_app/immutable/assets/25.A.css',]));",
  'export const route = {',
  '\tid: "/listings/[id]",',
  '\terrors: [1],',
  '\tlayouts: [[1,0]],',
  '\tleaf: [1,25],',
  '\tnodes: {',
  "\t\t'0': () => import('../../_app/immutable/nodes/0.B.js'),",
  "\t\t'25': () => import('../../_app/immutable/nodes/25.C.js')",
  '\t}',
  `}; export const params = {"id":"'/_app/immutable/x"};`,
].join('\n');

describe('the route a link leads to, in the reader’s language', () => {
  it('is asked at <path>/__route.js', () => {
    expect(isRouteResolution('/listings/abc/__route.js')).toBe(true);
    expect(isRouteResolution('/__route.js')).toBe(true);
    expect(isRouteResolution('/listings/abc')).toBe(false);
    expect(isRouteResolution('/listings/abc/__data.json')).toBe(false);
  });

  it('reads the language from Paraglide’s cookie, French otherwise', () => {
    expect(localeOf(undefined)).toBe('fr');
    expect(localeOf('PARAGLIDE_LOCALE=en')).toBe('en');
    expect(localeOf('a=1; PARAGLIDE_LOCALE=en; b=2')).toBe('en');
    expect(localeOf('PARAGLIDE_LOCALE=fr')).toBe('fr');
    expect(localeOf('PARAGLIDE_LOCALE=de')).toBe('fr');
    expect(localeOf('X_PARAGLIDE_LOCALE=en')).toBe('fr');
  });

  it('points the code and stylesheets of the route at the English files, and not the path’s parameters', () => {
    const en = routeInLocale(answer, 'en');
    expect(en).toContain("import('../../_app/immutable/en/entry/start.X.js').then(x => x.load_css(['/_app/immutable/en/assets/25.A.css',]));");
    expect(en).toContain("'0': () => import('../../_app/immutable/en/nodes/0.B.js'),");
    expect(en).toContain("'25': () => import('../../_app/immutable/en/nodes/25.C.js')");
    expect(en).toContain(`export const params = {"id":"'/_app/immutable/x"};`);
    expect(en.match(/_app\/immutable\/en\//g)).toHaveLength(4);
    expect(routeInLocale(answer, 'fr')).toBe(answer);
  });

  describe('answered through the web’s process', () => {
    // SvelteKit's node adapter answers this way: headers, writeHead(status), the body in pieces, end().
    const server = http.createServer((req, res) => {
      answerRouteInLocale(req, res);
      res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(answer));
      res.writeHead(200);
      res.write(answer.slice(0, 50));
      res.write(Buffer.from(answer.slice(50)));
      res.end();
    });
    let url = '';
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/listings/abc/__route.js`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends an English reader the English files, with the right length, and a French reader the answer as is', async () => {
      const en = await fetch(url, { headers: { cookie: 'PARAGLIDE_LOCALE=en' } });
      const enBody = await en.text();
      expect(enBody).toBe(routeInLocale(answer, 'en'));
      expect(Number(en.headers.get('content-length'))).toBe(Buffer.byteLength(enBody));
      expect(en.headers.get('vary')).toBe('Cookie');
      const fr = await fetch(url);
      expect(await fr.text()).toBe(answer);
      expect(fr.headers.get('vary')).toBe('Cookie');
    });
  });
});
