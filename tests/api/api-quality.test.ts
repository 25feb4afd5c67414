import Fastify, { type InjectOptions, type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tissuApp } from '../../server/src/app.js';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
let user: SignedIn;
let coopId: string;
let listingId: string;
beforeAll(async () => {
  t = await createTestApp();
  user = await signUp(t.app);
  const steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  const coop = await t.app.inject({
    method: 'POST', url: '/coops', headers: user.auth,
    payload: {
      legalName: 'Coop qualité', legalForm: 'worker_coop', region: 'verdun', languages: ['fr'], foundedYear: 2019,
      descriptionFr: 'Une coopérative pour les tests de qualité.', descriptionEn: 'A co-op for the quality tests.',
    },
  });
  coopId = coop.json().id;
  await t.app.inject({ method: 'POST', url: `/coops/${coopId}/approve`, headers: steward.auth });
  const listing = await t.app.inject({
    method: 'POST', url: `/coops/${coopId}/listings`, headers: user.auth,
    payload: {
      titleFr: 'Soutien informatique', titleEn: 'IT support', category: 'soutien-informatique', priceKind: 'hourly', priceCents: 6000,
      durationMinutes: 60, locationMode: 'remote', descriptionFr: 'Dépannage à distance de vos ordinateurs.', descriptionEn: 'Remote help with your computers.',
    },
  });
  listingId = listing.json().id;
});
afterAll(() => t.close());

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every route the app registers, seen by an onRoute hook on a second instance of the same app. */
async function registeredRoutes(): Promise<Set<string>> {
  const routes = new Set<string>();
  const probe = Fastify({ logger: false });
  probe.addHook('onRoute', (r: RouteOptions) => {
    const url = r.url ?? '';
    if (url.startsWith('/docs') || url === '/openapi.json' || (r.schema as { hide?: boolean } | undefined)?.hide) return;
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.add(`${m} ${url.replace(/:(\w+)/g, '{$1}')}`);
  });
  await probe.register(tissuApp, { config: t.config, database: t.database, mailer: t.mailer });
  await probe.ready();
  await probe.close();
  return routes;
}

describe('OpenAPI and docs', () => {
  it('/openapi.json is OpenAPI 3 and documents every registered route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const m of METHODS) if (item[m]) documented.add(`${m.toUpperCase()} ${path}`);
    }
    const registered = await registeredRoutes();
    expect(registered.size).toBeGreaterThan(20);
    expect([...registered].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !registered.has(r))).toEqual([]);
  });

  it('co-op and listing operations carry tags and declare their error answers', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { tags?: string[]; responses: Record<string, unknown> }>>)) {
      if (!/^\/(coops|listings|invitations)/.test(path)) continue;
      for (const m of METHODS) {
        const op = item[m];
        if (!op) continue;
        checked++;
        expect(op.tags?.length, `${m} ${path}`).toBeGreaterThan(0);
        const errors = Object.keys(op.responses).filter((code) => code.startsWith('4'));
        expect(errors.length, `${m} ${path}`).toBeGreaterThan(0);
        // The error body is a named schema: follow its $ref to the `{ error }` object.
        const ref = (op.responses[errors[0]!] as { content: { 'application/json': { schema: { $ref: string } } } }).content['application/json'].schema.$ref;
        expect(JSON.stringify(doc.components.schemas[ref.replace('#/components/schemas/', '')]), `${m} ${path}`).toContain('"error"');
      }
    }
    expect(checked).toBeGreaterThanOrEqual(17);
  });

  it('names the contract\'s schemas once and refers to them', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Booking', 'CreateBookingBodyInput', 'ErrorBody', 'Listing']));
    const create = doc.paths['/bookings'].post;
    expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateBookingBodyInput' });
    expect(create.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Booking' });
    // Every reference resolves, and no named schema is left unused.
    const refs = new Set([...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((r) => r[1]!));
    expect([...refs].filter((name) => !doc.components.schemas[name])).toEqual([]);
    expect(Object.keys(doc.components.schemas).filter((name) => !refs.has(name))).toEqual([]);
  });

  it('/docs answers HTML', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});

