/**
 * Private calendar feeds, read back with ical.js as a calendar app would: each person's feed holds
 * her own visits and nothing of anyone else's, at the listing's local time across daylight saving,
 * with the UID and SEQUENCE the booking's emails use; a cancelled visit comes as CANCELLED; a wrong
 * or replaced address answers 404; the address never reaches the request log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { FEED_RATE_LIMIT_PER_MINUTE } from '../../server/src/modules/feeds/routes.js';
import { approvedCoop, bookingBody, onboardCoop, payBooking, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
const logLines: string[] = [];
let steward: SignedIn, adminA: SignedIn, adminB: SignedIn, worker: SignedIn, idleWorker: SignedIn, client: SignedIn, otherClient: SignedIn;
let A: string, B: string;
const booking = {} as Record<'march' | 'november' | 'otherClientAtA' | 'clientAtB' | 'cancelled' | 'requested' | 'reassigned', string>;

const ZONE = 'America/Toronto';
/** 09:00 in Toronto on this month and day, this year or the next: whichever is still ahead (and within the feed's year). */
function nextNineOClock(monthDay: string): DateTime {
  const now = DateTime.now().setZone(ZONE);
  let d = DateTime.fromISO(`${now.year}-${monthDay}T09:00`, { zone: ZONE });
  if (d <= now.plus({ days: 2 })) d = d.plus({ years: 1 });
  return d;
}
// One date in daylight time (EDT, UTC-4) and one in standard time (EST, UTC-5): 2027-03-15 and 2027-11-08 from late 2026.
const MARCH = nextNineOClock('03-15');
const NOVEMBER = nextNineOClock('11-08');
const DAY = nextNineOClock('01-20').plus({ hours: 2 });

const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
async function ok(method: 'GET' | 'POST' | 'PUT', url: string, who: SignedIn, payload?: object) {
  const res = await inject(method, url, who, payload);
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function book(who: SignedIn, listingId: string, at: DateTime, contactName: string) {
  return (await ok('POST', '/bookings', who, bookingBody(listingId, at.toUTC().toISO()!, { contactName, notes: `Notes de ${contactName}` }))).id as string;
}

/** The person's feed address (made on first ask), and the token in it. */
async function feedUrl(who: SignedIn, kind: 'client' | 'worker' | 'coop', coopId: string | null = null): Promise<string> {
  return (await ok('POST', '/me/calendar-feeds', who, { kind, coopId })).url as string;
}
const tokenPath = (url: string) => `/calendar-feeds/${new URL(url).pathname.split('/').pop()}`;

interface Read { uid: string; status: string; summary: string; location: string; description: string; url: string; sequence: number; start: ICAL.Time; end: ICAL.Time }
/** Fetches a feed and parses it with ical.js, its own VTIMEZONEs registered as a calendar app does. */
async function readFeed(url: string): Promise<{ events: Read[]; raw: string; headers: Record<string, unknown> }> {
  const res = await t.app.inject({ method: 'GET', url: tokenPath(url) });
  expect(res.statusCode, res.body).toBe(200);
  const cal = new ICAL.Component(ICAL.parse(res.body));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  const events = cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid, status: String(v.getFirstPropertyValue('status')), summary: e.summary, location: e.location, description: e.description,
      url: String(v.getFirstPropertyValue('url')), sequence: e.sequence, start: e.startDate, end: e.endDate,
    };
  });
  return { events, raw: res.body, headers: res.headers };
}
const uidOf = (id: string) => `booking-${id}@tissu.coop`;
const uids = (events: Read[]) => events.map((e) => e.uid).sort();

