/**
 * Regular visits, as a client and a co-op live them: a weekly cleaning booked once, 09:00 kept
 * through both daylight-saving changes, dates that are not free chosen one by one, the co-op's
 * one answer, the rolling horizon made by a job that may run twice at once, and every change
 * from a date in the database and in the emails.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendHorizons } from '../../server/src/modules/series/index.js';
import { createBookingPayments } from '../../server/src/flows/booking-payments.js';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, onboardCoop, publishListing, setSchedule } from '../support/fixtures.js';
import { icsProblems, readIcs, uidsAcrossFiles } from '../support/ics.js';

let t: TestApp;
let steward: SignedIn, admin: SignedIn, worker: SignedIn, client: SignedIn, other: SignedIn, stranger: SignedIn;
let coopId: string;
let weekly: string; // a listing open 08:00–18:00 every day, weekly and every-2-weeks visits, 10 % off
let single: string; // a listing that takes single bookings only

const TORONTO = 'America/Toronto';
const local = (iso: string) => DateTime.fromISO(iso, { zone: TORONTO }).toFormat("yyyy-MM-dd'T'HH:mm");
const at = (date: string, time = '09:00') => DateTime.fromISO(`${date}T${time}`, { zone: TORONTO }).toUTC().toISO()!;
const today = () => DateTime.now().setZone(TORONTO).toISODate()!;
/** A Monday `weeks` weeks from now. */
const monday = (weeks: number) => DateTime.now().setZone(TORONTO).startOf('week').plus({ weeks }).toISODate()!;

const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
const body = (startsAt: string, over: Record<string, unknown> = {}) => ({
  listingId: weekly, startsAt, frequency: 'weekly', address: '4321 rue Saint-Denis, app. 2', contactName: 'Claire Cliente',
  contactPhone: '514 555-0101', contactEmail: 'claire@example.org', ...over,
});
const visitsOf = async (seriesId: string) => (await t.database.sql<{ id: string; series_date: string; starts_at: string; state: string; expires_at: string | null }[]>`
  SELECT id, series_date::text, starts_at, state, expires_at FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at`)
  .map((v) => ({ ...v, starts_at: new Date(v.starts_at), expires_at: v.expires_at ? new Date(v.expires_at) : null }));

beforeAll(async () => {
  t = await createTestApp();
  [steward, admin, worker, client, other, stranger] = (await Promise.all([1, 2, 3, 4, 5, 6].map(() => signUp(t.app)))) as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Éclat')).id;
  await onboardCoop(t, admin, coopId);
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${worker.userId}, 'worker')`;
  weekly = (await publishListing(t, admin, coopId, { priceKind: 'fixed', priceCents: 12_000, durationMinutes: 180, locationMode: 'client_place' })).id;
  await setSchedule(t, admin, weekly, {
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })),
    horizonDays: 366, minNoticeMinutes: 0, seriesFrequencies: ['weekly', 'every_2_weeks'], seriesDiscountBps: 1_000,
  });
  single = (await publishListing(t, admin, coopId)).id;
  await setSchedule(t, admin, single);
});
afterAll(() => t.close());

describe('a listing offers regular visits', () => {
  it('shows its frequencies and discount publicly; one that does not, or another frequency, is refused clearly', async () => {
    expect((await inject('GET', `/listings/${weekly}/schedule`, null)).json()).toMatchObject({ seriesFrequencies: ['weekly', 'every_2_weeks'], seriesDiscountBps: 1_000 });
    const none = await inject('GET', `/listings/${single}/series-preview?startsAt=${encodeURIComponent(at(monday(2)))}&frequency=weekly`, null);
    expect([none.statusCode, errorOf(none).code]).toEqual([409, 'series_not_offered']);
    const daily = await inject('POST', '/series', client, body(at(monday(2)), { frequency: 'weekdays' }));
    expect(errorOf(daily).fields).toEqual({ frequency: [expect.objectContaining({ code: 'frequency_not_offered' })] });
    for (const [over, field, code] of [
      [{ until: DateTime.fromISO(monday(2)).minus({ days: 1 }).toISODate() }, 'until', 'end_before_start'],
      [{ count: 0 }, 'count', 'too_small'], [{ count: 10_000 }, 'count', 'too_large'], [{ count: 3, until: monday(9) }, 'count', 'until_or_count'],
      // An end that leaves one visit, as a count of 1 would.
      [{ until: monday(2) }, 'until', 'too_few_visits'], [{ until: DateTime.fromISO(monday(2)).plus({ days: 6 }).toISODate() }, 'until', 'too_few_visits'],
    ] as const) {
      const res = await inject('POST', '/series', client, body(at(monday(2)), over));
      expect([res.statusCode, errorOf(res).fields?.[field]?.[0]?.code]).toEqual([400, code]);
    }
    expect((await t.database.sql`SELECT count(*)::int AS n FROM booking_series`)[0]!.n).toBe(0);
  });
});

describe('weekly visits at 09:00 in Toronto', () => {
  it('stay at 09:00 local across 2027-03-14 and 2027-11-07, each visit a booking at the discounted price', async () => {
    for (const [first, count, change] of [['2027-03-01', 4, '2027-03-14'], ['2027-10-25', 4, '2027-11-07']] as const) {
      const res = await inject('POST', '/series', client, body(at(first), { count }));
      expect(res.statusCode, res.body).toBe(201);
      const s = res.json();
      expect(s).toMatchObject({ state: 'requested', priceCents: 10_800, regularPriceCents: 12_000, discountBps: 1_000, endsOn: DateTime.fromISO(first).plus({ weeks: count - 1 }).toISODate() });
      const visits = await visitsOf(s.id);
      expect(visits.map((v) => local(v.starts_at.toISOString()))).toEqual([0, 1, 2, 3].map((w) => `${DateTime.fromISO(first).plus({ weeks: w }).toISODate()}T09:00`));
      // The UTC hour moves with the change, the wall clock does not.
      const hours = new Set(visits.map((v) => v.starts_at.getUTCHours()));
      expect(hours.size, `across ${change}`).toBe(2);
      expect(visits.every((v) => v.state === 'requested')).toBe(true);
      expect(s.rrule).toBe(`FREQ=WEEKLY;UNTIL=${DateTime.fromISO(`${s.endsOn}T23:59:59`, { zone: TORONTO }).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
      const ended = await inject('POST', `/series/${s.id}/end`, client, { from: first });
      expect(ended.statusCode, ended.body).toBe(200);
    }
  });
});

