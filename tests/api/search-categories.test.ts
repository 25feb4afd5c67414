import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '@tissu/shared';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { setSchedule } from '../support/fixtures.js';

/**
 * A listing's category names, French and English, are part of its search text, weighted between
 * its titles and its descriptions: "menage" finds a ménage listing whose text never says so.
 */
let t: TestApp;
let admin: SignedIn;
let coopId: string;
const ids: Record<string, string> = {};

async function publish(over: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST', url: `/coops/${coopId}/listings`, headers: admin.auth,
    payload: {
      priceKind: 'hourly', priceCents: 4000, durationMinutes: 120, locationMode: 'client_place', boroughs: ['rosemont-petite-patrie'],
      descriptionFr: 'Une équipe de la coopérative vient chez vous.', descriptionEn: 'A team from the co-op comes to your place.',
      ...over,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await setSchedule(t, admin, res.json().id); // search only finds listings with opening hours
  return res.json().id as string;
}
async function found(q: string): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url: `/listings?q=${encodeURIComponent(q)}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.map((l: { id: string }) => l.id);
}

beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  admin = await signUp(t.app);
  const res = await t.app.inject({
    method: 'POST', url: '/coops', headers: admin.auth,
    payload: {
      legalName: 'Maisons Propres', legalForm: 'worker_coop', region: 'rosemont-petite-patrie', languages: ['fr', 'en'], foundedYear: 2018,
      descriptionFr: 'Une coopérative de travail en entretien.', descriptionEn: 'A worker co-op in home care.',
    },
  });
  coopId = res.json().id;
  await t.app.inject({ method: 'POST', url: `/coops/${coopId}/approve`, headers: steward.auth });

  ids.named = await publish({ category: 'menage', titleFr: 'Grand ménage de printemps', titleEn: 'Spring deep clean' });
  ids.upkeep = await publish({ category: 'menage', titleFr: 'Entretien de logement', titleEn: 'Apartment upkeep' });
  ids.garden = await publish({
    category: 'jardinage', titleFr: 'Potager en bacs', titleEn: 'Container vegetable garden',
    descriptionFr: 'On fait aussi le ménage du cabanon.', descriptionEn: 'We also tidy up the shed.',
  });
});
afterAll(() => t.close());

describe('category names in the search text', () => {
  it("finds a listing by its category's French or English name", async () => {
    for (const q of ['menage', 'ménage', 'home cleaning']) expect(await found(q), q).toContain(ids.upkeep);
    expect(await found('jardinage')).toEqual([ids.garden]);
    expect(await found('gardening')).toEqual([ids.garden]);
  });

  it('ranks a title above the category name, and the category name above a description', async () => {
    expect(await found('menage')).toEqual([ids.named, ids.upkeep, ids.garden]);
  });

  it('follows a change of category', async () => {
    const moved = await publish({ category: 'jardinage', titleFr: 'Coup de main saisonnier', titleEn: 'Seasonal help' });
    expect(await found('gardening')).toContain(moved);
    const res = await t.app.inject({ method: 'PATCH', url: `/listings/${moved}`, headers: admin.auth, payload: { category: 'traduction' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await found('gardening')).not.toContain(moved);
    expect(await found('translation')).toEqual([moved]);
  });

  it("the database's names agree with the shared taxonomy", async () => {
    const slugs = [...CATEGORIES.map((c) => c.slug), 'no-such-category'];
    const rows = await t.database.sql<{ slug: string; fr: string; en: string }[]>`
      SELECT slug, tissu_category_label(slug, 'fr') AS fr, tissu_category_label(slug, 'en') AS en FROM unnest(${slugs}::text[]) AS slug`;
    expect(rows).toEqual([...CATEGORIES.map(({ slug, fr, en }) => ({ slug, fr, en })), { slug: 'no-such-category', fr: '', en: '' }]);
  });
});
