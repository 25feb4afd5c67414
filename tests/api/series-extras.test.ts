/**
 * Regular visits take the listing's questions and add-ons (issue 16), as a single booking does:
 * the answers are asked once and checked, the add-ons chosen lengthen every visit (so a series is
 * offered and accepted only where the longer visit fits) and add their prices (the regular-visit
 * discount is on the service alone); the series keeps both and every visit it makes carries them,
 * the first ones and those the horizon job makes later, so the co-op, the worker assigned to a
 * visit, the receipt and the emails show them as for a booking.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { payBooking, publishListing, setSchedule } from '../support/fixtures.js';
import { paymentsWorld, type PaymentsKit } from '../support/payments.js';
import { extendHorizons } from '../../server/src/modules/series/index.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
let amina: SignedIn, bruno: SignedIn;
/** A 3 h cleaning at 40.00 $ an hour (120.00 $), open 08:00–18:00 every day, weekly visits 10 % off. */
let cleaning: string;
let fridge: { id: string };
let pets: { id: string };
const ZONE = 'America/Toronto';

/** A local time on the day `days` ahead, in the listing's zone. */
const localAt = (days: number, time: string) => DateTime.fromISO(`${DateTime.now().setZone(ZONE).plus({ days }).toISODate()}T${time}`, { zone: ZONE }).toUTC().toISO()!;
const seriesBody = (startsAt: string, over: Record<string, unknown> = {}) => ({
  listingId: cleaning, startsAt, frequency: 'weekly', address: '12 rue Rachel', contactName: 'Claire', contactEmail: 'claire@example.org',
  answers: [{ questionId: pets.id, value: true }], ...over,
});
type VisitRow = { id: string; starts_at: Date; ends_at: Date; duration_minutes: number; price_cents: number; regular_price_cents: number; answers: { shownFr: string }[] };
const visitsOf = (seriesId: string) => t.database.sql<VisitRow[]>`
  SELECT id, starts_at, ends_at, duration_minutes, price_cents, regular_price_cents, answers FROM bookings WHERE series_id = ${seriesId} ORDER BY starts_at`;
