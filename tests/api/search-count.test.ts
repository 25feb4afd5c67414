import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_TOTAL_CAP } from '@tissu/shared';
import { createTestApp, signUp, type TestApp } from '../support/test-app.js';

/**
 * Search counts its matches up to SEARCH_TOTAL_CAP (1 000) and says when there are more, in the
 * statement that finds the page: 1 000 listings about knitting (exactly the cap), 1 001 about
 * sewing (one more), inserted in bulk with weekly hours.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const u = await signUp(t.app);
  const sql = t.database.sql;
  await sql`
    INSERT INTO coops (slug, legal_name, legal_form, region, languages, description_fr, description_en, founded_year, status, created_by)
    VALUES ('atelier-fil', 'Atelier du fil', 'worker_coop', 'verdun', ARRAY['fr','en'], 'Coopérative', 'Co-op', 2010, 'approved', ${u.userId})`;
  await sql`
    INSERT INTO listings (coop_id, title_fr, title_en, description_fr, description_en, category, price_kind, price_cents,
      duration_minutes, location_mode, boroughs, created_at)
    SELECT c.id, CASE WHEN g <= 1000 THEN 'Tricot ' ELSE 'Couture ' END || g, CASE WHEN g <= 1000 THEN 'Knitting ' ELSE 'Sewing ' END || g,
      'Un atelier de la coopérative.', 'A workshop of the co-op.', 'tutorat', 'fixed', 1000 + g, 60, 'at_coop', ARRAY['verdun'],
      now() - g * interval '1 second'
    FROM generate_series(1, 2001) g, coops c WHERE c.slug = 'atelier-fil'`;
  // A statement's worth of schedules: the trigger marks them all as having weekly hours.
  await sql`
    INSERT INTO listing_schedules (listing_id, weekly)
    SELECT id, '[{"weekday":1,"start":"09:00","end":"17:00"}]'::jsonb FROM listings`;
  await sql`ANALYZE`;
});
afterAll(() => t.close());

interface Page {
  items: { id: string }[];
  total: number;
  totalCapped: boolean;
  nextCursor: string | null;
}
async function search(query: string): Promise<Page> {
  const res = await t.app.inject({ method: 'GET', url: `/listings?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('the count of matches', () => {
  it('is exact up to the cap', async () => {
    expect(SEARCH_TOTAL_CAP).toBe(1000);
    const page = await search('q=tricot');
    expect(page).toMatchObject({ total: 1000, totalCapped: false });
    expect(page.items).toHaveLength(20);
    expect(await search('q=tricot&sort=price_desc')).toMatchObject({ total: 1000, totalCapped: false });
  });

  it('stops at the cap and says there are more, in every order and on every page', async () => {
    for (const query of ['q=couture', 'q=sewing&sort=newest', 'sort=price_asc', 'category=tutorat', 'borough=verdun']) {
      const first = await search(query);
      expect(first, query).toMatchObject({ total: 1000, totalCapped: true });
      const second = await search(`${query}&cursor=${first.nextCursor}`);
      expect(second, query).toMatchObject({ total: 1000, totalCapped: true });
      expect(second.items).toHaveLength(20);
    }
  });

  it('is zero, with no page, when nothing matches', async () => {
    expect(await search('q=menuiserie')).toEqual({ items: [], total: 0, totalCapped: false, nextCursor: null });
  });

  it('stays on the last page, past the cap, where the cursor ends', async () => {
    // 2 001 listings by price, 50 a page: the 41st page holds the last one and hands no cursor.
    let page = await search('sort=price_asc&limit=50');
    const seen = new Set(page.items.map((i) => i.id));
    let pages = 1;
    while (page.nextCursor) {
      page = await search(`sort=price_asc&limit=50&cursor=${page.nextCursor}`);
      for (const i of page.items) seen.add(i.id);
      expect(page).toMatchObject({ total: 1000, totalCapped: true });
      pages += 1;
    }
    expect(pages).toBe(41);
    expect(page.items).toHaveLength(1);
    expect(seen.size).toBe(2001);
  });
});

describe('weekly hours, as search sees them', () => {
  it('follow the schedule: cleared, the listing leaves search; set again, it comes back', async () => {
    const [one] = await t.database.sql<{ id: string }[]>`SELECT id FROM listings WHERE title_fr = 'Tricot 7'`;
    const found = async () => (await search('q=tricot&limit=50&sort=price_asc')).items.some((i) => i.id === one!.id);
    expect(await found()).toBe(true);
    await t.database.sql`UPDATE listing_schedules SET weekly = '[]' WHERE listing_id = ${one!.id}`;
    expect(await found()).toBe(false);
    expect((await search('q=tricot')).total).toBe(999);
    await t.database.sql`UPDATE listing_schedules SET weekly = '[{"weekday":2,"start":"10:00","end":"12:00"}]' WHERE listing_id = ${one!.id}`;
    expect(await found()).toBe(true);
    await t.database.sql`DELETE FROM listing_schedules WHERE listing_id = ${one!.id}`;
    expect((await search('q=tricot')).total).toBe(999);
    const [row] = await t.database.sql`SELECT has_weekly_hours FROM listings WHERE id = ${one!.id}`;
    expect(row!.has_weekly_hours).toBe(false);
  });
});
