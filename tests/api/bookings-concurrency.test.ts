import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, onboardCoop, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let clients: SignedIn[];
let listingId: string;
let longListingId: string;
let multiDayListingId: string;

beforeAll(async () => {
  t = await createTestApp();
  const [steward, admin] = [await signUp(t.app), await signUp(t.app)];
  await makeSteward(t, steward.userId);
  const coop = await approvedCoop(t, steward, admin, 'Trois Équipes');
  await onboardCoop(t, admin, coop.id);
  listingId = (await publishListing(t, admin, coop.id)).id;
  await setSchedule(t, admin, listingId, { capacity: 2, instantBooking: true });
  longListingId = (await publishListing(t, admin, coop.id, { durationMinutes: 180 })).id;
  await setSchedule(t, admin, longListingId, { capacity: 1, bufferMinutes: 60, instantBooking: true });
  multiDayListingId = (await publishListing(t, admin, coop.id, { durationMinutes: 50 * 60 })).id;
  await setSchedule(t, admin, multiDayListingId, { capacity: 1, instantBooking: true });
  clients = await Promise.all(Array.from({ length: 50 }, () => signUp(t.app)));
});
afterAll(() => t.close());

describe('no double booking, decided by PostgreSQL', () => {
  it('50 clients at once on one slot of a capacity-2 listing: exactly 2 get it, 48 get a clear 409', async () => {
    const startsAt = hourFromNow(48);
    const responses = await Promise.all(
      clients.map((c) => t.app.inject({ method: 'POST', url: '/bookings', headers: c.auth, payload: bookingBody(listingId, startsAt) })),
    );
    const codes = responses.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(2);
    expect(codes.filter((c) => c === 409)).toHaveLength(48);
    for (const r of responses.filter((r) => r.statusCode === 409)) {
      expect(r.json().error.code).toBe('slot_unavailable');
      expect(r.json().error.message).toMatch(/choose/i);
    }
    const rows = await t.database.sql`SELECT unit FROM bookings WHERE listing_id = ${listingId} AND starts_at = ${startsAt} ORDER BY unit`;
    expect(rows.map((r) => r.unit)).toEqual([0, 1]);
    // Nothing half-written: one history row and two messages per booking that exists, none for the refused.
    const [{ events }] = (await t.database.sql`SELECT count(*)::int AS events FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE b.listing_id = ${listingId}`) as unknown as [{ events: number }];
    expect(events).toBe(2);
    const [{ orphans }] = (await t.database.sql`SELECT count(*)::int AS orphans FROM outbox o WHERE o.payload ? 'bookingId' AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id::text = o.payload->>'bookingId')`) as unknown as [{ orphans: number }];
    expect(orphans).toBe(0);
    const slots = await t.app.inject({ method: 'GET', url: `/listings/${listingId}/slots?from=${encodeURIComponent(startsAt)}&to=${encodeURIComponent(hourFromNow(49))}` });
    expect(slots.json().slots.map((s: { start: string }) => s.start)).not.toContain(startsAt);
  });

  it('many slots wanted at once (50 clients over 5 slots): each slot gets exactly its 2, nobody waits forever', async () => {
    // Before the per-listing lock, two inserts into one unit could wait on each other inside
    // savepoints without PostgreSQL ever breaking the wait: whole requests hung (seen with two API
    // instances). Now each slot must be decided, promptly, for every client.
    const starts = [72, 73, 74, 75, 76].map((h) => hourFromNow(h));
    const responses = await Promise.all(
      clients.map((c, i) => t.app.inject({ method: 'POST', url: '/bookings', headers: c.auth, payload: bookingBody(listingId, starts[i % starts.length]!) })),
    );
    for (const [k, startsAt] of starts.entries()) {
      const mine = responses.filter((_, i) => i % starts.length === k).map((r) => r.statusCode).sort();
      expect(mine, startsAt).toEqual([201, 201, ...Array(8).fill(409)]);
      const rows = await t.database.sql`SELECT unit FROM bookings WHERE listing_id = ${listingId} AND starts_at = ${startsAt} ORDER BY unit`;
      expect(rows.map((r) => r.unit)).toEqual([0, 1]);
    }
  });

  it('a booking made earlier for a later time does not hide the unit a slot still has free', async () => {
    // The free units were read in the table's order while the scan stopped at the first booking
    // starting after the slot: a later visit booked first hid the earlier one, so the second
    // client of the earlier slot was sent to the taken unit and refused.
    const [earlier, later0] = [hourFromNow(88), hourFromNow(90)];
    const later = await t.app.inject({ method: 'POST', url: '/bookings', headers: clients[0]!.auth, payload: bookingBody(listingId, later0) });
    expect(later.statusCode, later.body).toBe(201);
    const first = await t.app.inject({ method: 'POST', url: '/bookings', headers: clients[1]!.auth, payload: bookingBody(listingId, earlier) });
    expect(first.statusCode, first.body).toBe(201);
    const second = await t.app.inject({ method: 'POST', url: '/bookings', headers: clients[2]!.auth, payload: bookingBody(listingId, earlier) });
    expect(second.statusCode, second.body).toBe(201);
    const rows = await t.database.sql`SELECT unit FROM bookings WHERE listing_id = ${listingId} AND starts_at = ${earlier} ORDER BY unit`;
    expect(rows.map((r) => r.unit)).toEqual([0, 1]);
  });

  it('overlapping visits that start at different hours are still decided one at a time', async () => {
    // Each booking locks the hours it holds: a 3-hour visit at h and one at h+2 share hour h+2.
    const starts = [hourFromNow(100), hourFromNow(102), hourFromNow(104)];
    const rows = await Promise.all(clients.slice(0, 30).map((c, i) =>
      t.app.inject({ method: 'POST', url: '/bookings', headers: c.auth, payload: bookingBody(longListingId, starts[i % 3]!) })));
    const won = rows.filter((r) => r.statusCode === 201).map((r) => r.json().startsAt as string);
    expect(rows.every((r) => r.statusCode === 201 || (r.statusCode === 409 && r.json().error.code === 'slot_unavailable')), rows.map((r) => r.body).join()).toBe(true);
    // Capacity 1 and 3-hour visits with a 1-hour buffer: h and h+2 overlap, as do h+2 and h+4; h and h+4 do not.
    expect([[starts[1]], [starts[0], starts[2]]]).toContainEqual([...won].sort());
    const overlapping = await t.database.sql`SELECT count(*)::int AS n FROM bookings a JOIN bookings b ON a.listing_id = b.listing_id AND a.id < b.id
      AND tstzrange(a.starts_at, a.blocked_until) && tstzrange(b.starts_at, b.blocked_until) WHERE a.listing_id = ${longListingId}`;
    expect(overlapping[0]!.n).toBe(0);
  });

  it('visits longer than two days (the listing-wide lock) are decided one at a time too', async () => {
    const starts = [hourFromNow(200), hourFromNow(230)];
    const rows = await Promise.all(clients.slice(0, 10).map((c, i) =>
      t.app.inject({ method: 'POST', url: '/bookings', headers: c.auth, payload: bookingBody(multiDayListingId, starts[i % 2]!) })));
    expect(rows.map((r) => r.statusCode).sort(), rows.map((r) => r.body).join()).toEqual([201, ...Array(9).fill(409)]);
  });

  it('the database refuses an overlapping insert even when application code is bypassed', async () => {
    const startsAt = hourFromNow(60);
    // Someone new: clients[0] may already hold OPEN_BOOKINGS_PER_LISTING of this listing from the tests above.
    const ok = await t.app.inject({ method: 'POST', url: '/bookings', headers: (await signUp(t.app)).auth, payload: bookingBody(listingId, startsAt) });
    expect(ok.statusCode).toBe(201);
    const b = ok.json();
    await expect(
      t.database.sql`INSERT INTO bookings (listing_id, coop_id, client_id, state, starts_at, ends_at, blocked_until, unit, time_zone, duration_minutes, regular_price_cents, price_cents, contact_name, contact_email, free_cancellation_hours, late_cancellation_percent)
        SELECT listing_id, coop_id, client_id, 'accepted', starts_at + interval '30 minutes', ends_at + interval '30 minutes', blocked_until + interval '30 minutes', unit, time_zone, duration_minutes, regular_price_cents, price_cents, contact_name, contact_email, 24, 50 FROM bookings WHERE id = ${b.id}`,
    ).rejects.toThrow(/bookings_no_overlap/);
  });
});
