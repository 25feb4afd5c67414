import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, onboardCoop, publishListing, setSchedule, startBooking } from '../support/fixtures.js';

/**
 * The team's day: automatic assignment (round-robin among the free worker-members, fewest minutes
 * this month first), manual assignment of someone away or busy refused, a removal with its reason,
 * and time off with who may do what.
 */
let t: TestApp;
let steward: SignedIn, admin: SignedIn, otherAdmin: SignedIn, amina: SignedIn, bruno: SignedIn, chloe: SignedIn;
let coopId: string, otherCoopId: string, listingId: string;
let hour = 400; // each test books further ahead, clear of the others
let ago = 0;

beforeAll(async () => {
  t = await createTestApp();
  [steward, admin, otherAdmin, amina, bruno, chloe] = (await Promise.all([1, 2, 3, 4, 5, 6].map(() => signUp(t.app)))) as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Équipe')).id;
  otherCoopId = (await approvedCoop(t, steward, otherAdmin, 'Autre Équipe')).id;
  await onboardCoop(t, admin, coopId);
  for (const [who, name] of [[amina, 'Amina'], [bruno, 'Bruno'], [chloe, 'Chloé']] as const) {
    await t.database.sql`UPDATE users SET name = ${name} WHERE id = ${who.userId}`;
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${who.userId}, 'worker')`;
  }
  listingId = (await publishListing(t, admin, coopId, { priceKind: 'fixed', priceCents: 9000, durationMinutes: 90 })).id;
  // Room for several bookings at one time: what keeps a worker on one of them is her, not the listing.
  await setSchedule(t, admin, listingId, { slotIntervalMinutes: 30, capacity: 8 });
});
afterAll(() => t.close());

const req = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
const auto = (on: boolean) => req('PUT', `/coops/${coopId}/team-settings`, admin, { autoAssign: on });

async function book(startsAt: string) {
  const client = await signUp(t.app);
  const res = await req('POST', '/bookings', client, bookingBody(listingId, startsAt));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; startsAt: string; workers: { userId: string }[] };
}
const assign = (id: string, userIds: string[], reason?: string) => req('PUT', `/bookings/${id}/workers`, admin, { userIds, ...(reason ? { reason } : {}) });
const assigned = async (id: string) => (await t.database.sql`SELECT user_id FROM booking_workers WHERE booking_id = ${id}`).map((r) => r.user_id as string);
/** An absence covering the whole local day of an instant (Toronto, the listing's zone). */
const dayOf = (iso: string) => DateTime.fromISO(iso, { zone: 'America/Toronto' }).toISODate()!;
/** Minutes that count this month: a booking assigned and already begun (moved a little into the past). */
async function pastWork(who: SignedIn[]) {
  const b = await book(hourFromNow((hour += 48))); // a day clear of the absences other tests enter
  const res = await assign(b.id, who.map((w) => w.userId));
  expect(res.statusCode, res.body).toBe(200);
  await startBooking(t, b.id, (ago += 100));
}

describe('automatic assignment', () => {
  it('gives a new booking to the one free worker when one is away and one is busy', async () => {
    expect((await auto(false)).json()).toMatchObject({ autoAssign: false });
    const at = hourFromNow((hour += 30));
    const other = await book(at);
    expect(other.workers).toEqual([]); // off: nobody is assigned
    expect((await assign(other.id, [bruno.userId])).statusCode).toBe(200); // Bruno is busy then
    const away = await req('POST', `/coops/${coopId}/time-off`, amina, { allDay: true, startDate: dayOf(at), endDate: dayOf(at), note: 'Rendez-vous médical' });
    expect(away.statusCode, away.body).toBe(201);
    expect((await auto(true)).json()).toMatchObject({ autoAssign: true });
    const b = await book(at);
    expect(b.workers.map((w) => w.userId)).toEqual([chloe.userId]);
    const history = await t.database.sql`SELECT kind, actor_role FROM booking_events WHERE booking_id = ${b.id} ORDER BY id`;
    expect(history.map((e) => [e.kind, e.actor_role])).toEqual([['created', 'client'], ['assigned', 'system']]);
    const told = await t.database.sql`SELECT payload->>'recipientId' AS r FROM outbox WHERE payload->>'bookingId' = ${b.id} AND payload->>'message' = 'assigned'`;
    expect(told.map((r) => r.r)).toEqual([chloe.userId]);
    // Now nobody is free then: the booking stays unassigned, for the admins to see.
    const none = await book(at);
    expect(none.workers).toEqual([]);
    const inbox = await req('GET', `/bookings?as=coop&coopId=${coopId}&scope=upcoming`, admin);
    expect(inbox.json().items.find((i: { id: string }) => i.id === none.id).workers).toEqual([]);
  });

  it('picks the fewest minutes this month first, then whoever was assigned longest ago (round-robin)', async () => {
    await auto(false);
    // Amina 180 minutes, Bruno 90 (and more of them later today), Chloé 90 assigned after Bruno's.
    await pastWork([amina]);
    await pastWork([amina, bruno]);
    await pastWork([chloe]);
    await auto(true);
    // Whatever the first test left them, the order now follows their minutes, then who waited longest.
    const load = async () => Object.fromEntries((await t.database.sql`
      SELECT w.user_id AS u, sum(b.duration_minutes)::int AS m, max(w.assigned_at) AS last FROM booking_workers w JOIN bookings b ON b.id = w.booking_id
      WHERE b.coop_id = ${coopId} AND b.state IN ('requested', 'accepted', 'paid', 'completed')
        AND b.starts_at >= date_trunc('month', now() AT TIME ZONE 'America/Toronto') AT TIME ZONE 'America/Toronto'
        AND b.starts_at < (date_trunc('month', now() AT TIME ZONE 'America/Toronto') + interval '1 month') AT TIME ZONE 'America/Toronto'
      GROUP BY w.user_id`).map((r) => [r.u as string, { m: r.m as number, last: new Date(r.last as string).getTime() }]));
    for (let round = 0; round < 4; round++) {
      const l = await load();
      const expected = [amina, bruno, chloe].map((w) => ({ id: w.userId, m: l[w.userId]?.m ?? 0, last: l[w.userId]?.last ?? -Infinity }))
        .sort((a, b) => a.m - b.m || a.last - b.last || (a.id < b.id ? -1 : 1))[0]!.id;
      const b = await book(hourFromNow((hour += 3)));
      expect([round, b.workers.map((w) => w.userId)]).toEqual([round, [expected]]);
      // Nobody is given two in a row while someone else has fewer minutes.
      await startBooking(t, b.id, (ago += 100));
    }
  });

  it('never gives one worker two overlapping visits when bookings are made at the same instant', async () => {
    await auto(true);
    const at = hourFromNow((hour += 30));
    const made = await Promise.all(Array.from({ length: 5 }, () => book(at)));
    const given = made.flatMap((b) => b.workers.map((w) => w.userId));
    // Three worker-members, all free then: three bookings get one each, two are left for the admins.
    expect(new Set(given).size).toBe(given.length);
    expect(given.sort()).toEqual([amina.userId, bruno.userId, chloe.userId].sort());
    expect(made.filter((b) => b.workers.length === 0)).toHaveLength(2);
  });
});

describe('manual assignment', () => {
  it('refuses someone away or busy then, naming her, and two assignments at once give her one', async () => {
    await auto(false);
    const at = hourFromNow((hour += 30));
    const [one, two, three] = [await book(at), await book(at), await book(at)];
    expect((await req('POST', `/coops/${coopId}/time-off`, admin, { userId: bruno.userId, allDay: false, startDate: dayOf(at), startTime: '00:00', endDate: dayOf(at), endTime: '23:59' })).statusCode).toBe(201);
    const away = await assign(one.id, [bruno.userId]);
    expect([away.statusCode, errorOf(away).code, errorOf(away).fields?.userIds?.[0]?.code]).toEqual([409, 'worker_away', 'worker_away']);
    expect(errorOf(away).message).toContain('Bruno');
    const both = await Promise.all([assign(one.id, [chloe.userId]), assign(two.id, [chloe.userId])]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(errorOf(both.find((r) => r.statusCode === 409)!).code).toBe('worker_busy');
    const rows = await t.database.sql`SELECT booking_id FROM booking_workers WHERE user_id = ${chloe.userId} AND booking_id IN ${t.database.sql([one.id, two.id])}`;
    expect(rows).toHaveLength(1);
    // The form shows why each cannot be chosen.
    const choices = (await req('GET', `/bookings/${three.id}/assignment-choices`, admin)).json().members as { userId: string; unavailable: { kind: string } | null }[];
    const why = Object.fromEntries(choices.map((c) => [c.userId, c.unavailable?.kind ?? 'free']));
    expect([why[bruno.userId], why[chloe.userId], why[amina.userId]]).toEqual(['away', 'busy', 'free']);
    expect((await req('GET', `/bookings/${three.id}/assignment-choices`, amina)).statusCode).toBe(404);
  });

  it("says a member is busy at another co-op without that co-op's booking or its times; at this co-op, with them", async () => {
    await auto(false);
    await onboardCoop(t, otherAdmin, otherCoopId);
    const otherListing = (await publishListing(t, otherAdmin, otherCoopId, { durationMinutes: 60 })).id;
    await setSchedule(t, otherAdmin, otherListing, { slotIntervalMinutes: 30, capacity: 8 });
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${otherCoopId}, ${amina.userId}, 'worker') ON CONFLICT DO NOTHING`;
    const at = hourFromNow((hour += 30));
    const elsewhere = await req('POST', '/bookings', await signUp(t.app), bookingBody(otherListing, at));
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
    expect((await req('PUT', `/bookings/${elsewhere.json().id}/workers`, otherAdmin, { userIds: [amina.userId] })).statusCode).toBe(200);
    const [here, mine] = [await book(at), await book(at)];
    expect((await assign(here.id, [bruno.userId])).statusCode).toBe(200);
    const choices = (await req('GET', `/bookings/${mine.id}/assignment-choices`, admin)).json().members as { userId: string; unavailable: Record<string, unknown> | null }[];
    const why = Object.fromEntries(choices.map((c) => [c.userId, c.unavailable]));
    expect(why[amina.userId]).toEqual({ kind: 'busy', bookingId: null, startsAt: null, endsAt: null });
    expect(why[bruno.userId]).toMatchObject({ kind: 'busy', bookingId: here.id, startsAt: here.startsAt });
    await t.database.sql`DELETE FROM coop_members WHERE coop_id = ${otherCoopId} AND user_id = ${amina.userId}`;
  });

  it('refuses a move onto a time the assigned worker is on another visit', async () => {
    await auto(false);
    const at = hourFromNow((hour += 30));
    const later = hourFromNow((hour += 5));
    const first = await book(at);
    const second = await book(later);
    expect((await assign(first.id, [amina.userId])).statusCode).toBe(200);
    expect((await assign(second.id, [amina.userId])).statusCode).toBe(200);
    const moved = await req('POST', `/bookings/${second.id}/reschedule`, admin, { startsAt: at });
    expect([moved.statusCode, errorOf(moved).code]).toEqual([409, 'worker_busy']);
    expect((await req('GET', `/bookings/${second.id}`, admin)).json().startsAt).toBe(later);
  });

  it('needs a reason to take someone off, records it and emails her with it', async () => {
    await auto(false);
    const b = await book(hourFromNow((hour += 30)));
    expect((await assign(b.id, [amina.userId])).statusCode).toBe(200);
    const silent = await assign(b.id, [bruno.userId]);
    expect([silent.statusCode, errorOf(silent).fields?.reason?.[0]?.code]).toEqual([400, 'reason_for_removal']);
    expect(await assigned(b.id)).toEqual([amina.userId]);
    const ok = await assign(b.id, [bruno.userId], 'Amina est en formation ce jour-là');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().events.at(-1)).toMatchObject({ kind: 'assigned', reason: 'Amina est en formation ce jour-là' });
    const told = await t.database.sql`SELECT payload->>'message' AS m, payload->>'recipientId' AS r, payload->>'reason' AS why FROM outbox
      WHERE payload->>'bookingId' = ${b.id} AND payload->>'message' IN ('assigned', 'unassigned') ORDER BY id`;
    expect(told.map((r) => [r.m, r.r, r.why]).sort()).toEqual([
      ['assigned', amina.userId, null],
      ['assigned', bruno.userId, 'Amina est en formation ce jour-là'],
      ['unassigned', amina.userId, 'Amina est en formation ce jour-là'],
    ].sort());
    // The email, in her language, with the reason and a link to a page she can still open (her co-op's bookings).
    await dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });
    const mail = (await t.mailer.list()).find((x) => x.to === amina.email && /plus affecté·e|no longer assigned/.test(x.subject));
    expect(mail, 'unassigned email').toBeDefined();
    expect(mail!.text).toContain('Amina est en formation ce jour-là');
    expect(mail!.text).toContain(`${t.config.webOrigin}/dashboard/coops/${coopId}/bookings`);
    expect(mail!.text).not.toContain(`/bookings/${b.id}`);
  });
});

