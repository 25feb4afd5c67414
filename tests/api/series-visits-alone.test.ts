/**
 * One visit of a series changed on its own, seen from the series: a cancel (the series' "skip this
 * one") or a move by either side is a line of the series' history, with who did it and the visit's
 * date; and a visit moved away from its rule's date keeps that date taken when a change to the
 * whole series cancels it, so no later change makes a visit there again.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { setSchedule } from '../support/fixtures.js';
import { seriesPaymentsWorld } from '../support/series-payments-world.js';

let t: TestApp;
let admin: SignedIn;
let listingId: string;

const TORONTO = 'America/Toronto';
const inject = (method: 'GET' | 'POST', url: string, who: SignedIn, payload?: object) =>
  t.app.inject({ method, url, headers: who.auth, ...(payload ? { payload } : {}) });
type Visit = { id: string; series_date: string; state: string; starts_at: string };
const visitsOf = async (seriesId: string) => [...await t.database.sql<Visit[]>`
  SELECT id, series_date::text, state, starts_at::text FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at, created_at`];
const live = (vs: Visit[]) => vs.filter((v) => ['requested', 'accepted', 'paid'].includes(v.state));
const local = (v: Visit) => DateTime.fromSQL(v.starts_at, { zone: 'utc' }).setZone(TORONTO);
/** An instant at a local date and time in Toronto. */
const at = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone: TORONTO }).toUTC().toISO()!;
const plusDays = (date: string, n: number) => DateTime.fromISO(date).plus({ days: n }).toISODate()!;
type Event = { kind: string; actorRole: string; actorName: string | null; from: string | null; startsAt: string | null; movedFrom: string | null; reason: string | null };
const historyOf = async (id: string, who: SignedIn) => (await inject('GET', `/series/${id}`, who)).json().history as Event[];

/** A new client with a weekly series of `count` visits at 10:00 local from `first` (instant, accepted). */
async function newSeries(first: string, count: number) {
  const client = await signUp(t.app, { name: 'Claire Client' });
  const res = await inject('POST', '/series', client, { listingId, startsAt: at(first, '10:00'), frequency: 'weekly', count, address: '12 rue Rachel', contactName: 'Claire', contactEmail: 'claire@example.org' });
  expect(res.statusCode, res.body).toBe(201);
  return { client, id: res.json().id as string, visits: await visitsOf(res.json().id) };
}

beforeAll(async () => {
  t = await createTestApp();
  ({ admin, listingId } = await seriesPaymentsWorld(t, 2));
  await setSchedule(t, admin, listingId, {
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })), horizonDays: 366, minNoticeMinutes: 0,
    seriesFrequencies: ['weekly'], instantBooking: true, capacity: 20,
  });
});
afterAll(() => t.close());

