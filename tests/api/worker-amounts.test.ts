/**
 * What an assigned worker-member sees of a booking: the job (time, address, answers to the
 * listing's questions, the add-ons' names and minutes, entry notes while they serve), never the
 * client's money (price, payment, receipt, refunds, add-on prices). The co-op's admins and the
 * client see the amounts. Her own tip share stays hers to see (tips per worker).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { payBooking, startBooking } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
let amina: SignedIn;
let bookingId: string;
let questionId: string;
const next = slots(72);

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
  amina = await signUp(t.app, { name: 'Amina Diallo' });
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${w.coopId}, ${amina.userId}, 'worker')`;
  const addons = await kit.put(`/listings/${w.listingId}/addons`, w.admin, { addons: [{ nameFr: 'Intérieur du frigo', nameEn: 'Inside the fridge', priceCents: 2_500, extraMinutes: 30 }] });
  expect(addons.statusCode, addons.body).toBe(200);
  const questions = await kit.put(`/listings/${w.listingId}/questions`, w.admin, { questions: [{ kind: 'short_text', labelFr: 'Code de la porte', labelEn: 'Door code' }] });
  expect(questions.statusCode, questions.body).toBe(200);
  questionId = questions.json().items[0].id;
  const b = await kit.book(w.client, w.listingId, next(), {
    addonIds: [addons.json().items[0].id], answers: [{ questionId, value: '4321#' }], newAddress: { street: '4321 rue Saint-Denis', city: 'Montréal', postalCode: 'H2J 2K9', entryNotes: 'Chat timide, ne pas le laisser sortir' },
  });
  bookingId = b.id;
  await kit.accept(w.admin, bookingId);
  await payBooking(t, w.client, bookingId);
  const team = await kit.put(`/bookings/${bookingId}/workers`, w.admin, { userIds: [amina.userId] });
  expect(team.statusCode, team.body).toBe(200);
}, 120_000);
afterAll(() => t?.close());

describe('amounts of a booking, by role', () => {
  it('the co-op admin and the client see the price, the payment and the add-ons’ prices', async () => {
    for (const who of [w.admin, w.client]) {
      const b = (await kit.get(`/bookings/${bookingId}`, who)).json();
      // 135.00 $ + the fridge 25.00 $.
      expect([b.priceCents, b.regularPriceCents, b.addons[0].priceCents]).toEqual([16_000, 16_000, 2_500]);
      expect(b.paid).toMatchObject({ refundedCents: 0 });
      expect(b.paid.totalCents).toBeGreaterThan(16_000);
      const payment = await kit.get(`/bookings/${bookingId}/payment`, who);
      expect(payment.statusCode, payment.body).toBe(200);
      expect(payment.json().breakdown.serviceCents).toBe(16_000);
    }
  });

  it('the assigned worker sees the job, not the money: no price, payment, receipt nor add-on price', async () => {
    const res = await kit.get(`/bookings/${bookingId}`, amina);
    expect(res.statusCode, res.body).toBe(200);
    const b = res.json();
    expect(b.viewer).toMatchObject({ isWorker: true, isCoopAdmin: false });
    expect([b.priceCents, b.regularPriceCents, b.paid]).toEqual([null, null, null]);
    expect(b.addons).toEqual([expect.objectContaining({ nameFr: 'Intérieur du frigo', extraMinutes: 30, priceCents: null })]);
    expect(b.answers).toEqual([expect.objectContaining({ questionId, shownFr: '4321#' })]);
    // The payment's answer (breakdown, refunds, receipt number) is not hers to read.
    expect((await kit.get(`/bookings/${bookingId}/payment`, amina)).statusCode).toBe(404);
    // Nor is the amount found in the body anywhere.
    expect(res.body).not.toMatch(/16000|2500/);
  });

  it('an admin who is also on the team keeps seeing the amounts', async () => {
    const team = await kit.put(`/bookings/${bookingId}/workers`, w.admin, { userIds: [amina.userId, w.admin.userId] });
    expect(team.statusCode, team.body).toBe(200);
    const b = (await kit.get(`/bookings/${bookingId}`, w.admin)).json();
    expect(b.viewer).toMatchObject({ isWorker: true, isCoopAdmin: true });
    expect(b.priceCents).toBe(16_000);
    expect((await kit.get(`/bookings/${bookingId}/payment`, w.admin)).statusCode).toBe(200);
  });
});

describe('"Mes visites" for the assigned worker', () => {
  it('carries the answers, the add-ons’ names and minutes (no price) and the entry notes', async () => {
    const res = await kit.get('/me/visits', amina);
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json().items.find((x: { bookingId: string }) => x.bookingId === bookingId);
    expect(v).toMatchObject({ entryNotes: 'Chat timide, ne pas le laisser sortir', durationMinutes: 90 });
    expect(v.answers).toEqual([expect.objectContaining({ questionId, labelFr: 'Code de la porte', shownFr: '4321#' })]);
    expect(v.addons).toEqual([{ nameFr: 'Intérieur du frigo', nameEn: 'Inside the fridge', extraMinutes: 30 }]);
    expect(JSON.stringify(v)).not.toMatch(/priceCents|2500/);
  });

  it('her tips statement still tells her her own share', async () => {
    await startBooking(t, bookingId, 200);
    const done = await kit.post(`/bookings/${bookingId}/complete`, w.admin, { hours: [] });
    expect(done.statusCode, done.body).toBe(200);
    // Paid tip written as the webhook would leave it; the share is what this test is about.
    await t.database.sql`INSERT INTO tips (booking_id, coop_id, client_id, amount_cents, status, paid_at) VALUES (${bookingId}, ${w.coopId}, ${w.client.userId}, 1001, 'paid', now())`;
    const mine = await kit.get(`/coops/${w.coopId}/tips`, amina);
    expect(mine.statusCode, mine.body).toBe(200);
    // 10.01 $ between Amina and the admin: 5.01 / 5.00 by largest remainder, ties to the lower id.
    expect(mine.json().workers).toEqual([expect.objectContaining({ userId: amina.userId, cents: amina.userId < w.admin.userId ? 501 : 500 })]);
  });
});