describe('booking a series', () => {
  it('previews at least eight visits, says which are not free and what is free nearby; without a choice nothing is written', async () => {
    const first = monday(3);
    const closed = DateTime.fromISO(first).plus({ weeks: 2 }).toISODate()!;
    const taken = DateTime.fromISO(first).plus({ weeks: 4 }).toISODate()!;
    await setSchedule(t, admin, weekly, {
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })), exceptions: [{ date: closed, kind: 'closed' }],
      horizonDays: 366, minNoticeMinutes: 0, seriesFrequencies: ['weekly', 'every_2_weeks'], seriesDiscountBps: 1_000,
    });
    const held = await inject('POST', '/bookings', other, { listingId: weekly, startsAt: at(taken), address: 'ailleurs', contactName: 'Olivier', contactEmail: 'o@example.org' });
    expect(held.statusCode, held.body).toBe(201);

    const preview = (await inject('GET', `/listings/${weekly}/series-preview?startsAt=${encodeURIComponent(at(first))}&frequency=weekly`, null)).json();
    expect(preview.visits.length).toBeGreaterThanOrEqual(8);
    expect(preview).toMatchObject({ time: '09:00', timeZone: TORONTO, priceCents: 10_800, lastDate: null, visitCount: null });
    const status = Object.fromEntries(preview.visits.map((v: { date: string; status: string }) => [v.date, v.status]));
    expect([status[first], status[closed], status[taken]]).toEqual(['free', 'closed', 'taken']);
    const takenVisit = preview.visits.find((v: { date: string }) => v.date === taken);
    expect(takenVisit.alternatives.length).toBeGreaterThan(0);
    expect(takenVisit.alternatives.every((a: string) => a !== at(taken))).toBe(true);

    const refused = await inject('POST', '/series', client, body(at(first)));
    expect([refused.statusCode, errorOf(refused).code]).toEqual([409, 'series_needs_choices']);
    expect(Object.keys(errorOf(refused).fields ?? {}).sort()).toEqual([`visits.${closed}`, `visits.${taken}`]);
    expect((await t.database.sql`SELECT count(*)::int AS n FROM booking_series WHERE client_id = ${client.userId} AND state <> 'ended'`)[0]!.n).toBe(0);

    // Skip the closed day, move the taken one to a free time nearby: booked, and the choices kept.
    const created = await inject('POST', '/series', client, body(at(first), {
      choices: [{ date: closed, action: 'skip' }, { date: taken, action: 'move', startsAt: takenVisit.alternatives[0] }],
    }));
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json();
    const visits = await visitsOf(s.id);
    expect(visits.map((v) => v.series_date)).not.toContain(closed);
    expect(visits.find((v) => v.series_date === taken)!.starts_at.toISOString()).toBe(takenVisit.alternatives[0]);
    expect(s.gaps.map((g: { date: string; resolution: string }) => [g.date, g.resolution])).toEqual([[closed, 'skipped'], [taken, 'moved']]);
    // The co-op is asked once, the client told once: not one email per visit.
    seriesId = s.id;
    takenDate = taken;
    // The co-op's badge counts the series as one request to answer, beside the single booking asked for.
    const waiting = (await inject('GET', '/me/waiting', admin)).json();
    expect(waiting.bookingRequests).toEqual([{ coopId, count: 2 }]);
    const mail = (await t.sentMail()).filter((m) => m.text.includes(`/series/${s.id}`));
    expect(mail.map((m) => m.to).sort()).toEqual([admin.email, client.email].sort());
  });

  it('two clients asking for the same weekly slot at once: one series wins, the other gets a clear conflict', async () => {
    const first = at(monday(20), '14:00');
    const [a, b] = await Promise.all([inject('POST', '/series', client, body(first, { count: 3 })), inject('POST', '/series', other, body(first, { count: 3 }))]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect(errorOf(a.statusCode === 409 ? a : b).code).toBe('slot_unavailable');
    const winner = (a.statusCode === 201 ? a : b).json();
    expect((await visitsOf(winner.id)).length).toBe(3);
    expect((await t.database.sql`SELECT count(*)::int AS n FROM bookings WHERE starts_at = ${first} AND state = 'requested'`)[0]!.n).toBe(1);
    await inject('POST', `/series/${winner.id}/end`, a.statusCode === 201 ? client : other, { from: monday(20) });
  });
});

