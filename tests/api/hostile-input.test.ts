/**
 * Hostile input on every route of the API (read from the app's OpenAPI document): generated path
 * params, query strings and bodies (fast-check, from each route's JSON Schema, mutated with wrong
 * types, unicode edge cases, injections and huge strings), then oversized and deeply nested bodies,
 * wrong content types and malformed JSON, sent as a steward, a client, anonymously and with forged
 * tokens. Every answer: no 5xx, errors shaped {error: {code, message, fields?}}, no stack trace, SQL
 * or file path, and a refused request leaves every table exactly as it was.
 *
 * FUZZ_SEED=<n> replays another sequence (the default is fixed so a failure reproduces);
 * FUZZ_RUNS=<n> sets the generated cases per route; FUZZ_ROUTES=<regex> runs only the routes whose
 * "METHOD /path" matches (while working on them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestApp, signUp, type TestApp } from '../support/test-app.js';
import { paymentsKit } from '../support/payments.js';
import { bookingBody, hourFromNow, publishListing, setSchedule } from '../support/fixtures.js';
import { authzWorld, type AuthzWorld } from '../support/authz-world.js';
import { filesUnder, multipart, photo, pngBomb } from '../support/photos.js';
import {
  changedTables, encodePart, errorShapeProblem, hostileValue, leaksIn, mutated, routesOf, shaped, tableFingerprinter, anyText,
  type JsonSchema, type RouteSpec,
} from '../support/fuzz.js';

const SEED = Number(process.env.FUZZ_SEED ?? 61_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 16);
const BODY_LIMIT = 256 * 1024;
const ONLY = process.env.FUZZ_ROUTES ? new RegExp(process.env.FUZZ_ROUTES) : null;
const selected = () => routes.filter((r) => !ONLY || ONLY.test(r.key));

let t: TestApp;
let w: AuthzWorld;
let routes: RouteSpec[];
let fingerprints: Awaited<ReturnType<typeof tableFingerprinter>>;
let last: Map<string, string>;
/** Files in the photo storage after the last case. */
let mediaFiles = 0;
const stats = { cases: 0, fiveHundreds: 0, byStatus: new Map<number, number>() };
/** Real records, so generated requests also get past the "not found" and reach the rules. */
const real: Record<string, string[]> = {};

beforeAll(async () => {
  // Hundreds of cases a minute from the same three people: the message limits (per person) would answer 429 before the body is read.
  // Asking for one's data archive likewise (DATA_EXPORT_RATE_LIMIT_PER_MINUTE).
  // The quote routes that email too (QUOTE_RATE_LIMIT_PER_MINUTE).
  t = await createTestApp({ MESSAGE_RATE_LIMIT_PER_MINUTE: '100000', DATA_EXPORT_RATE_LIMIT_PER_MINUTE: '100000', QUOTE_RATE_LIMIT_PER_MINUTE: '100000' });
  w = await authzWorld(t);
  const bookings = [await w.booking('requested'), await w.booking('accepted'), await w.booking('paid'), await w.booking('completed')];
  await paymentsKit(t).chargeDetailsRecorded();
  const [membership] = await w.sql`SELECT id FROM memberships LIMIT 1`;
  const invitation = await w.invite(w.unique('fuzz'));
  const [review] = await w.sql`SELECT id FROM reviews LIMIT 1`;
  const inquiry = (await w.req('POST', '/conversations', w.people.client, { coopId: w.A, listingId: w.listing, body: 'Bonjour' })).json().conversation.id as string;
  const ofBooking = (await w.req('GET', `/bookings/${bookings[0]}/conversation`, w.people.client)).json().conversation.id as string;
  const message = (await w.req('POST', `/conversations/${ofBooking}/messages`, w.people.adminA, { body: 'Bien reçu' })).json().id as string;
  Object.assign(real, {
    coop: [w.A, w.B, w.pendingOfA], listing: [w.listing, w.archived], booking: bookings, review: review ? [review.id] : [],
    membership: [membership!.id], year: Object.values(w.years).map(String), plan: [w.approvedPlan, await w.draft(w.years.y2)],
    proposal: [w.openProposal, w.endingProposal.id], invitation: [invitation.id], token: [invitation.token],
    user: [w.people.worker.userId, w.people.client.userId], slug: ['menage-eclat'],
    conversation: [inquiry, ofBooking], message: [message],
    address: [(await w.req('POST', '/me/addresses', w.people.client, { label: 'Maison', street: '1 rue Fuzz', city: 'Montréal', postalCode: 'H2X 1Y4' })).json().id],
    timeOff: [(await w.req('POST', `/coops/${w.A}/time-off`, w.people.worker, { allDay: true, startDate: '2031-03-08', endDate: '2031-03-09', note: 'Congé' })).json().id],
  });
  // A quote of the client on a listing of A on quote, offered (so accepting and answering reach their rules).
  const moving = (await w.req('POST', `/coops/${w.A}/listings`, w.people.adminA, { titleFr: 'Déménagement', titleEn: 'Moving', descriptionFr: 'Déménagements résidentiels, sur devis.', descriptionEn: 'Home moves, on quote only.', category: 'demenagement', priceKind: 'hourly', priceCents: 12_000, durationMinutes: 180, locationMode: 'client_place', boroughs: ['plateau-mont-royal'], quoteMode: 'only', depositPercent: 30 })).json().id as string;
  const quote = (await w.req('POST', '/quotes', w.people.client, { listingId: moving, description: 'Déménagement d’un 3 ½, deuxième étage.', address: '4321 rue Saint-Denis, Montréal' })).json().id as string;
  await w.req('POST', `/quotes/${quote}/offers`, w.people.adminA, { lines: [{ label: 'Camion', unitPriceCents: 50_000 }], validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(), durationMinutes: 180, proposedTimes: [new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 900 * 3_600_000).toISOString()] });
  // And one whose offer is regular visits (so accepting reaches the series it would make).
  const regular = (await w.req('POST', `/coops/${w.A}/listings`, w.people.adminA, { titleFr: 'Entretien sur devis', titleEn: 'Cleaning on quote', descriptionFr: 'Entretien régulier, sur devis selon le logement.', descriptionEn: 'Regular cleaning, quoted by the home.', category: 'menage', priceKind: 'hourly', priceCents: 5_000, durationMinutes: 120, locationMode: 'client_place', boroughs: ['plateau-mont-royal'], quoteMode: 'only' })).json().id as string;
  const seriesQuote = (await w.req('POST', '/quotes', w.people.client, { listingId: regular, description: 'Entretien d’un 5 ½ toutes les deux semaines.', address: '4321 rue Saint-Denis, Montréal' })).json().id as string;
  await w.req('POST', `/quotes/${seriesQuote}/offers`, w.people.adminA, { lines: [{ label: 'Entretien', quantity: 3, unitPriceCents: 6_000 }], validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(), durationMinutes: 180, recurrence: { frequency: 'every_2_weeks', startsAt: new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 1_000 * 3_600_000).toISOString() } });
  real.quote = [quote, seriesQuote];
  real.listing!.push(moving, regular);
  routes = routesOf(t.app.swagger() as Parameters<typeof routesOf>[0]);
  realImage = await photo(200, 150);
  bomb = pngBomb();
  mediaFiles = (await filesUnder(t.config.media.dir)).length;
  fingerprints = await tableFingerprinter(t.database.sql);
  last = await fingerprints.take();
}, 240_000);
afterAll(() => t?.close());