describe('bad requests are 4xx with the error body, never 500', () => {
  const post = (payload: string, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/coops', headers: { ...user.auth, ...headers }, payload });

  it('malformed JSON -> 400', async () => {
    const res = await post('{"legalName": ', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(errorOf(res)).sort()).toEqual(['code', 'message']);
  });

  it('wrong content type -> 415', async () => {
    const res = await post('<coop/>', { 'content-type': 'application/xml' });
    expect(res.statusCode).toBe(415);
    expect(errorOf(res).code).toBe('unsupported_media_type');
  });

  it('a body over 256 KiB -> 413', async () => {
    const res = await post(JSON.stringify({ legalName: 'x'.repeat(300 * 1024) }), { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(413);
    expect(errorOf(res).code).toBe('payload_too_large');
  });

  it('wrong types -> 400 naming each field', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/coops', headers: user.auth,
      payload: { legalName: 42, legalForm: 'empire', region: 'verdun', languages: 'fr', descriptionFr: null, descriptionEn: [], foundedYear: 'old' },
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(errorOf(res).fields!).sort()).toEqual(['descriptionEn', 'descriptionFr', 'foundedYear', 'languages', 'legalForm', 'legalName']);
    const array = await t.app.inject({ method: 'POST', url: '/coops', headers: user.auth, payload: [1, 2] });
    expect(array.statusCode).toBe(400);
  });

  it('an unknown id is 404', async () => {
    const unknown = '7f000000-0000-4000-8000-000000000001';
    for (const url of [`/coops/${unknown}`, `/listings/${unknown}`, `/coops/${unknown}/listings`]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(errorOf(res).code).toBe('not_found');
    }
  });

  it('a malformed id is 400 or 404 on every route that takes one, signed in or not', async () => {
    const weird = ['abc', '1', "'%20OR%201=1--", '%00', '%C3%A9', 'null', 'x'.repeat(150), '00000000-0000-0000-0000-00000000000g'];
    const routes: [string, string, object?][] = [
      ['GET', '/coops/{id}'],
      ['PATCH', '/coops/{id}', { legalName: 'Nouveau nom' }],
      ['POST', '/coops/{id}/approve'],
      ['POST', '/coops/{id}/reject', { reason: 'Pas une coopérative.' }],
      ['GET', '/coops/{id}/members'],
      ['POST', '/coops/{id}/invitations', { email: 'a@example.org' }],
      ['DELETE', `/coops/{id}/invitations/{id}`],
      ['DELETE', `/coops/${coopId}/members/{id}`],
      ['GET', '/coops/{id}/listings'],
      ['POST', '/coops/{id}/listings', {}],
      ['GET', '/listings/{id}'],
      ['PATCH', '/listings/{id}', { titleFr: 'Titre' }],
      ['GET', '/invitations/{id}'],
      ['POST', '/invitations/{id}/accept'],
    ];
    for (const [method, template, payload] of routes) {
      for (const id of weird) {
        for (const headers of [{}, user.auth]) {
          const url = template.replaceAll('{id}', id);
          const res = await t.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
          expect([400, 401, 404], `${method} ${url} -> ${res.statusCode} ${res.body}`).toContain(res.statusCode);
          expect(res.json().error.code).toBeTypeOf('string');
        }
      }
    }
  });

  it('a NUL byte in a query or a slug is refused or not found, not a database error (was a 500)', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/coops/%00' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/coops/qualit%00' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/listings?q=%00' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/listings?q=info%00rmatique' })).statusCode).toBe(200);
    const coop = await t.app.inject({ method: 'GET', url: '/listings?coop=%00' });
    expect(coop.statusCode).toBe(400);
    expect(errorOf(coop).fields).toEqual({ coop: [expect.objectContaining({ code: 'invalid_coop' })] });
  });

  it('an unknown route is a 404 in JSON', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(errorOf(res)).toEqual({ code: 'not_found', message: 'Route GET /nowhere not found' });
  });
});

describe('operations', () => {
  it('/health is 200 with the database ok', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('every response carries x-request-id, echoing a well-formed one', async () => {
    const requests: InjectOptions[] = [
      { method: 'GET', url: '/health' },
      { method: 'GET', url: '/listings?q=menage' },
      { method: 'GET', url: `/listings/${listingId}` },
      { method: 'GET', url: '/nowhere' },
      { method: 'GET', url: '/listings?limit=0' },
      { method: 'POST', url: '/coops', payload: '{', headers: { 'content-type': 'application/json' } },
      { method: 'POST', url: '/coops', payload: 'x', headers: { 'content-type': 'text/plain' } },
      { method: 'POST', url: '/coops', payload: '<x/>', headers: { 'content-type': 'application/xml' } },
      { method: 'POST', url: '/coops', payload: JSON.stringify({ x: 'x'.repeat(300 * 1024) }), headers: { 'content-type': 'application/json' } },
      { method: 'PATCH', url: `/listings/${listingId}`, payload: { titleFr: 'Titre' } },
      { method: 'GET', url: '/docs' },
      { method: 'GET', url: '/openapi.json' },
    ];
    for (const r of requests) {
      const res = await t.app.inject(r as InjectOptions);
      expect(res.headers['x-request-id'], `${r.method} ${r.url}`).toMatch(/^[\w-]{1,64}$/);
    }
    const echoed = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-abc-123' } });
    expect(echoed.headers['x-request-id']).toBe('trace-abc-123');
    const refused = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(refused.headers['x-request-id']).not.toContain(' ');
  });
});
