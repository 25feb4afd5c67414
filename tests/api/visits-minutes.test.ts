import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, onboardCoop, payBooking, publishListing, setSchedule } from '../support/fixtures.js';
import { freezeMeasures } from '../../server/src/modules/fiscal/measures.js';

/**
 * "Mes visites" (GET /me/visits) and a worker's minutes: her report (POST /bookings/:id/minutes),
 * the co-op's confirmation or correction (PUT /bookings/:id/minutes), and the patronage measure
 * that counts confirmed minutes only.
 */
let t: TestApp;
let steward: SignedIn, admin: SignedIn, adminB: SignedIn, amina: SignedIn, other: SignedIn, client: SignedIn, stranger: SignedIn;
let coopA: string, coopB: string, listingA: string, listingB: string;
let hour = 100;
let minutesAgo = 0;
const DAY = 86_400_000;

type Res = Awaited<ReturnType<TestApp['app']['inject']>>;
const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: SignedIn | null, payload?: object): Promise<Res> =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  t = await createTestApp();
  [steward, admin, adminB, amina, other, client, stranger] = (await Promise.all(
    ['Steward', 'Admin A', 'Admin B', 'Amina Diallo', 'Other Worker', 'Client', 'Stranger'].map((name) => signUp(t.app, { name })),
  )) as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
  await makeSteward(t, steward.userId);
  coopA = (await approvedCoop(t, steward, admin, 'Ménage Éclat')).id;
  coopB = (await approvedCoop(t, steward, adminB, 'Jardins Partagés')).id;
  await onboardCoop(t, admin, coopA);
  // Amina works in both co-ops; the other worker in both too, so "not hers" is about assignment alone.
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES
    (${coopA}, ${amina.userId}, 'worker'), (${coopB}, ${amina.userId}, 'worker'), (${coopA}, ${other.userId}, 'worker'), (${coopB}, ${other.userId}, 'worker')`;
  listingA = (await publishListing(t, admin, coopA, { priceKind: 'hourly', priceCents: 4500, durationMinutes: 90 })).id;
  listingB = (await publishListing(t, adminB, coopB, { titleFr: 'Jardinage', titleEn: 'Gardening', priceKind: 'fixed', priceCents: 8000, durationMinutes: 60 })).id;
  await setSchedule(t, admin, listingA, { slotIntervalMinutes: 30 });
  await setSchedule(t, adminB, listingB, { slotIntervalMinutes: 30 });
});
afterAll(() => t.close());

/** Each booking by a client of its own: one person may hold only a few open requests (OPEN_BOOKINGS_PER_LISTING). */
async function book(listingId: string, over: Record<string, unknown> = {}, by?: SignedIn) {
  const who = by ?? (await signUp(t.app, { name: 'Client' }));
  hour += 3;
  const res = await call('POST', '/bookings', who, bookingBody(listingId, hourFromNow(hour), over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}
async function assign(id: string, by: SignedIn, userIds: string[]) {
  const res = await call('PUT', `/bookings/${id}/workers`, by, { userIds });
  expect(res.statusCode, res.body).toBe(200);
}
/** A paid booking of co-op A with `team`, its time not come yet. */
async function paidVisit(team: string[], who?: SignedIn) {
  const payer = who ?? (await signUp(t.app, { name: 'Client Payeur' }));
  const b = await book(listingA, {}, payer);
  expect((await call('POST', `/bookings/${b.id}/accept`, admin, {})).statusCode).toBe(200);
  await payBooking(t, payer, b.id);
  await assign(b.id, admin, team);
  return b.id;
}
/** Time passes: the booking began `ago` ms before now (length kept); each call goes further back so none overlap. */
async function moveBack(id: string, ago: number) {
  const at = new Date(Date.now() - ago).toISOString();
  await t.database.sql`
    UPDATE bookings SET starts_at = ${at}::timestamptz, ends_at = ${at}::timestamptz + (ends_at - starts_at),
      blocked_until = ${at}::timestamptz + (blocked_until - starts_at)
    WHERE id = ${id}`;
}
const started = (id: string) => moveBack(id, (minutesAgo += 200) * 60_000);
const torontoDay = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'America/Toronto' });
const visitsOf = async (who: SignedIn, query = '') => {
  const res = await call('GET', `/me/visits${query}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Array<Record<string, any>>; nextOffset: number | null };
};

