/**
 * Add-ons of listings (issue 16): the co-op's admins set them, a client chooses some at booking,
 * the visit gets longer (so the slots offered change) and the price adds theirs; taxes and the
 * platform fee apply to the whole. The booking keeps a copy of what was chosen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, payBooking, publishListing, setSchedule } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
/** A 3 h cleaning at 40.00 $ an hour: 120.00 $ a visit. */
let cleaning: string;
const next = slots(72, 8);

interface Addon { id: string; nameFr: string; nameEn: string; priceCents: number; extraMinutes: number; position: number; active: boolean }

const fridge = { nameFr: 'Intérieur du frigo', nameEn: 'Inside the fridge', priceCents: 2_500, extraMinutes: 30 };
const oven = { nameFr: 'Intérieur du four', nameEn: 'Inside the oven', priceCents: 1_999, extraMinutes: 45 };

async function putAddons(who: SignedIn | null, listingId: string, addons: unknown[]) {
  return kit.put(`/listings/${listingId}/addons`, who, { addons });
}
async function setAddons(listingId: string, addons: unknown[]): Promise<Addon[]> {
  const res = await putAddons(w.admin, listingId, addons);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}
const book = (client: SignedIn, listingId: string, startsAt: string, addonIds: string[]) =>
  kit.post('/bookings', client, bookingBody(listingId, startsAt, { addonIds }));

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
  cleaning = (await publishListing(t, w.admin, w.coopId, { priceKind: 'hourly', priceCents: 4_000, durationMinutes: 180, solidarityPriceCents: 3_000 })).id;
  await setSchedule(t, w.admin, cleaning);
}, 120_000);
afterAll(() => t?.close());

describe("a listing's add-ons", () => {
  it('are set by its admins in order, shown on the listing (inactive ones to its co-op only)', async () => {
    const listing = (await publishListing(t, w.admin, w.coopId)).id;
    const saved = await setAddons(listing, [fridge, { ...oven, active: false }]);
    expect(saved.map((a) => [a.nameFr, a.position, a.active])).toEqual([['Intérieur du frigo', 0, true], ['Intérieur du four', 1, false]]);
    expect((await kit.get(`/listings/${listing}`, null)).json().addons.map((a: Addon) => a.nameEn)).toEqual(['Inside the fridge']);
    expect((await kit.get(`/listings/${listing}`, w.admin)).json().addons).toHaveLength(2);
    // Reordered, one edited, one removed, one added: the ids named stay, the one left out goes.
    const again = await setAddons(listing, [{ ...saved[1]!, active: true, priceCents: 0 }, { nameFr: 'Balcon', nameEn: 'Balcony', priceCents: 1_000, extraMinutes: 0 }]);
    expect(again.map((a) => [a.id === saved[1]!.id, a.nameEn, a.priceCents, a.position])).toEqual([[true, 'Inside the oven', 0, 0], [false, 'Balcony', 1_000, 1]]);
    expect(await setAddons(listing, [])).toEqual([]);
  });

  it("refuse bad input field by field, and another co-op's add-on ids", async () => {
    const listing = (await publishListing(t, w.admin, w.coopId)).id;
    const cases: [unknown[], string, string][] = [
      [[{ ...fridge, priceCents: -1 }], 'addons.0.priceCents', 'amount_too_small'],
      [[{ ...fridge, priceCents: 1e12 }], 'addons.0.priceCents', 'amount_too_large'],
      [[{ ...fridge, priceCents: 10.5 }], 'addons.0.priceCents', 'invalid_amount'],
      [[{ ...fridge, extraMinutes: 7 }], 'addons.0.extraMinutes', 'minutes_step'],
      [[{ ...fridge, extraMinutes: 8 * 60 + 5 }], 'addons.0.extraMinutes', 'too_large'],
      [[{ ...fridge, extraMinutes: -5 }], 'addons.0.extraMinutes', 'too_small'],
      [[{ ...fridge, nameFr: '' }], 'addons.0.nameFr', 'too_short'],
      [Array.from({ length: 21 }, () => fridge), 'addons', 'too_many'],
    ];
    for (const [addons, field, code] of cases) {
      const res = await putAddons(w.admin, listing, addons);
      expect(res.statusCode, JSON.stringify(addons).slice(0, 80)).toBe(400);
      expect(errorOf(res).fields?.[field]?.map((e) => e.code), res.body).toContain(code);
    }
    const [one] = await setAddons(listing, [fridge]);
    const dup = await putAddons(w.admin, listing, [one, one]);
    expect(errorOf(dup).fields?.['addons.1.id']?.[0]?.code).toBe('duplicate_addon');
    const [theirs] = await setAddons(cleaning, [oven]);
    const foreign = await putAddons(w.admin, listing, [theirs]);
    expect(foreign.statusCode).toBe(400);
    expect(errorOf(foreign).fields?.['addons.0.id']?.[0]?.code).toBe('invalid_id');
    // Nothing half-written.
    expect((await kit.get(`/listings/${listing}`, w.admin)).json().addons.map((a: Addon) => a.id)).toEqual([one!.id]);
    await setAddons(cleaning, []);
  });

  it("are changed by the listing's co-op admins only: 403 to those who see the listing, 404 to those who cannot", async () => {
    const adminB = await signUp(t.app);
    await approvedCoop(t, w.steward, adminB, 'Autre Coop');
    const listing = (await publishListing(t, w.admin, w.coopId)).id;
    expect((await putAddons(null, listing, [fridge])).statusCode).toBe(401);
    expect((await putAddons(w.client, listing, [fridge])).statusCode).toBe(403);
    expect((await putAddons(adminB, listing, [fridge])).statusCode).toBe(403);
    const paused = await kit.sql`UPDATE listings SET status = 'paused' WHERE id = ${listing} RETURNING id`;
    expect(paused).toHaveLength(1);
    expect((await putAddons(adminB, listing, [fridge])).statusCode).toBe(404);
    expect((await putAddons(w.client, listing, [fridge])).statusCode).toBe(404);
    expect((await putAddons(w.admin, '00000000-0000-4000-8000-000000000000', [fridge])).statusCode).toBe(404);
    expect((await kit.get(`/listings/${listing}`, w.admin)).json().addons).toEqual([]);
  });
});