let seriesId: string;
/** The date the client moved at booking (it was taken). */
let takenDate: string;

describe('the co-op answers once', () => {
  it('accepting makes every visit wait for its payment until two hours before it, and emails the recurring calendar', async () => {
    const byClient = await inject('POST', `/series/${seriesId}/accept`, client, {});
    expect(byClient.statusCode, byClient.body).toBe(403);
    expect((await inject('POST', `/series/${seriesId}/accept`, stranger, {})).statusCode).toBe(404);
    const res = await inject('POST', `/series/${seriesId}/accept`, admin, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'active', actions: expect.arrayContaining(['assign', 'change', 'pause', 'end']) });
    const visits = await visitsOf(seriesId);
    expect(visits.every((v) => v.state === 'accepted' && v.expires_at!.getTime() === v.starts_at.getTime() - 2 * 3_600_000)).toBe(true);
    const mail = (await t.sentMail()).find((m) => m.attachments?.some((a) => a.filename === 'visites.ics'))!;
    const ics = mail.attachments!.find((a) => a.filename === 'visites.ics')!.content;
    expect(ics).toContain('RRULE:FREQ=WEEKLY');
    expect(ics).toContain(`DTSTART;TZID=${TORONTO}:`);
    expect(ics).toContain('BEGIN:VTIMEZONE');
    expect(ics).toMatch(/EXDATE;TZID=America\/Toronto:\d{8}T090000/);
    // The date skipped (no visit at all) and the date moved to another time are both left out, at 09:00 local.
    const gaps = (await t.database.sql<{ date: string }[]>`SELECT date::text FROM booking_series_gaps WHERE series_id = ${seriesId} ORDER BY date`).map((g) => g.date);
    expect(gaps).toHaveLength(2);
    const exdates = readIcs(ics).events.flatMap((ev) => ev.exdates);
    for (const date of gaps) expect(exdates).toContain(`TZID=${TORONTO}:${date.replace(/-/g, '')}T090000`);
    expect(ics).toContain(`UID:series-${seriesId}-`);
    expect(mail.text).toContain(`/series/${seriesId}`);
  });

  it('its waiting visits do not count against the client\'s open single bookings', async () => {
    for (const h of [8, 11, 14]) {
      const single = await inject('POST', '/bookings', client, { listingId: weekly, startsAt: at(monday(40), `${String(h).padStart(2, "0")}:00`), address: 'ici', contactName: 'Claire', contactEmail: 'c@example.org' });
      expect(single.statusCode, single.body).toBe(201);
    }
  });

  it('assigns a team once: every coming visit gets it', async () => {
    const res = await inject('PUT', `/series/${seriesId}/workers`, admin, { userIds: [worker.userId] });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await t.database.sql`SELECT count(*)::int AS n FROM booking_workers w JOIN bookings b ON b.id = w.booking_id WHERE b.series_id = ${seriesId} AND w.user_id = ${worker.userId}`;
    expect(rows[0]!.n).toBe((await visitsOf(seriesId)).length);
    // The worker on the team sees the series; someone else does not.
    expect((await inject('GET', `/series/${seriesId}`, worker)).statusCode).toBe(200);
    expect((await inject('GET', `/series/${seriesId}`, stranger)).statusCode).toBe(404);
  });

  it('declining a series declines its visits and tells the client once', async () => {
    const s = (await inject('POST', '/series', other, body(at(monday(30), '11:00'), { count: 3 }))).json();
    expect(errorOf(await inject('POST', `/series/${s.id}/decline`, admin, {})).fields).toHaveProperty('reason');
    const res = await inject('POST', `/series/${s.id}/decline`, admin, { reason: 'Plus de place le lundi' });
    expect(res.json().state).toBe('declined');
    expect((await visitsOf(s.id)).map((v) => v.state)).toEqual(['declined', 'declined', 'declined']);
    // One email, with the reason and no calendar: she was never sent an event to take back.
    const told = (await t.sentMail()).filter((m) => m.to === other.email && m.text.includes(`/series/${s.id}`) && /refusées|declined/i.test(m.subject));
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('Plus de place le lundi');
    expect(told[0]!.attachments ?? []).toEqual([]);
  });
});

