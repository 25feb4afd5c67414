/**
 * Automatic assignment keeps a series' team: accepted with no team, it gets one worker-member free
 * for its first visits; the visits the horizon job makes later inherit her, except those she is away
 * or busy for, which are left for the admins.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendHorizons } from '../../server/src/modules/series/index.js';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, onboardCoop, publishListing, setSchedule, startBooking } from '../support/fixtures.js';

let t: TestApp;
let steward: SignedIn, admin: SignedIn, amina: SignedIn, bruno: SignedIn;
let coopId: string, weekly: string;

const TORONTO = 'America/Toronto';
const at = (date: string, time = '09:00') => DateTime.fromISO(`${date}T${time}`, { zone: TORONTO }).toUTC().toISO()!;
const monday = (weeks: number) => DateTime.now().setZone(TORONTO).startOf('week').plus({ weeks }).toISODate()!;
const days = (n: number) => new Date(Date.now() + n * 86_400_000);
const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
const teamsOf = async (seriesId: string) => (await t.database.sql<{ d: string; w: string | null }[]>`
  SELECT b.series_date::text AS d, (SELECT string_agg(user_id::text, ',') FROM booking_workers WHERE booking_id = b.id) AS w
  FROM bookings b WHERE b.series_id = ${seriesId} AND b.state IN ('requested', 'accepted', 'paid') ORDER BY b.starts_at`);

beforeAll(async () => {
  t = await createTestApp();
  [steward, admin, amina, bruno] = (await Promise.all([1, 2, 3, 4].map(() => signUp(t.app)))) as [SignedIn, SignedIn, SignedIn, SignedIn];
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Série')).id;
  await onboardCoop(t, admin, coopId);
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${amina.userId}, 'worker'), (${coopId}, ${bruno.userId}, 'worker')`;
  weekly = (await publishListing(t, admin, coopId, { priceKind: 'fixed', priceCents: 12_000, durationMinutes: 60, locationMode: 'client_place' })).id;
  await setSchedule(t, admin, weekly, {
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })),
    horizonDays: 366, minNoticeMinutes: 0, seriesFrequencies: ['weekly'], seriesDiscountBps: 0,
  });
  expect((await inject('PUT', `/coops/${coopId}/team-settings`, admin, { autoAssign: true })).statusCode).toBe(200);
});
afterAll(() => t.close());

describe('a series accepted with automatic assignment on', () => {
  it('gets the worker free for its first visits as its team, and later visits skip her when she is away', async () => {
    // Bruno already worked an hour this month, so Amina would come first; but she is away on the
    // second visit's day: Bruno, free for all the first visits, takes the series.
    const single = await signUp(t.app);
    const worked = await inject('POST', '/bookings', single, {
      listingId: weekly, startsAt: at(monday(8), '16:00'), address: '1 rue Rachel', contactName: 'Zoé', contactPhone: '514 555-0102', contactEmail: 'zoe@example.org',
    });
    expect(worked.statusCode, worked.body).toBe(201);
    const given = worked.json().workers.map((w: { userId: string }) => w.userId);
    const fix = await inject('PUT', `/bookings/${worked.json().id}/workers`, admin, { userIds: [bruno.userId], ...(given.includes(bruno.userId) ? {} : { reason: 'Bruno connaît la cliente' }) });
    expect(fix.statusCode, fix.body).toBe(200);
    await startBooking(t, worked.json().id, 30);
    const off = await inject('POST', `/coops/${coopId}/time-off`, amina, { allDay: true, startDate: monday(2), endDate: monday(2) });
    expect(off.statusCode, off.body).toBe(201);
    const client = await signUp(t.app);
    const made = await inject('POST', '/series', client, {
      listingId: weekly, startsAt: at(monday(1)), frequency: 'weekly', address: '4321 rue Saint-Denis', contactName: 'Claire', contactPhone: '514 555-0101', contactEmail: 'claire@example.org',
    });
    expect(made.statusCode, made.body).toBe(201);
    const accepted = await inject('POST', `/series/${made.json().id}/accept`, admin, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    const id = made.json().id as string;
    const [team] = await t.database.sql`SELECT string_agg(user_id::text, ',') AS w FROM booking_series_workers WHERE series_id = ${id}`;
    expect(team!.w).toBe(bruno.userId);
    const first = await teamsOf(id);
    expect(first.length).toBeGreaterThan(3);
    expect(first.every((v) => v.w === bruno.userId)).toBe(true);
    const told = await t.database.sql`SELECT payload->>'recipientId' AS r FROM outbox WHERE payload->>'seriesId' = ${id} AND payload->>'message' = 'assigned'`;
    expect(told.map((r) => r.r)).toEqual([bruno.userId]);

    // Bruno marks a day away beyond the visits made so far: the job makes that visit with nobody on it.
    const lastMade = first.at(-1)!.d;
    const awayDay = DateTime.fromISO(lastMade).plus({ weeks: 2 }).toISODate()!;
    expect((await inject('POST', `/coops/${coopId}/time-off`, bruno, { allDay: true, startDate: awayDay, endDate: awayDay })).statusCode).toBe(201);
    await extendHorizons(t.db, days(30)); // a month on: the job makes the weeks after those made at first
    const later = await teamsOf(id);
    expect(later.length).toBeGreaterThan(first.length + 2);
    expect(later.find((v) => v.d === awayDay)).toMatchObject({ w: null });
    expect(later.filter((v) => v.d !== awayDay).every((v) => v.w === bruno.userId)).toBe(true);

    // The admins give the series to Amina by hand: every coming visit is hers but the day she is away.
    const handed = await inject('PUT', `/series/${id}/workers`, admin, { userIds: [amina.userId] });
    expect(handed.statusCode, handed.body).toBe(200);
    const now = await teamsOf(id);
    expect(now.find((v) => v.d === monday(2))).toMatchObject({ w: null });
    expect(now.filter((v) => v.d !== monday(2) && v.d !== awayDay).every((v) => v.w === amina.userId)).toBe(true);
  });
});