describe("the reason someone was taken off, and who reads it", () => {
  it("the co-op's admins and the team read it in the history and the conversation; the client reads only that the team changed", async () => {
    await auto(false);
    const client = await signUp(t.app);
    const made = await req('POST', '/bookings', client, bookingBody(listingId, hourFromNow((hour += 30))));
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    expect((await assign(id, [amina.userId])).statusCode).toBe(200);
    const why = 'Amina a des retards répétés';
    expect((await assign(id, [bruno.userId], why)).statusCode).toBe(200);
    const lastAssigned = async (who: SignedIn) => {
      const page = await req('GET', `/bookings/${id}`, who);
      expect(page.statusCode, page.body).toBe(200);
      const conv = await req('GET', `/bookings/${id}/conversation`, who);
      expect(conv.statusCode, conv.body).toBe(200);
      const inFeed = (conv.json().feed as { type: string; event?: { kind: string; reason: string | null } }[]).filter((f) => f.type === 'booking_event' && f.event!.kind === 'assigned');
      const inPage = (page.json().events as { kind: string; reason: string | null }[]).filter((e) => e.kind === 'assigned');
      return [inPage.at(-1)?.reason, inFeed.at(-1)?.event?.reason, inPage.length, inFeed.length];
    };
    expect(await lastAssigned(admin)).toEqual([why, why, 2, 2]);
    expect(await lastAssigned(bruno)).toEqual([why, why, 2, 2]);
    expect(await lastAssigned(client)).toEqual([null, null, 2, 2]);
    expect(JSON.stringify((await req('GET', `/bookings/${id}`, client)).json())).not.toContain('retards');
  });
});