describe('the rolling horizon', () => {
  it('run twice at once, weeks later, makes each coming visit once; a date that cannot be a visit becomes a gap both sides hear of', async () => {
    const before = await visitsOf(seriesId);
    const later = new Date(Date.now() + 28 * 86_400_000);
    const closedLater = DateTime.fromJSDate(later).setZone(TORONTO).plus({ weeks: 8 }).startOf('week').toISODate()!; // a Monday past the old horizon
    const sched = (await inject('GET', `/listings/${weekly}/schedule`, null)).json();
    await setSchedule(t, admin, weekly, { ...sched, listingId: undefined, configured: undefined, exceptions: [...sched.exceptions, { date: closedLater, kind: 'closed' }] });
    const runs = await Promise.all([extendHorizons(t.db, later), extendHorizons(t.db, later)]);
    const after = await visitsOf(seriesId);
    expect(after.length).toBeGreaterThan(before.length);
    const live = after.filter((v) => v.state !== 'cancelled_by_client');
    expect(new Set(live.map((v) => v.series_date)).size).toBe(live.length);
    expect(runs.reduce((n, r) => n + r.made, 0)).toBe(after.length - before.length);
    expect(after.every((v) => local(v.starts_at.toISOString()).endsWith('T09:00') || v.series_date === before.find((b) => b.id === v.id)?.series_date)).toBe(true);
    expect(after.map((v) => v.series_date)).not.toContain(closedLater);
    const gaps = await t.database.sql`SELECT date::text, reason, resolution FROM booking_series_gaps WHERE series_id = ${seriesId} AND date = ${closedLater}`;
    expect(gaps).toEqual([{ date: closedLater, reason: 'closed', resolution: null }]);
    const told = (await t.sentMail()).filter((m) => m.text.includes(`/series/${seriesId}`) && (m.subject.includes('ne peut pas avoir lieu') || m.subject.includes('cannot take place')));
    expect(told.length).toBe(2); // the client and the co-op's admin
    // A run killed midway leaves nothing half-made: the next run finds nothing to redo.
    expect((await extendHorizons(t.db, later)).made).toBe(0);
    // The client moves the gap's visit to the next day.
    const moved = await inject('POST', `/series/${seriesId}/gaps/${closedLater}`, client, { action: 'move', startsAt: at(DateTime.fromISO(closedLater).plus({ days: 1 }).toISODate()!) });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await visitsOf(seriesId)).find((v) => v.series_date === closedLater)?.state).toBe('accepted');
  });
});

