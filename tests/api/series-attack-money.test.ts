import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { moveToStarted, setSchedule } from '../support/fixtures.js';
import { chargeJobAt, dayBefore, saveCard, seriesPaymentsWorld } from '../support/series-payments-world.js';
import { createBookingPayments } from '../../server/src/flows/booking-payments.js';
import { visitsToCharge } from '../../server/src/modules/payments/repository.js';

/**
 * What an attack on regular visits found: money taken or returned for the wrong visit, a team
 * losing the visit it did, a lapsed request accepted, a series sent twice, and a deadlock between
 * the co-op's hours and a client's change.
 */
let t: TestApp;
let admin: SignedIn, steward: SignedIn;
let listingId: string, coopId: string;
let clock = Date.now();
const Z = 'America/Toronto';
const HOUR = 3_600_000;
const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
type Visit = { id: string; series_date: string; state: string; starts_at: string };
const visitsOf = async (seriesId: string) => [...await t.database.sql<Visit[]>`
  SELECT id, series_date::text, state, starts_at::text FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at, created_at`];
const ledgerOk = async () => (await inject('GET', '/steward/ledger/check', steward)).json().ok;
const body = (startsAt: DateTime, over: Record<string, unknown> = {}) => ({
  listingId, startsAt: startsAt.toUTC().toISO(), frequency: 'weekly', count: 4, address: '1 rue Rachel', contactName: 'Claire', contactEmail: 'claire@example.org', ...over,
});
const hours = (over: Record<string, unknown> = {}) => ({
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })), horizonDays: 366, minNoticeMinutes: 0,
  seriesFrequencies: ['weekly'], instantBooking: true, capacity: 20, freeCancellationHours: 24, lateCancellationPercent: 50, requestTtlHours: 48, ...over,
});
const at = (v: Visit) => Date.parse(v.starts_at.replace(' ', 'T').replace(/\+00$/, 'Z'));
const money = (bookingId: string) => t.database.sql<{ status: string; total_cents: number; refunded: number }[]>`
  SELECT p.status, p.total_cents, coalesce((SELECT sum(r.total_cents) FROM refunds r WHERE r.payment_id = p.id), 0)::int AS refunded
  FROM payments p WHERE p.booking_id = ${bookingId} AND p.status <> 'expired'`;


