import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '@tissu/db';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { setSchedule } from '../support/fixtures.js';

/**
 * A borough filter finds what can happen there: served at the client's place in it, or held at a
 * co-op located in it. The co-op's region travels with its listings in `boroughs`, so the filter
 * is one indexed array test; these tests follow it through creation, edits and a co-op's move.
 */
let t: TestApp;
let admin: SignedIn;
let coop: { id: string };

async function publish(over: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST', url: `/coops/${coop.id}/listings`, headers: admin.auth,
    payload: {
      titleFr: 'Atelier', titleEn: 'Workshop', category: 'reparation-velos', priceKind: 'fixed', priceCents: 3000, durationMinutes: 60,
      descriptionFr: 'Un service offert par la coopérative.', descriptionEn: 'A service offered by the co-op.',
      ...over,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await setSchedule(t, admin, res.json().id); // search only finds listings with opening hours
  return res.json() as { id: string; boroughs: string[] };
}
const patch = (id: string, payload: object) => t.app.inject({ method: 'PATCH', url: `/listings/${id}`, headers: admin.auth, payload });
async function found(query: string): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url: `/listings?${query}&limit=50` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.map((l: { id: string }) => l.id).sort();
}

beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  admin = await signUp(t.app);
  const res = await t.app.inject({
    method: 'POST', url: '/coops', headers: admin.auth,
    payload: {
      legalName: 'Vélo Solidaire', legalForm: 'worker_coop', region: 'verdun', languages: ['fr'], foundedYear: 2015,
      descriptionFr: 'Un atelier coopératif de vélos.', descriptionEn: 'A co-operative bike workshop.',
    },
  });
  coop = res.json();
  await t.app.inject({ method: 'POST', url: `/coops/${coop.id}/approve`, headers: steward.auth });
});
afterAll(() => t.close());

describe('borough filter', () => {
  it("a listing held at the co-op carries the co-op's region, whatever boroughs it was sent with", async () => {
    const shop = await publish({ locationMode: 'at_coop', boroughs: ['anjou'] });
    expect(shop.boroughs).toEqual(['verdun']);
    expect(await found('borough=verdun')).toContain(shop.id);
    expect(await found('borough=anjou')).not.toContain(shop.id);
  });

  it('a remote listing is found by no borough, even one that kept boroughs from before', async () => {
    const remote = await publish({ locationMode: 'remote', boroughs: ['verdun'] });
    const wasVisiting = await publish({ locationMode: 'client_place', boroughs: ['verdun'] });
    expect((await patch(wasVisiting.id, { locationMode: 'remote' })).statusCode).toBe(200);
    const inVerdun = await found('borough=verdun');
    expect(inVerdun).not.toContain(remote.id);
    expect(inVerdun).not.toContain(wasVisiting.id);
    expect(await found('remote=true')).toEqual([remote.id, wasVisiting.id].sort());
  });

  it("moves with the co-op; the client's-place listings stay where they are served", async () => {
    const shop = await publish({ locationMode: 'at_coop' });
    const visiting = await publish({ locationMode: 'client_place', boroughs: ['verdun', 'lasalle'] });
    const moved = await t.app.inject({ method: 'PATCH', url: `/coops/${coop.id}`, headers: admin.auth, payload: { region: 'lachine' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await found('borough=lachine')).toContain(shop.id);
    expect(await found('borough=verdun')).not.toContain(shop.id);
    expect(await found('borough=verdun')).toContain(visiting.id);
    expect(await found('borough=lachine')).not.toContain(visiting.id);
    const shown = await t.app.inject({ method: 'GET', url: `/listings/${shop.id}` });
    expect(shown.json().boroughs).toEqual(['lachine']);
  });

  it("leaving the co-op's premises asks for the boroughs served; arriving there takes the co-op's region", async () => {
    const shop = await publish({ locationMode: 'at_coop' });
    const region = (await t.app.inject({ method: 'GET', url: `/coops/${coop.id}` })).json().region as string;
    const noBorough = await patch(shop.id, { locationMode: 'client_place' });
    expect(errorOf(noBorough).fields).toEqual({ boroughs: [expect.objectContaining({ code: 'choose_borough' })] });
    const out = await patch(shop.id, { locationMode: 'client_place', boroughs: ['outremont'] });
    expect(out.json().boroughs).toEqual(['outremont']);
    expect(await found(`borough=${region}`)).not.toContain(shop.id);
    const back = await patch(shop.id, { locationMode: 'at_coop' });
    expect(back.json().boroughs).toEqual([region]);
    expect(await found('borough=outremont')).not.toContain(shop.id);
    const retitled = await patch(shop.id, { titleFr: 'Atelier ouvert', boroughs: ['anjou'] });
    expect(retitled.json()).toMatchObject({ titleFr: 'Atelier ouvert', boroughs: [region] });
  });
});

describe('migration 0013', () => {
  it("gives the listings held at a co-op the co-op's region, and leaves the others alone", async () => {
    const shop = await publish({ locationMode: 'at_coop' });
    const visiting = await publish({ locationMode: 'client_place', boroughs: ['anjou'] });
    await t.database.sql`UPDATE listings SET boroughs = '{}' WHERE id = ${shop.id}`;
    const migration = readFileSync(path.join(migrationsFolder, '0013_at_coop_boroughs.sql'), 'utf8');
    await t.database.sql.unsafe(migration);
    const rows = await t.database.sql<{ id: string; boroughs: string[] }[]>`
      SELECT id, boroughs FROM listings WHERE id IN (${shop.id}, ${visiting.id}) ORDER BY id = ${shop.id} DESC`;
    const region = (await t.app.inject({ method: 'GET', url: `/coops/${coop.id}` })).json().region as string;
    expect(rows.map((r) => r.boroughs)).toEqual([[region], ['anjou']]);
  });
});