describe('changes from a date', () => {
  it('the client skips one visit and moves another; the series goes on', async () => {
    const [, second, third] = (await visitsOf(seriesId)).filter((v) => v.state === 'accepted');
    expect((await inject('POST', `/bookings/${second!.id}/cancel`, client, {})).json().state).toBe('cancelled_by_client');
    await t.sentMail(); // the outbox sends the cancellation's emails before the move
    const moved = await inject('POST', `/bookings/${third!.id}/reschedule`, client, { startsAt: new Date(third!.starts_at.getTime() + 2 * 3_600_000).toISOString() });
    expect(moved.statusCode, moved.body).toBe(200);
    // Its time to pay moved with it: still two hours before the visit.
    expect(Date.parse(moved.json().expiresAt)).toBe(Date.parse(moved.json().startsAt) - 2 * 3_600_000);
    expect((await inject('GET', `/series/${seriesId}`, client)).json().state).toBe('active');
  });

  it('each updates the calendars at once: the series\' event again with the date left out (higher SEQUENCE), the moved visit an event of its own', async () => {
    const all = await visitsOf(seriesId);
    const skipped = all.find((v) => v.state === 'cancelled_by_client' && local(v.starts_at.toISOString()).endsWith('T09:00'))!;
    const moved = all.find((v) => v.state === 'accepted' && local(v.starts_at.toISOString()).endsWith('T11:00'))!;
    const mail = await t.sentMail();
    const ics = (m: (typeof mail)[number] | undefined, name: string) => {
      const a = m?.attachments?.find((x) => x.filename === name);
      return a ? { ...readIcs(a.content), contentType: a.contentType } : null;
    };
    const about = (id: string, to: string, subject: RegExp) => mail.find((m) => m.to === to && m.text.includes(`/bookings/${id}`) && subject.test(m.subject));
    const accepted = ics(mail.find((m) => m.to === client.email && /confirmées|confirmed/i.test(m.subject) && m.attachments?.some((a) => a.filename === 'visites.ics') && m.text.includes(`/series/${seriesId}`)), 'visites.ics')!;
    const [series] = accepted.events;
    expect(series!.uid).toMatch(new RegExp(`^series-${seriesId}-\\d{4}-\\d{2}-\\d{2}@tissu\\.coop$`));
    // The visit moved at booking (its date was taken) is in the calendar from this first email on, as its own event.
    const takenVisit = all.find((v) => v.state !== 'cancelled_by_client' && v.series_date === takenDate)!;
    expect(accepted.events.map((ev) => ev.uid)).toContain(`booking-${takenVisit.id}@tissu.coop`);
    // The listing's local time: the skipped date is 09:00 in Toronto, whatever the server's zone.
    const localStamp = (d: Date, time: string) => `TZID=${TORONTO}:${DateTime.fromJSDate(d, { zone: TORONTO }).toFormat('yyyyMMdd')}T${time}`;

    const cancelled = ics(about(skipped.id, client.email, /annulée|cancelled/i), 'visites.ics')!;
    expect(cancelled.method).toBe('PUBLISH');
    expect(cancelled.contentType).toContain('method=PUBLISH');
    const ofRule = cancelled.events.find((ev) => ev.uid === series!.uid)!;
    expect(ofRule.sequence).toBeGreaterThan(series!.sequence);
    expect(ofRule.exdates).toContain(localStamp(skipped.starts_at, '090000'));
    expect(ofRule.props.get('DTSTART')![0]).toMatch(new RegExp(`^;TZID=${TORONTO}:\\d{8}T090000$`));
    expect(ics(about(skipped.id, client.email, /annulée|cancelled/i), 'reservation.ics')).toBeNull(); // it had no event of its own
    // The co-op's admin gets the same; the worker, who never had the series' event, gets none.
    expect(ics(about(skipped.id, admin.email, /annulée|cancelled/i), 'visites.ics')!.events.find((ev) => ev.uid === series!.uid)!.exdates).toContain(localStamp(skipped.starts_at, '090000'));
    expect(about(skipped.id, worker.email, /annulée|cancelled/i)?.attachments ?? []).toEqual([]);

    // Moved from 09:00 to 11:00: the series leaves out 09:00 that day, the visit has its own event at 11:00.
    const rescheduled = about(moved.id, client.email, /Nouvel horaire|New time/)!;
    const again = ics(rescheduled, 'visites.ics')!.events.find((ev) => ev.uid === series!.uid)!;
    expect(again.sequence).toBeGreaterThan(ofRule.sequence);
    expect(again.exdates).toEqual(expect.arrayContaining([localStamp(skipped.starts_at, '090000'), localStamp(moved.starts_at, '090000')]));
    // The moved visit's own event comes once, in visites.ics at 11:00 local: a reservation.ics beside
    // it would carry the same UID a second time (in UTC), and calendars file it twice.
    expect(rescheduled.attachments!.map((a) => a.filename)).toEqual(['visites.ics']);
    const own = ics(rescheduled, 'visites.ics')!.events.find((ev) => ev.uid === `booking-${moved.id}@tissu.coop`)!;
    expect(own.props.get('DTSTART')).toEqual([localStamp(moved.starts_at, '110000').replace(/^/, ';')]);
    expect(own.sequence).toBeLessThan(10); // its changes, not a clock
    const forWorker = about(moved.id, worker.email, /Nouvel horaire|New time/)!;
    expect(forWorker.attachments!.map((a) => a.filename)).toEqual(['reservation.ics']);
    expect(readIcs(forWorker.attachments![0]!.content).events.map((ev) => [ev.uid, ev.sequence, ev.props.get('DTSTART')![0]]))
      .toEqual([[`booking-${moved.id}@tissu.coop`, own.sequence, `:${moved.starts_at.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`]]);

    // Cancelled once moved: its own event is cancelled too, and the series' event still leaves the date out.
    expect((await inject('POST', `/bookings/${moved.id}/cancel`, client, {})).json().state).toBe('cancelled_by_client');
    const gone = (await t.sentMail()).find((m) => m.to === client.email && m.text.includes(`/bookings/${moved.id}`) && /annulée|cancelled/i.test(m.subject))!;
    const ownGone = readIcs(gone.attachments!.find((a) => a.filename === 'reservation.ics')!.content);
    expect([ownGone.method, ownGone.events[0]!.uid]).toEqual(['CANCEL', `booking-${moved.id}@tissu.coop`]);
    expect(ownGone.events[0]!.sequence).toBeGreaterThan(own.sequence);
    const last = readIcs(gone.attachments!.find((a) => a.filename === 'visites.ics')!.content).events.find((ev) => ev.uid === series!.uid)!;
    expect(last.sequence).toBeGreaterThan(again.sequence);
    expect(last.exdates).toContain(localStamp(moved.starts_at, '090000'));
  });

  it('a new time from a date: visits from then are at 11:00, those before unchanged, one email with the calendar updated', async () => {
    const from = DateTime.fromISO(today()).plus({ weeks: 6 }).startOf('week').toISODate()!;
    const before = (await visitsOf(seriesId)).filter((v) => v.series_date < from).map((v) => [v.series_date, v.starts_at.toISOString(), v.state]);
    // A time that is not one of the listing's slots (it starts on the hour) would make every visit a gap: refused.
    expect(errorOf(await inject('POST', `/series/${seriesId}/change`, client, { from, time: '10:30' })).fields).toEqual({ time: [expect.objectContaining({ code: 'not_a_listed_time' })] });
    const res = await inject('POST', `/series/${seriesId}/change`, client, { from, time: '11:00' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rules.map((r: { startsOn: string; time: string }) => [r.startsOn, r.time]).at(-1)).toEqual([from, '11:00']);
    const after = await visitsOf(seriesId);
    expect(after.filter((v) => v.series_date < from).map((v) => [v.series_date, v.starts_at.toISOString(), v.state])).toEqual(before);
    const coming = after.filter((v) => v.series_date >= from && v.state === 'accepted');
    expect(coming.length).toBeGreaterThan(0);
    expect(coming.every((v) => local(v.starts_at.toISOString()).endsWith('T11:00'))).toBe(true);
    const changed = (await t.sentMail()).filter((m) => m.text.includes(`/series/${seriesId}`) && (m.subject.includes('modifiées') || m.subject.includes('changed')));
    expect(changed.map((m) => m.to).sort()).toEqual([admin.email, client.email, worker.email].sort());
    // It lists the visits it changed, at the new time.
    const listed = changed.find((m) => m.to === client.email)!.text.split('\n').filter((l) => l.startsWith('- '));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((l) => /11\sh\s00/.test(l))).toBe(true);
    // Higher than any email before it, those about single visits included.
    const sequences = (await t.sentMail()).filter((m) => m.to === client.email).flatMap((m) => (m.attachments ?? []).filter((a) => a.filename === 'visites.ics'))
      .map((a) => Math.max(...readIcs(a.content).events.filter((ev) => ev.uid.startsWith(`series-${seriesId}-`)).map((ev) => ev.sequence)));
    const mine = Math.max(...readIcs(changed.find((m) => m.to === client.email)!.attachments![0]!.content).events.map((ev) => ev.sequence));
    expect(mine).toBeGreaterThanOrEqual(2);
    expect(mine).toBe(Math.max(...sequences));
    expect(sequences.filter((n) => n === mine)).toHaveLength(1);
  });

  it('pause then resume: no visit while paused, visits again from the resume date', async () => {
    const from = DateTime.fromISO(today()).plus({ weeks: 3 }).toISODate()!;
    const paused = await inject('POST', `/series/${seriesId}/pause`, client, { from });
    expect(paused.json()).toMatchObject({ state: 'paused', pausedFrom: from });
    expect((await visitsOf(seriesId)).filter((v) => v.series_date >= from && ['requested', 'accepted', 'paid'].includes(v.state))).toEqual([]);
    const resumeOn = DateTime.fromISO(from).plus({ weeks: 2 }).toISODate()!;
    const resumed = await inject('POST', `/series/${seriesId}/resume`, client, { from: resumeOn });
    expect(resumed.statusCode, resumed.body).toBe(200);
    const live = (await visitsOf(seriesId)).filter((v) => ['accepted'].includes(v.state) && v.series_date >= from);
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((v) => v.series_date >= resumeOn)).toBe(true);
  });

  it('the co-op ends the series with a reason; without one it is asked for', async () => {
    const from = DateTime.fromISO(today()).plus({ weeks: 5 }).toISODate()!;
    expect(errorOf(await inject('POST', `/series/${seriesId}/end`, admin, { from })).fields).toHaveProperty('reason');
    expect(errorOf(await inject('POST', `/series/${seriesId}/end`, admin, { from: '2020-01-01', reason: 'x' })).fields).toHaveProperty('from');
    const res = await inject('POST', `/series/${seriesId}/end`, admin, { from, reason: 'L’équipe déménage' });
    expect(res.statusCode, res.body).toBe(200);
    // Its visits before that date still come: the series runs (and is listed as running) until its last one.
    expect(res.json()).toMatchObject({ state: 'active', endsOn: DateTime.fromISO(from).minus({ days: 1 }).toISODate(), endReason: 'L’équipe déménage' });
    expect((await inject('GET', '/series', client)).json().items.find((x: { id: string }) => x.id === seriesId)).toMatchObject({ state: 'active', nextVisit: expect.anything() });
    expect((await visitsOf(seriesId)).filter((v) => v.series_date >= from && v.state === 'accepted')).toEqual([]);
    expect((await visitsOf(seriesId)).filter((v) => v.series_date >= from && v.state === 'cancelled_by_coop').length).toBeGreaterThan(0);
    const ended = (await t.sentMail()).filter((m) => m.text.includes(`/series/${seriesId}`) && (m.subject.startsWith('Fin des visites') || m.subject.startsWith('Regular visits end')));
    // The client, the co-op's admin, and the worker on its team who will not go.
    expect(ended.map((m) => m.to).sort()).toEqual([admin.email, client.email, worker.email].sort());
    expect(ended[0]!.text).toContain('L’équipe déménage');
    // The series keeps its own history: each answer and change once, who made it, from which date, why.
    const history = (await inject('GET', `/series/${seriesId}`, client)).json().history as { kind: string; actorRole: string; from: string | null; time: string | null; team: string[] | null; reason: string | null }[];
    expect(history.map((e) => [e.kind, e.actorRole])).toEqual([
      ['requested', 'client'], ['accepted', 'coop_admin'], ['team', 'coop_admin'], ['gap_moved', 'client'],
      ['visit_cancelled', 'client'], ['visit_moved', 'client'], ['visit_cancelled', 'client'], ['changed', 'client'], ['paused', 'client'], ['resumed', 'client'], ['ended', 'coop_admin'],
    ]);
    const names = await t.database.sql<{ name: string }[]>`SELECT name FROM users WHERE id = ${worker.userId}`;
    expect(history[2]!.team).toEqual([names[0]!.name]);
    expect(history.find((e) => e.kind === 'changed')).toMatchObject({ time: '11:00' });
    expect(history.at(-1)).toMatchObject({ from, reason: 'L’équipe déménage' });
  });

  it('lists show the series as one line with its next visit, to the client and to the co-op', async () => {
    const mine = (await inject('GET', '/series', client)).json().items;
    expect(mine.map((s: { id: string }) => s.id)).toContain(seriesId);
    // The rule and the next change are never the same rule said twice (a series not begun yet showed its one rule twice).
    const made = await inject('POST', '/series', client, body(at(DateTime.fromISO(monday(40)).plus({ days: 1 }).toISODate()!, '08:00'), { count: 3 }));
    expect(made.statusCode, made.body).toBe(201);
    const fresh = made.json();
    const listed = (await inject('GET', '/series', client)).json().items.find((s: { id: string }) => s.id === fresh.id);
    expect(listed).toMatchObject({ rule: { startsOn: DateTime.fromISO(monday(40)).plus({ days: 1 }).toISODate() }, laterRules: [] });
    const theirs = (await inject('GET', `/series?as=coop&coopId=${coopId}`, admin)).json().items;
    expect(theirs.find((s: { id: string }) => s.id === seriesId)).toMatchObject({ client: { id: client.userId }, nextVisit: expect.objectContaining({ state: 'accepted' }) });
    expect((await inject('GET', `/series?as=coop&coopId=${coopId}`, client)).statusCode).toBe(403);
    // The bookings lists can leave the series' visits to that line (one line per series); by default they are there.
    const isVisit = (b: { series: { id: string } | null }) => b.series?.id === seriesId;
    for (const [who, as] of [[client, 'as=client'], [admin, `as=coop&coopId=${coopId}`]] as const) {
      for (const scope of ['upcoming', 'past']) {
        const all = (await inject('GET', `/bookings?${as}&scope=${scope}`, who)).json().items;
        const single = (await inject('GET', `/bookings?${as}&scope=${scope}&series=exclude`, who)).json().items;
        if (scope === 'upcoming') expect(all.some(isVisit)).toBe(true);
        expect(single.some((b: { series: unknown }) => b.series !== null)).toBe(false);
        expect(single.map((b: { id: string }) => b.id)).toEqual(all.filter((b: { series: unknown }) => b.series === null).map((b: { id: string }) => b.id));
      }
    }
    expect((await inject('GET', '/bookings?series=maybe', client)).statusCode).toBe(400);
  });
});