const addonsOf = (bookingId: string) => t.database.sql<{ addon_id: string | null; name_fr: string; price_cents: number; extra_minutes: number }[]>`
  SELECT addon_id, name_fr, price_cents, extra_minutes FROM booking_addons WHERE booking_id = ${bookingId} ORDER BY position`;

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
  [amina, bruno] = (await Promise.all([1, 2].map(() => signUp(t.app)))) as [SignedIn, SignedIn];
  for (const who of [amina, bruno]) await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${w.coopId}, ${who.userId}, 'worker')`;
  cleaning = (await publishListing(t, w.admin, w.coopId, { priceKind: 'hourly', priceCents: 4_000, durationMinutes: 180, locationMode: 'client_place' })).id;
  await setSchedule(t, w.admin, cleaning, {
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })), horizonDays: 366,
    seriesFrequencies: ['weekly'], seriesDiscountBps: 1_000, instantBooking: true, capacity: 1,
  });
  const addons = await kit.put(`/listings/${cleaning}/addons`, w.admin, { addons: [{ nameFr: 'Intérieur du frigo', nameEn: 'Inside the fridge', priceCents: 2_500, extraMinutes: 30 }] });
  expect(addons.statusCode, addons.body).toBe(200);
  [fridge] = addons.json().items;
  const questions = await kit.put(`/listings/${cleaning}/questions`, w.admin, { questions: [{ kind: 'yes_no', labelFr: 'Des animaux ?', labelEn: 'Any pets?', required: true }] });
  expect(questions.statusCode, questions.body).toBe(200);
  [pets] = questions.json().items;
}, 120_000);
afterAll(() => t?.close());

describe('a series with a 30-minute add-on', () => {
  let seriesId: string;

  it('makes every visit 30 minutes longer and priced with the add-on, to the cent, and keeps the answers on each', async () => {
    const res = await kit.post('/series', w.client, seriesBody(localAt(14, '08:00'), { addonIds: [fridge.id] }));
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json();
    seriesId = s.id;
    /*
     * The service: 3 h at 40.00 $ = 120.00 $, 10 % off for regular visits = 108.00 $;
     * the fridge at its own price, 25.00 $: 133.00 $ a visit (145.00 $ without the discount).
     */
    expect(s).toMatchObject({ state: 'active', durationMinutes: 210, regularPriceCents: 14_500, priceCents: 13_300, discountBps: 1_000 });
    expect(s.addons).toEqual([{ addonId: fridge.id, nameFr: 'Intérieur du frigo', nameEn: 'Inside the fridge', priceCents: 2_500, extraMinutes: 30 }]);
    expect(s.answers).toEqual([expect.objectContaining({ questionId: pets.id, value: true, shownFr: 'Oui' })]);
    const visits = await visitsOf(seriesId);
    expect(visits.length).toBeGreaterThanOrEqual(8);
    for (const v of visits) {
      expect([v.duration_minutes, (Date.parse(String(v.ends_at)) - Date.parse(String(v.starts_at))) / 60_000, v.price_cents, v.regular_price_cents]).toEqual([210, 210, 13_300, 14_500]);
      expect(v.answers.map((a) => a.shownFr)).toEqual(['Oui']);
      expect(await addonsOf(v.id)).toEqual([{ addon_id: fridge.id, name_fr: 'Intérieur du frigo', price_cents: 2_500, extra_minutes: 30 }]);
    }
    const first = (await kit.get(`/bookings/${visits[0]!.id}`, w.client)).json();
    expect(first).toMatchObject({ durationMinutes: 210, priceCents: 13_300, addons: [{ addonId: fridge.id, priceCents: 2_500, extraMinutes: 30 }] });
  });

  it("tells the co-op's admins what every visit comes with and the answers, and the client the add-on and its price", async () => {
    const mails = (await t.sentMail()).filter((m) => m.text.includes(`/series/${seriesId}`));
    const toCoop = mails.find((m) => m.to === w.admin.email);
    expect(toCoop, "the co-op's email").toBeDefined();
    const coopText = toCoop!.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(coopText).toContain('Options : Intérieur du frigo (+30 min, 25,00 $)');
    expect(coopText).toContain('- Des animaux ? : Oui');
    const toClient = mails.find((m) => m.to === w.client.email);
    expect(toClient!.text.replace(/[\u00a0\u202f]/g, ' ')).toContain('Intérieur du frigo (+30 min, 25,00 $)');
  });

  it('the horizon job makes the later visits the same length, price, add-on and answers, even once the listing dropped the add-on', async () => {
    const before = await visitsOf(seriesId);
    // The co-op removes the add-on from its listing: the series keeps what was chosen.
    expect((await kit.put(`/listings/${cleaning}/addons`, w.admin, { addons: [] })).statusCode).toBe(200);
    await extendHorizons(t.db, new Date(Date.now() + 15 * 86_400_000));
    const after = await visitsOf(seriesId);
    expect(after.length).toBeGreaterThan(before.length);
    for (const v of after.slice(before.length)) {
      expect([v.duration_minutes, (Date.parse(String(v.ends_at)) - Date.parse(String(v.starts_at))) / 60_000, v.price_cents]).toEqual([210, 210, 13_300]);
      expect(v.answers.map((a) => a.shownFr)).toEqual(['Oui']);
      // The copy names no add-on the listing no longer has, as a booking's copy does.
      expect(await addonsOf(v.id)).toEqual([{ addon_id: null, name_fr: 'Intérieur du frigo', price_cents: 2_500, extra_minutes: 30 }]);
    }
    [fridge] = (await kit.put(`/listings/${cleaning}/addons`, w.admin, { addons: [{ nameFr: 'Intérieur du frigo', nameEn: 'Inside the fridge', priceCents: 2_500, extraMinutes: 30 }] })).json().items;
  });

  it('a visit paid: taxes and the fee on the whole, the receipt to the cent, the ledger balanced', async () => {
    const [v] = await visitsOf(seriesId);
    /*
     * 133.00 $ at a co-op registered for GST and QST, fee 5 %:
     *   GST 5 %       13 300 × 0.05    =   665      →    6.65 $
     *   QST 9.975 %   13 300 × 0.09975 = 1 326.675  →   13.27 $
     *   total         13 300 + 665 + 1 327         →  152.92 $
     *   platform fee  13 300 × 0.05    =   665      →    6.65 $ (on the service and its add-on, before taxes)
     *   co-op share   15 292 − 665                 →  146.27 $
     */
    const expected = { serviceCents: 13_300, gstCents: 665, qstCents: 1_327, totalCents: 15_292, feeRateBps: 500, platformFeeCents: 665, coopCents: 14_627 };
    expect((await kit.summary(w.client, v!.id)).breakdown).toEqual(expected);
    await payBooking(t, w.client, v!.id);
    expect(await kit.summary(w.client, v!.id)).toMatchObject({ status: 'paid', breakdown: expected });
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);
  });

  it('shows the answers and the add-on to the worker assigned to a visit (no prices), and nothing to a worker who is not', async () => {
    const [, v] = await visitsOf(seriesId);
    expect((await kit.put(`/bookings/${v!.id}/workers`, w.admin, { userIds: [amina.userId] })).statusCode).toBe(200);
    const seen = await kit.get(`/bookings/${v!.id}`, amina);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().answers).toEqual([expect.objectContaining({ questionId: pets.id, shownFr: 'Oui' })]);
    // The add-on it was made with was removed from the listing since (above): the visit's copy names none.
    expect(seen.json().addons).toEqual([{ addonId: null, nameFr: 'Intérieur du frigo', nameEn: 'Inside the fridge', priceCents: null, extraMinutes: 30 }]);
    expect((await kit.get(`/bookings/${v!.id}`, bruno)).statusCode).toBe(404);
    expect((await kit.get(`/series/${seriesId}`, bruno)).statusCode).toBe(404);
    for (const who of [w.client, w.admin]) expect((await kit.get(`/series/${seriesId}`, who)).json().answers).toHaveLength(1);
    // On the series' team she reads what to do, not what the client pays, as on a visit.
    expect((await kit.put(`/series/${seriesId}/workers`, w.admin, { userIds: [amina.userId] })).statusCode).toBe(200);
    const series = await kit.get(`/series/${seriesId}`, amina);
    expect(series.statusCode, series.body).toBe(200);
    expect(series.json()).toMatchObject({ priceCents: null, regularPriceCents: null, answers: [expect.objectContaining({ questionId: pets.id })] });
    expect((await kit.get(`/series/${seriesId}`, w.client)).json().priceCents).toBe(13_300);
    // Her email about the visit says what to do there and the answer.
    const mail = (await t.sentMail()).find((m) => m.to === amina.email && m.text.includes(v!.id));
    expect(mail, "the worker's email").toBeDefined();
    const text = mail!.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain('- Des animaux ? : Oui');
    expect(text).toContain('Intérieur du frigo (+30 min)');
  });
});

describe('a change of the series', () => {
  it('keeps the add-on and the answers on the visits it makes, and is refused at a time the longer visit does not fit', async () => {
    const [seriesId] = (await t.database.sql<{ id: string }[]>`SELECT id FROM booking_series WHERE client_id = ${w.client.userId}`).map((r) => r.id);
    const from = DateTime.now().setZone(ZONE).plus({ days: 14 + 7 * 3 }).toISODate()!;
    // 15:00 + 3 h 30 ends after closing (18:00): the 3 h service would fit, the longer visit does not.
    const late = await kit.post(`/series/${seriesId}/change`, w.client, { from, time: '15:00' });
    expect(late.statusCode, late.body).toBe(400);
    const res = await kit.post(`/series/${seriesId}/change`, w.client, { from, time: '13:00' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ durationMinutes: 210, priceCents: 13_300, addons: [{ nameFr: 'Intérieur du frigo', extraMinutes: 30 }] });
    const made = await t.database.sql<VisitRow[]>`
      SELECT id, starts_at, ends_at, duration_minutes, price_cents, regular_price_cents, answers FROM bookings
      WHERE series_id = ${seriesId!} AND series_date >= ${from} AND state IN ('requested', 'accepted', 'paid') ORDER BY starts_at`;
    expect(made.length).toBeGreaterThan(0);
    for (const v of made) {
      expect(DateTime.fromJSDate(new Date(String(v.starts_at)), { zone: ZONE }).toFormat('HH:mm')).toBe('13:00');
      expect([v.duration_minutes, v.price_cents, v.answers.map((a) => a.shownFr)]).toEqual([210, 13_300, ['Oui']]);
      expect((await addonsOf(v.id)).map((a) => [a.name_fr, a.price_cents, a.extra_minutes])).toEqual([['Intérieur du frigo', 2_500, 30]]);
    }
  });
});

describe('where the longer visit does not fit', () => {
  it('is not offered: a first visit 3 h before closing is refused with the add-on, previewed without it', async () => {
    const at = localAt(20, '15:00');
    const q = (addons: string) => `/listings/${cleaning}/series-preview?${new URLSearchParams({ startsAt: at, frequency: 'weekly', count: '3', ...(addons && { addons }) })}`;
    const plain = await kit.get(q(''), w.client);
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json()).toMatchObject({ durationMinutes: 180, priceCents: 10_800, addons: [] });
    const longer = await kit.get(q(fridge.id), w.client);
    expect(longer.statusCode, longer.body).toBe(400);
    expect(errorOf(longer).fields?.startsAt?.[0]?.code).toBe('not_a_listed_time');
    const client = await signUp(t.app);
    const made = await kit.post('/series', client, seriesBody(at, { count: 3, addonIds: [fridge.id] }));
    expect(made.statusCode, made.body).toBe(400);
    expect(await t.database.sql`SELECT 1 FROM booking_series WHERE client_id = ${client.userId}`).toHaveLength(0);
  });

  it('a later date with only 3 h free is not free for the longer visit: the client must skip or move it', async () => {
    const other = await signUp(t.app);
    // A booking from 11:00 the second week leaves 08:00–11:00 free that day: the service fits, not the add-on.
    await kit.book(other, cleaning, localAt(22, '11:00'), { address: '5 rue Roy', answers: [{ questionId: pets.id, value: false }] });
    const q = (addons: string) => `/listings/${cleaning}/series-preview?${new URLSearchParams({ startsAt: localAt(15, '08:00'), frequency: 'weekly', count: '3', ...(addons && { addons }) })}`;
    const plain = await kit.get(q(''), w.client);
    expect(plain.json().visits.map((v: { status: string }) => v.status)).toEqual(['free', 'free', 'free']);
    const longer = await kit.get(q(fridge.id), w.client);
    expect(longer.statusCode, longer.body).toBe(200);
    expect(longer.json()).toMatchObject({ durationMinutes: 210, priceCents: 13_300, addons: [{ addonId: fridge.id, priceCents: 2_500 }] });
    expect(longer.json().visits.map((v: { status: string }) => v.status)).toEqual(['free', 'taken', 'free']);
    const client = await signUp(t.app);
    const made = await kit.post('/series', client, seriesBody(localAt(15, '08:00'), { count: 3, addonIds: [fridge.id] }));
    expect(made.statusCode, made.body).toBe(409);
    expect(errorOf(made).code).toBe('series_needs_choices');
  });
});

describe('bad answers and add-ons', () => {
  it('a required question missing is refused on its field, and nothing is written', async () => {
    const client = await signUp(t.app);
    const res = await kit.post('/series', client, seriesBody(localAt(30, '08:00'), { answers: [] }));
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).fields).toEqual({ [`answers.${pets.id}`]: [expect.objectContaining({ code: 'required' })] });
    const wrong = await kit.post('/series', client, seriesBody(localAt(30, '08:00'), { answers: [{ questionId: pets.id, value: 'peut-être' }] }));
    expect(errorOf(wrong).fields?.[`answers.${pets.id}`]?.[0]?.code).toBe('invalid_value');
    expect(await t.database.sql`SELECT 1 FROM booking_series WHERE client_id = ${client.userId}`).toHaveLength(0);
  });

  it("another listing's add-on, an unknown one or the same one twice is refused on addonIds", async () => {
    const client = await signUp(t.app);
    const elsewhere = (await kit.put(`/listings/${w.listingId}/addons`, w.admin, { addons: [{ nameFr: 'Balcon', nameEn: 'Balcony', priceCents: 1_000, extraMinutes: 0 }] })).json().items[0].id;
    for (const addonIds of [[elsewhere], ['00000000-0000-4000-8000-000000000000'], [fridge.id, fridge.id]]) {
      const res = await kit.post('/series', client, seriesBody(localAt(30, '08:00'), { addonIds }));
      expect(res.statusCode, res.body).toBe(400);
      expect(Object.keys(errorOf(res).fields ?? {}).some((k) => k.startsWith('addonIds')), res.body).toBe(true);
    }
    const preview = await kit.get(`/listings/${cleaning}/series-preview?${new URLSearchParams({ startsAt: localAt(30, '08:00'), frequency: 'weekly', addons: elsewhere })}`, client);
    expect(preview.statusCode).toBe(400);
    expect(errorOf(preview).fields?.addonIds?.[0]?.code).toBe('addon_unavailable');
    expect(await t.database.sql`SELECT 1 FROM booking_series WHERE client_id = ${client.userId}`).toHaveLength(0);
  });
});

describe('the worker on a series’ team', () => {
  it('reads no discount nor refund, and her series emails no amount; the admin still reads them', async () => {
    // The first series, its first visit paid and Amina on its team (above).
    const seriesId = (await t.database.sql<{ id: string }[]>`SELECT id FROM booking_series WHERE client_id = ${w.client.userId} ORDER BY created_at LIMIT 1`)[0]!.id;
    const [paid] = await visitsOf(seriesId);
    const [d] = await t.database.sql<{ d: string }[]>`SELECT series_date::text AS d FROM bookings WHERE id = ${paid!.id}`;
    // The client ends the series from its paid first visit: refunded in full, and everyone is told.
    const ended = await kit.post(`/series/${seriesId}/end`, w.client, { from: d!.d });
    expect(ended.statusCode, ended.body).toBe(200);
    const mine = (await kit.get(`/series/${seriesId}`, amina)).json();
    expect(mine).toMatchObject({ priceCents: null, regularPriceCents: null, discountBps: null });
    expect(mine.visits.length).toBeGreaterThan(0);
    for (const v of mine.visits) expect(v.refundedCents).toBeNull();
    const theirs = (await kit.get(`/series/${seriesId}`, w.admin)).json();
    expect(theirs.discountBps).toBe(1_000);
    expect(theirs.visits.find((v: { bookingId: string }) => v.bookingId === paid!.id).refundedCents).toBe(15_292);
    const about = (await t.sentMail()).filter((m) => m.text.includes(`/series/${seriesId}`));
    const hers = about.filter((m) => m.to === amina.email);
    // Added to the team (assigned), then told of the end.
    expect(hers.length).toBeGreaterThanOrEqual(2);
    for (const m of hers) expect(m.text, m.subject).not.toMatch(/\$|Prix|Rembours|au lieu de/);
    expect(hers.map((m) => m.text).join('\n')).toContain('Intérieur du frigo (+30 min)');
    const adminEnd = about.find((m) => m.to === w.admin.email && m.subject.startsWith('Fin des visites'))!.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(adminEnd).toContain('Prix par visite : 133,00 $ (avant taxes), au lieu de 145,00 $');
    expect(adminEnd).toContain('Remboursé pour la visite payée annulée : 152,92 $');
  });
});
