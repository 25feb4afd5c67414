/**
 * An offer for regular work: the co-op proposes visits that come back (a frequency, the first
 * visit, the price of one visit), the client accepts, and a series exists at the agreed price,
 * with its first visits, its conversation, and each visit charged like any booking, to the cent.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendHorizons } from '../../server/src/modules/series/index.js';
import { createTestApp, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { hourFromNow, payBooking, setSchedule } from '../support/fixtures.js';
import { paymentsWorld, type PaymentsKit } from '../support/payments.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
let cleaning: string;

const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
const ask = (over: Record<string, unknown> = {}) => ({
  listingId: cleaning, description: 'Grand ménage d’un 6 ½ toutes les deux semaines, avec les vitres.', address: '4521 rue Fabre, Montréal', ...over,
});
// 3 h × 60 $ = 180 $ a visit.
const regular = (over: Record<string, unknown> = {}, recurrence: Record<string, unknown> = {}) => ({
  lines: [{ label: 'Entretien (3 personnes-heures)', quantity: 3, unitPriceCents: 6_000 }],
  validUntil: inDays(7), durationMinutes: 180, message: 'Toutes les deux semaines.',
  recurrence: { frequency: 'every_2_weeks', startsAt: hourFromNow(24 * 5), ...recurrence },
  ...over,
});

async function asked(client: SignedIn) {
  const res = await kit.post('/quotes', client, ask());
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; conversationId: string };
}
async function offered(id: string, over: Record<string, unknown> = {}, recurrence: Record<string, unknown> = {}) {
  const res = await kit.post(`/quotes/${id}/offers`, w.admin, regular(over, recurrence));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
  const res = await kit.post(`/coops/${w.coopId}/listings`, w.admin, {
    titleFr: 'Grand ménage', titleEn: 'Deep cleaning', descriptionFr: 'Grand ménage sur devis, selon la taille du logement.', descriptionEn: 'Deep cleaning, quoted by the size of the home.',
    category: 'menage', priceKind: 'hourly', priceCents: 4_500, durationMinutes: 120, locationMode: 'client_place', boroughs: ['plateau-mont-royal'],
    quoteMode: 'only', depositPercent: 30,
  });
  expect(res.statusCode, res.body).toBe(201);
  cleaning = res.json().id;
  await setSchedule(t, w.admin, cleaning, { horizonDays: 120, freeCancellationHours: 24, lateCancellationPercent: 50 });
});
afterAll(() => t.close());

describe('an offer of regular visits', () => {
  it('is priced per visit, carries its rule, and has no deposit (the listing’s deposit is for one-off jobs)', async () => {
    const client = await signUp(t.app);
    const q = await asked(client);
    const sent = await offered(q.id);
    const o = sent.offers[0];
    // 180 $; GST 9.00; QST 17.96 (9.975 % of 180 = 17.955, half up); fee 5 % = 9.00.
    expect(o).toMatchObject({ serviceCents: 18_000, gstCents: 900, qstCents: 1_796, totalCents: 20_696, platformFeeCents: 900, depositPercent: 0, proposedTimes: [] });
    expect(o.recurrence).toEqual({ frequency: 'every_2_weeks', startsAt: regular().recurrence.startsAt, until: null, count: null });
    expect(o.deposit.totalCents).toBe(20_696);
    expect(o.balance.totalCents).toBe(0);
    // What was offered is frozen, its rule too.
    await expect(kit.sql`UPDATE quote_offers SET recurrence = '{"frequency":"weekly"}'::jsonb WHERE quote_id = ${q.id}`).rejects.toThrow(/does not change/);
  });

  it('refuses bad rules on their fields and writes nothing', async () => {
    const client = await signUp(t.app);
    const q = await asked(client);
    const saturday = (() => {
      const d = new Date(Date.now() + 3 * DAY);
      while (d.getUTCDay() !== 6) d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(15, 0, 0, 0);
      return d.toISOString();
    })();
    const bad: [Record<string, unknown>, string, string][] = [
      [regular({}, { frequency: undefined }), 'recurrence.frequency', 'invalid_choice'],
      [regular({}, { frequency: 'daily' }), 'recurrence.frequency', 'invalid_choice'],
      [regular({}, { startsAt: new Date(Date.now() - 3_600_000).toISOString() }), 'recurrence.startsAt', 'time_in_past'],
      [regular({}, { startsAt: inDays(400) }), 'recurrence.startsAt', 'time_too_far_ahead'],
      [regular({}, { frequency: 'weekdays', startsAt: saturday }), 'recurrence.startsAt', 'weekday_start'],
      [regular({}, { count: 1 }), 'recurrence.count', 'too_small'],
      // The listing's visits start on the hour: 9:30 would make every visit a gap.
      [regular({}, { startsAt: new Date(Date.parse(hourFromNow(24 * 5)) + 30 * 60_000).toISOString() }), 'recurrence.startsAt', 'not_a_listed_time'],
      [regular({}, { until: '1999-01-01' }), 'recurrence.until', 'end_before_start'],
      [regular({ proposedTimes: [hourFromNow(30)] }), 'recurrence', 'times_or_series'],
      [{ ...regular(), recurrence: undefined }, 'proposedTimes', 'too_few'],
    ];
    for (const [body, field, code] of bad) {
      const res = await kit.post(`/quotes/${q.id}/offers`, w.admin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields?.[field]?.[0]?.code, `${JSON.stringify(body)} → ${res.body}`).toBe(code);
    }
    expect((await kit.sql`SELECT count(*)::int AS n FROM quote_offers WHERE quote_id = ${q.id}`)[0]!.n).toBe(0);
  });
});

describe('accepting regular visits', () => {
  it('makes exactly one series at the agreed price when accepted twice at once, with its visits, its conversation and its card step', async () => {
    const client = await signUp(t.app);
    const q = await asked(client);
    const sent = await offered(q.id);
    const first = sent.offers[0].recurrence.startsAt as string;
    const results = await Promise.all([1, 2, 3].map(() => kit.post(`/quotes/${q.id}/accept`, client, { offerVersion: 1 })));
    expect(results.map((r) => r.statusCode).sort(), results.map((r) => r.body).join('\n')).toEqual([200, 409, 409]);
    const ok = results.find((r) => r.statusCode === 200)!.json();
    expect(ok).toMatchObject({ state: 'accepted', actions: [], bookingId: null });
    expect(ok.offers[0].state).toBe('accepted');
    expect(ok.seriesId).toBeTruthy();

    const rows = await kit.sql`SELECT id, state, price_cents, regular_price_cents, discount_bps, duration_minutes, fee_rate_bps, quote_id, client_id, address FROM booking_series WHERE quote_id = ${q.id}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: ok.seriesId, state: 'active', price_cents: 18_000, regular_price_cents: 18_000, discount_bps: 0, duration_minutes: 180, fee_rate_bps: sent.offers[0].feeRateBps, client_id: client.userId, address: '4521 rue Fabre, Montréal' });
    const [rule] = await kit.sql`SELECT frequency, until FROM booking_series_rules WHERE series_id = ${ok.seriesId}`;
    expect(rule).toEqual({ frequency: 'every_2_weeks', until: null });

    // The first visits exist (at least the eight the series form shows), every two weeks from the agreed time.
    const visits = await kit.sql`SELECT id, state, starts_at, price_cents, duration_minutes, quote_id FROM bookings WHERE series_id = ${ok.seriesId} ORDER BY starts_at`;
    expect(visits.length).toBeGreaterThanOrEqual(8);
    expect(new Date(visits[0]!.starts_at).toISOString()).toBe(first);
    expect(new Date(visits[1]!.starts_at).getTime() - new Date(visits[0]!.starts_at).getTime()).toBeGreaterThanOrEqual(14 * DAY - 3_600_000);
    for (const v of visits) expect(v).toMatchObject({ state: 'accepted', price_cents: 18_000, duration_minutes: 180, quote_id: null });

    // The request's conversation now belongs to the series.
    const [c] = await kit.sql`SELECT series_id, booking_id FROM conversations WHERE id = ${q.conversationId}`;
    expect(c).toEqual({ series_id: ok.seriesId, booking_id: null });

    // The series page reads it, for both sides; its history says it was booked from the quote.
    const series = await kit.get(`/series/${ok.seriesId}`, client);
    expect(series.statusCode, series.body).toBe(200);
    expect(series.json()).toMatchObject({ state: 'active', priceCents: 18_000, rule: { frequency: 'every_2_weeks' } });
    expect((await kit.get(`/series/${ok.seriesId}`, w.admin)).statusCode).toBe(200);
    const mail = await kit.sql`SELECT payload FROM outbox WHERE dedupe_key LIKE ${`series:${ok.seriesId}:%`} OR payload->>'seriesId' = ${ok.seriesId}`;
    expect(mail.map((m) => m.payload.recipientId).sort()).toEqual(expect.arrayContaining([client.userId, w.admin.userId]));

    // A visit is paid like any booking, to the cent: 180 $ + GST + QST, the fee on the service.
    await payBooking(t, client, visits[0]!.id);
    const [paid] = await kit.sql`SELECT status, part, service_cents, gst_cents, qst_cents, total_cents, platform_fee_cents FROM payments WHERE booking_id = ${visits[0]!.id}`;
    expect(paid).toEqual({ status: 'paid', part: 'full', service_cents: 18_000, gst_cents: 900, qst_cents: 1_796, total_cents: 20_696, platform_fee_cents: 900 });
    expect((await kit.post(`/quotes/${q.id}/accept`, client, { offerVersion: 1 })).statusCode).toBe(409);
  });

  it('keeps a number of visits, refuses a time given that is not the offer’s, and is refused on a paused listing with nothing written', async () => {
    const client = await signUp(t.app);
    const q = await asked(client);
    const sent = await offered(q.id, {}, { frequency: 'weekly', startsAt: hourFromNow(24 * 9 + 5), count: 3 });
    const wrong = await kit.post(`/quotes/${q.id}/accept`, client, { offerVersion: 1, startsAt: hourFromNow(24 * 10) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.startsAt[0].code).toBe('time_not_proposed');
    expect((await kit.patch(`/listings/${cleaning}`, w.admin, { status: 'paused' })).statusCode).toBe(200);
    const paused = await kit.post(`/quotes/${q.id}/accept`, client, { offerVersion: 1 });
    expect(paused.statusCode).toBe(409);
    expect(paused.json().error.code).toBe('listing_paused');
    expect((await kit.sql`SELECT count(*)::int AS n FROM booking_series WHERE quote_id = ${q.id}`)[0]!.n).toBe(0);
    expect((await kit.patch(`/listings/${cleaning}`, w.admin, { status: 'active' })).statusCode).toBe(200);
    const ok = await kit.post(`/quotes/${q.id}/accept`, client, { offerVersion: 1, startsAt: sent.offers[0].recurrence.startsAt });
    expect(ok.statusCode, ok.body).toBe(200);
    const visits = await kit.sql`SELECT starts_at FROM bookings WHERE series_id = ${ok.json().seriesId}`;
    expect(visits).toHaveLength(3);
  });

  it('is refused when the first visit’s time has been taken since the offer', async () => {
    const client = await signUp(t.app);
    const q = await asked(client);
    const startsAt = hourFromNow(24 * 30 + 7);
    await offered(q.id, {}, { frequency: 'weekly', startsAt });
    // Someone else's one-off quote on the same time, accepted first.
    const other = await signUp(t.app);
    const oq = await asked(other);
    const res = await kit.post(`/quotes/${oq.id}/offers`, w.admin, { ...regular(), recurrence: undefined, proposedTimes: [startsAt] });
    expect(res.statusCode, res.body).toBe(201);
    expect((await kit.post(`/quotes/${oq.id}/accept`, other, { offerVersion: 1, startsAt })).statusCode).toBe(200);
    const taken = await kit.post(`/quotes/${q.id}/accept`, client, { offerVersion: 1 });
    expect(taken.statusCode, taken.body).toBe(409);
    expect(taken.json().error.code).toBe('slot_unavailable');
    expect((await kit.sql`SELECT count(*)::int AS n FROM booking_series WHERE quote_id = ${q.id}`)[0]!.n).toBe(0);
    expect((await kit.get(`/quotes/${q.id}`, client)).json().state).toBe('offered');
  });
});

/** A weekly series accepted from an offer, its first visit `hoursAhead` from now; its visits oldest first. */
async function acceptedSeries(client: SignedIn, hoursAhead: number) {
  const q = await asked(client);
  const sent = await offered(q.id, {}, { frequency: 'weekly', startsAt: hourFromNow(hoursAhead) });
  const ok = await kit.post(`/quotes/${q.id}/accept`, client, { offerVersion: 1 });
  expect(ok.statusCode, ok.body).toBe(200);
  const seriesId = ok.json().seriesId as string;
  const visits = async () => kit.sql`SELECT id, series_date::text AS date, starts_at, state FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at`;
  return { q, offer: sent.offers[0], seriesId, visits };
}