describe('choosing add-ons at booking', () => {
  it('a 3 h cleaning with a 30-min add-on is refused where only 3 h are free, and the slots do not offer it', async () => {
    const client = await signUp(t.app);
    const [addon] = await setAddons(cleaning, [fridge]);
    // Another client holds the 3 h after `start + 3 h`: only 3 h are free from `start`.
    const start = next();
    const later = new Date(Date.parse(start) + 3 * 3_600_000).toISOString();
    await kit.book(await signUp(t.app), cleaning, later);
    const refused = await book(client, cleaning, start, [addon!.id]);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(errorOf(refused).code).toBe('slot_unavailable');

    const day = { from: new Date(Date.parse(start) - 3_600_000).toISOString(), to: new Date(Date.parse(start) + 3_600_000 + 1).toISOString() };
    const plain = (await kit.get(`/listings/${cleaning}/slots?from=${day.from}&to=${day.to}`, null)).json();
    expect(plain.durationMinutes).toBe(180);
    expect(plain.slots.map((s: { start: string }) => s.start)).toContain(start);
    const longer = (await kit.get(`/listings/${cleaning}/slots?from=${day.from}&to=${day.to}&addons=${addon!.id}`, null)).json();
    expect(longer.durationMinutes).toBe(210);
    expect(longer.slots.map((s: { start: string }) => s.start)).not.toContain(start);
    // The hour before has room for 3 h 30: offered, and booked for 3 h 30.
    const before = new Date(Date.parse(start) - 3_600_000).toISOString();
    expect(longer.slots.map((s: { start: string }) => s.start)).toContain(before);
    const made = await book(client, cleaning, before, [addon!.id]);
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ durationMinutes: 210, endsAt: new Date(Date.parse(before) + 210 * 60_000).toISOString() });
    // Without the add-on, the 3 h fit where they are free.
    const third = await signUp(t.app);
    const plainOk = await book(third, cleaning, new Date(Date.parse(later) + 3 * 3_600_000).toISOString(), []);
    expect(plainOk.statusCode, plainOk.body).toBe(201);
    expect(plainOk.json()).toMatchObject({ durationMinutes: 180, priceCents: 12_000, addons: [] });
  });

  it('refuses unknown, inactive, duplicate and other listings\' add-on ids on addonIds', async () => {
    const client = await signUp(t.app);
    const [active, inactive] = await setAddons(cleaning, [fridge, { ...oven, active: false }]);
    const [elsewhere] = await setAddons(w.listingId, [fridge]);
    const at = next();
    for (const ids of [[inactive!.id], [elsewhere!.id], ['00000000-0000-4000-8000-000000000000'], [active!.id, active!.id], ['nope']]) {
      const res = await book(client, cleaning, at, ids);
      expect(res.statusCode, res.body).toBe(400);
      expect(Object.keys(errorOf(res).fields ?? {}).some((k) => k.startsWith('addonIds')), res.body).toBe(true);
    }
    const slotsRes = await kit.get(`/listings/${cleaning}/slots?from=${at}&to=${new Date(Date.parse(at) + 86_400_000).toISOString()}&addons=${inactive!.id}`, null);
    expect(slotsRes.statusCode).toBe(400);
    expect(errorOf(slotsRes).fields?.addonIds?.[0]?.code).toBe('addon_unavailable');
    await setAddons(w.listingId, []);
  });

  it('prices the whole with GST, QST and the fee to the cent, and keeps a copy that later edits do not change', async () => {
    const [f, o] = await setAddons(cleaning, [fridge, oven]);
    /*
     * 120.00 $ (3 h at 40.00 $) + 25.00 $ + 19.99 $ = 164.99 $, at a co-op registered for GST and QST, fee 5 %:
     *   GST 5 %       16 499 × 0.05    =   824.95  →    8.25 $
     *   QST 9.975 %   16 499 × 0.09975 = 1 645.775 →   16.46 $
     *   total         16 499 + 825 + 1 646        →  189.70 $
     *   platform fee  16 499 × 0.05    =   824.95  →    8.25 $ (on the service and its add-ons, before taxes)
     *   co-op share   18 970 − 825                →  181.45 $
     */
    const b = await book(w.client, cleaning, next(), [o!.id, f!.id]);
    expect(b.statusCode, b.body).toBe(201);
    const booked = b.json();
    expect(booked).toMatchObject({
      durationMinutes: 180 + 30 + 45, priceCents: 16_499, regularPriceCents: 16_499,
      addons: [
        { addonId: f!.id, nameFr: 'Intérieur du frigo', nameEn: 'Inside the fridge', priceCents: 2_500, extraMinutes: 30 },
        { addonId: o!.id, nameFr: 'Intérieur du four', nameEn: 'Inside the oven', priceCents: 1_999, extraMinutes: 45 },
      ],
    });
    await kit.accept(w.admin, booked.id);
    const expected = { serviceCents: 16_499, gstCents: 825, qstCents: 1_646, totalCents: 18_970, feeRateBps: 500, platformFeeCents: 825, coopCents: 18_145 };
    expect((await kit.summary(w.client, booked.id)).breakdown).toEqual(expected);
    await payBooking(t, w.client, booked.id);
    const receipt = await kit.summary(w.client, booked.id);
    expect(receipt).toMatchObject({ status: 'paid', breakdown: expected });
    expect(receipt.receiptNumber).toBeTruthy();
    await kit.chargeDetailsRecorded();
    await kit.ledgerOk(w.steward);

    // The co-op renames and reprices the fridge and removes the oven: the booking keeps what was chosen.
    await setAddons(cleaning, [{ ...f!, nameFr: 'Frigo (nouveau)', priceCents: 9_900, extraMinutes: 60 }]);
    const after = (await kit.get(`/bookings/${booked.id}`, w.client)).json();
    expect(after).toMatchObject({ durationMinutes: 255, priceCents: 16_499 });
    expect(after.addons).toEqual([
      { addonId: f!.id, nameFr: 'Intérieur du frigo', nameEn: 'Inside the fridge', priceCents: 2_500, extraMinutes: 30 },
      { addonId: null, nameFr: 'Intérieur du four', nameEn: 'Inside the oven', priceCents: 1_999, extraMinutes: 45 },
    ]);
    expect((await kit.get(`/bookings/${booked.id}`, w.admin)).json().addons).toEqual(after.addons);
  });

  it('a solidarity rate granted replaces the service price only: the add-ons keep theirs', async () => {
    const client = await signUp(t.app);
    const [f] = await setAddons(cleaning, [fridge]);
    const b = await book(client, cleaning, next(), [f!.id]);
    const asked = await kit.post('/bookings', client, bookingBody(cleaning, next(), { addonIds: [f!.id], solidarityOrganization: 'Centre des aînés' }));
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json()).toMatchObject({ priceCents: 14_500, regularPriceCents: 14_500 });
    const res = await kit.post(`/bookings/${asked.json().id}/accept`, w.admin, { acceptSolidarity: true });
    expect(res.statusCode, res.body).toBe(200);
    // 3 h at 30.00 $ + 25.00 $.
    expect(res.json()).toMatchObject({ priceCents: 11_500, regularPriceCents: 14_500, solidarityAccepted: true, durationMinutes: 210 });
    expect(b.statusCode).toBe(201);
  });

  it('an assigned worker sees the add-ons and their minutes, never their amounts', async () => {
    const [f] = await setAddons(cleaning, [fridge]);
    const client = await signUp(t.app);
    const b = (await book(client, cleaning, next(), [f!.id])).json();
    const worker = await signUp(t.app);
    await kit.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${w.coopId}, ${worker.userId}, 'worker')`;
    const assigned = await kit.put(`/bookings/${b.id}/workers`, w.admin, { userIds: [worker.userId] });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const seen = await kit.get(`/bookings/${b.id}`, worker);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().addons).toEqual([{ addonId: f!.id, nameFr: fridge.nameFr, nameEn: fridge.nameEn, priceCents: null, extraMinutes: 30 }]);
    expect((await kit.get(`/bookings/${b.id}`, client)).json().addons[0].priceCents).toBe(2_500);

    // The emails say them: the co-op's admins with the price, the worker without.
    await dispatchOutbox(t.db, t.mailer, { webOrigin: 'http://localhost:5173' });
    const mails = (await t.mailer.list()).filter((m) => m.text.includes(b.id));
    const toAdmin = mails.find((m) => m.to === w.admin.email);
    const toWorker = mails.find((m) => m.to === worker.email);
    expect(toAdmin?.text).toContain('Options : Intérieur du frigo (+30 min, 25,00');
    expect(toWorker?.text).toContain('Options : Intérieur du frigo (+30 min)');
  });
});