describe('what one client may hold, and odd input', () => {
  it('a client runs at most two series of one service: a third is refused clearly, nothing written', async () => {
    const [hog] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const made = [];
    for (const h of ['08:00', '12:00', '15:00']) made.push(await inject('POST', '/series', hog, body(at(monday(44), h), { count: 2 })));
    expect(made.map((r) => r.statusCode)).toEqual([201, 201, 409]);
    expect(errorOf(made[2]!).code).toBe('series_limit');
    expect((await t.database.sql`SELECT count(*)::int AS n FROM booking_series WHERE client_id = ${hog.userId}`)[0]!.n).toBe(2);
  });

  it('a choice names one of the visits shown (not the first), and a move stays within a day of its date', async () => {
    const [someone] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const first = monday(46);
    const second = DateTime.fromISO(first).plus({ weeks: 1 }).toISODate()!;
    const far = await inject('POST', '/series', someone, body(at(first, '10:00'), { count: 4, choices: [{ date: second, action: 'move', startsAt: at('2035-12-19', '10:00') }] }));
    expect(errorOf(far).fields).toEqual({ 'choices.0.startsAt': [expect.objectContaining({ code: 'move_too_far' })] });
    for (const date of ['2030-01-01', first]) {
      const res = await inject('POST', '/series', someone, body(at(first, '10:00'), { count: 4, choices: [{ date, action: 'skip' }] }));
      expect([date, errorOf(res).fields]).toEqual([date, { 'choices.0.date': [expect.objectContaining({ code: 'not_a_visit_date' })] }]);
    }
    const near = await inject('POST', '/series', someone, body(at(first, '10:00'), { count: 4, choices: [{ date: second, action: 'move', startsAt: at(DateTime.fromISO(second).plus({ days: 1 }).toISODate()!, '10:00') }] }));
    expect(near.statusCode, near.body).toBe(201);
    expect(near.json().gaps).toEqual([expect.objectContaining({ date: second, reason: 'client', resolution: 'moved' })]);
  });

  it('someone who may not see a series gets 404 whatever they send; resuming before a pause begins calls it off', async () => {
    const [someone] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const s = (await inject('POST', '/series', someone, body(at(monday(48), '14:00'), { count: 6 }))).json();
    const nosy = await inject('POST', `/series/${s.id}/end`, stranger, { from: 'nope' });
    expect(nosy.statusCode, nosy.body + ' ' + JSON.stringify(s).slice(0, 200)).toBe(404);
    expect((await inject('POST', `/series/${s.id}/end`, steward, { from: today() })).statusCode).toBe(403);
    await inject('POST', `/series/${s.id}/accept`, admin, {});
    const pauseFrom = DateTime.fromISO(monday(48)).plus({ weeks: 3 }).toISODate()!;
    expect((await inject('POST', `/series/${s.id}/pause`, someone, { from: pauseFrom })).statusCode).toBe(200);
    const resumed = await inject('POST', `/series/${s.id}/resume`, someone, { from: monday(48) });
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json()).toMatchObject({ state: 'active', pausedFrom: null });
    // Its own visits are not in its way: no gap is made up for dates that kept their visit, and each date has one.
    expect(resumed.json().gaps).toEqual([]);
    // The dates the pause had cancelled come back with the rolling horizon (eight weeks ahead), once each.
    await extendHorizons(t.db, DateTime.fromISO(monday(48), { zone: TORONTO }).minus({ days: 1 }).toJSDate());
    const live = (await visitsOf(s.id)).filter((v) => v.state === 'accepted').map((v) => v.series_date);
    expect(live).toEqual([0, 1, 2, 3, 4, 5].map((w) => DateTime.fromISO(monday(48)).plus({ weeks: w }).toISODate()));
  });
});


