import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { setSchedule } from '../support/fixtures.js';

let t: TestApp;
let steward: SignedIn;
let adminA: SignedIn;
let adminB: SignedIn;
let coopA: { id: string; slug: string };
let coopB: { id: string; slug: string };
const ids: Record<string, string> = {};

async function newCoop(who: SignedIn, legalName: string, region: string, languages: string[]) {
  const res = await t.app.inject({
    method: 'POST', url: '/coops', headers: who.auth,
    payload: {
      legalName, legalForm: 'worker_coop', region, languages, foundedYear: 2012,
      descriptionFr: 'Une coopérative de travail montréalaise.', descriptionEn: 'A Montréal worker co-operative.',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await t.app.inject({ method: 'POST', url: `/coops/${res.json().id}/approve`, headers: steward.auth });
  return res.json();
}

/** A published listing with opening hours (search leaves out listings without), unless `withHours` is false. */
async function publish(coopId: string, who: SignedIn, over: Record<string, unknown>, withHours = true) {
  const res = await t.app.inject({
    method: 'POST', url: `/coops/${coopId}/listings`, headers: who.auth,
    payload: {
      titleFr: 'Service', titleEn: 'Service', category: 'menage', priceKind: 'fixed', priceCents: 5000, durationMinutes: 60,
      descriptionFr: 'Un service offert par la coopérative.', descriptionEn: 'A service offered by the co-op.',
      locationMode: 'client_place', boroughs: ['ville-marie'],
      ...over,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  if (withHours) await setSchedule(t, who, res.json().id);
  return res.json().id as string;
}

interface Page {
  items: { id: string; priceCents: number; titleFr: string }[];
  total: number;
  nextCursor: string | null;
}
async function search(query: string): Promise<Page> {
  const res = await t.app.inject({ method: 'GET', url: `/listings?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const found = async (query: string) => (await search(query)).items.map((l) => l.id).sort();
const named = (...names: string[]) => names.map((n) => ids[n]!).sort();

beforeAll(async () => {
  t = await createTestApp();
  steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  adminA = await signUp(t.app);
  adminB = await signUp(t.app);
  coopA = await newCoop(adminA, 'Ménage Vert', 'plateau-mont-royal', ['fr', 'en']);
  coopB = await newCoop(adminB, 'Mudanzas Solidarias', 'verdun', ['es', 'fr']);

  ids.cleaning = await publish(coopA.id, adminA, {
    titleFr: 'Ménage résidentiel', titleEn: 'Home cleaning', priceCents: 4500, boroughs: ['plateau-mont-royal', 'ville-marie'],
    descriptionFr: 'Entretien complet de votre logement, produits écologiques.', descriptionEn: 'Full cleaning of your home, green products.',
  });
  ids.moving = await publish(coopB.id, adminB, {
    titleFr: 'Déménagement en vélo-cargo', titleEn: 'Cargo bike moving', category: 'demenagement', priceCents: 9000,
    locationMode: 'at_coop', boroughs: [],
    descriptionFr: 'Nous transportons vos boîtes et petits meubles.', descriptionEn: 'We carry your boxes and small furniture.',
  });
  ids.translation = await publish(coopA.id, adminA, {
    titleFr: 'Traduction de documents', titleEn: 'Document translation', category: 'traduction', priceCents: 3000,
    locationMode: 'remote', boroughs: [],
    descriptionFr: 'Traduction certifiée français-anglais.', descriptionEn: 'Certified French-English translation.',
  });
  ids.childcare = await publish(coopB.id, adminB, {
    titleFr: "Garde d'enfants à domicile", titleEn: 'Childcare at home', category: 'garde-enfants', priceCents: 2500, boroughs: ['verdun'],
    descriptionFr: 'Des éducatrices formées viennent chez vous, même à vélo.', descriptionEn: 'Trained educators come to you.',
  });
  ids.bikeRepair = await publish(coopA.id, adminA, {
    titleFr: 'Atelier de réparation de vélos', titleEn: 'Bike repair workshop', category: 'reparation-velos', priceCents: 2000,
    locationMode: 'at_coop', boroughs: [],
    descriptionFr: 'Apportez votre vélo à notre atelier.', descriptionEn: 'Bring your bike to our workshop.',
  });
  const paused = await publish(coopA.id, adminA, { titleFr: 'Ménage de printemps', titleEn: 'Spring cleaning' });
  await t.app.inject({ method: 'PATCH', url: `/listings/${paused}`, headers: adminA.auth, payload: { status: 'paused' } });
  const archived = await publish(coopA.id, adminA, { titleFr: 'Ménage de bureaux', titleEn: 'Office cleaning' });
  await t.app.inject({ method: 'PATCH', url: `/listings/${archived}`, headers: adminA.auth, payload: { status: 'archived' } });

  // A co-op whose approval was withdrawn by hand: its listings must not show up.
  const hidden = await newCoop(adminA, 'Coop retirée', 'anjou', ['fr']);
  await publish(hidden.id, adminA, { titleFr: 'Ménage caché', titleEn: 'Hidden cleaning' });
  await t.database.sql`UPDATE coops SET status = 'pending' WHERE id = ${hidden.id}`;
});
afterAll(() => t.close());

describe('full-text search', () => {
  it('ignores accents and case in French', async () => {
    for (const q of ['menage', 'Ménage', 'MÉNAGE', 'ménage résidentiel', 'menages']) {
      expect(await found(`q=${encodeURIComponent(q)}`), q).toEqual(named('cleaning'));
    }
  });

  it('finds the English title of the same listing', async () => {
    expect(await found('q=cleaning')).toEqual(named('cleaning'));
    expect(await found('q=home%20cleaning')).toEqual(named('cleaning'));
    expect(await found('q=translation')).toEqual(named('translation'));
  });

  it('finds moving with or without accents, and not cleaning ("ménage" is not "déménagement")', async () => {
    expect(await found(`q=${encodeURIComponent('déménagement')}`)).toEqual(named('moving'));
    expect(await found('q=demenagement')).toEqual(named('moving'));
    expect(await found('q=moving')).toEqual(named('moving'));
  });

  it('matches the last word as a prefix, while typing', async () => {
    expect(await found('q=demen')).toEqual(named('moving'));
    expect(await found('q=clea')).toEqual(named('cleaning'));
    expect(await found(`q=${encodeURIComponent("garde d'enf")}`)).toEqual(named('childcare'));
    expect(await found('q=home%20clean')).toEqual(named('cleaning'));
  });

  it('keeps websearch operators working: an excluded word is not brought back by the prefix match', async () => {
    expect(await found(`q=${encodeURIComponent('velo -atelier')}`)).toEqual(named('childcare', 'moving'));
    expect(await found(`q=${encodeURIComponent('"cargo bike"')}`)).toEqual(named('moving'));
    expect(await found(`q=${encodeURIComponent('translation or childcare')}`)).toEqual(named('childcare', 'translation'));
  });

  it('ranks a title match above a description match', async () => {
    const page = await search('q=velo');
    expect(page.items.map((l) => l.id).slice(0, 2).sort()).toEqual(named('bikeRepair', 'moving'));
    expect(page.items.at(-1)!.id).toBe(ids.childcare);
  });

  it('shows only active listings of approved co-ops', async () => {
    const all = await search('limit=50');
    expect(all.items.map((l) => l.id).sort()).toEqual(named('cleaning', 'moving', 'translation', 'childcare', 'bikeRepair'));
    expect(all.total).toBe(5);
    expect(await found('q=printemps')).toEqual([]);
    expect(await found('q=bureaux')).toEqual([]);
    expect(await found(`q=${encodeURIComponent('caché')}`)).toEqual([]);
  });

  it('leaves out a listing without opening hours until hours are saved, and tells its co-op', async () => {
    const id = await publish(coopA.id, adminA, { titleFr: 'Repassage sans horaire', titleEn: 'Ironing without hours', category: 'photographie' }, false);
    expect(await found('q=repassage')).toEqual([]);
    expect(await found('category=photographie')).toEqual([]);
    const own = await t.app.inject({ method: 'GET', url: `/listings/${id}`, headers: adminA.auth });
    expect(own.json().hasHours).toBe(false);
    // Special hours on a past day open nothing; only a weekday rule or a coming day does.
    await t.database.sql`INSERT INTO listing_schedules (listing_id, exceptions) VALUES (${id}, '[{"date":"2020-01-06","kind":"extra","start":"09:00","end":"12:00"}]'::jsonb)`;
    expect(await found('q=repassage')).toEqual([]);
    await t.database.sql`DELETE FROM listing_schedules WHERE listing_id = ${id}`;
    const nextYear = new Date().getUTCFullYear() + 1;
    await setSchedule(t, adminA, id, { weekly: [], exceptions: [{ date: `${nextYear}-03-02`, kind: 'extra', start: '09:00', end: '12:00' }] });
    expect(await found('q=repassage')).toEqual([id]);
    await setSchedule(t, adminA, id);
    expect(await found('q=repassage')).toEqual([id]);
    expect((await t.app.inject({ method: 'GET', url: `/listings/${id}` })).json().hasHours).toBe(true);
    await t.app.inject({ method: 'PATCH', url: `/listings/${id}`, headers: adminA.auth, payload: { status: 'archived' } });
  });

  it('never fails on odd input', async () => {
    for (const q of ['"unclosed', 'a & b | !c', '(', ':*', "'", 'ménage:*', '-', 'or', '!!!', '\\', 'x'.repeat(200), '<script>', '%', '1e309', '3½', 'aːb', 'ŉ', '⑴']) {
      const res = await t.app.inject({ method: 'GET', url: `/listings?q=${encodeURIComponent(q)}` });
      expect(res.statusCode, q).toBe(200);
    }
    const long = await t.app.inject({ method: 'GET', url: `/listings?q=${'x'.repeat(201)}` });
    expect(errorOf(long).fields).toHaveProperty('q');
    expect((await search('q=%20%20')).total).toBe(5);
  });
});

describe('filters, one at a time', () => {
  it('category', async () => {
    expect(await found('category=traduction')).toEqual(named('translation'));
    expect((await t.app.inject({ method: 'GET', url: '/listings?category=astrologie' })).statusCode).toBe(400);
  });

  it("borough: served at the client's place there, or held at a co-op located there; not remote", async () => {
    expect(await found('borough=verdun')).toEqual(named('childcare', 'moving'));
    expect(await found('borough=plateau-mont-royal')).toEqual(named('bikeRepair', 'cleaning'));
    expect(await found('borough=ville-marie')).toEqual(named('cleaning'));
    expect(await found('borough=anjou')).toEqual([]);
  });

  it('price range, bounds included', async () => {
    expect(await found('minPrice=2500&maxPrice=4500')).toEqual(named('childcare', 'cleaning', 'translation'));
    expect(await found('minPrice=9000')).toEqual(named('moving'));
    expect(await found('maxPrice=2000')).toEqual(named('bikeRepair'));
    expect(await found('minPrice=3000&maxPrice=3000')).toEqual(named('translation'));
  });

  it('minPrice above maxPrice is a 400 naming the field', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/listings?minPrice=5000&maxPrice=1000' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).fields).toEqual({ maxPrice: [expect.objectContaining({ code: 'below_minimum_price' })] });
    const notNumber = await t.app.inject({ method: 'GET', url: '/listings?minPrice=cheap' });
    expect(errorOf(notNumber).fields).toHaveProperty('minPrice');
  });

  it("language: the co-op's languages", async () => {
    expect(await found('language=es')).toEqual(named('childcare', 'moving'));
    expect(await found('language=en')).toEqual(named('bikeRepair', 'cleaning', 'translation'));
    expect(await found('language=vi')).toEqual([]);
  });

  it('co-op by id or slug', async () => {
    expect(await found(`coop=${coopB.id}`)).toEqual(named('childcare', 'moving'));
    expect(await found(`coop=${coopB.slug}`)).toEqual(named('childcare', 'moving'));
    expect(await found('coop=no-such-coop')).toEqual([]);
  });

  it('remote', async () => {
    expect(await found('remote=true')).toEqual(named('translation'));
    expect(await found('remote=1')).toEqual(named('translation'));
    expect(await found('remote=false')).toEqual(named('bikeRepair', 'childcare', 'cleaning', 'moving'));
    expect((await t.app.inject({ method: 'GET', url: '/listings?remote=maybe' })).statusCode).toBe(400);
  });

  it('filters combine', async () => {
    expect(await found('q=velo&borough=verdun&maxPrice=5000')).toEqual(named('childcare'));
  });
});

describe('sorting', () => {
  it('by price both ways, and newest first', async () => {
    const asc = (await search('sort=price_asc')).items.map((l) => l.priceCents);
    expect(asc).toEqual([2000, 2500, 3000, 4500, 9000]);
    const desc = (await search('sort=price_desc')).items.map((l) => l.priceCents);
    expect(desc).toEqual([9000, 4500, 3000, 2500, 2000]);
    const newest = (await search('sort=newest')).items.map((l) => l.id);
    expect(newest).toEqual([ids.bikeRepair, ids.childcare, ids.translation, ids.moving, ids.cleaning]);
    expect((await search('')).items.map((l) => l.id)).toEqual(newest);
    expect((await t.app.inject({ method: 'GET', url: '/listings?sort=cheapest' })).statusCode).toBe(400);
  });
});
