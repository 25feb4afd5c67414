import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, onboardCoop, openAllDay, payBooking, publishListing, setSchedule, startBooking } from '../support/fixtures.js';

let t: TestApp;
let admin: SignedIn, otherAdmin: SignedIn, client: SignedIn, other: SignedIn;
let coopId: string;
let listingId: string;

beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  [admin, otherAdmin, other] = (await Promise.all([1, 2, 3].map(() => signUp(t.app)))) as [SignedIn, SignedIn, SignedIn];
  client = await signUp(t.app, { name: 'Marie-Ève Tremblay' });
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Éclat')).id;
  await approvedCoop(t, steward, otherAdmin, 'Autre');
  await onboardCoop(t, admin, coopId);
  listingId = (await publishListing(t, admin, coopId)).id;
});
afterAll(() => t.close());

describe('availability', () => {
  it('has no slots until the co-op sets its hours, and tells clients the terms', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/listings/${listingId}/schedule` });
    expect(res.json()).toMatchObject({ configured: false, weekly: [], freeCancellationHours: 24, lateCancellationPercent: 50 });
    const slots = await t.app.inject({ method: 'GET', url: `/listings/${listingId}/slots?from=${hourFromNow(1)}&to=${hourFromNow(200)}` });
    expect(slots.json().slots).toEqual([]);
  });

  it('only the co-op’s admins change it', async () => {
    for (const who of [otherAdmin, client]) {
      const res = await t.app.inject({ method: 'PUT', url: `/listings/${listingId}/schedule`, headers: who.auth, payload: openAllDay() });
      expect(res.statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'PUT', url: `/listings/${listingId}/schedule`, payload: openAllDay() })).statusCode).toBe(401);
  });

  it('answers field by field for impossible hours and unknown zones', async () => {
    const res = await t.app.inject({
      method: 'PUT', url: `/listings/${listingId}/schedule`, headers: admin.auth,
      payload: openAllDay({ timeZone: 'Mars/Olympus', weekly: [{ weekday: 1, start: '17:00', end: '09:00' }], capacity: 0 }),
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(errorOf(res).fields!).sort()).toEqual(['capacity', 'timeZone', 'weekly.0.end']);
  });

  it('serves weekday hours in the listing zone, minus taken times', async () => {
    await setSchedule(t, admin, listingId, {
      weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })),
      minNoticeMinutes: 0,
    });
    const from = hourFromNow(24);
    const to = hourFromNow(24 * 8);
    const slots = (await t.app.inject({ method: 'GET', url: `/listings/${listingId}/slots?from=${from}&to=${to}` })).json();
    expect(slots.timeZone).toBe('America/Toronto');
    const local = slots.slots.map((s: { start: string }) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(s.start)));
    expect(local.length).toBeGreaterThanOrEqual(10);
    for (const l of local) expect(l).toMatch(/^(Mon|Tue|Wed|Thu|Fri) (09|10|11):(00|30)$/);
    const first = slots.slots[0].start;
    await t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: bookingBody(listingId, first) });
    const after = (await t.app.inject({ method: 'GET', url: `/listings/${listingId}/slots?from=${from}&to=${to}` })).json();
    expect(after.slots.map((s: { start: string }) => s.start)).not.toContain(first);
  });

  it('keeps a booking\'s time taken for a buffer that grew after it was made, even asked from its end', async () => {
    const id = (await publishListing(t, admin, coopId)).id;
    await setSchedule(t, admin, id, { weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })), minNoticeMinutes: 0 });
    const open = (await t.app.inject({ method: 'GET', url: `/listings/${id}/slots?from=${hourFromNow(24)}&to=${hourFromNow(24 * 3)}` })).json();
    const first = open.slots[0];
    expect((await t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: bookingBody(id, first.start) })).statusCode).toBe(201);
    // Its end plus a buffer of 90 minutes now holds the unit; a range starting at its end must see it.
    await setSchedule(t, admin, id, { weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })), minNoticeMinutes: 0, bufferMinutes: 90 });
    const end = new Date(first.end).getTime();
    const after = (await t.app.inject({ method: 'GET', url: `/listings/${id}/slots?from=${first.end}&to=${new Date(end + 6 * 3_600_000).toISOString()}` })).json();
    expect(after.slots.filter((s: { start: string }) => new Date(s.start).getTime() < end + 90 * 60_000)).toEqual([]);
  });

  it('refuses special hours on a day that has passed, and keeps the ones for today on', async () => {
    const put = (exceptions: object[]) =>
      t.app.inject({ method: 'PUT', url: `/listings/${listingId}/schedule`, headers: admin.auth, payload: openAllDay({ exceptions }) });
    const past = await put([{ date: '2020-01-01', kind: 'extra', start: '09:00', end: '12:00' }]);
    expect(past.statusCode).toBe(400);
    expect(Object.keys(errorOf(past).fields!)).toEqual(['exceptions.0.date']);
    const next = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const ok = await put([{ date: next, kind: 'closed' }]);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().exceptions).toEqual([{ date: next, kind: 'closed' }]);
  });

  it('refuses a range that is backwards or too long', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/listings/${listingId}/slots?from=${hourFromNow(10)}&to=${hourFromNow(5)}` });
    expect(res.statusCode).toBe(400);
    const long = await t.app.inject({ method: 'GET', url: `/listings/${listingId}/slots?from=${hourFromNow(1)}&to=${hourFromNow(24 * 70)}` });
    expect(long.statusCode).toBe(400);
  });
});

