import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type TestApp } from '../support/test-app.js';
import { setSchedule } from '../support/fixtures.js';

/**
 * 48 listings of one co-op with only three distinct prices, two distinct search texts, and
 * creation times that share a millisecond (and often the microsecond): every sort has long runs
 * of equal keys, which is where keyset pagination skips or repeats rows when the tie-break is off.
 */
const COUNT = 48;
const PRICES = [1000, 2000, 3000];

let t: TestApp;
let coop: { id: string; slug: string };
const titled: string[] = [];
const described: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  const admin = await signUp(t.app);
  const res = await t.app.inject({
    method: 'POST', url: '/coops', headers: admin.auth,
    payload: {
      legalName: 'Coop des pages', legalForm: 'worker_coop', region: 'lachine', languages: ['fr'], foundedYear: 2020,
      descriptionFr: 'Une coopérative pour tester la pagination.', descriptionEn: 'A co-op to test pagination with.',
    },
  });
  coop = res.json();
  await t.app.inject({ method: 'POST', url: `/coops/${coop.id}/approve`, headers: steward.auth });
  for (let i = 0; i < COUNT; i++) {
    const inTitle = i % 2 === 0;
    const created = await t.app.inject({
      method: 'POST', url: `/coops/${coop.id}/listings`, headers: admin.auth,
      payload: {
        titleFr: inTitle ? 'Atelier de jardinage' : 'Atelier du samedi',
        titleEn: inTitle ? 'Gardening workshop' : 'Saturday workshop',
        descriptionFr: inTitle ? 'Un atelier pratique au potager collectif.' : 'Un atelier pratique de jardinage au potager.',
        descriptionEn: 'A hands-on workshop in the community garden.',
        category: 'jardinage', priceKind: 'fixed', priceCents: PRICES[i % PRICES.length], durationMinutes: 90,
        locationMode: 'at_coop',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    await setSchedule(t, admin, created.json().id); // search only finds listings with opening hours
    (inTitle ? titled : described).push(created.json().id);
  }
  // Same millisecond for all, four distinct microseconds: a cursor that kept milliseconds only
  // would skip rows, one that ignored the id would repeat them.
  await t.database.sql`
    UPDATE listings SET created_at = '2025-03-09 12:00:00.123+00'::timestamptz + ((hashtext(id::text) & 3) * interval '1 microsecond')
    WHERE coop_id = ${coop.id}`;
});
afterAll(() => t.close());

interface Page {
  items: { id: string; priceCents: number }[];
  total: number;
  nextCursor: string | null;
}

async function allPages(query: string, limit = 10) {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/listings?coop=${coop.slug}&limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    const page: Page = res.json();
    pages.push(page);
    cursor = page.nextCursor;
    expect(pages.length).toBeLessThanOrEqual(COUNT);
  } while (cursor);
  return { pages, ids: pages.flatMap((p) => p.items.map((i) => i.id)) };
}

async function dbOrder(orderBy: string): Promise<string[]> {
  const rows = await t.database.sql.unsafe(`SELECT id FROM listings WHERE coop_id = $1 ORDER BY ${orderBy}`, [coop.id]);
  return rows.map((r) => r.id as string);
}

describe('keyset pagination through 48 listings, 10 at a time', () => {
  it.each([
    ['price_asc', 'price_cents ASC, id ASC'],
    ['price_desc', 'price_cents DESC, id DESC'],
    ['newest', 'created_at DESC, id DESC'],
  ])('sort=%s: every listing once, in order, no gaps', async (sort, orderBy) => {
    const { pages, ids } = await allPages(`sort=${sort}`);
    expect(pages.map((p) => p.items.length)).toEqual([10, 10, 10, 10, 8]);
    expect(pages.every((p) => p.total === COUNT)).toBe(true);
    expect(new Set(ids).size).toBe(COUNT);
    expect(ids).toEqual(await dbOrder(orderBy));
    expect(pages.at(-1)!.nextCursor).toBeNull();
  });

  it('sort=relevance: title matches first, equal ranks by id, every listing once', async () => {
    const { pages, ids } = await allPages('q=jardinage&sort=relevance');
    expect(pages[0]!.total).toBe(COUNT);
    expect(new Set(ids).size).toBe(COUNT);
    expect(ids).toEqual([...titled.sort(), ...described.sort()]);
  });

  it('relevance without words means newest', async () => {
    const { ids } = await allPages('sort=relevance');
    expect(ids).toEqual(await dbOrder('created_at DESC, id DESC'));
  });

  it('a page size that divides the total ends without an empty extra page', async () => {
    const { pages } = await allPages('sort=price_asc', 16);
    expect(pages.map((p) => p.items.length)).toEqual([16, 16, 16]);
  });

  it('filters and pages together', async () => {
    const { ids } = await allPages('sort=price_desc&maxPrice=2000', 7);
    expect(ids).toHaveLength(32);
    expect(new Set(ids).size).toBe(32);
  });
});

describe('cursors', () => {
  async function firstCursor(query: string): Promise<string> {
    const res = await t.app.inject({ method: 'GET', url: `/listings?coop=${coop.slug}&limit=5&${query}` });
    return res.json().nextCursor;
  }
  const get = (query: string) => t.app.inject({ method: 'GET', url: `/listings?coop=${coop.slug}&limit=5&${query}` });

  it('refuses a garbled, forged or edited cursor with 400 naming the field', async () => {
    const cursor = await firstCursor('sort=price_asc');
    const forged = Buffer.from(JSON.stringify({ sort: 'price_asc', key: 0, id: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
    const flipped = cursor.slice(0, -3) + (cursor.at(-3) === 'A' ? 'B' : 'A') + cursor.slice(-2);
    const raw = Buffer.from(cursor, 'base64url');
    raw[raw.length - 3]! ^= 1; // one bit of the JSON part
    for (const bad of ['abc', 'not!base64', forged, flipped, raw.toString('base64url'), 'A'.repeat(500)]) {
      const res = await get(`sort=price_asc&cursor=${encodeURIComponent(bad)}`);
      expect(res.statusCode, `cursor ${JSON.stringify(bad)}`).toBe(400);
      expect(Object.keys(errorOf(res).fields!), bad).toEqual(['cursor']);
    }
    expect((await get(`sort=price_asc&cursor=${'A'.repeat(501)}`)).statusCode).toBe(400);
    // An empty cursor (a form field left blank) is the first page.
    expect((await get('sort=price_asc&cursor=')).json().items).toHaveLength(5);
  });

  it('refuses a cursor from another sort order', async () => {
    const cursor = await firstCursor('sort=price_asc');
    const res = await get(`sort=newest&cursor=${cursor}`);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).message).toMatch(/another sort/);
  });

  it('a relevance cursor survives the round trip of its floating-point rank', async () => {
    const cursor = await firstCursor('q=jardinage');
    const res = await get(`q=jardinage&cursor=${cursor}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(5);
  });

  it('refuses a limit outside 1..50', async () => {
    expect((await get('limit=0')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/listings?limit=51' })).statusCode).toBe(400);
  });
});
