import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, onboardCoop, payBooking, publishListing, setSchedule, startBooking } from '../support/fixtures.js';

let t: TestApp;
let steward: SignedIn, admin: SignedIn, otherAdmin: SignedIn, worker: SignedIn, client: SignedIn, stranger: SignedIn;
let coopId: string;
let listingId: string;
let hour = 300; // book() walks forward from here; fixed times used by single tests stay below
let ago = 0; // started() walks back from now, so bookings left live in the past never overlap
/** The booking's time has come (moved to have begun a little earlier than the previous one). */
const started = (id: string) => startBooking(t, id, (ago += 200));

beforeAll(async () => {
  t = await createTestApp();
  [steward, admin, otherAdmin, worker, client, stranger] = (await Promise.all([1, 2, 3, 4, 5, 6].map(() => signUp(t.app)))) as SignedIn[] as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Éclat')).id;
  await approvedCoop(t, steward, otherAdmin, 'Autre Coop');
  await onboardCoop(t, admin, coopId);
  // worker joins the co-op as a worker-member (invitation flow is tested elsewhere)
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${worker.userId}, 'worker')`;
  listingId = (await publishListing(t, admin, coopId, { priceKind: 'hourly', priceCents: 4500, durationMinutes: 90, solidarityPriceCents: 3000 })).id;
  await setSchedule(t, admin, listingId, { slotIntervalMinutes: 30 });
});
afterAll(() => t.close());
// Each test is another client: one person may hold only a few open bookings (OPEN_BOOKINGS_PER_LISTING),
// and the bookings each test leaves requested or accepted are not the next test's business.
beforeEach(async () => {
  client = await signUp(t.app);
});

const post = (url: string, who: SignedIn | null, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: who?.auth ?? {}, payload });

async function book(over: Record<string, unknown> = {}, who: SignedIn = client) {
  hour += 3;
  const res = await post('/bookings', who, bookingBody(listingId, hourFromNow(hour), over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('booking a slot', () => {
  it('creates a request with the price for the duration, a history row and messages to send', async () => {
    const b = await book();
    expect(b.state).toBe('requested');
    expect(b.priceCents).toBe(6750); // 45.00 $/h × 1.5 h
    expect(b.events).toMatchObject([{ kind: 'created', from: null, to: 'requested', actorRole: 'client' }]);
    expect(b.actions).toEqual(expect.arrayContaining(['cancel', 'reschedule']));
    expect(new Date(b.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const queued = await t.database.sql`SELECT payload->>'message' AS m, payload->>'recipientId' AS r FROM outbox WHERE payload->>'bookingId' = ${b.id} ORDER BY id`;
    expect(queued.map((q) => [q.m, q.r])).toEqual([['received', client.userId], ['requested', admin.userId]]);
  });

  it('books at once when the listing takes instant bookings', async () => {
    const instant = (await publishListing(t, admin, coopId, { priceKind: 'fixed', priceCents: 12000 })).id;
    await setSchedule(t, admin, instant, { instantBooking: true });
    const res = await post('/bookings', client, bookingBody(instant, hourFromNow(50)));
    expect(res.json()).toMatchObject({ state: 'accepted', priceCents: 12000 });
    // Accepted at once, so the payment window opens at once.
    expect(Date.parse(res.json().expiresAt)).toBeGreaterThan(Date.now());
  });

  it('refuses a time that is not a slot, an address-less home visit, and a taken slot', async () => {
    const off = await post('/bookings', client, bookingBody(listingId, new Date(Date.parse(hourFromNow(70)) + 10 * 60_000).toISOString()));
    expect(off.statusCode).toBe(409);
    expect(errorOf(off).code).toBe('slot_unavailable');
    const noAddress = await post('/bookings', client, bookingBody(listingId, hourFromNow(70), { address: '' }));
    expect(noAddress.statusCode).toBe(400);
    expect(errorOf(noAddress).fields).toHaveProperty('address');
    const first = await post('/bookings', client, bookingBody(listingId, hourFromNow(70)));
    expect(first.statusCode).toBe(201);
    const second = await post('/bookings', stranger, bookingBody(listingId, hourFromNow(70)));
    expect(second.statusCode).toBe(409);
    const past = await post('/bookings', client, bookingBody(listingId, hourFromNow(-5)));
    expect(past.statusCode).toBe(409);
  });

  it('needs a signed-in client and valid fields', async () => {
    expect((await post('/bookings', null, bookingBody(listingId, hourFromNow(80)))).statusCode).toBe(401);
    const bad = await post('/bookings', client, { listingId, startsAt: 'tomorrow', contactEmail: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(errorOf(bad).fields!)).toEqual(expect.arrayContaining(['startsAt', 'contactEmail', 'contactName']));
  });
});

describe('who may move a booking, for every transition', () => {
  type Who = 'client' | 'admin' | 'otherAdmin' | 'worker' | 'steward' | 'stranger';
  const people = (): Record<Who, SignedIn> => ({ client, admin, otherAdmin, worker, steward, stranger });
  const act: Record<string, (id: string) => [string, object]> = {
    accept: (id) => [`/bookings/${id}/accept`, {}],
    decline: (id) => [`/bookings/${id}/decline`, { reason: 'Plus de disponibilité' }],
    cancel: (id) => [`/bookings/${id}/cancel`, { reason: 'Empêchement' }],
    complete: (id) => [`/bookings/${id}/complete`, { hours: [] }],
    no_show: (id) => [`/bookings/${id}/no-show`, {}],
  };
  async function inState(state: 'requested' | 'accepted' | 'paid' | 'completed' | 'declined' | 'cancelled_by_client') {
    const b = await book();
    if (state === 'requested') return b.id;
    if (state === 'declined') await post(`/bookings/${b.id}/decline`, admin, { reason: 'Complet ce jour-là' });
    else if (state === 'cancelled_by_client') await post(`/bookings/${b.id}/cancel`, client, {});
    else {
      await post(`/bookings/${b.id}/accept`, admin);
      if (state === 'paid' || state === 'completed') await payBooking(t, client, b.id);
      if (state === 'completed') {
        await started(b.id);
        await post(`/bookings/${b.id}/complete`, admin, { hours: [] });
      }
    }
    return b.id;
  }
  // [state, action, who, expected status, expected state after]
  const cases: Array<[Parameters<typeof inState>[0], string, Who, number, string?]> = [
    ['requested', 'accept', 'admin', 200, 'accepted'],
    ['requested', 'accept', 'client', 403],
    ['requested', 'accept', 'worker', 404],
    ['requested', 'accept', 'otherAdmin', 404],
    ['requested', 'accept', 'stranger', 404],
    ['requested', 'accept', 'steward', 403],
    ['requested', 'decline', 'admin', 200, 'declined'],
    ['requested', 'decline', 'client', 403],
    ['requested', 'cancel', 'client', 200, 'cancelled_by_client'],
    ['requested', 'cancel', 'admin', 409], // a request is declined, not cancelled, by the co-op
    ['requested', 'complete', 'admin', 409],
    ['requested', 'no_show', 'admin', 409],
    ['accepted', 'cancel', 'client', 200, 'cancelled_by_client'],
    ['accepted', 'cancel', 'admin', 200, 'cancelled_by_coop'],
    ['accepted', 'cancel', 'steward', 200, 'cancelled_by_coop'],
    ['accepted', 'cancel', 'stranger', 404],
    ['accepted', 'complete', 'admin', 409], // not paid yet
    ['accepted', 'no_show', 'admin', 409],
    ['accepted', 'accept', 'admin', 409],
    ['accepted', 'decline', 'admin', 409],
    ['paid', 'complete', 'admin', 200, 'completed'],
    ['paid', 'complete', 'client', 403],
    ['paid', 'complete', 'worker', 404],
    ['paid', 'no_show', 'admin', 200, 'no_show'],
    ['paid', 'no_show', 'client', 403],
    ['paid', 'cancel', 'client', 200, 'cancelled_by_client'],
    ['paid', 'cancel', 'admin', 200, 'cancelled_by_coop'],
    ['paid', 'accept', 'admin', 409],
    ['completed', 'cancel', 'client', 409],
    ['completed', 'cancel', 'admin', 409],
    ['completed', 'no_show', 'admin', 409],
    ['declined', 'accept', 'admin', 409],
    ['cancelled_by_client', 'accept', 'admin', 409],
  ];
  it.each(cases)('%s → %s by %s answers %i', async (state, action, who, status, after) => {
    const id = await inState(state);
    if (action === 'complete' || action === 'no_show') await started(id); // refused before the start: tested below
    const [url, payload] = act[action]!(id);
    const res = await post(url, people()[who], payload);
    expect(res.statusCode, res.body).toBe(status);
    const now = await t.app.inject({ method: 'GET', url: `/bookings/${id}`, headers: client.auth });
    expect(now.json().state).toBe(after ?? state);
    if (after) {
      const last = now.json().events.at(-1);
      expect(last).toMatchObject({ from: state, to: after, kind: 'transition' });
    }
  });

  it('requires a reason to decline', async () => {
    const id = await inState('requested');
    const res = await post(`/bookings/${id}/decline`, admin, {});
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).fields).toHaveProperty('reason');
  });

  it('keeps the history append-only in the database itself', async () => {
    const id = await inState('accepted');
    await expect(t.database.sql`UPDATE booking_events SET reason = 'edited' WHERE booking_id = ${id}`).rejects.toThrow(/append-only/);
    await expect(t.database.sql`DELETE FROM booking_events WHERE booking_id = ${id}`).rejects.toThrow(/append-only/);
  });
});

describe('solidarity rate', () => {
  it('always goes through the co-op, who sets the price by accepting or refusing the rate', async () => {
    const asked = await book({ solidarityOrganization: 'Centre communautaire La Petite-Patrie' });
    expect(asked).toMatchObject({ state: 'requested', solidarityRequested: true, priceCents: 6750 });
    const undecided = await post(`/bookings/${asked.id}/accept`, admin, {});
    expect(undecided.statusCode).toBe(400);
    const yes = await post(`/bookings/${asked.id}/accept`, admin, { acceptSolidarity: true });
    expect(yes.json()).toMatchObject({ state: 'accepted', solidarityAccepted: true, priceCents: 4500 }); // 30.00 $/h × 1.5 h
    const other = await book({ solidarityOrganization: 'Association des locataires' });
    const no = await post(`/bookings/${other.id}/accept`, admin, { acceptSolidarity: false });
    expect(no.json()).toMatchObject({ solidarityAccepted: false, priceCents: 6750 });
  });
  it('is refused when the listing has no solidarity rate', async () => {
    const plain = (await publishListing(t, admin, coopId, { solidarityPriceCents: null })).id;
    await setSchedule(t, admin, plain);
    const res = await post('/bookings', client, bookingBody(plain, hourFromNow(90), { solidarityOrganization: 'Un organisme' }));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).fields).toHaveProperty('solidarityOrganization');
  });
});

describe('workers, completion and rescheduling', () => {
  it('assigns members of the co-op only, and records the hours each delivered', async () => {
    const b = await book();
    await post(`/bookings/${b.id}/accept`, admin);
    await payBooking(t, client, b.id);
    const outsider = await t.app.inject({ method: 'PUT', url: `/bookings/${b.id}/workers`, headers: admin.auth, payload: { userIds: [stranger.userId] } });
    expect(outsider.statusCode).toBe(400);
    const byClient = await t.app.inject({ method: 'PUT', url: `/bookings/${b.id}/workers`, headers: client.auth, payload: { userIds: [worker.userId] } });
    expect(byClient.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'PUT', url: `/bookings/${b.id}/workers`, headers: admin.auth, payload: { userIds: [worker.userId, admin.userId] } });
    expect(ok.json().workers.map((w: { userId: string }) => w.userId).sort()).toEqual([worker.userId, admin.userId].sort());
    // The assigned worker now sees the booking in the co-op's list; before, she saw nothing.
    const mine = await t.app.inject({ method: 'GET', url: `/bookings?as=coop&coopId=${coopId}&scope=all`, headers: worker.auth });
    expect(mine.json().items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    await started(b.id);
    const unassigned = await post(`/bookings/${b.id}/complete`, admin, { hours: [{ userId: stranger.userId, minutes: 90 }] });
    expect(unassigned.statusCode).toBe(400);
    const done = await post(`/bookings/${b.id}/complete`, admin, { hours: [{ userId: worker.userId, minutes: 90 }, { userId: admin.userId, minutes: 45 }] });
    expect(done.statusCode).toBe(200);
    const hours = Object.fromEntries(done.json().workers.map((w: { userId: string; minutesDelivered: number }) => [w.userId, w.minutesDelivered]));
    expect(hours).toEqual({ [worker.userId]: 90, [admin.userId]: 45 });
  });

  it('completes or marks a no-show only once the booking has started, and says so', async () => {
    const future = await book();
    await post(`/bookings/${future.id}/accept`, admin);
    await payBooking(t, client, future.id);
    const seen = await t.app.inject({ method: 'GET', url: `/bookings/${future.id}`, headers: admin.auth });
    expect(seen.json().actions).not.toContain('complete');
    expect(seen.json().actions).not.toContain('no_show');
    for (const [url, payload] of [[`/bookings/${future.id}/complete`, { hours: [] }], [`/bookings/${future.id}/no-show`, {}]] as const) {
      const early = await post(url, admin, payload);
      expect(early.statusCode, early.body).toBe(409);
      expect(errorOf(early).code).toBe('booking_not_started');
    }
    const after = await t.app.inject({ method: 'GET', url: `/bookings/${future.id}`, headers: admin.auth });
    expect(after.json().state).toBe('paid');
    // Nothing was sent to the client: no review request before the work was done.
    const queued = await t.database.sql`SELECT 1 FROM outbox WHERE payload->>'bookingId' = ${future.id} AND payload->>'message' = 'completed'`;
    expect(queued).toHaveLength(0);

    await started(future.id);
    const now = await t.app.inject({ method: 'GET', url: `/bookings/${future.id}`, headers: admin.auth });
    expect(now.json().actions).toEqual(expect.arrayContaining(['complete', 'no_show']));
    const done = await post(`/bookings/${future.id}/complete`, admin, { hours: [] });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().state).toBe('completed');
  });

  it('needs a reason for more worked minutes than the booking lasted', async () => {
    const b = await book();
    await post(`/bookings/${b.id}/accept`, admin);
    await payBooking(t, client, b.id);
    await t.app.inject({ method: 'PUT', url: `/bookings/${b.id}/workers`, headers: admin.auth, payload: { userIds: [worker.userId] } });
    await started(b.id);
    const over = await post(`/bookings/${b.id}/complete`, admin, { hours: [{ userId: worker.userId, minutes: 180 }] }); // a 90-minute booking
    expect(over.statusCode).toBe(400);
    expect(errorOf(over).fields).toHaveProperty('reason');
    expect((await t.app.inject({ method: 'GET', url: `/bookings/${b.id}`, headers: admin.auth })).json().state).toBe('paid');
    const explained = await post(`/bookings/${b.id}/complete`, admin, {
      hours: [{ userId: worker.userId, minutes: 180 }],
      reason: 'Le client a demandé le grand ménage des armoires en plus',
    });
    expect(explained.statusCode, explained.body).toBe(200);
    expect(explained.json().workers).toMatchObject([{ userId: worker.userId, minutesDelivered: 180 }]);
    expect(explained.json().events.at(-1)).toMatchObject({ to: 'completed', reason: 'Le client a demandé le grand ménage des armoires en plus' });
  });

  it('moves a booking to another free slot under the same rules', async () => {
    const b = await book();
    const taken = await book();
    const clash = await post(`/bookings/${b.id}/reschedule`, client, { startsAt: taken.startsAt });
    expect(clash.statusCode).toBe(409);
    const target = hourFromNow(200);
    const moved = await post(`/bookings/${b.id}/reschedule`, client, { startsAt: target });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().startsAt).toBe(target);
    expect(moved.json().events.at(-1)).toMatchObject({ kind: 'rescheduled', actorRole: 'client' });
    // the old time is free again
    const again = await post('/bookings', stranger, bookingBody(listingId, b.startsAt));
    expect(again.statusCode).toBe(201);
  });

  it('lists a client’s own bookings only', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/bookings?as=client&scope=all', headers: stranger.auth });
    expect(mine.json().items.every((i: { client: { id: string } }) => i.client.id === stranger.userId)).toBe(true);
    const theirs = await t.app.inject({ method: 'GET', url: `/bookings?as=coop&coopId=${coopId}`, headers: stranger.auth });
    expect(theirs.statusCode).toBe(403);
  });
});

describe('people who may not see a booking', () => {
  it('learn nothing of it, whatever they send: 404 before any field error; an assigned worker is told 403', async () => {
    const b = await book();
    const actions: [string, string][] = [['POST', 'accept'], ['POST', 'decline'], ['POST', 'cancel'], ['POST', 'complete'], ['POST', 'no-show'],
      ['PUT', 'workers'], ['POST', 'reschedule'], ['POST', 'review'], ['POST', 'refunds']];
    for (const who of [stranger, otherAdmin, worker]) {
      for (const [method, action] of actions) {
        const res = await t.app.inject({ method: method as 'POST', url: `/bookings/${b.id}/${action}`, headers: who.auth, payload: { reason: 42, startsAt: 'soon', hours: 'x', userIds: null } });
        expect([action, res.statusCode, errorOf(res).code]).toEqual([action, 404, 'not_found']);
      }
    }
    // Signed out, the answer is the same for a real booking and a made-up one, whatever the body.
    const madeUp = '00000000-0000-4000-8000-000000000000';
    for (const url of [`/bookings/${b.id}/decline`, `/bookings/${madeUp}/decline`, `/bookings/${madeUp}/refunds`, `/coops/${madeUp}/invitations`]) {
      expect([url, (await t.app.inject({ method: 'POST', url, payload: {} })).statusCode]).toEqual([url, 401]);
    }
    expect((await t.app.inject({ method: 'PUT', url: `/listings/${madeUp}/schedule`, payload: { weekly: [] } })).statusCode).toBe(401);
    // The client of the booking still gets the field errors.
    expect(errorOf(await post(`/bookings/${b.id}/reschedule`, client, { startsAt: 'soon' })).fields).toHaveProperty('startsAt');
    // Assigned, the worker sees the booking but may not answer it for the co-op.
    await t.app.inject({ method: 'PUT', url: `/bookings/${b.id}/workers`, headers: admin.auth, payload: { userIds: [worker.userId] } });
    const accept = await post(`/bookings/${b.id}/accept`, worker);
    expect([accept.statusCode, errorOf(accept).code]).toEqual([403, 'forbidden']);
  });
});

describe('a worker who leaves the co-op', () => {
  it('no longer sees its bookings, and is taken off those not started; the one under way keeps her', async () => {
    const coming = await book();
    const underWay = await book();
    for (const b of [coming, underWay]) {
      await t.app.inject({ method: 'PUT', url: `/bookings/${b.id}/workers`, headers: admin.auth, payload: { userIds: [worker.userId] } });
    }
    await started(underWay.id);
    expect((await t.app.inject({ method: 'GET', url: `/bookings/${coming.id}`, headers: worker.auth })).statusCode).toBe(200);
    const removed = await t.app.inject({ method: 'DELETE', url: `/coops/${coopId}/members/${worker.userId}`, headers: admin.auth });
    expect(removed.statusCode, removed.body).toBe(200);
    for (const b of [coming, underWay]) {
      const seen = await t.app.inject({ method: 'GET', url: `/bookings/${b.id}`, headers: worker.auth });
      expect([b === coming ? 'coming' : 'under way', seen.statusCode]).toEqual([b === coming ? 'coming' : 'under way', 404]);
      expect((await t.app.inject({ method: 'GET', url: `/bookings/${b.id}/payment`, headers: worker.auth })).statusCode).toBe(404);
    }
    const workers = async (id: string) => (await t.app.inject({ method: 'GET', url: `/bookings/${id}`, headers: admin.auth })).json().workers.map((w: { userId: string }) => w.userId);
    expect(await workers(coming.id)).toEqual([]);
    expect(await workers(underWay.id)).toEqual([worker.userId]);
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${worker.userId}, 'worker')`;
  });
});