/** An instant weekly series of a new client from `days` ahead at 10:00, its card saved. */
async function paidSeries(days: number) {
  clock = Date.now();
  const client = await signUp(t.app);
  const start = DateTime.fromMillis(clock).setZone(Z).plus({ days }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
  const r = await inject('POST', '/series', client, body(start));
  expect(r.statusCode, r.body).toBe(201);
  await saveCard(t, client);
  return { client, id: r.json().id as string, start, visits: await visitsOf(r.json().id) };
}

beforeAll(async () => {
  t = await createTestApp({}, { now: () => new Date(clock) });
  ({ admin, steward, listingId } = await seriesPaymentsWorld(t, 2));
  coopId = (await t.database.sql<{ coop_id: string }[]>`SELECT coop_id FROM listings WHERE id = ${listingId}`)[0]!.coop_id;
  await setSchedule(t, admin, listingId, hours());
});
afterAll(() => t.close());

describe('a change "from today" after this morning\'s visit', () => {
  for (const who of ['client pauses', 'co-op ends'] as const) {
    it(`${who}: the visit that took place stays paid, nothing refunded`, async () => {
      const { client, id, visits } = await paidSeries(14);
      const v = visits[0]!;
      expect(await chargeJobAt(t, dayBefore(v)).chargeVisit(v.id)).toBe('charged');
      clock = at(v) + 3 * HOUR; // 13:00, the visit done
      const today = DateTime.fromMillis(clock, { zone: Z }).toISODate()!;
      const res = who === 'client pauses'
        ? await inject('POST', `/series/${id}/pause`, client, { from: today })
        : await inject('POST', `/series/${id}/end`, admin, { from: today, reason: 'Nous arrêtons' });
      expect(res.statusCode, res.body).toBe(200);
      const after = await visitsOf(id);
      expect(after[0]!.state).toBe('paid');
      expect(after.slice(1).every((x) => x.state !== 'paid' && x.state !== 'accepted')).toBe(true);
      expect(await money(v.id)).toEqual([{ status: 'paid', total_cents: expect.any(Number), refunded: 0 }]);
      expect(await ledgerOk()).toBe(true);
    });
  }
});

describe('a pause called off the same day', () => {
  it('the paid visit it cancelled with a late fee is not made and charged again', async () => {
    const { client, id, start, visits } = await paidSeries(14);
    const v = visits[0]!;
    expect(await chargeJobAt(t, new Date(start.toMillis() - 23 * HOUR)).chargeVisit(v.id)).toBe('charged');
    clock = start.toMillis() - 22 * HOUR; // inside the late window: half is kept
    const d = start.toISODate()!;
    expect((await inject('POST', `/series/${id}/pause`, client, { from: d })).statusCode).toBe(200);
    expect((await inject('POST', `/series/${id}/resume`, client, { from: d })).statusCode).toBe(200);
    const ofDate = (await visitsOf(id)).filter((x) => x.series_date === d);
    expect(ofDate.map((x) => x.state)).toEqual(['cancelled_by_client']);
    const [paid] = await money(v.id);
    expect(paid!.refunded * 2).toBe(paid!.total_cents);
    // The other dates of the pause come back.
    expect((await visitsOf(id)).filter((x) => x.state === 'accepted')).toHaveLength(3);
    expect(await ledgerOk()).toBe(true);
  });
});

describe('a new team', () => {
  it('leaves this morning\'s visit to the worker who did it', async () => {
    const { id, visits } = await paidSeries(10);
    const [w1, w2] = [await signUp(t.app), await signUp(t.app)];
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${w1.userId}, 'worker'), (${coopId}, ${w2.userId}, 'worker')`;
    expect((await inject('PUT', `/series/${id}/workers`, admin, { userIds: [w1.userId] })).statusCode).toBe(200);
    const v = visits[0]!;
    expect(await chargeJobAt(t, dayBefore(v)).chargeVisit(v.id)).toBe('charged');
    clock = Date.now();
    await moveToStarted(t.database.sql, v.id, 180);
    await t.database.sql`UPDATE bookings SET series_date = (starts_at AT TIME ZONE ${Z})::date WHERE id = ${v.id}`;
    expect((await inject('PUT', `/series/${id}/workers`, admin, { userIds: [w2.userId] })).statusCode).toBe(200);
    const team = async (bookingId: string) => (await t.database.sql<{ user_id: string }[]>`SELECT user_id FROM booking_workers WHERE booking_id = ${bookingId}`).map((w) => w.user_id);
    expect(await team(v.id)).toEqual([w1.userId]);
    expect(await team(visits[1]!.id)).toEqual([w2.userId]);
    expect((await inject('GET', `/bookings/${v.id}`, w1)).statusCode).toBe(200);
    expect((await inject('GET', `/bookings/${v.id}`, w2)).statusCode).toBe(404);
  });
});

describe('requests', () => {
  it('one that lapsed unanswered cannot be accepted, and the client is not told it is confirmed', async () => {
    await setSchedule(t, admin, listingId, hours({ instantBooking: false, requestTtlHours: 1 }));
    try {
      clock = Date.now();
      const c = await signUp(t.app);
      const r = await inject('POST', '/series', c, body(DateTime.fromMillis(clock).setZone(Z).plus({ days: 5 }).set({ hour: 12, minute: 0 })));
      expect(r.statusCode, r.body).toBe(201);
      const id = r.json().id;
      const later = new Date(clock + 2 * HOUR);
      await createBookingPayments({ db: t.db, gateway: t.app.payments, paymentWindowHours: t.config.paymentWindowHours, now: () => later }).expireRequests();
      clock = later.getTime();
      const toHer = async () => (await t.sentMail()).filter((m) => m.to === c.email).length;
      const before = await toHer();
      const acc = await inject('POST', `/series/${id}/accept`, admin, {});
      expect(acc.statusCode).toBe(409);
      expect(acc.json().error.code).toBe('request_lapsed');
      expect((await inject('GET', `/series/${id}`, c)).json().state).toBe('requested');
      expect(await toHer()).toBe(before);
    } finally {
      await setSchedule(t, admin, listingId, hours());
    }
  });

  it('one accepted late is charged when the free cancellation the acceptance gives ends, not before', async () => {
    // 72 h of free cancellation. Asked before that cutoff and accepted now, the client may cancel
    // free for 24 h after the acceptance, which ends after the cutoff: charging at the cutoff
    // would charge a visit she may still cancel free (refunded, and Stripe keeps its fee).
    await setSchedule(t, admin, listingId, hours({ instantBooking: false, freeCancellationHours: 72 }));
    try {
      clock = Date.now();
      const c = await signUp(t.app);
      let start = DateTime.fromMillis(clock).setZone(Z).plus({ hours: 74 }).startOf('hour').plus({ hours: 1 });
      while (start.hour < 8 || start.hour > 16) start = start.plus({ hours: 1 });
      const r = await inject('POST', '/series', c, body(start));
      expect(r.statusCode, r.body).toBe(201);
      const id = r.json().id;
      await saveCard(t, c);
      expect((await inject('POST', `/series/${id}/accept`, admin, {})).statusCode).toBe(200);
      const acceptedAt = Date.now(); // the history's clock
      const v = (await visitsOf(id))[0]!;
      const due = async (ms: number) => (await visitsToCharge(t.db, new Date(ms), 10_000)).includes(v.id);
      const cutoff = start.toMillis() - 72 * HOUR;
      expect(await due(cutoff + 60_000)).toBe(false);
      expect(await due(acceptedAt + 24 * HOUR - 60_000)).toBe(false);
      expect(await due(acceptedAt + 24 * HOUR + 60_000)).toBe(true);
    } finally {
      await setSchedule(t, admin, listingId, hours());
    }
  });
});

describe('the same series sent twice at once without an idempotency key', () => {
  it('is made once; the other answer is a clear conflict', async () => {
    clock = Date.now();
    const c = await signUp(t.app);
    const payload = body(DateTime.fromMillis(clock).setZone(Z).plus({ days: 21 }).set({ hour: 11, minute: 0, second: 0, millisecond: 0 }));
    const rs = await Promise.all([1, 2].map(() => t.app.inject({ method: 'POST', url: '/series', headers: c.auth, payload })));
    expect(rs.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(rs.find((r) => r.statusCode === 409)!.json().error.code).toBe('series_exists');
    const made = await t.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM booking_series WHERE client_id = ${c.userId}`;
    expect(made[0]!.n).toBe(1);
  });
});

