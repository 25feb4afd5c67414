/**
 * A change of time or frequency from a date takes the visits whose rule's date is on or after it,
 * not a visit the client moved on her own from an earlier date to a later one: that visit was
 * settled for a date the change does not touch, so it stays where she placed it (found by a walk:
 * she lost it without being asked, and its date was skipped for good).
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
const local = (v: Visit) => DateTime.fromSQL(v.starts_at, { zone: 'utc' }).setZone(TORONTO).toFormat("ccc yyyy-MM-dd HH:mm", { locale: 'en' });
const at = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone: TORONTO }).toUTC().toISO()!;
const plusDays = (date: string, n: number) => DateTime.fromISO(date).plus({ days: n }).toISODate()!;
const inWords = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`).toFormat("ccc yyyy-MM-dd HH:mm", { locale: 'en' });

beforeAll(async () => {
  t = await createTestApp();
  ({ admin, listingId } = await seriesPaymentsWorld(t, 2));
  await setSchedule(t, admin, listingId, {
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })), horizonDays: 366, minNoticeMinutes: 0,
    seriesFrequencies: ['weekly'], instantBooking: true, capacity: 20,
  });
});
afterAll(() => t.close());

describe('a change of time after the client moved one visit past its date', () => {
  it('leaves the moved visit where she placed it and makes the new rule from its date', async () => {
    // Weekly on Monday at 09:00, from a Monday two weeks or more ahead (the example's 4 January).
    const today = DateTime.now().setZone(TORONTO).startOf('day');
    const monday = today.plus({ days: 14 + ((8 - today.weekday) % 7) }).toISODate()!;
    const client = await signUp(t.app, { name: 'Claire Client' });
    const made = await inject('POST', '/series', client, { listingId, startsAt: at(monday, '09:00'), frequency: 'weekly', count: 5, address: '12 rue Rachel', contactName: 'Claire', contactEmail: 'claire@example.org' });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    const second = (await visitsOf(id))[1]!;
    // She moves the second Monday's visit (11 January) to the Thursday after it at 14:00 (14 January).
    const moved = await inject('POST', `/bookings/${second.id}/reschedule`, client, { startsAt: at(plusDays(monday, 10), '14:00') });
    expect(moved.statusCode, moved.body).toBe(200);
    const before = new Set((await t.sentMail()).map((m) => m.id));

    // Then, from the Tuesday between (12 January), Tuesdays at 10:00.
    const from = plusDays(monday, 8);
    const res = await inject('POST', `/series/${id}/change`, client, { from, time: '10:00' });
    expect(res.statusCode, res.body).toBe(200);

    const after = await visitsOf(id);
    expect(after.find((v) => v.id === second.id)!.state).toBe('accepted');
    expect(live(after).map(local)).toEqual([
      inWords(monday, '09:00'),
      inWords(plusDays(monday, 10), '14:00'), // hers, kept
      // The new rule from its date to the series' last day (the fifth Monday).
      inWords(from, '10:00'), inWords(plusDays(from, 7), '10:00'), inWords(plusDays(from, 14), '10:00'),
    ].sort((a, b) => a.slice(4).localeCompare(b.slice(4))));
    // Her visit's date is not left out as if she had cancelled it.
    const gaps = await t.database.sql`SELECT date::text FROM booking_series_gaps WHERE series_id = ${id}`;
    expect(gaps).toEqual([]);

    // The emails: no one is told her visit was cancelled, and the change's calendar still holds it.
    const mail = (await t.sentMail()).filter((m) => !before.has(m.id));
    expect(mail.filter((m) => m.text.includes(`/bookings/${second.id}`))).toEqual([]);
    const change = mail.find((m) => m.to === client.email && m.text.includes(`/series/${id}`) && /modifiées/.test(m.subject))!;
    expect(change, mail.map((m) => m.subject).join('\n')).toBeDefined();
    const ics = change.attachments!.find((a) => a.filename === 'visites.ics')!.content;
    expect(ics).toContain(`UID:booking-${second.id}@tissu.coop`);
    // Its "next visits" list her kept visit among those from the change's date, in time order.
    const next = change.text.split(/Prochaines visites\s*:\n/)[1]!.split('\n\n')[0]!.split('\n');
    expect(next.length, change.text).toBe(4);
    expect(next.map((l) => /(10|14) h 00/.exec(l)?.[0]), change.text).toEqual(['10 h 00', '14 h 00', '10 h 00', '10 h 00']);
  });

  it("makes no second visit at the very time she moved one to: the new rule's date there is hers (found by a walk: two visits at once, both charged)", async () => {
    const today = DateTime.now().setZone(TORONTO).startOf('day');
    const monday = today.plus({ days: 14 + ((8 - today.weekday) % 7) }).toISODate()!;
    const client = await signUp(t.app, { name: 'Wanda Walker' });
    const made = await inject('POST', '/series', client, { listingId, startsAt: at(monday, '09:00'), frequency: 'weekly', count: 5, address: '12 rue Rachel', contactName: 'Wanda', contactEmail: 'wanda@example.org' });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    const second = (await visitsOf(id))[1]!;
    // She moves the second Monday's visit to the Wednesday after it at 11:00 ...
    const wednesday = plusDays(monday, 9);
    expect((await inject('POST', `/bookings/${second.id}/reschedule`, client, { startsAt: at(wednesday, '11:00') })).statusCode).toBe(200);
    // ... then makes the series Wednesdays at 11:00 from that very Wednesday. The preview says it once,
    const preview = await inject('GET', `/series/${id}/change-preview?from=${wednesday}&time=11:00`, client);
    expect(preview.statusCode, preview.body).toBe(200);
    const next = (preview.json() as { next: { startsAt: string; status: string }[] }).next;
    expect(next.filter((v) => Date.parse(v.startsAt) === Date.parse(at(wednesday, '11:00'))), JSON.stringify(next)).toEqual([expect.objectContaining({ status: 'kept' })]);
    // and the change does it once.
    expect((await inject('POST', `/series/${id}/change`, client, { from: wednesday, time: '11:00' })).statusCode).toBe(200);
    expect(live(await visitsOf(id)).map(local)).toEqual([
      inWords(monday, '09:00'), inWords(wednesday, '11:00'), inWords(plusDays(wednesday, 7), '11:00'), inWords(plusDays(wednesday, 14), '11:00'),
    ]);
    expect(live(await visitsOf(id)).filter((v) => v.series_date === wednesday)).toEqual([]);
    // The job later leaves that date alone too, and so after she cancels her visit there.
    expect((await inject('POST', `/bookings/${second.id}/cancel`, client, {})).statusCode).toBe(200);
    const { extendHorizons } = await import('../../server/src/modules/series/index.js');
    await extendHorizons(t.db, new Date());
    expect(live(await visitsOf(id)).map(local)).toEqual([inWords(monday, '09:00'), inWords(plusDays(wednesday, 7), '11:00'), inWords(plusDays(wednesday, 14), '11:00')]);
  });
});