beforeAll(async () => {
  t = await createTestApp({}, { logLines });
  const person = (name: string, locale: 'fr' | 'en' = 'fr') => signUp(t.app, { name, locale });
  [steward, adminA, adminB, worker, idleWorker, client, otherClient] = await Promise.all([
    person('Sophie Intendante'), person('Alice Admin'), person('Bruno Admin'), person('Wanda Travailleuse'), person('Ines Libre'), person('Claire Cliente'), person('Olivier Autre', 'en'),
  ]);
  await makeSteward(t, steward.userId);
  A = (await approvedCoop(t, steward, adminA, 'Ménage Éclat')).id;
  B = (await approvedCoop(t, steward, adminB, 'Garde Soleil')).id;
  await Promise.all([onboardCoop(t, adminA, A), onboardCoop(t, adminB, B)]);
  for (const w of [worker, idleWorker]) await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${A}, ${w.userId}, 'worker')`;
  const listingA = (await publishListing(t, adminA, A)).id;
  const listingB = (await publishListing(t, adminB, B, { titleFr: 'Garde d’enfants', titleEn: 'Childcare' })).id;
  for (const [admin, l] of [[adminA, listingA], [adminB, listingB]] as const) await setSchedule(t, admin, l, { horizonDays: 366, freeCancellationHours: 0 });

  const accepted = async (who: SignedIn, admin: SignedIn, listingId: string, at: DateTime, name: string, team: SignedIn[] = []) => {
    const id = await book(who, listingId, at, name);
    await ok('POST', `/bookings/${id}/accept`, admin, {});
    // Paid: confirmed, as the feeds show confirmed visits (accepted and unpaid is tentative).
    await payBooking(t, who, id);
    if (team.length) await ok('PUT', `/bookings/${id}/workers`, admin, { userIds: team.map((w) => w.userId) });
    return id;
  };
  booking.march = await accepted(client, adminA, listingA, MARCH, 'Claire Cliente', [worker]);
  booking.november = await accepted(client, adminA, listingA, NOVEMBER, 'Claire Cliente', [worker]);
  booking.otherClientAtA = await accepted(otherClient, adminA, listingA, DAY, 'Olivier Autre');
  booking.clientAtB = await accepted(client, adminB, listingB, DAY, 'Claire Cliente');
  booking.cancelled = await accepted(client, adminA, listingA, DAY.plus({ hours: 3 }), 'Claire Cliente', [worker]);
  await ok('POST', `/bookings/${booking.cancelled}/cancel`, client, { reason: 'Empêchement' });
  booking.requested = await book(client, listingA, DAY.plus({ hours: 5 }), 'Claire Cliente');
  // Assigned, then taken off: the worker has nothing of it any more.
  booking.reassigned = await accepted(otherClient, adminA, listingA, DAY.plus({ hours: 7 }), 'Olivier Autre', [worker]);
  await ok('PUT', `/bookings/${booking.reassigned}/workers`, adminA, { userIds: [idleWorker.userId], reason: 'Changement d’équipe' });
}, 240_000);
afterAll(() => t?.close());

describe('what each feed holds', () => {
  it("a client's feed: her confirmed visits at every co-op, her cancelled one as CANCELLED, nobody else's", async () => {
    const { events, headers } = await readFeed(await feedUrl(client, 'client'));
    expect(headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(headers['cache-control']).toMatch(/^private/);
    expect(uids(events)).toEqual([booking.march, booking.november, booking.clientAtB, booking.cancelled].map(uidOf).sort());
    expect(events.find((e) => e.uid === uidOf(booking.cancelled))!.status).toBe('CANCELLED');
    for (const id of [booking.march, booking.november, booking.clientAtB]) expect(events.find((e) => e.uid === uidOf(id))!.status).toBe('CONFIRMED');
    // She reads which co-op comes, at her address, and the link to the booking's page.
    const march = events.find((e) => e.uid === uidOf(booking.march))!;
    expect(march.summary).toBe('Ménage résidentiel — Ménage Éclat');
    expect(march.location).toBe('4321 rue Saint-Denis, Montréal');
    expect(march.url).toBe(`${t.config.webOrigin}/bookings/${booking.march}`);
    expect(march.description).toContain(`${t.config.webOrigin}/bookings/${booking.march}`);
  });

  it('a visit accepted but not paid yet is TENTATIVE, its title saying it waits for payment (found by a walk: CONFIRMED)', async () => {
    // At a co-op of its own, so the other feeds here stay as they are.
    const [someone, itsAdmin] = await Promise.all([signUp(t.app, { name: 'Rita Attente' }), signUp(t.app, { name: 'Paul Admin' })]);
    const coop = (await approvedCoop(t, steward, itsAdmin, 'Ménage Patience')).id;
    await onboardCoop(t, itsAdmin, coop);
    const listing = (await publishListing(t, itsAdmin, coop)).id;
    await setSchedule(t, itsAdmin, listing, { horizonDays: 366, freeCancellationHours: 0 });
    const id = await book(someone, listing, DAY.plus({ days: 1 }), 'Rita Attente');
    await ok('POST', `/bookings/${id}/accept`, itsAdmin, {});
    const { events } = await readFeed(await feedUrl(someone, 'client'));
    expect(events.map((e) => [e.uid, e.status, e.summary])).toEqual([[uidOf(id), 'TENTATIVE', 'À payer : Ménage résidentiel — Ménage Patience']]);
    await payBooking(t, someone, id);
    const after = await readFeed(await feedUrl(someone, 'client'));
    expect(after.events.map((e) => [e.status, e.summary])).toEqual([['CONFIRMED', 'Ménage résidentiel — Ménage Patience']]);
  });

  it("a worker's feed: only the visits she is assigned to at that co-op, with the first name and the notes", async () => {
    const { events } = await readFeed(await feedUrl(worker, 'worker', A));
    expect(uids(events)).toEqual([booking.march, booking.november, booking.cancelled].map(uidOf).sort());
    const march = events.find((e) => e.uid === uidOf(booking.march))!;
    expect(march.summary).toBe('Ménage résidentiel — Claire');
    expect(march.description).toContain('Notes : Notes de Claire Cliente');
    expect(march.location).toBe('4321 rue Saint-Denis, Montréal');
    expect(events.find((e) => e.uid === uidOf(booking.cancelled))!.status).toBe('CANCELLED');
  });

  it('a worker taken off a visit, or never on it, sees nothing of it', async () => {
    const idle = await readFeed(await feedUrl(idleWorker, 'worker', A));
    expect(uids(idle.events)).toEqual([uidOf(booking.reassigned)]);
    const { raw } = await readFeed(await feedUrl(worker, 'worker', A));
    for (const id of [booking.reassigned, booking.otherClientAtA, booking.requested, booking.clientAtB]) expect(raw).not.toContain(id);
    expect(raw).not.toContain('Olivier');
  });

  it("a co-op's feed: all of its bookings, open requests as TENTATIVE, nothing of another co-op", async () => {
    const { events, raw } = await readFeed(await feedUrl(adminA, 'coop', A));
    expect(uids(events)).toEqual([booking.march, booking.november, booking.otherClientAtA, booking.cancelled, booking.requested, booking.reassigned].map(uidOf).sort());
    const request = events.find((e) => e.uid === uidOf(booking.requested))!;
    expect(request.status).toBe('TENTATIVE');
    expect(request.summary).toBe('Demande : Ménage résidentiel — Claire');
    expect(raw).not.toContain(booking.clientAtB);
    const b = await readFeed(await feedUrl(adminB, 'coop', B));
    expect(uids(b.events)).toEqual([uidOf(booking.clientAtB)]);
  });

  it('another client never sees the first one’s visits; her feed is in her language', async () => {
    const { events, raw } = await readFeed(await feedUrl(otherClient, 'client'));
    expect(uids(events)).toEqual([booking.otherClientAtA, booking.reassigned].map(uidOf).sort());
    expect(raw).not.toContain('Claire');
    expect(events[0]!.summary).toBe('Home cleaning — Ménage Éclat');
  });
});

describe('times, identity and changes', () => {
  it('09:00 in Toronto reads 09:00 local on both sides of a daylight-saving change, at the right instant', async () => {
    const { events } = await readFeed(await feedUrl(client, 'client'));
    for (const [id, at] of [[booking.march, MARCH], [booking.november, NOVEMBER]] as const) {
      const e = events.find((x) => x.uid === uidOf(id))!;
      expect(e.start.zone?.tzid).toBe(ZONE);
      expect([e.start.year, e.start.month, e.start.day, e.start.hour, e.start.minute]).toEqual([at.year, at.month, at.day, 9, 0]);
      // Converted through the feed's own VTIMEZONE: 13:00Z in daylight time, 14:00Z in standard time.
      expect(e.start.toJSDate().toISOString()).toBe(at.toUTC().toISO({ suppressMilliseconds: true })!.replace('Z', '.000Z'));
      expect(e.end.toJSDate().getTime() - e.start.toJSDate().getTime()).toBe(60 * 60_000);
    }
    expect(MARCH.offset).toBe(-240);
    expect(NOVEMBER.offset).toBe(-300);
  });

  it('carries the UID and SEQUENCE of the booking’s own calendar emails, and a move raises the SEQUENCE', async () => {
    const url = await feedUrl(client, 'client');
    const before = (await readFeed(url)).events.find((e) => e.uid === uidOf(booking.march))!;
    const mails = await t.sentMail();
    const invitation = mails.flatMap((m) => m.attachments ?? []).map((a) => String(a.content)).find((ics) => ics.includes(`UID:${uidOf(booking.march)}`));
    // The worker's assignment email put the visit in her calendar with this UID: the feed names the same event.
    expect(invitation).toBeDefined();
    expect(before.sequence).toBe(new ICAL.Event(new ICAL.Component(ICAL.parse(invitation!)).getFirstSubcomponent('vevent')!).sequence);
    const moved = await inject('POST', `/bookings/${booking.march}/reschedule`, adminA, { startsAt: MARCH.plus({ hours: 1 }).toUTC().toISO() });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = (await readFeed(url)).events.find((e) => e.uid === uidOf(booking.march))!;
    expect(after.sequence).toBeGreaterThan(before.sequence);
    expect(after.start.hour).toBe(10);
  });
});

describe('the address is the secret', () => {
  it('a wrong address answers 404, and a reset makes the old one answer 404 too', async () => {
    // Too long for the router, or badly encoded: still just a wrong address.
    const malformed = [`/calendar-feeds/${'A'.repeat(43 * 5)}.ics`, `/calendar-feeds/${'A'.repeat(10_000)}.ics`, '/calendar-feeds/%E0%A4%A.ics', '/calendar-feeds/%zz.ics'];
    for (const path of ['/calendar-feeds/x.ics', `/calendar-feeds/${'A'.repeat(43)}.ics`, `/calendar-feeds/${'A'.repeat(43)}`, ...malformed]) {
      const res = await t.app.inject({ method: 'GET', url: path });
      expect(res.statusCode, path.slice(0, 60)).toBe(404);
      expect(res.body).toBe('{"error":{"code":"not_found","message":"Calendar not found"}}');
      expect(res.json().error.code).toBe('not_found');
      // Private on a refusal too: no shared cache keeps what an address answered.
      expect(res.headers['cache-control']).toBe('private, no-store');
    }
    const old = await feedUrl(worker, 'worker', A);
    const listed = await ok('GET', '/me/calendar-feeds', worker);
    expect(listed.feeds).toContainEqual({ kind: 'worker', coopId: A, coopName: 'Ménage Éclat', url: old });
    const fresh = await feedUrl(worker, 'worker', A);
    expect(fresh).not.toBe(old);
    const gone = await t.app.inject({ method: 'GET', url: tokenPath(old) });
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toBe((await t.app.inject({ method: 'GET', url: `/calendar-feeds/${'B'.repeat(43)}.ics` })).body);
    expect((await readFeed(fresh)).events.length).toBeGreaterThan(0);
  });

  it('only the views a person has: a client asks for no co-op’s feed, a worker for no co-op’s whole calendar', async () => {
    expect((await inject('POST', '/me/calendar-feeds', worker, { kind: 'coop', coopId: A })).statusCode).toBe(403);
    expect((await inject('POST', '/me/calendar-feeds', client, { kind: 'worker', coopId: A })).statusCode).toBe(403);
    expect((await inject('POST', '/me/calendar-feeds', adminB, { kind: 'coop', coopId: A })).statusCode).toBe(403);
    expect((await inject('POST', '/me/calendar-feeds', client, { kind: 'worker' })).statusCode).toBe(400);
    const kinds = (await ok('GET', '/me/calendar-feeds', adminA)).feeds.map((f: { kind: string; coopId: string | null }) => `${f.kind}:${f.coopId}`);
    expect(kinds).toEqual(['client:null', `coop:${A}`, `worker:${A}`]);
  });

  it('a worker who leaves the co-op loses her feed (404)', async () => {
    const leaver = await signUp(t.app, { name: 'Lea Partie' });
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${A}, ${leaver.userId}, 'worker')`;
    const url = await feedUrl(leaver, 'worker', A);
    expect((await t.app.inject({ method: 'GET', url: tokenPath(url) })).statusCode).toBe(200);
    await t.database.sql`DELETE FROM coop_members WHERE coop_id = ${A} AND user_id = ${leaver.userId}`;
    expect((await t.app.inject({ method: 'GET', url: tokenPath(url) })).statusCode).toBe(404);
  });

  it('a worker removed and added again gets a new address: the old one stays 404; so does an admin made admin again', async () => {
    const leaver = await signUp(t.app, { name: 'Rita Revenue' });
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${A}, ${leaver.userId}, 'admin')`;
    const [visits, bookings] = [await feedUrl(leaver, 'worker', A), await feedUrl(leaver, 'coop', A)];
    for (const url of [visits, bookings]) expect((await t.app.inject({ method: 'GET', url: tokenPath(url) })).statusCode).toBe(200);
    // No longer admin, then admin again: the co-op's old address does not come back; her visits' does (still a member).
    await t.database.sql`UPDATE coop_members SET role = 'worker' WHERE coop_id = ${A} AND user_id = ${leaver.userId}`;
    await t.database.sql`UPDATE coop_members SET role = 'admin' WHERE coop_id = ${A} AND user_id = ${leaver.userId}`;
    expect((await t.app.inject({ method: 'GET', url: tokenPath(bookings) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: tokenPath(visits) })).statusCode).toBe(200);
    // Removed by an admin, then invited back: none of her old addresses opens anything.
    expect((await inject('DELETE', `/coops/${A}/members/${leaver.userId}`, adminA)).statusCode).toBeLessThan(300);
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${A}, ${leaver.userId}, 'admin')`;
    for (const url of [visits, bookings]) expect((await t.app.inject({ method: 'GET', url: tokenPath(url) })).statusCode).toBe(404);
    const listed = (await ok('GET', '/me/calendar-feeds', leaver)).feeds.filter((f: { coopId: string | null }) => f.coopId === A);
    expect(listed.map((f: { url: string | null }) => f.url)).toEqual([null, null]);
    expect((await t.app.inject({ method: 'GET', url: tokenPath(await feedUrl(leaver, 'worker', A)) })).statusCode).toBe(200);
  });

  it('never reaches the request log', async () => {
    const url = await feedUrl(client, 'client');
    const token = new URL(url).pathname.split('/').pop()!.replace('.ics', '');
    await readFeed(url);
    await t.app.inject({ method: 'GET', url: `/calendar-feeds/${token.slice(0, 42)}x.ics` });
    const lines = logLines.filter((l) => l.includes('/calendar-feeds/'));
    expect(lines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(token);
    expect(logLines.join('\n')).not.toContain(token.slice(0, 42));
  });
});

describe('walking the addresses', () => {
  // Last in this file: it spends this address's allowance for the minute.
  it('is rate-limited per address that asks, whatever token it tries', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < FEED_RATE_LIMIT_PER_MINUTE + 5; i++) {
      statuses.push((await t.app.inject({ method: 'GET', url: `/calendar-feeds/${String(i).padStart(43, 'q')}.ics` })).statusCode);
    }
    // The file's earlier reads count too (same address, same minute): the first ones still pass, the last is refused.
    expect(statuses.slice(0, 50).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = await t.app.inject({ method: 'GET', url: tokenPath(await feedUrl(client, 'client')) });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
  });
});