describe('the co-op saving its hours while a client changes her series', () => {
  it('waits its turn instead of deadlocking: the series first, then its visits, in both', async () => {
    const { id, visits } = await paidSeries(9);
    clock = Date.now();
    const closed = visits[2]!.series_date;
    const change = t.database.sql.reserve();
    const tx = await change;
    try {
      // A change to the series holds it, as series/changes does, and then wants its visits.
      await tx`BEGIN`;
      await tx`SELECT id FROM booking_series WHERE id = ${id} FOR UPDATE`;
      const put = inject('PUT', `/listings/${listingId}/schedule`, admin, { ...hours(), timeZone: Z, exceptions: [{ date: closed, kind: 'closed' }] });
      await new Promise((r) => setTimeout(r, 500)); // the hours are saved and their settling waits for the series
      await tx`SET LOCAL lock_timeout = '10s'`;
      await tx`SELECT id FROM bookings WHERE series_id = ${id} FOR UPDATE`;
      await tx`COMMIT`;
      const res = await put;
      expect(res.statusCode, res.body).toBe(200);
    } finally {
      tx.release();
    }
    expect((await visitsOf(id)).find((x) => x.series_date === closed)!.state).toBe('cancelled_by_coop');
    await setSchedule(t, admin, listingId, hours());
  });
});