/** Which real records a path param, query or body field of a route can name. */
function kindOf(route: RouteSpec, name: string): string | null {
  if (name === 'invitationId') return 'invitation';
  if (name === 'userId' || name === 'userIds') return 'user';
  if (name === 'token') return 'token';
  if (name === 'idOrSlug') return 'slug';
  if (name === 'listingId') return 'listing';
  if (name === 'coopId') return 'coop';
  if (name === 'membershipId') return 'membership';
  if (name === 'planId') return 'plan';
  if (name === 'yearId') return 'year';
  if (name === 'conversationId') return 'conversation';
  if (name === 'timeOffId') return 'timeOff';
  if (name === 'addressId' || (name === 'id' && route.path.startsWith('/me/addresses/'))) return 'address';
  if (name !== 'id') return null;
  const first = route.path.split('/')[route.path.startsWith('/steward/') ? 2 : 1];
  return ({ coops: 'coop', listings: 'listing', bookings: 'booking', reviews: 'review', memberships: 'membership', 'fiscal-years': 'year', plans: 'plan', proposals: 'proposal', conversations: 'conversation', messages: 'message', quotes: 'quote' } as Record<string, string>)[first ?? ''] ?? null;
}
const idsFor = (route: RouteSpec) => (name: string) => {
  const kind = kindOf(route, name);
  return kind && real[kind]?.length ? fc.constantFrom(...real[kind]!) : null;
};

/** Percent-encodings a browser would never send: invalid UTF-8, NUL, traversal. */
const RAW = ['%FF', '%ED%A0%80', '%C0%AF', '%00', '%', '%G1', '%2e%2e%2f%2e%2e%2fetc', '..', '%252F', '%E2%80%AE'];

function paramArb(route: RouteSpec, p: { name: string; schema: JsonSchema }): fc.Arbitrary<string> {
  const ids = idsFor(route)(p.name);
  return fc.oneof(
    ...(ids ? [{ weight: 4, arbitrary: ids }] : []),
    { weight: 2, arbitrary: shaped(p.schema, idsFor(route), p.name).map((v) => encodePart(String(v))) },
    { weight: 2, arbitrary: anyText.filter((s) => s.length > 0 && s.length < 300).map(encodePart) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW) },
  );
}

function queryArb(route: RouteSpec): fc.Arbitrary<string> {
  const one = (name: string, schema: JsonSchema) => fc.oneof(
    { weight: 3, arbitrary: shaped(schema, idsFor(route), name).map((v) => [`${encodePart(name)}=${encodePart(String(v))}`]) },
    { weight: 2, arbitrary: anyText.map((v) => [`${encodePart(name)}=${encodePart(v)}`]) },
    { weight: 1, arbitrary: fc.array(anyText, { minLength: 2, maxLength: 3 }).map((vs) => vs.map((v) => `${encodePart(name)}=${encodePart(v)}`)) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW).map((v) => [`${encodePart(name)}=${v}`]) },
  );
  const known = route.query.map((q) => fc.option(one(q.name, q.schema), { nil: [] as string[] }));
  const strangers = fc.array(fc.tuple(anyText, anyText).map(([k, v]) => `${encodePart(k)}=${encodePart(v)}`), { maxLength: 2 });
  return fc.tuple(fc.tuple(...known), strangers).map(([k, s]) => [...k.flat(), ...s].join('&'));
}