describe('a series the co-op never answers', () => {
  it('lapses with its visits, and each side is told once, not once per visit', async () => {
    const [someone] = (await Promise.all([signUp(t.app)])) as [SignedIn];
    const s = (await inject('POST', '/series', someone, body(at(monday(50), '09:00'), { count: 4 }))).json();
    expect(s.state).toBe('requested');
    const later = new Date(Date.now() + 72 * 3_600_000); // past the 48 h a request waits for its answer
    await createBookingPayments({ db: t.db, gateway: t.app.payments, paymentWindowHours: t.config.paymentWindowHours, now: () => later }).expireRequests();
    expect((await visitsOf(s.id)).map((v) => v.state)).toEqual(['expired', 'expired', 'expired', 'expired']);
    await extendHorizons(t.db, later);
    expect((await inject('GET', `/series/${s.id}`, someone)).json()).toMatchObject({ state: 'ended', endReason: 'lapsed' });
    const mail = (await t.sentMail()).filter((m) => m.to === someone.email);
    expect(mail.filter((m) => /expir/i.test(m.subject)).map((m) => m.subject)).toEqual([expect.stringMatching(/visites régulières|regular visits/i)]);
    expect((await t.sentMail()).filter((m) => m.to === admin.email && m.text.includes(`/series/${s.id}`) && /expir/i.test(m.subject))).toHaveLength(1);
  });
});

