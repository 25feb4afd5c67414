/**
 * One client cannot hold a listing's calendar, or the co-ops' inboxes, with requests: open bookings
 * (requested, or accepted and unpaid) are capped per listing and in all, even when sent at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_BOOKINGS_PER_CLIENT, OPEN_BOOKINGS_PER_LISTING } from '@tissu/shared';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let admin: SignedIn;
let listings: string[];

beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  admin = await signUp(t.app);
  await makeSteward(t, steward.userId);
  const coop = await approvedCoop(t, steward, admin, 'Coop des Créneaux');
  listings = [];
  for (let i = 0; i < 5; i++) {
    const id = (await publishListing(t, admin, coop.id)).id;
    await setSchedule(t, admin, id);
    listings.push(id);
  }
});
afterAll(() => t.close());

const book = (who: SignedIn, listingId: string, startsAt: string) =>
  t.app.inject({ method: 'POST', url: '/bookings', headers: who.auth, payload: bookingBody(listingId, startsAt) });
const outboxOf = async (clientId: string) =>
  (await t.database.sql`SELECT count(*)::int AS n FROM outbox o JOIN bookings b ON b.id::text = o.payload->>'bookingId' WHERE b.client_id = ${clientId}`)[0]!.n as number;

describe('open bookings of one client', () => {
  it(`twenty requests at once for one listing: ${OPEN_BOOKINGS_PER_LISTING} are taken, the rest refused with open_bookings_on_listing`, async () => {
    const client = await signUp(t.app);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => book(client, listings[0]!, hourFromNow(30 + i))));
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(OPEN_BOOKINGS_PER_LISTING);
    for (const r of answers.filter((r) => r.statusCode !== 201)) {
      expect(r.statusCode, r.body).toBe(409);
      expect(errorOf(r).code).toBe('open_bookings_on_listing');
    }
    const rows = await t.database.sql`SELECT state FROM bookings WHERE client_id = ${client.userId}`;
    expect(rows).toHaveLength(OPEN_BOOKINGS_PER_LISTING);
    // Only the bookings made told anyone: the client and the co-op's admin, once each.
    expect(await outboxOf(client.userId)).toBe(OPEN_BOOKINGS_PER_LISTING * 2);

    // Answered (declined), a request stops counting; so does one whose answer window passed.
    const [first, second] = answers.filter((r) => r.statusCode === 201).map((r) => r.json().id as string);
    const declined = await t.app.inject({ method: 'POST', url: `/bookings/${first}/decline`, headers: admin.auth, payload: { reason: 'Complet' } });
    expect(declined.statusCode, declined.body).toBe(200);
    expect((await book(client, listings[0]!, hourFromNow(60))).statusCode).toBe(201);
    expect(errorOf(await book(client, listings[0]!, hourFromNow(61))).code).toBe('open_bookings_on_listing');
    await t.database.sql`UPDATE bookings SET expires_at = now() - interval '1 minute' WHERE id = ${second!}`;
    expect((await book(client, listings[0]!, hourFromNow(62))).statusCode).toBe(201);
  });

  it(`at most ${OPEN_BOOKINGS_PER_CLIENT} open bookings in all, across listings, even sent at once`, async () => {
    const client = await signUp(t.app);
    const answers = await Promise.all(listings.flatMap((id, l) => Array.from({ length: 3 }, (_, i) => book(client, id, hourFromNow(100 + l * 5 + i)))));
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(OPEN_BOOKINGS_PER_CLIENT);
    for (const r of answers.filter((r) => r.statusCode !== 201)) {
      expect(r.statusCode, r.body).toBe(409);
      expect(['open_bookings_limit', 'open_bookings_on_listing']).toContain(errorOf(r).code);
    }
    const perListing = await t.database.sql`SELECT listing_id, count(*)::int AS n FROM bookings WHERE client_id = ${client.userId} GROUP BY listing_id`;
    expect(perListing.every((r) => r.n <= OPEN_BOOKINGS_PER_LISTING)).toBe(true);
    // A listing the client has not booked yet: refused for the total.
    const other = (await publishListing(t, admin, (await t.database.sql`SELECT coop_id FROM listings WHERE id = ${listings[0]!}`)[0]!.coop_id as string)).id;
    await setSchedule(t, admin, other);
    const refused = await book(client, other, hourFromNow(140));
    expect(refused.statusCode, refused.body).toBe(409);
    expect(errorOf(refused).code).toBe('open_bookings_limit');
    expect(errorOf(refused).message).toMatch(/waiting/);
    // Another client is not held up by this one.
    expect((await book(await signUp(t.app), other, hourFromNow(141))).statusCode).toBe(201);
  });
});
