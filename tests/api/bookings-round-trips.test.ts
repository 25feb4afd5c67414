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
  it('reads its listing, co-op, client and questions in one statement, and sends seven in all', async () => {
    const questionId = ((await t.database.sql`SELECT id FROM listing_questions WHERE listing_id = ${listingId}`)[0]!).id as string;
    const { booking, sent } = await statementsOfCreate({ answers: [{ questionId, value: true }] });
    expect(booking.state).toBe('requested');
    expect(booking.answers).toHaveLength(1);
    // The listing's read carries its questions: no statement reads them alone.
    expect(sent.filter((q) => /listing_questions/.test(q)), sent.join('\n\n')).toHaveLength(1);
    expect(sent[0]).toMatch(/listing_questions/);
    // No add-on chosen, no saved address: nothing read or written for them.
    expect(sent.filter((q) => /listing_addons|booking_addons|saved_addresses|client_addresses/.test(q)), sent.join('\n\n')).toEqual([]);
    // In three round trips between BEGIN and COMMIT: the listing; the locks, then the busy times and
    // the open bookings read under them (sent together); the insert, its event and its emails (the
    // client's and the admins', one statement), sent together.
    expect(sent.map((q) => q.trim().slice(0, 40).replace(/\s+/g, ' ')), sent.join('\n\n')).toEqual([
      expect.stringMatching(/^select "listings"/),
      expect.stringMatching(/pg_advisory_xact_lock/),
      expect.stringMatching(/^SELECT json_build_object/),
      expect.stringMatching(/^select count/),
      expect.stringMatching(/^insert into "bookings"/),
      expect.stringMatching(/^insert into "booking_events"/),
      expect.stringMatching(/^insert into "?outbox/i),
    ]);
  });

  it('answers 409 and writes nothing when the database refuses the insert sent with its event and emails', async () => {
    const questionId = ((await t.database.sql`SELECT id FROM listing_questions WHERE listing_id = ${listingId}`)[0]!).id as string;
    const { booking: first } = await statementsOfCreate({ answers: [{ questionId, value: true }] });
    const someone = await signUp(t.app);
    const startsAt = hourFromNow(hour++);
    // A booking written past the application (a script holding no lock), not yet committed when the
    // request reads the busy times, on the unit the request will pick: its insert waits on it, then
    // the exclusion constraint refuses it.
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let inserted!: () => void;
    const written = new Promise<void>((r) => { inserted = r; });
    const script = t.database.sql.begin(async (tx) => {
      await tx`INSERT INTO bookings (listing_id, coop_id, client_id, state, starts_at, ends_at, blocked_until, unit, time_zone, duration_minutes, regular_price_cents, price_cents, contact_name, contact_email, free_cancellation_hours, late_cancellation_percent)
        SELECT listing_id, coop_id, client_id, 'accepted', ${startsAt}::timestamptz, ${startsAt}::timestamptz + interval '1 hour', ${startsAt}::timestamptz + interval '1 hour', 0, time_zone, 60, price_cents, price_cents, contact_name, contact_email, 24, 50
        FROM bookings WHERE id = ${first.id}`;
      inserted();
      await held;
    });
    await written;
    const before = await t.database.sql`SELECT (SELECT count(*) FROM booking_events)::int AS events, (SELECT count(*) FROM outbox)::int AS emails`;
    const request = t.app.inject({ method: 'POST', url: '/bookings', headers: someone.auth, payload: bookingBody(listingId, startsAt, { answers: [{ questionId, value: false }] }) });
    await new Promise((r) => setTimeout(r, 300));
    release();
    await script;
    const res = await request;
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('slot_unavailable');
    const after = await t.database.sql`SELECT (SELECT count(*) FROM booking_events)::int AS events, (SELECT count(*) FROM outbox)::int AS emails`;
    expect(after).toEqual(before);
  });

  it('is made as usual after a migration changed a column its named statements return, while the API served', async () => {
    const questionId = ((await t.database.sql`SELECT id FROM listing_questions WHERE listing_id = ${listingId}`)[0]!).id as string;
    // Each by a new client (a client holds at most three open bookings of a listing).
    const book = async () => t.app.inject({ method: 'POST', url: '/bookings', headers: (await signUp(t.app)).auth, payload: bookingBody(listingId, hourFromNow(hour++), { answers: [{ questionId, value: true }] }) });
    for (let i = 0; i < 3; i++) {
      const res = await book();
      expect(res.statusCode, res.body).toBe(201);
    }
    try {
      await t.database.sql`ALTER TABLE bookings ALTER COLUMN entry_notes TYPE varchar(3000)`;
      for (let i = 0; i < 3; i++) {
        const res = await book();
        expect(res.statusCode, res.body).toBe(201);
      }
    } finally {
      await t.database.sql`ALTER TABLE bookings ALTER COLUMN entry_notes TYPE text`;
    }
  });

  it('still refuses answers that do not fit the questions read with the listing', async () => {
    await expect(statementsOfCreate({ answers: [] })).rejects.toMatchObject({ statusCode: 400 });
  });
});