type Who = 'steward' | 'client' | 'anonymous' | 'forged';
const FORGED: Record<string, string>[] = [
  { authorization: 'Bearer not-a-token' },
  // alg "none", claims of a steward's session
  { authorization: `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"00000000-0000-0000-0000-000000000000","sid":"x"}').toString('base64url')}.` },
  { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwic2lkIjoieSJ9.c2lnbmF0dXJlLXdpdGgtYW5vdGhlci1zZWNyZXQ' },
  { cookie: 'tissu_access=forged.cookie.value' },
];

interface Case {
  who: Who;
  forged: number;
  url: string;
  body?: string | Buffer;
  contentType?: string;
  /** The exact status this case must get, when it does not depend on who asks or what the route does. */
  status?: number;
}

function headersOf(c: Case): Record<string, string> {
  const h: Record<string, string> = c.who === 'forged' ? { ...FORGED[c.forged % FORGED.length]! } : c.who === 'anonymous' ? {} : { ...w.people[c.who].auth };
  if (c.contentType) h['content-type'] = c.contentType;
  return h;
}

/** Sends one case and returns what is wrong with the answer (nothing, normally). */
async function send(route: RouteSpec, c: Case): Promise<string[]> {
  const res = await t.app.inject({ method: route.method, url: c.url, headers: headersOf(c), ...(c.body === undefined ? {} : { payload: c.body }) });
  stats.cases++;
  stats.byStatus.set(res.statusCode, (stats.byStatus.get(res.statusCode) ?? 0) + 1);
  const problems: string[] = [];
  const error = res.statusCode >= 400;
  if (res.statusCode >= 500) {
    stats.fiveHundreds++;
    problems.push(`${res.statusCode}`);
  }
  if (c.status !== undefined && res.statusCode !== c.status) problems.push(`expected ${c.status}`);
  if (c.who === 'forged' && res.statusCode < 300) problems.push(`forged credentials got ${res.statusCode}`);
  if (error) {
    const shape = errorShapeProblem(res.body);
    if (shape) problems.push(shape);
    if (!String(res.headers['content-type']).startsWith('application/json')) problems.push(`error as ${res.headers['content-type']}`);
  }
  const sent = `${decodeSafely(c.url)} ${c.url} ${typeof c.body === 'string' ? c.body : ''}`;
  problems.push(...leaksIn(res.body, sent, error));
  // A refund or payout accepted just before sends Stripe webhooks of its own: let them land first.
  await t.stripe.webhooks.idle();
  const now = await fingerprints.take();
  if (route.multipart) {
    // An upload refused leaves no file behind either.
    const files = (await filesUnder(t.config.media.dir)).length;
    if (error && files !== mediaFiles) problems.push(`refused with ${res.statusCode} but left ${files - mediaFiles} files in the storage`);
    mediaFiles = files;
  }
  if (error) {
    // A wrong password counts against the account by design (lockout): the one write a refusal makes.
    const allowed = route.key === 'POST /auth/sign-in' ? ['"public"."users"'] : [];
    const changed = changedTables(last, now).filter((tname) => !allowed.includes(tname));
    if (changed.length) problems.push(`refused with ${res.statusCode} but wrote to ${changed.join(', ')}`);
  }
  last = now;
  if (res.statusCode < 300) {
    // What an accepted request set off after answering (webhooks, charge details) belongs to it.
    await new Promise((r) => setTimeout(r, 20));
    await t.stripe.webhooks.idle();
    last = await fingerprints.take();
  }
  if (res.statusCode < 300 && ['POST /auth/sign-out', 'POST /auth/password', 'POST /auth/password-reset/confirm'].includes(route.key)) {
    await w.renewSessions();
    last = await fingerprints.take();
  }
  return problems.length ? [`${route.method} ${c.url.slice(0, 200)} as ${c.who} → ${res.statusCode} ${res.body.slice(0, 300)}`, ...problems] : [];
}

function decodeSafely(url: string) {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

function urlOf(route: RouteSpec, params: string[], query: string) {
  let i = 0;
  const path = route.path.replace(/\{[^}]+\}/g, () => params[i++] ?? 'x');
  return query ? `${path}?${query}` : path;
}

/**
 * A multipart upload: the route's fields, mutated or hostile, as text; a file part that is random
 * bytes, a real small image, an image too large, or missing; names and types that lie.
 */
let realImage: Buffer;
let bomb: Buffer;
function multipartArb(route: RouteSpec): fc.Arbitrary<{ payload: Buffer; contentType: string }> {
  const fields = fc.oneof(mutated(route.multipart!, idsFor(route)), shaped(route.multipart!, idsFor(route)))
    .map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {}));
  const file = fc.oneof(
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)) },
    { weight: 2, arbitrary: fc.constant(null).map(() => realImage) },
    { weight: 1, arbitrary: fc.constant(null).map(() => bomb) },
    { weight: 1, arbitrary: fc.constant(null).map(() => realImage.subarray(0, 300)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  return fc.record({ fields, file, filename: anyText, type: fc.constantFrom('image/jpeg', 'image/svg+xml', 'application/pdf', 'text/html', '') }).map((g) => {
    const text = Object.fromEntries(Object.entries(g.fields).filter(([k]) => k !== 'file').map(([k, v]) => [k.replace(/["\r\n]/g, ''), typeof v === 'string' ? v : JSON.stringify(v) ?? '']));
    const body = multipart(text, g.file ? { data: g.file, filename: g.filename.replace(/["\r\n]/g, ''), type: g.type || 'application/octet-stream' } : undefined);
    return { payload: body.payload, contentType: body.headers['content-type'] };
  });
}

/** A JSON body of the route's shape, mutated, or any hostile JSON value at all. */
function bodyArb(route: RouteSpec): fc.Arbitrary<unknown> {
  if (!route.body) return fc.option(hostileValue, { nil: undefined });
  return fc.oneof(
    { weight: 4, arbitrary: mutated(route.body, idsFor(route)) },
    { weight: 2, arbitrary: shaped(route.body, idsFor(route)) },
    { weight: 1, arbitrary: hostileValue },
  );
}

const hasBody = (route: RouteSpec) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method);
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number) => `{"a":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`;

/** The same for every route: sizes, nesting, content types and JSON that does not parse. */
function fixedCases(route: RouteSpec): Omit<Case, 'who' | 'forged'>[] {
  const json = 'application/json';
  const big = route.key === 'POST /webhooks/stripe' ? 1024 * 1024 + 10 : BODY_LIMIT + 10;
  const cases: Omit<Case, 'who' | 'forged' | 'url'>[] = [
    { body: JSON.stringify({ padding: 'a'.repeat(big) }), contentType: json, status: 413 },
    { body: deep(10_000), contentType: json },
    { body: deepObject(10_000), contentType: json },
    { body: '{"title":"x"}', contentType: 'text/plain' },
    { body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded', status: 415 },
    // Uploads read multipart (and refuse this one, which has no file: 400, or 401 first without a session); every other route refuses the type.
    { body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n', contentType: 'multipart/form-data; boundary=x', ...(route.multipart ? {} : { status: 415 }) },
    { body: '<a>1</a>', contentType: 'application/xml', status: 415 },
    { body: '{}', contentType: 'application/jsonx', status: 415 },
    { body: '{}', contentType: 'application/json; charset=utf-16' },
    { body: '{}', contentType: '' },
  ];
  if (route.multipart) {
    // Multipart that is not well formed, or over its limits: a clear 4xx, never a 5xx.
    const mp = 'multipart/form-data; boundary=x';
    cases.push(
      { body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc', contentType: mp },
      { body: 'no boundary here', contentType: mp },
      { body: '--x\r\n\r\n\r\n--x--', contentType: mp },
      { body: '--y\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--y--\r\n', contentType: mp },
      { body: 'x', contentType: 'multipart/form-data' },
      { body: `${'--x\r\nContent-Disposition: form-data; name="f"\r\n\r\n1\r\n'.repeat(20)}--x--\r\n`, contentType: mp },
      { body: `--x\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\n{"isSteward":true}\r\n--x--\r\n`, contentType: mp },
      { body: `--x\r\nContent-Disposition: form-data; name="altFr"\r\n\r\n${'é'.repeat(10_000)}\r\n--x--\r\n`, contentType: mp },
    );
  }
  // Refused by the JSON parser (a syntax error, or a key that would reach Object.prototype) whatever the route.
  const malformed = ['{', '{"a":}', "{'a':1}", '[1,]', 'nul', '', '{"a":1}{"b":2}', '{"__proto__":{"isSteward":true}}', '{"constructor":{"prototype":{"isSteward":true}}}'];
  cases.push(...malformed.map((body) => ({ body, contentType: json, status: 400 })));
  // Valid JSON a route may or may not accept.
  cases.push(...['\ufeff{}', '"\\ud800"', '{"a":"\\u0000"}', '1e999999'].map((body) => ({ body, contentType: json })));
  cases.push({ body: Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]), contentType: json, status: 400 });
  const params = route.pathParams.map((p) => (idsFor(route)(p.name) ? real[kindOf(route, p.name)!]![0]! : 'x'));
  const url = urlOf(route, params, '');
  // GET routes read no body: only that nothing breaks, whatever one sends.
  return hasBody(route) ? cases.map((c) => ({ ...c, url })) : cases.slice(0, 4).map(({ status: _, ...c }) => ({ ...c, url }));
}

describe('hostile input on every route', () => {
  it('covers every documented route, and its detectors see what they look for', async () => {
    expect(routes.length).toBeGreaterThan(80);
    expect(fingerprints.tables).toBeGreaterThan(20);
    const before = await fingerprints.take();
    await w.sql`UPDATE users SET locale = 'en' WHERE id = ${w.people.otherClient.userId}`;
    expect(changedTables(before, await fingerprints.take())).toEqual(['"public"."users"']);
    await w.sql`UPDATE users SET locale = 'fr' WHERE id = ${w.people.otherClient.userId}`;
    expect(leaksIn('{"error":{"message":"x"}}\n    at handler (/work/main/server/src/x.ts:1:2)', '', true).length).toBeGreaterThan(0);
    expect(leaksIn('{"error":{"message":"insert into "users" values ($1) violates unique constraint"}}', '', true).length).toBeGreaterThan(0);
    expect(leaksIn('{"title":"SELECT 1 FROM t"}', 'SELECT 1 FROM t', true)).toEqual([]);
    expect(errorShapeProblem('{"error":"Bad Request","statusCode":400}')).not.toBeNull();
    last = await fingerprints.take();
  });

  it('answers generated params, queries and bodies without a 5xx, a leak or a write when refusing', async () => {
    const whoArb = fc.constantFrom<Who>('steward', 'client', 'anonymous', 'forged');
    const failures: string[] = [];
    for (const [i, route] of selected().entries()) {
      const arb = fc.record({
        who: whoArb, forged: fc.nat(FORGED.length - 1),
        params: fc.tuple(...route.pathParams.map((p) => paramArb(route, p))), query: queryArb(route), body: bodyArb(route),
        // Only upload routes draw an upload: every other route keeps the sequence its seed gave before.
        ...(route.multipart ? { upload: fc.option(multipartArb(route), { freq: 3, nil: undefined }) } : {}),
      }) as fc.Arbitrary<{ who: Who; forged: number; params: string[]; query: string; body: unknown; upload?: { payload: Buffer; contentType: string } }>;
      const details = await fc.check(fc.asyncProperty(arb, async (g) => {
        const problems = await send(route, {
          who: g.who, forged: g.forged, url: urlOf(route, g.params, g.query),
          ...(g.upload ? { body: g.upload.payload, contentType: g.upload.contentType }
            : g.body === undefined ? {} : { body: JSON.stringify(g.body), contentType: 'application/json' }),
        });
        if (problems.length) throw new Error(problems.join('\n'));
      }), { numRuns: RUNS, seed: SEED + i, interruptAfterTimeLimit: 60_000 });
      if (details.failed) {
        const why = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        failures.push(`${route.key} (seed ${details.seed}, counterexample ${fc.stringify(details.counterexample)}):\n${why}`);
      }
    }
    // One report for all routes, each with its seed and shrunk counterexample.
    expect(failures).toEqual([]);
  }, 600_000);

  it('refuses oversized, deeply nested, mistyped and malformed bodies cleanly', async () => {
    const who: Who[] = ['steward', 'client', 'anonymous'];
    const problems: string[] = [];
    let n = 0;
    for (const route of selected()) {
      for (const c of fixedCases(route)) {
        const found = await send(route, { ...c, who: who[n++ % who.length]!, forged: 0 });
        problems.push(...found);
      }
    }
    expect(problems).toEqual([]);
  }, 600_000);
});

describe('injection text that is valid input', () => {
  const nasty = {
    titleFr: '<script>alert(1)</script>',
    titleEn: "'; DROP TABLE users; --",
    descriptionFr: '"><img src=x onerror=alert(1)> Ménage {{7*7}} ${7*7} \u202eRTL\u202c a\u200bb 👩🏽‍💻',
    descriptionEn: "Robert'); DELETE FROM listings WHERE ('1'='1 — ok, تنظيف",
  };

  it('is stored and given back verbatim, as JSON', async () => {
    const created = await w.req('POST', `/coops/${w.A}/listings`, w.people.adminA, { ...nasty, category: 'menage', priceKind: 'fixed', priceCents: 5_000, durationMinutes: 60, locationMode: 'remote', boroughs: [] });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const read = await w.req('GET', `/listings/${id}`, null);
    expect(read.headers['content-type']).toMatch(/^application\/json/);
    expect(read.json()).toMatchObject(nasty);
    const [stored] = await w.sql`SELECT title_fr, title_en, description_fr, description_en FROM listings WHERE id = ${id}`;
    expect(stored).toEqual({ title_fr: nasty.titleFr, title_en: nasty.titleEn, description_fr: nasty.descriptionFr, description_en: nasty.descriptionEn });
    // Found by searching for the words themselves once it has opening hours; the tables are all still there.
    await setSchedule(t, w.people.adminA, id);
    const search = await w.req('GET', `/listings?q=${encodeURIComponent('DROP TABLE users')}`, null);
    expect(search.statusCode).toBe(200);
    expect(search.json().items.map((l: { id: string }) => l.id)).toContain(id);
    const [users] = await w.sql`SELECT count(*)::int AS n FROM users`;
    expect(users!.n).toBeGreaterThan(5);

    const named = await w.req('PATCH', '/me', w.people.otherClient, { name: '<b onmouseover=alert(1)>Zoé</b>' });
    expect(named.json().name).toBe('<b onmouseover=alert(1)>Zoé</b>');
    const review = await w.review();
    const [row] = await w.sql`SELECT id FROM reviews WHERE id = ${review}`;
    const reply = await w.req('POST', `/reviews/${row!.id}/reply`, w.people.adminA, { reply: "</script><script>alert('merci')</script>" });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json().reply).toBe("</script><script>alert('merci')</script>");
  });
});

describe('booking questions and their answers, from the people allowed to send them', () => {
  // The generated cases above come from a steward, a client or nobody: the questions route refuses
  // them all (403/401) before reading the body. These come from A's admin and a client who may book.
  const kinds = fc.constantFrom<unknown>('short_text', 'long_text', 'one_choice', 'several_choices', 'yes_no', 'number');
  const question = fc.record({
    id: fc.oneof(fc.uuid(), hostileValue), kind: fc.oneof(kinds, hostileValue), labelFr: fc.oneof(anyText, hostileValue), labelEn: anyText,
    helpFr: hostileValue, required: fc.oneof(fc.boolean(), hostileValue), min: hostileValue, max: hostileValue,
    choices: fc.oneof(hostileValue, fc.array(fc.record({ key: fc.oneof(anyText, hostileValue), labelFr: anyText, labelEn: hostileValue }, { requiredKeys: [] }), { maxLength: 25 })),
  }, { requiredKeys: [] });
  const count = async (table: 'listing_questions' | 'bookings', listingId: string) =>
    Number((await w.sql`SELECT count(*)::int AS n FROM ${w.sql(table)} WHERE listing_id = ${listingId}`)[0]!.n);

  it('answers hostile question lists with 200 or a 400 by field (413 when too large), never a 5xx, and a refused list changes nothing', async () => {
    const listing = (await publishListing(t, w.people.adminA, w.A)).id;
    await fc.assert(fc.asyncProperty(fc.record({ questions: fc.oneof(hostileValue, fc.array(question, { maxLength: 18 })) }, { requiredKeys: [] }), async (body) => {
      const before = await count('listing_questions', listing);
      const res = await w.req('PUT', `/listings/${listing}/questions`, w.people.adminA, body);
      expect([200, 400, 413], res.body).toContain(res.statusCode);
      if (res.statusCode !== 200) {
        expect(errorShapeProblem(res.body)).toBeNull();
        expect(await count('listing_questions', listing)).toBe(before);
      }
    }), { seed: SEED, numRuns: RUNS * 4 });
  }, 120_000);

  it('answers hostile answers at booking with a 400 by field (or a booking), never a 5xx, and a refused booking writes nothing', async () => {
    const listing = (await publishListing(t, w.people.adminA, w.A, { priceKind: 'fixed', priceCents: 5_000, durationMinutes: 60 })).id;
    await setSchedule(t, w.people.adminA, listing, { capacity: 50 });
    const put = await w.req('PUT', `/listings/${listing}/questions`, w.people.adminA, { questions: [
      { kind: 'number', labelFr: 'Étages', labelEn: 'Floors', min: 0, max: 5 },
      { kind: 'one_choice', labelFr: 'Logement', labelEn: 'Home', choices: [{ labelFr: 'A', labelEn: 'A' }, { labelFr: 'B', labelEn: 'B' }] },
      { kind: 'several_choices', labelFr: 'Pièces', labelEn: 'Rooms', choices: [{ labelFr: 'A', labelEn: 'A' }, { labelFr: 'B', labelEn: 'B' }] },
      { kind: 'yes_no', labelFr: 'Chat ?', labelEn: 'Cat?', required: true },
      { kind: 'short_text', labelFr: 'Code', labelEn: 'Code' },
      { kind: 'long_text', labelFr: 'Notes', labelEn: 'Notes' },
    ] });
    expect(put.statusCode, put.body).toBe(200);
    const ids = (put.json().items as { id: string }[]).map((q) => q.id);
    const answer = fc.record({ questionId: fc.oneof(fc.constantFrom(...ids), fc.uuid(), hostileValue), value: fc.oneof(hostileValue, fc.constantFrom<unknown>('c1', ['c1', 'c2'], 'oui', '3', 3, true)) }, { requiredKeys: [] });
    let hour = 2000;
    await fc.assert(fc.asyncProperty(fc.oneof(hostileValue, fc.array(answer, { maxLength: 40 })), async (answers) => {
      const before = await count('bookings', listing);
      const res = await w.req('POST', '/bookings', w.people.otherClient, bookingBody(listing, hourFromNow((hour += 2)), { answers }));
      expect([201, 400, 409, 413], res.body).toContain(res.statusCode);
      if (res.statusCode !== 201) {
        expect(errorShapeProblem(res.body)).toBeNull();
        expect(await count('bookings', listing)).toBe(before);
      }
      if (res.statusCode === 201) await w.req('POST', `/bookings/${res.json().id}/cancel`, w.people.otherClient, {});
    }), { seed: SEED, numRuns: RUNS * 4 });
  }, 120_000);
});

describe('the answers and add-ons of regular visits', () => {
  it('answers hostile answers and add-ons for a series with a 400 by field (or a series), never a 5xx, and a refused series writes nothing', async () => {
    const listing = (await publishListing(t, w.people.adminA, w.A, { priceKind: 'fixed', priceCents: 5_000, durationMinutes: 60 })).id;
    await setSchedule(t, w.people.adminA, listing, { capacity: 50, horizonDays: 366, seriesFrequencies: ['weekly'] });
    const put = await w.req('PUT', `/listings/${listing}/questions`, w.people.adminA, { questions: [
      { kind: 'yes_no', labelFr: 'Chat ?', labelEn: 'Cat?', required: true },
      { kind: 'number', labelFr: 'Étages', labelEn: 'Floors', min: 0, max: 5 },
    ] });
    expect(put.statusCode, put.body).toBe(200);
    const ids = (put.json().items as { id: string }[]).map((q) => q.id);
    const addons = await w.req('PUT', `/listings/${listing}/addons`, w.people.adminA, { addons: [{ nameFr: 'Frigo', nameEn: 'Fridge', priceCents: 1_000, extraMinutes: 30 }] });
    expect(addons.statusCode, addons.body).toBe(200);
    const addonId = addons.json().items[0].id as string;
    const answer = fc.record({ questionId: fc.oneof(fc.constantFrom(...ids), fc.uuid(), hostileValue), value: fc.oneof(hostileValue, fc.constantFrom<unknown>('3', 3, true, false)) }, { requiredKeys: [] });
    const addonIds = fc.oneof(hostileValue, fc.array(fc.oneof(fc.constant(addonId), fc.uuid(), hostileValue), { maxLength: 25 }));
    const count = async () => Number((await w.sql`SELECT count(*)::int AS n FROM booking_series WHERE listing_id = ${listing}`)[0]!.n);
    let client = await signUp(t.app);
    let hour = 2000;
    await fc.assert(fc.asyncProperty(fc.oneof(hostileValue, fc.array(answer, { maxLength: 10 })), addonIds, async (answers, chosen) => {
      const before = await count();
      const startsAt = hourFromNow((hour += 2));
      const res = await w.req('POST', '/series', client, { ...bookingBody(listing, startsAt), frequency: 'weekly', count: 2, answers, addonIds: chosen });
      expect([201, 400, 409, 413], res.body).toContain(res.statusCode);
      if (res.statusCode !== 201) {
        expect(errorShapeProblem(res.body)).toBeNull();
        expect(await count()).toBe(before);
      } else {
        // A client runs two series of a listing at most: the next cases come from someone else.
        client = await signUp(t.app);
      }
      const preview = await w.req('GET', `/listings/${listing}/series-preview?${new URLSearchParams({ startsAt, frequency: 'weekly', addons: Array.isArray(chosen) ? chosen.map(String).join(',') : String(chosen) })}`, client);
      expect([200, 400, 409], preview.body).toContain(preview.statusCode);
      if (preview.statusCode !== 200) expect(errorShapeProblem(preview.body)).toBeNull();
    }), { seed: SEED, numRuns: RUNS * 4 });
  }, 120_000);
});

describe('quotes: offers, answers, the deposit percent and moving a quote\'s booking, from the people allowed to send them', () => {
  const quoteListing = async (questions: object[] = []) => {
    const id = (await w.req('POST', `/coops/${w.A}/listings`, w.people.adminA, { titleFr: 'Déménagement', titleEn: 'Moving', descriptionFr: 'Déménagements résidentiels, sur devis.', descriptionEn: 'Home moves, on quote only.', category: 'demenagement', priceKind: 'hourly', priceCents: 12_000, durationMinutes: 180, locationMode: 'client_place', boroughs: ['plateau-mont-royal'], quoteMode: 'only', depositPercent: 30 })).json().id as string;
    await setSchedule(t, w.people.adminA, id, { capacity: 1, horizonDays: 365 });
    const put = questions.length ? await w.req('PUT', `/listings/${id}/questions`, w.people.adminA, { questions }) : null;
    return { id, questionIds: ((put?.json().items ?? []) as { id: string }[]).map((q) => q.id) };
  };
  const ask = (listingId: string, over: object = {}) => ({ listingId, description: 'Déménagement d’un 3 ½, deuxième étage.', address: '4321 rue Saint-Denis, Montréal', ...over });
  const offers = async (quoteId: string) => Number((await w.sql`SELECT count(*)::int AS n FROM quote_offers WHERE quote_id = ${quoteId}`)[0]!.n);

  it('answers hostile offers (lines that round to nothing, times past, taken or odd) with 201, a 400 by field or a 409, never a 5xx; a refused offer writes nothing', async () => {
    const listing = await quoteListing();
    const taken = hourFromNow(24 * 40);
    const first = (await w.req('POST', '/quotes', w.people.otherClient, ask(listing.id))).json().id as string;
    await w.req('POST', `/quotes/${first}/offers`, w.people.adminA, { lines: [{ label: 'Camion', unitPriceCents: 50_000 }], validUntil: hourFromNow(24 * 7), durationMinutes: 180, proposedTimes: [taken] });
    expect((await w.req('POST', `/quotes/${first}/accept`, w.people.otherClient, { offerVersion: 1, startsAt: taken })).statusCode).toBe(200);
    let quote = (await w.req('POST', '/quotes', w.people.client, ask(listing.id))).json().id as string;
    const amount = fc.oneof(hostileValue, fc.constantFrom<unknown>(0, 1, 49, 100, 100_000_000, 100_000_001, -1));
    const quantity = fc.oneof(hostileValue, fc.constantFrom<unknown>(0.01, 0.004, 1, 2.5, 10_000, null));
    const time = fc.oneof(hostileValue, fc.constantFrom<unknown>(taken, hourFromNow(-1), hourFromNow(24 * 41), hourFromNow(24 * 500), '2027-02-30T10:00:00Z'));
    const body = fc.record({
      lines: fc.oneof(hostileValue, fc.array(fc.record({ label: fc.oneof(anyText, hostileValue), quantity, unitPriceCents: amount }, { requiredKeys: [] }), { maxLength: 4 })),
      validUntil: fc.oneof(hostileValue, fc.constant(hourFromNow(24 * 7))), durationMinutes: fc.oneof(hostileValue, fc.constantFrom<unknown>(180, 14, 60)),
      proposedTimes: fc.oneof(hostileValue, fc.array(time, { maxLength: 6 })), message: fc.oneof(anyText, hostileValue),
    }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(body, async (b) => {
      const before = await offers(quote);
      const res = await w.req('POST', `/quotes/${quote}/offers`, w.people.adminA, b);
      expect([201, 400, 409, 413], res.body).toContain(res.statusCode);
      if (res.statusCode !== 201) {
        expect(errorShapeProblem(res.body)).toBeNull();
        expect(await offers(quote)).toBe(before);
      }
      if (res.statusCode === 409 && res.json().error.code === 'too_many_offers') {
        await w.req('POST', `/quotes/${quote}/withdraw`, w.people.client, {});
        quote = (await w.req('POST', '/quotes', w.people.client, ask(listing.id))).json().id as string;
      }
    }), { seed: SEED, numRuns: RUNS * 4 });
    await w.req('POST', `/quotes/${quote}/withdraw`, w.people.client, {});
  }, 120_000);

  it('answers hostile answers at a quote request with 201 or a 400 by field, never a 5xx; what is kept has no bidi override nor control character', async () => {
    const listing = await quoteListing([
      { kind: 'number', labelFr: 'Étages', labelEn: 'Floors', min: 0, max: 5 },
      { kind: 'short_text', labelFr: 'Code', labelEn: 'Code' },
      { kind: 'long_text', labelFr: 'Notes', labelEn: 'Notes' },
    ]);
    const answer = fc.record({
      questionId: fc.oneof(fc.constantFrom(...listing.questionIds), hostileValue),
      value: fc.oneof(hostileValue, fc.constantFrom<unknown>('2,5', '1e3', ' 3 ', '\u202e4\u2066', 'a\u0000b', 'x\u0085\u009by', 4.5)),
    }, { requiredKeys: [] });
    const requests = async () => Number((await w.sql`SELECT count(*)::int AS n FROM quote_requests WHERE listing_id = ${listing.id}`)[0]!.n);
    await fc.assert(fc.asyncProperty(fc.oneof(hostileValue, fc.array(answer, { maxLength: 8 })), async (answers) => {
      const before = await requests();
      const res = await w.req('POST', '/quotes', w.people.otherClient, ask(listing.id, { answers }));
      expect([201, 400, 413], res.body).toContain(res.statusCode);
      if (res.statusCode !== 201) {
        expect(errorShapeProblem(res.body)).toBeNull();
        expect(await requests()).toBe(before);
        return;
      }
      for (const a of res.json().answers as { value: unknown }[]) {
        if (typeof a.value === 'string') expect(a.value).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }
      await w.req('POST', `/quotes/${res.json().id}/withdraw`, w.people.otherClient, {});
    }), { seed: SEED, numRuns: RUNS * 4 });
  }, 120_000);

  it('answers a hostile depositPercent with 200 or a 400 on the field, never a 5xx, and a refused one changes nothing', async () => {
    const listing = await quoteListing();
    await fc.assert(fc.asyncProperty(fc.oneof(hostileValue, fc.constantFrom<unknown>('50', '', 50.5, -1, 101, 0, 100, true, null)), async (depositPercent) => {
      const before = (await w.sql`SELECT deposit_percent FROM listings WHERE id = ${listing.id}`)[0]!.deposit_percent;
      const res = await w.req('PATCH', `/listings/${listing.id}`, w.people.adminA, { depositPercent });
      expect([200, 400], res.body).toContain(res.statusCode);
      if (res.statusCode === 200) expect(Number.isInteger(depositPercent)).toBe(true);
      else {
        expect(errorShapeProblem(res.body)).toBeNull();
        expect((await w.sql`SELECT deposit_percent FROM listings WHERE id = ${listing.id}`)[0]!.deposit_percent).toBe(before);
      }
    }), { seed: SEED, numRuns: RUNS * 2 });
  }, 60_000);

  it("answers a hostile move of a quote's booking by its client with 400 or 409, never a 5xx, and never moves it", async () => {
    const listing = await quoteListing();
    const at = hourFromNow(24 * 45);
    const quote = (await w.req('POST', '/quotes', w.people.otherClient, ask(listing.id))).json().id as string;
    await w.req('POST', `/quotes/${quote}/offers`, w.people.adminA, { lines: [{ label: 'Camion', unitPriceCents: 50_000 }], validUntil: hourFromNow(24 * 7), durationMinutes: 180, proposedTimes: [at] });
    const booking = (await w.req('POST', `/quotes/${quote}/accept`, w.people.otherClient, { offerVersion: 1, startsAt: at })).json().bookingId as string;
    await fc.assert(fc.asyncProperty(fc.oneof(hostileValue, fc.constantFrom<unknown>(hourFromNow(24 * 46), hourFromNow(-2))), async (startsAt) => {
      const res = await w.req('POST', `/bookings/${booking}/reschedule`, w.people.otherClient, { startsAt });
      expect([400, 409], res.body).toContain(res.statusCode);
      expect(errorShapeProblem(res.body)).toBeNull();
    }), { seed: SEED, numRuns: RUNS * 2 });
    expect(new Date((await w.sql`SELECT starts_at FROM bookings WHERE id = ${booking}`)[0]!.starts_at).toISOString()).toBe(at);
  }, 60_000);
});

afterAll(() => {
  console.log(`fuzz cases run: ${stats.cases}, 5xx: ${stats.fiveHundreds} (seed ${SEED}, ${RUNS} generated cases per route; replay with FUZZ_SEED=${SEED})`);
  console.log(`  answers: ${[...stats.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
});