describe("a single visit in the series' history", () => {
  it('records a visit the client cancels, with who and its date, once', async () => {
    const first = DateTime.now().setZone(TORONTO).plus({ days: 10 }).toISODate()!;
    const { client, id, visits } = await newSeries(first, 4);
    const res = await inject('POST', `/bookings/${visits[1]!.id}/cancel`, client, { reason: 'Nous serons en voyage' });
    expect(res.statusCode, res.body).toBe(200);
    const lines = (await historyOf(id, client)).filter((e) => e.kind.startsWith('visit_'));
    expect(lines).toEqual([expect.objectContaining({
      kind: 'visit_cancelled', actorRole: 'client', actorName: 'Claire Client', from: visits[1]!.series_date,
      startsAt: new Date(visits[1]!.starts_at + 'Z').toISOString(), reason: 'Nous serons en voyage',
    })]);
    // The co-op sees the same line on its side.
    expect((await historyOf(id, admin)).filter((e) => e.kind === 'visit_cancelled')).toHaveLength(1);
  });

  it('records a visit the co-op moves, with where it was and where it went, and then cancels with its reason', async () => {
    const first = DateTime.now().setZone(TORONTO).plus({ days: 10 }).toISODate()!;
    const { client, id, visits } = await newSeries(first, 3);
    const to = at(plusDays(visits[2]!.series_date, 1), '14:00');
    const moved = await inject('POST', `/bookings/${visits[2]!.id}/reschedule`, admin, { startsAt: to });
    expect(moved.statusCode, moved.body).toBe(200);
    const cancelled = await inject('POST', `/bookings/${visits[0]!.id}/cancel`, admin, { reason: 'Équipe malade' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const lines = (await historyOf(id, client)).filter((e) => e.kind.startsWith('visit_'));
    expect(lines).toEqual([
      expect.objectContaining({
        kind: 'visit_moved', actorRole: 'coop_admin', from: visits[2]!.series_date,
        movedFrom: new Date(visits[2]!.starts_at + 'Z').toISOString(), startsAt: new Date(to).toISOString(),
      }),
      expect.objectContaining({ kind: 'visit_cancelled', actorRole: 'coop_admin', from: visits[0]!.series_date, reason: 'Équipe malade' }),
    ]);
  });

  it('writes nothing when the move is refused (same transaction)', async () => {
    const first = DateTime.now().setZone(TORONTO).plus({ days: 10 }).toISODate()!;
    const { client, id, visits } = await newSeries(first, 2);
    const closed = await inject('POST', `/bookings/${visits[0]!.id}/reschedule`, client, { startsAt: at(first, '22:00') });
    expect(closed.statusCode).toBe(409);
    expect((await historyOf(id, client)).filter((e) => e.kind.startsWith('visit_'))).toEqual([]);
  });
});

describe('a visit moved beyond a later end', () => {
  it('does not come back at its rule date when the time changes afterwards', async () => {
    // The example's dates (10, 24 and 31 December, 2 January) when the calendar allows, the same
    // distances between them otherwise.
    const today = DateTime.now().setZone(TORONTO).startOf('day');
    const december = today.set({ month: 12, day: 10 });
    const d10 = (december > today ? december : today.plus({ days: 5 })).toISODate()!;
    const [d24, d31, d2] = [plusDays(d10, 14), plusDays(d10, 21), plusDays(d10, 23)];
    const { client, id, visits } = await newSeries(d10, 6);
    const of24 = visits.find((v) => v.series_date === d24)!;
    expect((await inject('POST', `/bookings/${of24.id}/reschedule`, client, { startsAt: at(d2, '10:00') })).statusCode).toBe(200);
    const end = await inject('POST', `/series/${id}/end`, client, { from: d31 });
    expect(end.statusCode, end.body).toBe(200);
    // The end cancelled the moved visit (it now falls after the end) with the others from 31 December.
    expect((await visitsOf(id)).find((v) => v.id === of24.id)!.state).toBe('cancelled_by_client');
    const change = await inject('POST', `/series/${id}/change`, client, { from: d10, time: '13:00' });
    expect(change.statusCode, change.body).toBe(200);
    const after = live(await visitsOf(id));
    expect(after.map((v) => [v.series_date, local(v).toFormat('HH:mm')])).toEqual([[d10, '13:00'], [plusDays(d10, 7), '13:00']]);
  });
});

describe("the lists' line of a series", () => {
  it('carries every rule still to come, in order: a resume after a pause, then a change planned after it', async () => {
    const d0 = DateTime.now().setZone(TORONTO).plus({ days: 7 }).toISODate()!;
    const { client, id } = await newSeries(d0, 10);
    const week = (n: number) => plusDays(d0, 7 * n);
    expect((await inject('POST', `/series/${id}/pause`, client, { from: week(2) })).statusCode).toBe(200);
    expect((await inject('POST', `/series/${id}/resume`, client, { from: week(4) })).statusCode).toBe(200);
    const change = await inject('POST', `/series/${id}/change`, client, { from: week(6), time: '13:00' });
    expect(change.statusCode, change.body).toBe(200);
    const rules = (await inject('GET', `/series/${id}`, client)).json().rules as { startsOn: string }[];
    expect(rules.map((r) => r.startsOn)).toEqual([d0, week(4), week(6)]);
    const coopId = (await inject('GET', `/series/${id}`, client)).json().coop.id as string;
    for (const list of [await inject('GET', '/series', client), await inject('GET', `/series?as=coop&coopId=${coopId}`, admin)]) {
      const line = list.json().items.find((s: { id: string }) => s.id === id);
      expect(line.rule).toMatchObject({ startsOn: d0, time: '10:00', until: plusDays(week(2), -1) });
      expect(line.laterRules).toEqual([
        { startsOn: week(4), frequency: 'weekly', time: '10:00', until: plusDays(week(6), -1) },
        expect.objectContaining({ startsOn: week(6), frequency: 'weekly', time: '13:00' }),
      ]);
    }
  });
});