describe('GET /me/visits', () => {
  it('lists the visits she is assigned to across her co-ops, soonest first; not another worker\'s, not unassigned ones', async () => {
    const later = await book(listingA, { contactName: 'Josée Lavoie-Tremblay', contactPhone: '438 555-0199', address: '1234 avenue du Mont-Royal Est, app. 5', notes: 'Sonnez deux fois' });
    const sooner = await book(listingA);
    const othersOnly = await book(listingA);
    const nobody = await book(listingA);
    const inB = await book(listingB);
    const inBOthers = await book(listingB);
    await assign(later.id, admin, [amina.userId, other.userId]);
    await assign(sooner.id, admin, [amina.userId]);
    await assign(othersOnly.id, admin, [other.userId]);
    await assign(inB.id, adminB, [amina.userId]);
    await assign(inBOthers.id, adminB, [other.userId]);
    // `later` is the first booked, so the soonest; reorder by moving it after the others.
    await t.database.sql`UPDATE bookings SET starts_at = starts_at + interval '30 days', ends_at = ends_at + interval '30 days', blocked_until = blocked_until + interval '30 days' WHERE id = ${later.id}`;

    const upcoming = await visitsOf(amina);
    expect(upcoming.items.map((v) => v.bookingId)).toEqual([sooner.id, inB.id, later.id]);
    expect(upcoming.nextOffset).toBeNull();
    const v = upcoming.items[2]!;
    expect(v).toMatchObject({
      state: 'requested',
      timeZone: 'America/Toronto',
      durationMinutes: 90,
      listing: { id: listingA, titleFr: 'Ménage résidentiel' },
      coop: { id: coopA, name: 'Ménage Éclat' },
      address: '1234 avenue du Mont-Royal Est, app. 5',
      notes: 'Sonnez deux fois',
      client: { firstName: 'Josée', phone: '438 555-0199' },
      detailsHidden: false,
      seriesId: null,
      minutes: { reported: null, confirmed: null, mayReport: false, maximum: 90 + 720 },
    });
    expect(v.team.map((w: { name: string }) => w.name)).toEqual(['Amina Diallo', 'Other Worker']);
    expect(upcoming.items[1]).toMatchObject({ coop: { id: coopB, name: 'Jardins Partagés' }, listing: { titleFr: 'Jardinage' } });

    // Pages: one at a time, the next offset given until the last.
    const first = await visitsOf(amina, '?limit=1');
    expect(first).toMatchObject({ items: [{ bookingId: sooner.id }], nextOffset: 1 });
    const last = await visitsOf(amina, '?limit=1&offset=2');
    expect(last).toMatchObject({ items: [{ bookingId: later.id }], nextOffset: null });

    // The other worker sees hers, the client and a stranger none.
    expect((await visitsOf(other)).items.map((x) => x.bookingId)).toEqual([othersOnly.id, inBOthers.id, later.id]);
    expect((await visitsOf(client)).items).toEqual([]);
    expect((await visitsOf(stranger)).items).toEqual([]);
    expect((await call('GET', '/me/visits', null)).statusCode).toBe(401);

    // The header's "Mes visites" link: anyone assigned somewhere (an admin who works too), not the others.
    const assigned = async (who: SignedIn) => (await call('GET', '/me/waiting', who)).json().assignedVisits;
    expect(await assigned(amina)).toBe(true);
    expect(await assigned(admin)).toBe(false);
    expect(await assigned(client)).toBe(false);
    await assign(nobody.id, admin, [admin.userId]);
    expect(await assigned(admin)).toBe(true);

    // Someone who left a co-op no longer sees its visits (nor its clients' details).
    await t.database.sql`DELETE FROM coop_members WHERE coop_id = ${coopB} AND user_id = ${other.userId}`;
    expect((await visitsOf(other)).items.map((x) => x.bookingId)).toEqual([othersOnly.id, later.id]);
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopB}, ${other.userId}, 'worker')`;
  });

  it('puts earlier days in the past, latest first, and leaves the client\'s details out after 7 days (Law 25)', async () => {
    const now = await book(listingB, { contactName: 'Léa Roy' });
    const threeDays = await book(listingB, { contactName: 'Marc Roy' }, await signUp(t.app, { name: 'Marc-André Roy' }));
    const tenDays = await book(listingB, { contactName: 'Nadia Roy', address: '99 rue Ontario' });
    for (const b of [now, threeDays, tenDays]) await assign(b.id, adminB, [amina.userId]);
    await moveBack(now.id, 60_000);
    await moveBack(threeDays.id, 3 * DAY);
    await moveBack(tenDays.id, 10 * DAY);

    // Started a minute ago: today where it takes place, so still in the day's list (unless the minute crossed midnight there).
    const startedToday = torontoDay(new Date(Date.now() - 60_000)) === torontoDay(new Date());
    const upcoming = (await visitsOf(amina)).items.map((x) => x.bookingId);
    expect(upcoming.includes(now.id)).toBe(startedToday);

    const past = (await visitsOf(amina, '?when=past')).items;
    const ids = past.map((x) => x.bookingId);
    expect(ids.indexOf(threeDays.id)).toBeLessThan(ids.indexOf(tenDays.id));
    expect(ids.includes(now.id)).toBe(!startedToday);
    const recent = past.find((x) => x.bookingId === threeDays.id)!;
    expect(recent).toMatchObject({ detailsHidden: false, address: '4321 rue Saint-Denis, Montréal', client: { firstName: 'Marc', phone: '514-555-0101' } });
    const old = past.find((x) => x.bookingId === tenDays.id)!;
    expect(old).toMatchObject({ detailsHidden: true, address: null, notes: null, client: { firstName: 'Nadia', phone: null } });
    // Her booking page says no more than her list: the co-op's admin keeps the details.
    const asWorker = (await call('GET', `/bookings/${tenDays.id}`, amina)).json();
    expect(asWorker).toMatchObject({ address: '', notes: '', contactName: 'Nadia', contactPhone: '', contactEmail: '' });
    // Within the 7 days too, only what doing the visit needs: no email address, no payment, the client's public name.
    const recentView = (await call('GET', `/bookings/${threeDays.id}`, amina)).json();
    expect(recentView).toMatchObject({ address: '4321 rue Saint-Denis, Montréal', contactPhone: '514-555-0101', contactEmail: '', paid: null });
    expect(recentView.client.name).toBe('Marc-André R.');
    const adminView = (await call('GET', `/bookings/${threeDays.id}`, adminB)).json();
    expect(adminView).toMatchObject({ contactEmail: 'client@example.org', client: { name: 'Marc-André Roy' } });
    expect((await call('GET', `/bookings/${tenDays.id}`, adminB)).json()).toMatchObject({ address: '99 rue Ontario', contactName: 'Nadia Roy', contactPhone: '514-555-0101' });
    // The other worker, not assigned, sees none of them.
    expect((await visitsOf(other, '?when=past')).items.map((x) => x.bookingId)).not.toContain(threeDays.id);
  });

  it('refuses bad paging and an unknown `when`', async () => {
    for (const q of ['?when=soon', '?limit=0', '?limit=101', '?offset=-1', '?limit=abc']) {
      const res = await call('GET', `/me/visits${q}`, amina);
      expect(res.statusCode, q).toBe(400);
    }
  });
});

describe('POST /bookings/:id/minutes (her report)', () => {
  it('takes a report from an assigned worker only, once started, within bounds, correctable until confirmed', async () => {
    const id = await paidVisit([amina.userId]);
    const notStarted = await call('POST', `/bookings/${id}/minutes`, amina, { minutes: 90 });
    expect(notStarted.statusCode, notStarted.body).toBe(409);
    expect(errorOf(notStarted).code).toBe('visit_not_started');
    await started(id);

    // Who may: Amina; others learn nothing or are refused.
    expect((await call('POST', `/bookings/${id}/minutes`, other, { minutes: 90 })).statusCode).toBe(404); // a worker of the co-op, not assigned
    expect((await call('POST', `/bookings/${id}/minutes`, stranger, { minutes: 90 })).statusCode).toBe(404);
    expect((await call('POST', `/bookings/${id}/minutes`, adminB, { minutes: 90 })).statusCode).toBe(404); // another co-op's admin
    expect((await call('POST', `/bookings/${id}/minutes`, admin, { minutes: 90 })).statusCode).toBe(403); // the admin, not on the team
    expect((await call('POST', `/bookings/${id}/minutes`, steward, { minutes: 90 })).statusCode).toBe(403);
    expect((await call('POST', `/bookings/${id}/minutes`, null, { minutes: 90 })).statusCode).toBe(401);

    // Bounds: at least a minute, at most the visit and 12 hours.
    for (const minutes of [0, -5, 1.5]) {
      const bad = await call('POST', `/bookings/${id}/minutes`, amina, { minutes });
      expect(bad.statusCode, String(minutes)).toBe(400);
      expect(errorOf(bad).fields).toHaveProperty('minutes');
    }
    const tooMany = await call('POST', `/bookings/${id}/minutes`, amina, { minutes: 90 + 720 + 1 });
    expect(tooMany.statusCode).toBe(400);
    expect(errorOf(tooMany).fields?.minutes?.[0]).toMatchObject({ code: 'too_large', maximum: 810 });

    const reported = await call('POST', `/bookings/${id}/minutes`, amina, { minutes: 100 });
    expect(reported.statusCode, reported.body).toBe(200);
    expect(reported.json()).toMatchObject({ bookingId: id, minutes: { reported: 100, confirmed: null, mayReport: true } });
    const corrected = await call('POST', `/bookings/${id}/minutes`, amina, { minutes: 85 });
    expect(corrected.json().minutes).toMatchObject({ reported: 85, confirmed: null });

    // The admin sees it waiting ("Minutes à confirmer"); nothing is confirmed yet.
    const seen = (await call('GET', `/bookings/${id}`, admin)).json();
    expect(seen.workers).toEqual([{ userId: amina.userId, name: 'Amina Diallo', minutesReported: 85, minutesDelivered: null }]);

    // Completing confirms; her report can no longer change.
    const done = await call('POST', `/bookings/${id}/complete`, admin, { hours: [{ userId: amina.userId, minutes: 85 }] });
    expect(done.statusCode, done.body).toBe(200);
    const late = await call('POST', `/bookings/${id}/minutes`, amina, { minutes: 120 });
    expect(late.statusCode).toBe(409);
    expect(errorOf(late).code).toBe('minutes_already_confirmed');
    const mine = (await visitsOf(amina, '?when=past')).items.concat((await visitsOf(amina)).items).find((v) => v.bookingId === id)!;
    expect(mine.minutes).toMatchObject({ reported: 85, confirmed: 85, mayReport: false });
  });

  it('refuses a report on a visit that did not take place', async () => {
    const b = await book(listingA);
    await assign(b.id, admin, [amina.userId]);
    await started(b.id); // still only requested: nobody went
    const res = await call('POST', `/bookings/${b.id}/minutes`, amina, { minutes: 60 });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('invalid_transition');
  });
});

describe('a report racing the completion', () => {
  it('lands before the confirmation or is refused after it, never a 500 and never over confirmed minutes', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await paidVisit([amina.userId]);
      await started(id);
      const [report, done] = await Promise.all([
        call('POST', `/bookings/${id}/minutes`, amina, { minutes: 70 }),
        call('POST', `/bookings/${id}/complete`, admin, { hours: [{ userId: amina.userId, minutes: 60 }] }),
      ]);
      expect(done.statusCode, done.body).toBe(200);
      if (report.statusCode !== 200) expect(errorOf(report).code).toBe('minutes_already_confirmed');
      const [line] = await t.database.sql`SELECT minutes_reported, minutes_delivered FROM booking_workers WHERE booking_id = ${id}`;
      expect(line).toEqual({ minutes_reported: report.statusCode === 200 ? 70 : null, minutes_delivered: 60 });
    }
  });
});

describe('POST /bookings/:id/complete (the bound on minutes)', () => {
  it('refuses more minutes than the visit may take (its length and 12 h), even with a reason, as confirming does', async () => {
    const id = await paidVisit([amina.userId]);
    await started(id);
    const tooMany = await call('POST', `/bookings/${id}/complete`, admin, { hours: [{ userId: amina.userId, minutes: 20_160 }], reason: 'Travail de nuit' });
    expect(tooMany.statusCode, tooMany.body).toBe(400);
    expect(errorOf(tooMany).fields?.['hours.0.minutes']?.[0]).toMatchObject({ code: 'too_large', maximum: 810 });
    const [line] = await t.database.sql`SELECT minutes_delivered FROM booking_workers WHERE booking_id = ${id}`;
    expect(line).toEqual({ minutes_delivered: null });
    expect((await call('GET', `/bookings/${id}`, admin)).json().state).toBe('paid');
    // Up to the bound, with the reason, it is recorded.
    const done = await call('POST', `/bookings/${id}/complete`, admin, { hours: [{ userId: amina.userId, minutes: 810 }], reason: 'Travail de nuit' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().workers[0]).toMatchObject({ minutesDelivered: 810 });
  });
});

describe('two confirmations at once', () => {
  it('leave the history in the order they took effect, in the booking and in its conversation', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await paidVisit([amina.userId]);
      await started(id);
      expect((await call('POST', `/bookings/${id}/complete`, admin, { hours: [] })).statusCode).toBe(200);
      const puts = await Promise.all([150, 151, 152].map((minutes) => call('PUT', `/bookings/${id}/minutes`, admin, { userId: amina.userId, minutes, reason: 'Correction' })));
      expect(puts.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      // Each line says what it changed from: read in order, each starts where the one before ended.
      const chain = (lines: string[]) => lines.map((l) => /· (\S+) → (\d+) min/.exec(l)!.slice(1));
      const page = (await call('GET', `/bookings/${id}`, admin)).json().events as { kind: string; at: string; reason: string }[];
      const confirmed = page.filter((e) => e.kind === 'minutes_confirmed');
      const feed = ((await call('GET', `/bookings/${id}/conversation`, admin)).json().feed as { type: string; event?: { kind: string; reason: string } }[])
        .filter((f) => f.type === 'booking_event' && f.event!.kind === 'minutes_confirmed').map((f) => f.event!.reason);
      for (const lines of [confirmed.map((e) => e.reason), feed]) {
        const steps = chain(lines);
        expect(steps[0]![0]).toBe('–');
        for (let i = 1; i < steps.length; i++) expect(steps[i]![0]).toBe(steps[i - 1]![1]);
      }
      const times = confirmed.map((e) => Date.parse(e.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });
});

describe('PUT /bookings/:id/minutes (the co-op confirms or corrects)', () => {
  it('confirms a report made after completion, and corrects with a reason kept in the history', async () => {
    const id = await paidVisit([amina.userId, other.userId]);
    await started(id);
    const done = await call('POST', `/bookings/${id}/complete`, admin, { hours: [{ userId: other.userId, minutes: 90 }] });
    expect(done.statusCode, done.body).toBe(200);
    expect((await call('POST', `/bookings/${id}/minutes`, amina, { minutes: 80 })).statusCode).toBe(200);

    // Who may: the co-op's admins only.
    expect((await call('PUT', `/bookings/${id}/minutes`, amina, { userId: amina.userId, minutes: 80 })).statusCode).toBe(403);
    expect((await call('PUT', `/bookings/${id}/minutes`, client, { userId: amina.userId, minutes: 80 })).statusCode).toBe(404); // not this booking's client
    expect((await call('PUT', `/bookings/${id}/minutes`, steward, { userId: amina.userId, minutes: 80 })).statusCode).toBe(403);
    expect((await call('PUT', `/bookings/${id}/minutes`, adminB, { userId: amina.userId, minutes: 80 })).statusCode).toBe(404);
    const unassigned = await call('PUT', `/bookings/${id}/minutes`, admin, { userId: stranger.userId, minutes: 80 });
    expect(unassigned.statusCode).toBe(400);
    expect(errorOf(unassigned).fields).toHaveProperty('userId');

    const confirmed = await call('PUT', `/bookings/${id}/minutes`, admin, { userId: amina.userId, minutes: 80 });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().workers).toEqual(expect.arrayContaining([{ userId: amina.userId, name: 'Amina Diallo', minutesReported: 80, minutesDelivered: 80 }]));
    expect(confirmed.json().events.at(-1)).toMatchObject({ kind: 'minutes_confirmed', actorRole: 'coop_admin', reason: 'Amina Diallo · – → 80 min' });

    // A correction of confirmed minutes says why; more than the booking lasted too.
    const noReason = await call('PUT', `/bookings/${id}/minutes`, admin, { userId: other.userId, minutes: 70 });
    expect(noReason.statusCode).toBe(400);
    expect(errorOf(noReason).fields?.reason?.[0]?.code).toBe('reason_for_correction');
    const over = await call('PUT', `/bookings/${id}/minutes`, admin, { userId: other.userId, minutes: 120, reason: '' });
    expect(over.statusCode).toBe(400);
    expect(errorOf(over).fields?.reason?.[0]).toMatchObject({ code: 'reason_for_extra_minutes', maximum: 90 });
    const tooMany = await call('PUT', `/bookings/${id}/minutes`, admin, { userId: other.userId, minutes: 811, reason: 'x' });
    expect(errorOf(tooMany).fields?.minutes?.[0]).toMatchObject({ code: 'too_large', maximum: 810 });
    const fixed = await call('PUT', `/bookings/${id}/minutes`, admin, { userId: other.userId, minutes: 70, reason: 'Partie plus tôt, dit la cliente' });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().events.at(-1)).toMatchObject({ kind: 'minutes_confirmed', reason: 'Other Worker · 90 → 70 min · Partie plus tôt, dit la cliente' });
    const rows = await t.database.sql`SELECT user_id, minutes_delivered, minutes_reported FROM booking_workers WHERE booking_id = ${id} ORDER BY minutes_delivered`;
    expect(rows.map((r) => [r.user_id, r.minutes_delivered, r.minutes_reported])).toEqual([[other.userId, 70, null], [amina.userId, 80, 80]]);
  });

  it('waits for completion (the complete form confirms before that) and refuses bad bodies', async () => {
    const id = await paidVisit([amina.userId]);
    await started(id);
    const early = await call('PUT', `/bookings/${id}/minutes`, admin, { userId: amina.userId, minutes: 60 });
    expect(early.statusCode).toBe(409);
    for (const payload of [{}, { userId: 'nope', minutes: 60 }, { userId: amina.userId, minutes: -1 }, { userId: amina.userId, minutes: '60' }, { userId: amina.userId, minutes: 60, reason: 'x'.repeat(1001) }]) {
      const res = await call('PUT', `/bookings/${id}/minutes`, admin, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });
});

describe('patronage hours', () => {
  it('count the confirmed minutes only, not a report waiting for confirmation', async () => {
    const worker = await signUp(t.app, { name: 'Inès Patronage' });
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopA}, ${worker.userId}, 'worker')`;
    const year = new Date().getUTCFullYear();
    await t.database.sql`INSERT INTO memberships (member_class, user_id, share_cents, paid_by, started_on) VALUES ('worker', ${worker.userId}, 1000, 'cash', ${`${year}-01-01`})`;
    const [fy] = await t.database.sql`INSERT INTO fiscal_years (label, starts_on, ends_on) VALUES ('Test', ${`${year}-01-01`}, ${`${year + 1}-01-01`}) RETURNING id`;
    const confirmedVisit = await paidVisit([worker.userId]);
    const reportedVisit = await paidVisit([worker.userId]);
    await started(confirmedVisit);
    await started(reportedVisit);
    expect((await call('POST', `/bookings/${confirmedVisit}/complete`, admin, { hours: [{ userId: worker.userId, minutes: 60 }] })).statusCode).toBe(200);
    expect((await call('POST', `/bookings/${reportedVisit}/complete`, admin, { hours: [] })).statusCode).toBe(200);
    expect((await call('POST', `/bookings/${reportedVisit}/minutes`, worker, { minutes: 45 })).statusCode).toBe(200);

    const hoursOf = async () => {
      const from = new Date(`${year}-01-01T05:00:00Z`);
      const to = new Date(`${year + 1}-01-01T05:00:00Z`);
      let units = -1;
      // Measured in a transaction rolled back: the year stays open for the next measure.
      await t.db.transaction(async (tx) => {
        await freezeMeasures(tx, fy!.id as number, from, to);
        const rows = await tx.execute<{ units: number }>(
          (await import('drizzle-orm')).sql`SELECT coalesce(sum(pm.units), 0)::int AS units FROM patronage_measures pm JOIN memberships m ON m.id = pm.membership_id WHERE m.user_id = ${worker.userId}`,
        );
        units = [...rows][0]!.units;
        tx.rollback();
      }).catch((e: unknown) => {
        if (!(e instanceof Error) || !/rollback/i.test(e.message + e.constructor.name)) throw e;
      });
      return units;
    };
    expect(await hoursOf()).toBe(60);
    expect((await call('PUT', `/bookings/${reportedVisit}/minutes`, admin, { userId: worker.userId, minutes: 45 })).statusCode).toBe(200);
    expect(await hoursOf()).toBe(105);
  });
});
