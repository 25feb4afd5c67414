import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@tissu/db';
import { CreateBookingBody } from '@tissu/shared';
import { createBookingsService } from '../../server/src/modules/bookings/service.js';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, publishListing, setSchedule } from '../support/fixtures.js';

/**
 * What a new booking costs the database (issue 11: booking creation is bound by round trips).
 * The statements the bookings service sends are counted with drizzle's logger; the transaction's
 * BEGIN and COMMIT come on top. A booking that uses none of issue 16's fields (no add-on, no saved
 * address) sends no statement for them, and the listing's questions come with the listing.
 */
let t: TestApp;
let client: SignedIn;
let listingId: string;
let hour = 40;

beforeAll(async () => {
  t = await createTestApp();
  const [steward, admin] = await Promise.all([signUp(t.app), signUp(t.app)]);
  client = await signUp(t.app);
  await makeSteward(t, steward.userId);
  const coopId = (await approvedCoop(t, steward, admin, 'Coop Allers-Retours')).id;
  listingId = (await publishListing(t, admin, coopId, { priceKind: 'fixed', priceCents: 9000, durationMinutes: 60 })).id;
  await setSchedule(t, admin, listingId, { capacity: 10 });
  const res = await t.app.inject({
    method: 'PUT', url: `/listings/${listingId}/questions`, headers: admin.auth,
    payload: { questions: [{ kind: 'yes_no', labelFr: 'Des animaux ?', labelEn: 'Any pets?', required: true }] },
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(() => t.close());

async function statementsOfCreate(over: Record<string, unknown>) {
  const sent: string[] = [];
  const db = drizzle(t.database.sql, { schema, logger: { logQuery: (query) => sent.push(query) } });
  const bookings = createBookingsService({ db, paymentWindowHours: 48 });
  const actor = { userId: client.userId, sessionId: 'round-trips', isSteward: false, emailVerified: true };
  const body = CreateBookingBody.parse(bookingBody(listingId, hourFromNow(hour++), over));
  return { booking: await bookings.create(actor, body), sent };
}

describe('a new booking', () => {
  it('reads its listing, co-op, client and questions in one statement, and sends eight in all', async () => {
    const questionId = ((await t.database.sql`SELECT id FROM listing_questions WHERE listing_id = ${listingId}`)[0]!).id as string;
    const { booking, sent } = await statementsOfCreate({ answers: [{ questionId, value: true }] });
    expect(booking.state).toBe('requested');
    expect(booking.answers).toHaveLength(1);
    // The listing's read carries its questions: no statement reads them alone.
    expect(sent.filter((q) => /listing_questions/.test(q)), sent.join('\n\n')).toHaveLength(1);
    expect(sent[0]).toMatch(/listing_questions/);
    // No add-on chosen, no saved address: nothing read or written for them.
    expect(sent.filter((q) => /listing_addons|booking_addons|saved_addresses|client_addresses/.test(q)), sent.join('\n\n')).toEqual([]);
    // In four round trips between BEGIN and COMMIT: the listing; the locks, then the busy times and
    // the open bookings read under them (sent together); the insert; its event and outbox rows (together).
    expect(sent.map((q) => q.trim().slice(0, 40).replace(/\s+/g, ' ')), sent.join('\n\n')).toEqual([
      expect.stringMatching(/^select "listings"/),
      expect.stringMatching(/pg_advisory_xact_lock/),
      expect.stringMatching(/^SELECT json_build_object/),
      expect.stringMatching(/^select count/),
      expect.stringMatching(/^insert into "bookings"/),
      expect.stringMatching(/^insert into "booking_events"/),
      expect.stringMatching(/^insert into "outbox"/),
      expect.stringMatching(/^insert into "outbox"/),
    ]);
  });

  it('still refuses answers that do not fit the questions read with the listing', async () => {
    await expect(statementsOfCreate({ answers: [] })).rejects.toMatchObject({ statusCode: 400 });
  });
});