describe('the horizon judges each new visit against the calendar', () => {
  it('a time a single booking took since becomes a gap; the visits either side of it are made', async () => {
    const [someone, neighbour] = (await Promise.all([signUp(t.app), signUp(t.app)])) as [SignedIn, SignedIn];
    const week = (date: string, n: number) => DateTime.fromISO(date).plus({ weeks: n }).toISODate()!;
    const first = DateTime.fromISO(monday(3)).plus({ days: 1 }).toISODate()!; // a Tuesday, 15:00–18:00
    const created = await inject('POST', '/series', someone, body(at(first, '15:00')));
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json();
    expect((await inject('POST', `/series/${s.id}/accept`, admin, {})).statusCode).toBe(200);
    const { through } = (await t.database.sql<{ through: string }[]>`SELECT generated_through::text AS through FROM booking_series WHERE id = ${s.id}`)[0]!;
    // The first Tuesday past the horizon: a neighbour books 13:00–16:00 there, into the visit's time.
    let taken = first;
    while (taken <= through) taken = week(taken, 1);
    const held = await inject('POST', '/bookings', neighbour, { listingId: weekly, startsAt: at(taken, '13:00'), address: 'ailleurs', contactName: 'Nadia', contactEmail: 'n@example.org' });
    expect(held.statusCode, held.body).toBe(201);
    await extendHorizons(t.db, new Date(Date.now() + 28 * 86_400_000));
    const dates = (await visitsOf(s.id)).map((v) => v.series_date);
    expect([dates.includes(week(taken, -1)), dates.includes(taken), dates.includes(week(taken, 1))]).toEqual([true, false, true]);
    expect(await t.database.sql`SELECT date::text, reason FROM booking_series_gaps WHERE series_id = ${s.id}`).toEqual([{ date: taken, reason: 'taken' }]);
  });

  it('a single booking being made when the job reaches the listing: the job waits for it, then sees its time taken', async () => {
    const someone = await signUp(t.app);
    const week = (date: string, n: number) => DateTime.fromISO(date).plus({ weeks: n }).toISODate()!;
    const first = DateTime.fromISO(monday(3)).plus({ days: 2 }).toISODate()!; // a Wednesday, 10:00–13:00
    const created = await inject('POST', '/series', someone, body(at(first, '10:00')));
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json();
    expect((await inject('POST', `/series/${s.id}/accept`, admin, {})).statusCode).toBe(200);
    const { through } = (await t.database.sql<{ through: string }[]>`SELECT generated_through::text AS through FROM booking_series WHERE id = ${s.id}`)[0]!;
    let taken = first;
    while (taken <= through) taken = week(taken, 1);
    const waiting = () => t.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`.then((r) => r[0]!.n);
    // As a booking does (bookings/repository.ts, lockBookingTimes): the listing's lock shared, then its row, committed after the job has asked for the calendar.
    let job: Promise<unknown> | undefined;
    await t.database.sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock_shared(7316482, hashtext(${weekly}::text))`;
      await tx`
        INSERT INTO bookings (listing_id, coop_id, client_id, state, starts_at, ends_at, blocked_until, unit, time_zone, duration_minutes,
                              regular_price_cents, price_cents, contact_name, contact_email, free_cancellation_hours, late_cancellation_percent)
        VALUES (${weekly}, ${coopId}, ${other.userId}, 'accepted', ${at(taken, '11:00')}, ${at(taken, '12:00')}, ${at(taken, '12:00')}, 0, ${TORONTO}, 60,
                12000, 12000, 'Olivier', 'o@example.org', 24, 50)`;
      job = extendHorizons(t.db, new Date(Date.now() + 28 * 86_400_000));
      for (let i = 0; i < 200 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(await waiting()).toBeGreaterThan(0);
    });
    await job;
    const dates = (await visitsOf(s.id)).map((v) => v.series_date);
    expect([dates.includes(week(taken, -1)), dates.includes(taken)]).toEqual([true, false]);
    expect(await t.database.sql`SELECT date::text, reason FROM booking_series_gaps WHERE series_id = ${s.id}`).toEqual([{ date: taken, reason: 'taken' }]);
  });
});

describe('every calendar file these emails carried', () => {
  it('is valid iTIP (RFC 5545 and 5546: ORGANIZER, STATUS, a small SEQUENCE), and an email carries each event once', async () => {
    const withFiles = (await t.sentMail()).filter((m) => m.attachments?.some((a) => a.filename.endsWith('.ics')));
    expect(withFiles.length).toBeGreaterThan(10);
    for (const m of withFiles) {
      const uids = uidsAcrossFiles(m.attachments);
      expect(uids.length, `${m.to} ${m.subject}`).toBe(new Set(uids).size);
      for (const a of m.attachments!) {
        expect(icsProblems(a.content), `${m.to} ${m.subject} ${a.filename}`).toEqual([]);
        expect(Math.max(...readIcs(a.content).events.map((ev) => ev.sequence))).toBeLessThan(1_000);
      }
    }
  });
});
