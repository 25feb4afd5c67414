/**
 * A listing's discount on regular visits is as public as its price: search answers it on each
 * result, kept by the database from the listing's schedule (set, changed, regular visits dropped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let admin: SignedIn;
let coopId: string;

const discountOf = async (listingId: string, q: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/listings?q=${encodeURIComponent(q)}` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { id: string; seriesDiscountBps: number }[]).find((l) => l.id === listingId)?.seriesDiscountBps;
};

beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  admin = await signUp(t.app);
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Rabais')).id;
});
afterAll(() => t.close());

describe('the regular-visit discount on search results', () => {
  it('follows the schedule: its discount while it takes regular visits, 0 otherwise', async () => {
    const { id } = await publishListing(t, admin, coopId, { titleFr: 'Ménage hebdomadaire Zéphyrin', titleEn: 'Weekly cleaning Zephyrin' });
    await setSchedule(t, admin, id, { seriesFrequencies: ['weekly', 'every_2_weeks'], seriesDiscountBps: 1000 });
    expect(await discountOf(id, 'Zéphyrin')).toBe(1000);
    await setSchedule(t, admin, id, { seriesFrequencies: ['weekly'], seriesDiscountBps: 750 });
    expect(await discountOf(id, 'Zéphyrin')).toBe(750);
    // No regular visits any more: the discount left in the schedule is offered to nobody.
    await setSchedule(t, admin, id, { seriesFrequencies: [], seriesDiscountBps: 750 });
    expect(await discountOf(id, 'Zéphyrin')).toBe(0);
  });

  it('is on the listing and the co-op listings too, from the same column', async () => {
    const { id } = await publishListing(t, admin, coopId, { titleFr: 'Ménage régulier Ulrich', titleEn: 'Regular cleaning Ulrich' });
    await setSchedule(t, admin, id, { seriesFrequencies: ['weekly'], seriesDiscountBps: 500 });
    expect((await t.app.inject({ method: 'GET', url: `/listings/${id}` })).json().seriesDiscountBps).toBe(500);
    const mine = (await t.app.inject({ method: 'GET', url: `/coops/${coopId}/listings` })).json().items.find((l: { id: string }) => l.id === id);
    expect(mine.seriesDiscountBps).toBe(500);
  });
});

describe('finding the services that take regular visits', () => {
  it('`regular=true` keeps to them, with or without a discount, and follows the schedule', async () => {
    const taking = await publishListing(t, admin, coopId, { titleFr: 'Ménage Quirin hebdo', titleEn: 'Quirin weekly cleaning' });
    const plain = await publishListing(t, admin, coopId, { titleFr: 'Ménage Quirin unique', titleEn: 'Quirin one-off cleaning' });
    await setSchedule(t, admin, taking.id, { seriesFrequencies: ['weekly'], seriesDiscountBps: 0 });
    await setSchedule(t, admin, plain.id, {});
    const found = async (url: string) => {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id: string; takesSeries: boolean }[]).map((l) => [l.id, l.takesSeries]);
    };
    expect(await found('/listings?q=Quirin')).toEqual(expect.arrayContaining([[taking.id, true], [plain.id, false]]));
    expect(await found('/listings?q=Quirin&regular=true')).toEqual([[taking.id, true]]);
    await setSchedule(t, admin, taking.id, { seriesFrequencies: [] });
    expect(await found('/listings?q=Quirin&regular=true')).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/listings?regular=maybe' })).statusCode).toBe(400);
  });
});
