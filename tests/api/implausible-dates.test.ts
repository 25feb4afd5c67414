/**
 * Dates no one means ("0000-01-01", "9999-12-31T23:59:59Z") reached PostgreSQL, which cannot hold
 * the day either side of them, and answered 500, without sign-in on the slots route. They are bad
 * input: a 400 naming the field, on every route that takes a date, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedCoop, bookingBody, hourFromNow, publishListing, setSchedule } from '../support/fixtures.js';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
let steward: SignedIn;
let admin: SignedIn;
let client: SignedIn;
let listingId: string;
let bookingId: string;

const FAR = ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1899-12-31T12:00:00Z', '2201-01-01T00:00:00Z'];

beforeAll(async () => {
  t = await createTestApp();
  [steward, admin, client] = [await signUp(t.app), await signUp(t.app), await signUp(t.app)];
  await makeSteward(t, steward.userId);
  const coop = await approvedCoop(t, steward, admin);
  listingId = (await publishListing(t, admin, coop.id)).id;
  await setSchedule(t, admin, listingId);
  const booked = await t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: bookingBody(listingId, hourFromNow(30)) });
  expect(booked.statusCode, booked.body).toBe(201);
  bookingId = booked.json().id;
});
afterAll(() => t?.close());

const count = async (table: string) => Number((await t.database.sql.unsafe(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

describe('dates no one means', () => {
  it.each(FAR)('are a 400 on the public slots route, not a 500 (%s)', async (from) => {
    const to = from.startsWith('9') || from.startsWith('22') ? '9999-12-31T23:59:59Z' : '0000-02-01T00:00:00Z';
    const res = await t.app.inject({ url: `/listings/${listingId}/slots?from=${from}&to=${to}` });
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).fields).toHaveProperty('from');
  });

  it('are a 400 on booking and rescheduling, and no booking is made', async () => {
    const before = await count('bookings');
    for (const startsAt of FAR) {
      const res = await t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: bookingBody(listingId, startsAt) });
      expect(res.statusCode, `${startsAt}: ${res.body}`).toBe(400);
      expect(errorOf(res).fields).toHaveProperty('startsAt');
      const moved = await t.app.inject({ method: 'POST', url: `/bookings/${bookingId}/reschedule`, headers: client.auth, payload: { startsAt } });
      expect(moved.statusCode, `${startsAt}: ${moved.body}`).toBe(400);
    }
    expect(await count('bookings')).toBe(before);
  });

  it("are a 400 on the steward's books and votes, and nothing is recorded", async () => {
    const records = await count('fiscal_records');
    const record = await t.app.inject({
      method: 'POST', url: '/steward/fiscal-records', headers: steward.auth,
      payload: { kind: 'expense', occurredOn: '0000-01-01', category: 'Essai', amountCents: 100 },
    });
    expect(record.statusCode, record.body).toBe(400);
    expect(errorOf(record).fields).toHaveProperty('occurredOn');
    expect(await count('fiscal_records')).toBe(records);

    const proposal = await t.app.inject({
      method: 'POST', url: '/steward/proposals', headers: steward.auth,
      payload: { kind: 'resolution', title: 'Essai', body: 'Essai', opensAt: '0000-01-01T00:00:00Z', closesAt: '9999-12-31T23:59:59Z' },
    });
    expect(proposal.statusCode, proposal.body).toBe(400);
    expect(Object.keys(errorOf(proposal).fields ?? {}).sort()).toEqual(['closesAt', 'opensAt']);
  });

  it('still take any date people plan with', async () => {
    const res = await t.app.inject({ url: `/listings/${listingId}/slots?from=2199-01-01T00:00:00Z&to=2199-01-08T00:00:00Z` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().slots).toEqual([]);
  });
});
