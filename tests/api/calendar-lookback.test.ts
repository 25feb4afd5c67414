/**
 * A calendar read looks back from its window only as far as a booking can hold its unit (the
 * longest service and the longest buffer, MAX_HOLD_MINUTES): it no longer reads every booking the
 * listing ever had. That bound is only right while the database refuses a longer hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUFFER_MINUTES, MAX_DURATION_MINUTES, MAX_HOLD_MINUTES } from '@tissu/shared';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let admin: SignedIn, client: SignedIn;
let coopId: string, listingId: string;
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  [admin, client] = [await signUp(t.app), await signUp(t.app)];
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin)).id;
  listingId = (await publishListing(t, admin, coopId, { durationMinutes: 60 })).id;
  await setSchedule(t, admin, listingId, { horizonDays: 60 });
});
afterAll(() => t.close());

const insertHold = (startsAt: Date, holdMinutes: number) => t.database.sql`
  INSERT INTO bookings (listing_id, coop_id, client_id, state, starts_at, ends_at, blocked_until, unit, time_zone, duration_minutes,
                        regular_price_cents, price_cents, contact_name, contact_email, free_cancellation_hours, late_cancellation_percent)
  VALUES (${listingId}, ${coopId}, ${client.userId}, 'paid', ${startsAt.toISOString()}, ${new Date(startsAt.getTime() + MAX_DURATION_MINUTES * 60_000).toISOString()},
          ${new Date(startsAt.getTime() + holdMinutes * 60_000).toISOString()}, 0, 'America/Toronto', ${MAX_DURATION_MINUTES}, 12000, 12000, 'Claire', 'c@example.org', 24, 50)`;

describe('how far back a calendar read looks', () => {
  it('the database refuses a booking that would hold its unit longer than the longest service and buffer', async () => {
    expect(MAX_HOLD_MINUTES).toBe(MAX_DURATION_MINUTES + MAX_BUFFER_MINUTES);
    const start = new Date(Math.ceil(Date.now() / HOUR) * HOUR + 400 * 24 * HOUR);
    await expect(insertHold(start, MAX_HOLD_MINUTES + 1)).rejects.toMatchObject({ constraint_name: 'bookings_hold_span' });
  });

  it('a two-week booking begun long before the hours asked for still takes the hour it runs into', async () => {
    // It ends one hour into the window: it began 13 days and 23 hours before it.
    const window = new Date(Math.ceil(Date.now() / HOUR) * HOUR + 20 * 24 * HOUR);
    await insertHold(new Date(window.getTime() + HOUR - MAX_DURATION_MINUTES * 60_000), MAX_DURATION_MINUTES);
    const res = await t.app.inject({ method: 'GET', url: `/listings/${listingId}/slots?from=${window.toISOString()}&to=${new Date(window.getTime() + 3 * HOUR).toISOString()}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().slots.map((s: { start: string }) => s.start)).toEqual([1, 2].map((h) => new Date(window.getTime() + h * HOUR).toISOString()));
  });
});
