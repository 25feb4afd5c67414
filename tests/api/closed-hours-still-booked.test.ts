import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createTestApp, type SignedIn, type TestApp } from '../support/test-app.js';
import { setSchedule } from '../support/fixtures.js';
import { chargeJobAt, dayBefore, saveCard, seriesPaymentsWorld } from '../support/series-payments-world.js';

/**
 * A co-op closes a day that holds a paid visit: saving the hours does not cancel it (the co-op
 * decides, with its refund), and the answer names it so the page can say so instead of only
 * "saved". Unpaid visits give way to gaps, as before, and are not listed.
 */
let t: TestApp;
let admin: SignedIn, client: SignedIn;
let listingId: string;
let visits: { id: string; starts_at: string }[];
const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' }));

beforeAll(async () => {
  t = await createTestApp();
  ({ admin, client, listingId, visits } = await seriesPaymentsWorld(t, 2));
  await saveCard(t, client);
  expect(await chargeJobAt(t, dayBefore(visits[0]!)).chargeVisit(visits[0]!.id)).toBe('charged');
});
afterAll(() => t.close());

describe('closing days that hold bookings', () => {
  it('names the paid visit left on a closed day, and not the unpaid one it turned into a gap', async () => {
    const day = (v: { starts_at: string }) => DateTime.fromJSDate(new Date(v.starts_at), { zone: 'America/Toronto' }).toISODate()!;
    const res = await t.app.inject({
      method: 'PUT', url: `/listings/${listingId}/schedule`, headers: admin.auth,
      payload: { weekly, horizonDays: 366, seriesFrequencies: ['weekly'], instantBooking: true, exceptions: visits.map((v) => ({ date: day(v), kind: 'closed' })) },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().stillBooked).toEqual([{ id: visits[0]!.id, startsAt: new Date(visits[0]!.starts_at).toISOString(), state: 'paid', seriesId: expect.any(String) }]);
    const [second] = await t.database.sql<{ state: string }[]>`SELECT state FROM bookings WHERE id = ${visits[1]!.id}`;
    expect(second!.state).toBe('cancelled_by_coop');
    await setSchedule(t, admin, listingId, { weekly, horizonDays: 366, seriesFrequencies: ['weekly'], instantBooking: true });
    const reopened = await t.app.inject({ method: 'GET', url: `/listings/${listingId}/schedule` });
    expect(reopened.statusCode).toBe(200);
  });
});