describe('a series made from an offer', () => {
  it('keeps the offer’s taxes: the co-op registered after an untaxed offer, its visits, the first and one the job makes later, are paid as the offer showed', async () => {
    const client = await signUp(t.app);
    await kit.setTaxes(w.admin, w.coopId, false);
    try {
      const q = await asked(client);
      const sent = await offered(q.id, {}, { frequency: 'weekly', startsAt: hourFromNow(24 * 3 + 11) });
      expect(sent.offers[0]).toMatchObject({ serviceCents: 18_000, gstCents: 0, qstCents: 0, totalCents: 18_000 });
      // Registered since the offer: the client accepts what she was shown, 180 $ with no taxes.
      await kit.setTaxes(w.admin, w.coopId, true);
      const ok = await kit.post(`/quotes/${q.id}/accept`, client, { offerVersion: 1 });
      expect(ok.statusCode, ok.body).toBe(200);
      const seriesId = ok.json().seriesId as string;
      const before = await kit.sql`SELECT id FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at`;
      await payBooking(t, client, before[0]!.id);
      const [first] = await kit.sql`SELECT status, part, service_cents, gst_cents, qst_cents, total_cents, platform_fee_cents FROM payments WHERE booking_id = ${before[0]!.id}`;
      expect(first).toEqual({ status: 'paid', part: 'full', service_cents: 18_000, gst_cents: 0, qst_cents: 0, total_cents: 18_000, platform_fee_cents: 900 });

      // Weeks later the job makes the next visits: they keep the offer's taxes too.
      await extendHorizons(t.db, new Date(Date.now() + 28 * DAY));
      const after = await kit.sql`SELECT id FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at`;
      expect(after.length).toBeGreaterThan(before.length);
      const made = after.at(-1)!.id as string;
      expect(before.map((b) => b.id)).not.toContain(made);
      await payBooking(t, client, made);
      const [later] = await kit.sql`SELECT status, service_cents, gst_cents, qst_cents, total_cents, platform_fee_cents FROM payments WHERE booking_id = ${made}`;
      expect(later).toEqual({ status: 'paid', service_cents: 18_000, gst_cents: 0, qst_cents: 0, total_cents: 18_000, platform_fee_cents: 900 });
      expect(await kit.sql`SELECT DISTINCT gst_registered, qst_registered FROM bookings WHERE series_id = ${seriesId}`).toEqual([{ gst_registered: false, qst_registered: false }]);
    } finally {
      await kit.setTaxes(w.admin, w.coopId, true);
    }
  });

  it('keeps its agreed time: the client is refused a visit’s move, a change of time or frequency and a gap’s move (409); the co-op’s admin may move and change', async () => {
    const client = await signUp(t.app);
    const s = await acceptedSeries(client, 24 * 4 + 15);
    const visits = await s.visits();
    const [series] = await kit.sql`SELECT time_zone FROM booking_series WHERE id = ${s.seriesId}`;
    const zone = series!.time_zone as string;
    const [rule] = await kit.sql`SELECT time::text AS time FROM booking_series_rules WHERE series_id = ${s.seriesId}`;
    const laterTime = DateTime.fromISO(`2000-01-01T${rule!.time}`).plus({ hours: 1 }).toFormat('HH:mm');
    const moveTo = (v: Record<string, unknown>) => new Date(new Date(v.starts_at as string).getTime() + 3_600_000).toISOString();
    const refused = async (res: { statusCode: number; body: string; json: () => { error: { code: string } } }) => {
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('quote_booking_reschedule');
    };

    // Her visit's page does not offer to move it; the co-op's does.
    expect((await kit.get(`/bookings/${visits[1]!.id}`, client)).json().actions).not.toContain('reschedule');
    expect((await kit.get(`/bookings/${visits[1]!.id}`, w.admin)).json().actions).toContain('reschedule');
    // Her series' page does not offer a change either (it says the time was agreed); the co-op's does.
    const hers = (await kit.get(`/series/${s.seriesId}`, client)).json();
    expect(hers.quoteId).toEqual(expect.any(String));
    expect(hers.actions).not.toContain('change');
    expect(hers.actions).toEqual(expect.arrayContaining(['pause', 'end']));
    expect((await kit.get(`/series/${s.seriesId}`, w.admin)).json().actions).toContain('change');
    await refused(await kit.post(`/bookings/${visits[1]!.id}/reschedule`, client, { startsAt: moveTo(visits[1]!) }));
    await refused(await kit.post(`/series/${s.seriesId}/change`, client, { from: visits[2]!.date, time: laterTime }));
    await refused(await kit.post(`/series/${s.seriesId}/change`, client, { from: visits[2]!.date, frequency: 'every_2_weeks' }));

    // A date the listing is closed on becomes a gap: she may skip it, not move it.
    const closed = DateTime.fromISO(visits.at(-1)!.date as string).plus({ weeks: 1 }).toISODate()!;
    await setSchedule(t, w.admin, cleaning, { horizonDays: 120, freeCancellationHours: 24, lateCancellationPercent: 50, exceptions: [{ date: closed, kind: 'closed' }] });
    try {
      await extendHorizons(t.db, new Date(Date.now() + 28 * DAY));
      const gaps = await kit.sql`SELECT date::text AS date FROM booking_series_gaps WHERE series_id = ${s.seriesId} AND resolution IS NULL`;
      expect(gaps.map((g) => g.date)).toEqual([closed]);
      const gapAt = DateTime.fromISO(`${closed}T${rule!.time}`, { zone }).plus({ days: 1 }).toUTC().toISO()!;
      await refused(await kit.post(`/series/${s.seriesId}/gaps/${closed}`, client, { action: 'move', startsAt: gapAt }));
      const skipped = await kit.post(`/series/${s.seriesId}/gaps/${closed}`, client, { action: 'skip' });
      expect(skipped.statusCode, skipped.body).toBe(200);
    } finally {
      await setSchedule(t, w.admin, cleaning, { horizonDays: 120, freeCancellationHours: 24, lateCancellationPercent: 50 });
    }

    // Nothing moved by her; the co-op's admin moves a visit and changes the time from a date.
    expect((await s.visits()).slice(0, visits.length).map((v) => new Date(v.starts_at).getTime())).toEqual(visits.map((v) => new Date(v.starts_at).getTime()));
    const moved = await kit.post(`/bookings/${visits[1]!.id}/reschedule`, w.admin, { startsAt: moveTo(visits[1]!) });
    expect(moved.statusCode, moved.body).toBe(200);
    const changed = await kit.post(`/series/${s.seriesId}/change`, w.admin, { from: visits[3]!.date, time: laterTime });
    expect(changed.statusCode, changed.body).toBe(200);
    // Pausing and ending stay hers.
    expect((await kit.post(`/series/${s.seriesId}/pause`, client, { from: visits[5]!.date })).statusCode).toBe(200);
    expect((await kit.post(`/series/${s.seriesId}/end`, client, { from: visits[6]!.date })).statusCode).toBe(200);
  });
});
