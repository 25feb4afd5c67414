import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { bookingBody, hourFromNow, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let steward: SignedIn;
let adminA: SignedIn;
let adminB: SignedIn;
let client: SignedIn;
let coopA: { id: string; slug: string };
let coopB: { id: string };
beforeAll(async () => {
  t = await createTestApp();
  steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  adminA = await signUp(t.app);
  adminB = await signUp(t.app);
  client = await signUp(t.app);
  coopA = await newCoop(adminA, 'Ménage Vert');
  coopB = await newCoop(adminB, 'Nettoyage Plus');
});
afterAll(() => t.close());

async function newCoop(who: SignedIn, legalName: string, approve = true) {
  const res = await t.app.inject({
    method: 'POST', url: '/coops', headers: who.auth,
    payload: {
      legalName, legalForm: 'worker_coop', region: 'plateau-mont-royal', languages: ['fr', 'en'], foundedYear: 2015,
      descriptionFr: 'Coopérative de travail en entretien ménager.', descriptionEn: 'Worker co-op in home cleaning.',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  if (approve) await t.app.inject({ method: 'POST', url: `/coops/${res.json().id}/approve`, headers: steward.auth });
  return res.json();
}

const listing = (over: Record<string, unknown> = {}) => ({
  titleFr: 'Ménage résidentiel',
  titleEn: 'Home cleaning',
  descriptionFr: 'Entretien complet de votre logement avec des produits écologiques.',
  descriptionEn: 'Full cleaning of your home with green products.',
  category: 'menage',
  priceKind: 'hourly',
  priceCents: 4500,
  durationMinutes: 180,
  locationMode: 'client_place',
  boroughs: ['plateau-mont-royal', 'ville-marie'],
  solidarityPriceCents: 3000,
  ...over,
});

const create = (coopId: string, who: SignedIn | null, payload: object) =>
  t.app.inject({ method: 'POST', url: `/coops/${coopId}/listings`, headers: who?.auth ?? {}, payload });
const patch = (id: string, who: SignedIn | null, payload: object) =>
  t.app.inject({ method: 'PATCH', url: `/listings/${id}`, headers: who?.auth ?? {}, payload });
/** A worker-member of the co-op, invited by its admin. */
async function workerOf(coopId: string): Promise<SignedIn> {
  const email = `worker-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`;
  await t.app.inject({ method: 'POST', url: `/coops/${coopId}/invitations`, headers: adminA.auth, payload: { email, role: 'worker' } });
  const mail = (await t.sentMail()).find((m) => m.to === email)!;
  const token = /invitations\/([\w-]{43})/.exec(mail.text)![1];
  const worker = await signUp(t.app, { email });
  expect((await t.app.inject({ method: 'POST', url: `/invitations/${token}/accept`, headers: worker.auth })).statusCode).toBe(200);
  return worker;
}

const get = (url: string, who?: SignedIn) => t.app.inject({ method: 'GET', url, headers: who?.auth ?? {} });

describe('publishing and editing', () => {
  it('creates a listing for an approved co-op and shows it with its co-op', async () => {
    const res = await create(coopA.id, adminA, listing());
    expect(res.statusCode, res.body).toBe(201);
    const l = res.json();
    expect(l).toMatchObject({
      titleFr: 'Ménage résidentiel', priceCents: 4500, solidarityPriceCents: 3000, status: 'active',
      coop: { id: coopA.id, slug: coopA.slug, name: 'Ménage Vert', languages: ['fr', 'en'] },
    });
    const fetched = await get(`/listings/${l.id}`);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual({ ...l, addons: [], questions: [] }); // one listing comes with its add-ons and questions (none yet)
  });

  it('edits, pauses, resumes and archives; an archived listing cannot change and is no longer public', async () => {
    const l = (await create(coopA.id, adminA, listing())).json();
    const edited = await patch(l.id, adminA, { titleFr: 'Grand ménage', priceCents: 5000 });
    expect(edited.statusCode).toBe(200);
    // Bug found: the shared UpdateListingBody once defaulted `boroughs` to [] and emptied it on every edit.
    expect(edited.json()).toMatchObject({ titleFr: 'Grand ménage', priceCents: 5000, boroughs: ['plateau-mont-royal', 'ville-marie'] });
    expect(Date.parse(edited.json().updatedAt)).toBeGreaterThan(Date.parse(l.updatedAt));

    expect((await patch(l.id, adminA, { status: 'paused' })).json().status).toBe('paused');
    expect((await get(`/listings/${l.id}`)).statusCode).toBe(404);
    expect((await get(`/listings/${l.id}`, adminA)).json().status).toBe('paused');
    expect((await patch(l.id, adminA, { status: 'active' })).json().status).toBe('active');
    expect((await patch(l.id, adminA, { status: 'archived' })).json().status).toBe('archived');

    const frozen = await patch(l.id, adminA, { status: 'active' });
    expect(frozen.statusCode).toBe(409);
    expect(errorOf(frozen).code).toBe('listing_archived');
    expect((await patch(l.id, adminA, { titleFr: 'Encore' })).statusCode).toBe(409);

    expect((await get(`/listings/${l.id}`)).statusCode).toBe(404);
    expect((await get(`/listings/${l.id}`, client)).statusCode).toBe(404);
    expect((await get(`/listings/${l.id}`, adminB)).statusCode).toBe(404);
    expect((await get(`/listings/${l.id}`, adminA)).json().status).toBe('archived');
    expect((await get(`/listings/${l.id}`, steward)).statusCode).toBe(200);
  });

  it('clears the solidarity price with null', async () => {
    const l = (await create(coopA.id, adminA, listing())).json();
    const res = await patch(l.id, adminA, { solidarityPriceCents: null });
    expect(res.json().solidarityPriceCents).toBeNull();
  });
});

describe('who may publish and edit', () => {
  let listingOfA: { id: string };
  beforeAll(async () => {
    listingOfA = (await create(coopA.id, adminA, listing())).json();
  });

  it("an admin of co-op B cannot edit or publish for co-op A", async () => {
    const res = await patch(listingOfA.id, adminB, { titleFr: 'Volé' });
    expect(res.statusCode).toBe(403);
    expect((await create(coopA.id, adminB, listing())).statusCode).toBe(403);
    const archivedOfA = (await create(coopA.id, adminA, listing())).json();
    await patch(archivedOfA.id, adminA, { status: 'archived' });
    // An archived listing is not public, so outsiders get the same answer as for a missing one.
    expect((await patch(archivedOfA.id, adminB, { titleFr: 'Volé' })).statusCode).toBe(404);
  });

  it('a client cannot publish (403), anonymous must sign in (401)', async () => {
    expect((await create(coopA.id, client, listing())).statusCode).toBe(403);
    expect((await create(coopA.id, null, listing())).statusCode).toBe(401);
    expect((await patch(listingOfA.id, client, { titleFr: 'Non' })).statusCode).toBe(403);
    expect((await patch(listingOfA.id, null, { titleFr: 'Non' })).statusCode).toBe(401);
  });

  it('a worker-member of the co-op cannot publish or edit', async () => {
    const email = `worker-${Date.now()}@example.org`;
    await t.app.inject({ method: 'POST', url: `/coops/${coopA.id}/invitations`, headers: adminA.auth, payload: { email, role: 'worker' } });
    const mail = (await t.sentMail()).find((m) => m.to === email)!;
    const token = /invitations\/([\w-]{43})/.exec(mail.text)![1];
    const worker = await signUp(t.app, { email });
    expect((await t.app.inject({ method: 'POST', url: `/invitations/${token}/accept`, headers: worker.auth })).statusCode).toBe(200);
    expect((await create(coopA.id, worker, listing())).statusCode).toBe(403);
    expect((await patch(listingOfA.id, worker, { titleFr: 'Non' })).statusCode).toBe(403);
  });

  it('a pending co-op cannot publish yet (409), and its listings route is hidden from others', async () => {
    const pending = await newCoop(adminA, 'Coop pas encore acceptée', false);
    const res = await create(pending.id, adminA, listing());
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('coop_not_approved');
    expect(errorOf(res).message).toMatch(/approved/);
    expect((await create(pending.id, client, listing())).statusCode).toBe(404);
    expect((await get(`/coops/${pending.id}/listings`)).statusCode).toBe(404);
  });

  it('unknown listings answer 404, malformed ids 400', async () => {
    expect((await patch('00000000-0000-4000-8000-000000000000', adminA, { titleFr: 'Rien' })).statusCode).toBe(404);
    expect((await get('/listings/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await get('/listings/abc')).statusCode).toBe(400);
    expect((await create('00000000-0000-4000-8000-000000000000', adminA, listing())).statusCode).toBe(404);
  });
});

describe('validation', () => {
  it('refuses a solidarity price at or above the price, no borough at the client place, an unknown category', async () => {
    const res = await create(coopA.id, adminA, listing({ solidarityPriceCents: 4500 }));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).fields).toEqual({ solidarityPriceCents: [expect.objectContaining({ code: 'solidarity_not_lower' })] });

    const noBorough = await create(coopA.id, adminA, listing({ boroughs: [] }));
    expect(errorOf(noBorough).fields).toEqual({ boroughs: [expect.objectContaining({ code: 'choose_borough' })] });
    const omitted = await create(coopA.id, adminA, listing({ boroughs: undefined }));
    expect(Object.keys(errorOf(omitted).fields!)).toEqual(['boroughs']);
    const remote = await create(coopA.id, adminA, listing({ boroughs: [], locationMode: 'remote' }));
    expect(remote.statusCode).toBe(201);

    const category = await create(coopA.id, adminA, listing({ category: 'astrologie' }));
    expect(errorOf(category).fields).toEqual({ category: [expect.objectContaining({ code: 'choose_category' })] });
    const many = await create(coopA.id, adminA, listing({ titleFr: 'x', priceCents: 'cher', durationMinutes: 5, boroughs: ['paris'] }));
    expect(Object.keys(errorOf(many).fields!).sort()).toEqual(['boroughs.0', 'durationMinutes', 'priceCents', 'titleFr']);
  });

  it('checks an edit against the whole listing it produces, not only the fields sent', async () => {
    const l = (await create(coopA.id, adminA, listing({ priceCents: 5000, solidarityPriceCents: 3000 }))).json();
    // Checked alone, the new price looks fine; the database's check constraint would then answer 500.
    const below = await patch(l.id, adminA, { priceCents: 2000 });
    expect(below.statusCode).toBe(400);
    expect(Object.keys(errorOf(below).fields!)).toEqual(['solidarityPriceCents']);

    const r = (await create(coopA.id, adminA, listing({ locationMode: 'remote', boroughs: [] }))).json();
    // Checked alone, this would save a listing served at the client's place in no borough at all.
    const toClient = await patch(r.id, adminA, { locationMode: 'client_place' });
    expect(toClient.statusCode).toBe(400);
    expect(Object.keys(errorOf(toClient).fields!)).toEqual(['boroughs']);
    const withBorough = await patch(r.id, adminA, { locationMode: 'client_place', boroughs: ['verdun'] });
    expect(withBorough.statusCode).toBe(200);

    const status = await patch(r.id, adminA, { status: 'deleted' });
    expect(Object.keys(errorOf(status).fields!)).toEqual(['status']);
    const unchanged = (await get(`/listings/${l.id}`)).json();
    expect(unchanged).toMatchObject({ priceCents: 5000, solidarityPriceCents: 3000 });
  });
});

describe('a paused or archived listing', () => {
  it('is seen by its co-op, the stewards and the clients who booked it; everyone else gets 404', async () => {
    const l = (await create(coopA.id, adminA, listing({ priceKind: 'fixed', durationMinutes: 60 }))).json();
    await setSchedule(t, adminA, l.id);
    const booked = await t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: bookingBody(l.id, hourFromNow(72)) });
    expect(booked.statusCode, booked.body).toBe(201);
    const otherClient = await signUp(t.app);
    const worker = await workerOf(coopA.id);

    for (const status of ['paused', 'archived'] as const) {
      expect((await patch(l.id, adminA, { status })).statusCode).toBe(200);
      for (const [who, name] of [[adminA, 'admin'], [worker, 'worker'], [steward, 'steward'], [client, 'client who booked it']] as const) {
        const res = await get(`/listings/${l.id}`, who);
        expect(res.statusCode, `${status}, ${name}`).toBe(200);
        expect(res.json().status).toBe(status);
      }
      for (const [who, name] of [[undefined, 'anonymous'], [otherClient, 'another client'], [adminB, "another co-op's admin"]] as const) {
        const res = await get(`/listings/${l.id}`, who);
        expect(res.statusCode, `${status}, ${name}`).toBe(404);
        expect(errorOf(res).code).toBe('not_found');
      }
    }
    // The co-op's list follows the same rule: its worker-members see the hidden listings too.
    expect((await get(`/coops/${coopA.id}/listings?status=archived`, worker)).json().items.map((x: { id: string }) => x.id)).toContain(l.id);
    expect((await get(`/coops/${coopA.id}/listings?status=archived`, otherClient)).statusCode).toBe(403);
  });
});

describe("a co-op's listings", () => {
  it('the public sees the active ones; admins and stewards see all, by status', async () => {
    const c = await newCoop(adminB, 'Coop aux trois annonces');
    const ids: Record<string, string> = {};
    for (const s of ['active', 'paused', 'archived']) {
      const l = (await create(c.id, adminB, listing({ titleFr: `Annonce ${s}` }))).json();
      if (s !== 'active') await patch(l.id, adminB, { status: s });
      ids[s] = l.id;
    }
    const titles = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((l) => l.id).sort();
    expect(titles(await get(`/coops/${c.id}/listings`))).toEqual([ids.active]);
    expect(titles(await get(`/coops/${c.id}/listings`, client))).toEqual([ids.active]);
    expect(titles(await get(`/coops/${c.id}/listings`, adminB))).toEqual(Object.values(ids).sort());
    expect(titles(await get(`/coops/${c.id}/listings?status=paused`, adminB))).toEqual([ids.paused]);
    expect(titles(await get(`/coops/${c.id}/listings?status=archived`, steward))).toEqual([ids.archived]);
    expect((await get(`/coops/${c.id}/listings?status=archived`, client)).statusCode).toBe(403);
    expect((await get(`/coops/${c.id}/listings?status=archived`)).statusCode).toBe(401);
    expect((await get(`/coops/${c.id}/listings?status=active`)).statusCode).toBe(200);
    expect((await get(`/coops/${c.id}/listings?status=gone`)).statusCode).toBe(400);
  });
});

describe('a double-clicked "Créer le service" (Idempotency-Key)', () => {
  const create = (key: string, over: Record<string, unknown> = {}) => t.app.inject({
    method: 'POST', url: `/coops/${coopA.id}/listings`, headers: { ...adminA.auth, 'idempotency-key': key }, payload: listing(over),
  });
  const countTitled = async (titleFr: string) =>
    (await t.app.inject({ method: 'GET', url: `/coops/${coopA.id}/listings`, headers: adminA.auth })).json().items
      .filter((l: { titleFr: string }) => l.titleFr === titleFr).length;

  it('the same key twice creates one listing and answers the same id and body', async () => {
    const key = randomUUID();
    const first = await create(key, { titleFr: 'Clé rejouée' });
    const again = await create(key, { titleFr: 'Clé rejouée' });
    expect(first.statusCode, first.body).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await countTitled('Clé rejouée')).toBe(1);
  });

  it('ten concurrent requests with one key create exactly one listing', async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => create(key, { titleFr: 'Clé concurrente' })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(await countTitled('Clé concurrente')).toBe(1);
  });

  it('different keys create two listings; a failed create frees its key; a malformed key is a 400', async () => {
    const [a, b] = [await create(randomUUID(), { titleFr: 'Deux clés' }), await create(randomUUID(), { titleFr: 'Deux clés' })];
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).not.toBe(b.json().id);
    expect(await countTitled('Deux clés')).toBe(2);

    const key = randomUUID();
    expect((await create(key, { titleFr: 'Corrigé', category: 'nope' })).statusCode).toBe(400);
    expect((await create(key, { titleFr: 'Corrigé' })).statusCode).toBe(201);

    const bad = await create('short');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).fields?.['idempotency-key']).toBeDefined();
  });

  it('the same key from another user or on another route is not a replay of someone else', async () => {
    const key = randomUUID();
    expect((await create(key, { titleFr: 'Clé à moi' })).statusCode).toBe(201);
    const other = await t.app.inject({ method: 'POST', url: `/coops/${coopB.id}/listings`, headers: { ...adminB.auth, 'idempotency-key': key }, payload: listing({ titleFr: 'Clé à moi' }) });
    expect(other.statusCode).toBe(201);
    const elsewhere = await t.app.inject({ method: 'POST', url: `/coops/${coopB.id}/listings`, headers: { ...adminA.auth, 'idempotency-key': key }, payload: listing() });
    expect(elsewhere.statusCode).toBe(409);
    expect(errorOf(elsewhere).code).toBe('idempotency_key_reused');
  });
});