describe('reviews', () => {
  let bookingId: string;
  beforeAll(async () => {
    await setSchedule(t, admin, listingId);
    const b = (await t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: bookingBody(listingId, hourFromNow(300)) })).json();
    bookingId = b.id;
  });

  it('of a listing or co-op that does not exist: 404, not an empty list', async () => {
    const madeUp = '00000000-0000-4000-8000-000000000000';
    for (const url of [`/listings/${madeUp}/reviews`, `/coops/${madeUp}/reviews`]) {
      expect([url, (await t.app.inject({ method: 'GET', url })).statusCode]).toEqual([url, 404]);
    }
    expect((await t.app.inject({ method: 'GET', url: `/listings/${listingId}/reviews` })).json()).toMatchObject({ count: 0, items: [] });
  });

  it('only after completion, only by the client, only once; the co-op answers once', async () => {
    const early = await t.app.inject({ method: 'POST', url: `/bookings/${bookingId}/review`, headers: client.auth, payload: { rating: 5, body: 'Super!' } });
    expect(early.statusCode).toBe(409);
    await t.app.inject({ method: 'POST', url: `/bookings/${bookingId}/accept`, headers: admin.auth, payload: {} });
    await payBooking(t, client, bookingId);
    await startBooking(t, bookingId);
    await t.app.inject({ method: 'POST', url: `/bookings/${bookingId}/complete`, headers: admin.auth, payload: {} });
    const byAdmin = await t.app.inject({ method: 'POST', url: `/bookings/${bookingId}/review`, headers: admin.auth, payload: { rating: 5, body: 'Nous sommes les meilleurs' } });
    expect(byAdmin.statusCode).toBe(403);
    const byStranger = await t.app.inject({ method: 'POST', url: `/bookings/${bookingId}/review`, headers: other.auth, payload: { rating: 1, body: 'Jamais venu' } });
    expect(byStranger.statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'POST', url: `/bookings/${bookingId}/review`, headers: client.auth, payload: { rating: 6, body: '' } });
    expect(Object.keys(errorOf(bad).fields!).sort()).toEqual(['body', 'rating']);
    const ok = await t.app.inject({ method: 'POST', url: `/bookings/${bookingId}/review`, headers: client.auth, payload: { rating: 4, body: 'Travail soigné, à l’heure.' } });
    expect(ok.statusCode).toBe(201);
    const twice = await t.app.inject({ method: 'POST', url: `/bookings/${bookingId}/review`, headers: client.auth, payload: { rating: 1, body: 'Changement d’avis' } });
    expect(twice.statusCode).toBe(409);
    const reviewId = ok.json().id;
    const foreign = await t.app.inject({ method: 'POST', url: `/reviews/${reviewId}/reply`, headers: otherAdmin.auth, payload: { reply: 'Merci !' } });
    expect(foreign.statusCode).toBe(403);
    const reply = await t.app.inject({ method: 'POST', url: `/reviews/${reviewId}/reply`, headers: admin.auth, payload: { reply: 'Merci beaucoup !' } });
    expect(reply.json()).toMatchObject({ reply: 'Merci beaucoup !' });
    const again = await t.app.inject({ method: 'POST', url: `/reviews/${reviewId}/reply`, headers: admin.auth, payload: { reply: 'Encore merci' } });
    expect(again.statusCode).toBe(409);
    const booking = await t.app.inject({ method: 'GET', url: `/bookings/${bookingId}`, headers: client.auth });
    expect(booking.json().actions).not.toContain('review');
  });

  it('shows the average and the count on the listing and the co-op', async () => {
    const l = (await t.app.inject({ method: 'GET', url: `/listings/${listingId}/reviews` })).json();
    expect(l).toMatchObject({ count: 1, average: 4 });
    expect(l.items[0]).toMatchObject({ rating: 4, reply: 'Merci beaucoup !' });
    // Published as the form promises: first name and initial, never the full name.
    expect(l.items[0].authorName).toBe('Marie-Ève T.');
    expect(JSON.stringify(l)).not.toContain('Tremblay');
    const onBooking = (await t.app.inject({ method: 'GET', url: `/bookings/${bookingId}`, headers: admin.auth })).json();
    expect(onBooking.review.authorName).toBe('Marie-Ève T.');
    const c = (await t.app.inject({ method: 'GET', url: `/coops/${coopId}/reviews` })).json();
    expect(c).toMatchObject({ count: 1, average: 4 });
  });
});