describe('a visit the client moved at booking', () => {
  const local = (v: Visit) => DateTime.fromMillis(at(v), { zone: Z }).toFormat('yyyy-MM-dd HH:mm');
  const live = async (id: string) => (await visitsOf(id)).filter((v) => ['requested', 'accepted', 'paid'].includes(v.state)).map(local);
  async function seriesWithMove(days: number) {
    clock = Date.now();
    const c = await signUp(t.app);
    const start = DateTime.fromMillis(clock).setZone(Z).plus({ days }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
    const d2 = start.plus({ days: 7 });
    const r = await inject('POST', '/series', c, body(start, { choices: [{ date: d2.toISODate(), action: 'move', startsAt: d2.set({ hour: 14 }).toUTC().toISO() }] }));
    expect(r.statusCode, r.body).toBe(201);
    expect(await live(r.json().id)).toContain(`${d2.toISODate()} 14:00`);
    return { c, id: r.json().id as string, start, d2 };
  }

  it('comes back at the new time after a change of time from before it', async () => {
    const { c, id, start, d2 } = await seriesWithMove(14);
    expect((await inject('POST', `/series/${id}/change`, c, { from: start.toISODate(), time: '11:00' })).statusCode).toBe(200);
    expect(await live(id)).toEqual([0, 7, 14, 21].map((d) => `${start.plus({ days: d }).toISODate()} 11:00`));
    expect(d2.toISODate()).toBe(start.plus({ days: 7 }).toISODate());
  });

  it('comes back after a pause called off', async () => {
    const { c, id, start } = await seriesWithMove(15);
    expect((await inject('POST', `/series/${id}/pause`, c, { from: start.toISODate() })).statusCode).toBe(200);
    expect((await inject('POST', `/series/${id}/resume`, c, { from: start.toISODate() })).statusCode).toBe(200);
    expect(await live(id)).toHaveLength(4);
  });

  it('lost to a closed day, is a date for the client to choose again, and she is told', async () => {
    const { c, id, d2 } = await seriesWithMove(16);
    const toHer = async () => (await t.sentMail()).filter((m) => m.to === c.email).length;
    const before = await toHer();
    await setSchedule(t, admin, listingId, { ...hours(), exceptions: [{ date: d2.toISODate()!, kind: 'closed' }] });
    try {
      expect(await live(id)).not.toContain(`${d2.toISODate()} 14:00`);
      const gaps = (await inject('GET', `/series/${id}`, c)).json().gaps as { date: string; reason: string; resolution: string | null }[];
      expect(gaps).toContainEqual(expect.objectContaining({ date: d2.toISODate(), reason: 'closed', resolution: null }));
      expect(await toHer()).toBe(before + 1);
    } finally {
      await setSchedule(t, admin, listingId, hours());
    }
  });
});

describe('the series page after a pause called off and a visit cancelled again', () => {
  it('tells the visit the pause took from the one the co-op cancelled on the same date and time', async () => {
    const { client, id, start } = await paidSeries(20);
    const d = start.plus({ days: 7 }).toISODate()!;
    expect((await inject('POST', `/series/${id}/pause`, client, { from: start.toISODate() })).statusCode).toBe(200);
    expect((await inject('POST', `/series/${id}/resume`, client, { from: start.toISODate() })).statusCode).toBe(200);
    const again = (await visitsOf(id)).find((v) => v.series_date === d && v.state === 'accepted')!;
    expect((await inject('POST', `/bookings/${again.id}/cancel`, admin, { reason: 'Équipe malade' })).statusCode).toBe(200);
    const visits = (await inject('GET', `/series/${id}`, client)).json().visits as { bookingId: string; date: string; state: string; endedWithSeries: boolean }[];
    const ofDate = visits.filter((v) => v.date === d);
    expect(ofDate).toHaveLength(2);
    expect(ofDate.find((v) => v.bookingId === again.id)).toMatchObject({ state: 'cancelled_by_coop', endedWithSeries: false });
    expect(ofDate.find((v) => v.bookingId !== again.id)).toMatchObject({ state: 'cancelled_by_client', endedWithSeries: true });
    // The latest booking of the date comes last.
    expect(ofDate.at(-1)!.bookingId).toBe(again.id);
  });
});