describe('time off', () => {
  const future = (days: number) => DateTime.now().setZone('America/Toronto').plus({ days }).toISODate()!;

  it('a worker lists, adds and removes her own; the admins see everyone’s with the note', async () => {
    const mine = await req('POST', `/coops/${coopId}/time-off`, chloe, { allDay: true, startDate: future(200), endDate: future(202), note: 'Vacances' });
    expect(mine.statusCode, mine.body).toBe(201);
    const aminaOff = await req('POST', `/coops/${coopId}/time-off`, amina, { allDay: true, startDate: future(200), endDate: future(200) });
    expect(aminaOff.statusCode).toBe(201);
    const hers = (await req('GET', `/coops/${coopId}/time-off`, chloe)).json();
    expect(hers.asAdmin).toBe(false);
    expect(hers.items.map((i: { userId: string }) => i.userId)).toEqual([chloe.userId]);
    const all = (await req('GET', `/coops/${coopId}/time-off`, admin)).json();
    expect(all.asAdmin).toBe(true);
    expect(all.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([mine.json().id, aminaOff.json().id]));
    expect(all.items.find((i: { id: string }) => i.id === mine.json().id)).toMatchObject({ note: 'Vacances', allDay: true, name: 'Chloé' });
    // Three whole local days.
    expect(Date.parse(mine.json().endsAt) - Date.parse(mine.json().startsAt)).toBeGreaterThanOrEqual(3 * 86_400_000 - 3_600_000);
    // Another worker's: as if it did not exist.
    expect((await req('DELETE', `/coops/${coopId}/time-off/${aminaOff.json().id}`, chloe)).statusCode).toBe(404);
    expect((await req('DELETE', `/coops/${coopId}/time-off/${mine.json().id}`, chloe)).statusCode).toBe(200);
    expect((await req('GET', `/coops/${coopId}/time-off`, chloe)).json().items).toEqual([]);
  });

  it('refuses overlaps (even entered at once), an end in the past, and removing one that is over', async () => {
    const body = { allDay: true, startDate: future(230), endDate: future(232) };
    const twice = await Promise.all([req('POST', `/coops/${coopId}/time-off`, bruno, body), req('POST', `/coops/${coopId}/time-off`, bruno, { ...body, startDate: future(231) })]);
    expect(twice.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(errorOf(twice.find((r) => r.statusCode === 409)!).code).toBe('time_off_overlap');
    const past = await req('POST', `/coops/${coopId}/time-off`, bruno, { allDay: true, startDate: future(-3), endDate: future(-2) });
    expect([past.statusCode, errorOf(past).fields?.endDate?.[0]?.code]).toEqual([400, 'ends_in_past']);
    const backwards = await req('POST', `/coops/${coopId}/time-off`, bruno, { allDay: false, startDate: future(240), startTime: '15:00', endDate: future(240), endTime: '09:00' });
    expect(backwards.statusCode).toBe(400);
    const noTimes = await req('POST', `/coops/${coopId}/time-off`, bruno, { allDay: false, startDate: future(240), endDate: future(240) });
    expect(Object.keys(errorOf(noTimes).fields ?? {}).sort()).toEqual(['endTime', 'startTime']);
    const made = twice.find((r) => r.statusCode === 201)!.json();
    await t.database.sql`UPDATE time_off SET starts_at = now() - interval '3 days', ends_at = now() - interval '1 day' WHERE id = ${made.id}`;
    const over = await req('DELETE', `/coops/${coopId}/time-off/${made.id}`, bruno);
    expect([over.statusCode, errorOf(over).code]).toEqual([409, 'time_off_over']);
  });

  it('lists an assigned visit that falls in a new absence to her and the admins, without unassigning it', async () => {
    await auto(false);
    const at = hourFromNow((hour += 30));
    const b = await book(at);
    expect((await assign(b.id, [chloe.userId])).statusCode).toBe(200);
    const off = await req('POST', `/coops/${coopId}/time-off`, chloe, { allDay: true, startDate: dayOf(at), endDate: dayOf(at) });
    expect(off.statusCode).toBe(201);
    expect(off.json().clashes.map((c: { bookingId: string }) => c.bookingId)).toEqual([b.id]);
    expect(await assigned(b.id)).toEqual([chloe.userId]);
    const seen = (await req('GET', `/coops/${coopId}/time-off`, admin)).json().items.find((i: { id: string }) => i.id === off.json().id);
    expect(seen.clashes.map((c: { bookingId: string }) => c.bookingId)).toEqual([b.id]);
  });

  it('a time the clocks skip that day (spring change) is refused on its own field, not as an end before the start', async () => {
    // The next March day in Toronto whose 02:30 does not exist (2027-03-14 from late 2026).
    let day = DateTime.fromObject({ year: DateTime.now().year + 1, month: 3, day: 1 }, { zone: 'America/Toronto' });
    while (DateTime.fromISO(`${day.toISODate()}T02:30`, { zone: 'America/Toronto' }).hour === 2) day = day.plus({ days: 1 });
    const date = day.toISODate()!;
    const gap = await req('POST', `/coops/${coopId}/time-off`, amina, { allDay: false, startDate: date, endDate: date, startTime: '02:30', endTime: '03:30' });
    expect(gap.statusCode, gap.body).toBe(400);
    expect(errorOf(gap).fields?.startTime?.[0]?.code).toBe('time_skipped');
    expect(errorOf(gap).fields?.endTime).toBeUndefined();
    const endInGap = await req('POST', `/coops/${coopId}/time-off`, amina, { allDay: false, startDate: date, endDate: date, startTime: '01:00', endTime: '02:15' });
    expect([endInGap.statusCode, errorOf(endInGap).fields?.endTime?.[0]?.code]).toEqual([400, 'time_skipped']);
    // Around the gap, the same day is fine.
    const around = await req('POST', `/coops/${coopId}/time-off`, amina, { allDay: false, startDate: date, endDate: date, startTime: '01:00', endTime: '04:00' });
    expect(around.statusCode, around.body).toBe(201);
    expect(Date.parse(around.json().endsAt) - Date.parse(around.json().startsAt)).toBe(2 * 3_600_000);
  });

  it('answers people outside the co-op as if nothing were there, and only admins enter time off for others', async () => {
    const client = await signUp(t.app);
    expect((await req('GET', `/coops/${coopId}/time-off`, otherAdmin)).statusCode).toBe(403);
    expect((await req('GET', `/coops/${coopId}/time-off`, client)).statusCode).toBe(403);
    expect((await req('GET', `/coops/${coopId}/time-off`, null)).statusCode).toBe(401);
    const forOther = await req('POST', `/coops/${coopId}/time-off`, amina, { userId: bruno.userId, allDay: true, startDate: future(300), endDate: future(300) });
    expect(forOther.statusCode).toBe(400);
    const made = (await req('POST', `/coops/${coopId}/time-off`, amina, { allDay: true, startDate: future(301), endDate: future(301) })).json();
    // Through another co-op's address: not found.
    expect((await req('DELETE', `/coops/${otherCoopId}/time-off/${made.id}`, otherAdmin)).statusCode).toBe(404);
    expect((await req('DELETE', `/coops/${coopId}/time-off/${made.id}`, otherAdmin)).statusCode).toBe(403);
    expect((await req('PUT', `/coops/${coopId}/team-settings`, amina, { autoAssign: true })).statusCode).toBe(403);
    expect((await req('GET', `/coops/${coopId}/team-settings`, otherAdmin)).statusCode).toBe(403);
  });
});
