/**
 * Quotes, the gaps closed: a quote's booking keeps its agreed time (the co-op moves it, the client
 * asks), offers have limits (versions, rate, lines that round to nothing), proposed times are checked
 * against the team's capacity (and outside opening hours only told), answers are cleaned, and the
 * payment summary says what is due now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestApp, signUp, type TestApp } from '../support/test-app.js';
import { hourFromNow, setSchedule } from '../support/fixtures.js';
import { paymentsWorld, type PaymentsKit } from '../support/payments.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
let moveListing: string;
let questions: { id: string; kind: string }[];

const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
const RATE = 60;

async function ok(res: { statusCode: number; body: string; json(): any }, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}
const ask = (over: Record<string, unknown> = {}) => ({
  listingId: moveListing, description: 'Déménagement d’un 4 ½ au 3e étage, avec un piano droit.', address: '4521 rue Fabre, Montréal',
  preferredDates: [{ from: inDays(10).slice(0, 10) }], ...over,
});
const offer = (over: Record<string, unknown> = {}) => ({
  lines: [{ label: 'Camion et 3 déménageurs', quantity: 4, unitPriceCents: 15_000 }],
  validUntil: inDays(7), durationMinutes: 120, proposedTimes: [hourFromNow(24 * 20)], ...over,
});
/** A client with a request of her own (one open request per client and listing). */
async function asked(over: Record<string, unknown> = {}) {
  const client = await signUp(t.app);
  const q = await ok(await kit.post('/quotes', client, ask(over)), 201);
  return { client, id: q.id as string };
}
async function acceptedAt(startsAt: string) {
  const { client, id } = await asked();
  await ok(await kit.post(`/quotes/${id}/offers`, w.admin, offer({ proposedTimes: [startsAt] })), 201);
  const q = await ok(await kit.post(`/quotes/${id}/accept`, client, { offerVersion: 1, startsAt }));
  return { client, quoteId: id, bookingId: q.bookingId as string };
}

beforeAll(async () => {
  t = await createTestApp({ QUOTE_RATE_LIMIT_PER_MINUTE: String(RATE) });
  w = await paymentsWorld(t);
  kit = w.kit;
  moveListing = (await ok(await kit.post(`/coops/${w.coopId}/listings`, w.admin, {
    titleFr: 'Déménagement', titleEn: 'Moving', descriptionFr: 'Déménagements résidentiels, sur devis selon les étages.', descriptionEn: 'Home moves, quoted by floors and furniture.',
    category: 'demenagement', priceKind: 'hourly', priceCents: 12_000, durationMinutes: 180, locationMode: 'client_place', boroughs: ['plateau-mont-royal'],
    quoteMode: 'only', depositPercent: 30,
  }), 201)).id;
  await setSchedule(t, w.admin, moveListing, { capacity: 1 });
  questions = (await ok(await kit.put(`/listings/${moveListing}/questions`, w.admin, { questions: [
    { kind: 'short_text', labelFr: 'Code de la porte', labelEn: 'Door code' },
    { kind: 'number', labelFr: 'Nombre de pièces', labelEn: 'Rooms', min: 1, max: 20 },
  ] }))).items;
});
afterAll(() => t.close());

describe("a quote's booking keeps the time agreed in the offer", () => {
  it('the client may not reschedule it (409, told to write to the co-op); the co-op admin may; strangers get 404', async () => {
    const at = hourFromNow(24 * 9);
    const { client, quoteId, bookingId } = await acceptedAt(at);
    const mine = await ok(await kit.get(`/bookings/${bookingId}`, client));
    expect(mine.quoteId).toBe(quoteId);
    expect(mine.actions).not.toContain('reschedule');
    expect((await ok(await kit.get(`/bookings/${bookingId}`, w.admin))).actions).toContain('reschedule');

    const later = hourFromNow(24 * 9 + 5);
    const refused = await kit.post(`/bookings/${bookingId}/reschedule`, client, { startsAt: later });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('quote_booking_reschedule');
    expect((await kit.post(`/bookings/${bookingId}/reschedule`, w.stranger, { startsAt: later })).statusCode).toBe(404);
    expect((await ok(await kit.get(`/bookings/${bookingId}`, client))).startsAt).toBe(at);
    expect((await kit.sql`SELECT count(*)::int AS n FROM booking_events WHERE booking_id = ${bookingId} AND kind = 'rescheduled'`)[0]!.n).toBe(0);

    const moved = await ok(await kit.post(`/bookings/${bookingId}/reschedule`, w.admin, { startsAt: later }));
    expect(moved.startsAt).toBe(later);
  });

  it('a booking made otherwise has no quote, and its client still reschedules it herself', async () => {
    const b = await kit.book(w.client, w.listingId, hourFromNow(24 * 3));
    const mine = await ok(await kit.get(`/bookings/${b.id}`, w.client));
    expect(mine.quoteId).toBeNull();
    expect(mine.actions).toContain('reschedule');
    expect((await kit.post(`/bookings/${b.id}/reschedule`, w.client, { startsAt: hourFromNow(24 * 3 + 2) })).statusCode).toBe(200);
  });
});

describe('offer limits', () => {
  it('at most ten versions per request: the eleventh is 409 too_many_offers, nothing written', async () => {
    const { id } = await asked();
    for (let v = 1; v <= 10; v++) await ok(await kit.post(`/quotes/${id}/offers`, w.admin, offer({ message: `Version ${v}` })), 201);
    const eleventh = await kit.post(`/quotes/${id}/offers`, w.admin, offer());
    expect(eleventh.statusCode, eleventh.body).toBe(409);
    expect(eleventh.json().error.code).toBe('too_many_offers');
    const rows = await kit.sql`SELECT version, state FROM quote_offers WHERE quote_id = ${id} ORDER BY version`;
    expect(rows.length).toBe(10);
    expect(rows.at(-1)).toMatchObject({ version: 10, state: 'sent' });
  });

  it('a line whose amount rounds to 0 ¢ is refused on its row (line_zero); a line priced 0 on purpose is not', async () => {
    const { id } = await asked();
    const bad = await kit.post(`/quotes/${id}/offers`, w.admin, offer({ lines: [{ label: 'Vis', quantity: 0.01, unitPriceCents: 1 }, { label: 'Camion', unitPriceCents: 50_000 }] }));
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().error.fields['lines.0.quantity'][0].code).toBe('line_zero');
    expect((await kit.sql`SELECT count(*)::int AS n FROM quote_offers WHERE quote_id = ${id}`)[0]!.n).toBe(0);
    const gift = await ok(await kit.post(`/quotes/${id}/offers`, w.admin, offer({ lines: [{ label: 'Boîtes (offertes)', unitPriceCents: 0 }, { label: 'Camion', unitPriceCents: 50_000 }] })), 201);
    expect(gift.offers[0].lines[0].amountCents).toBe(0);
  });

  it(`each emailing route takes ${RATE} calls a minute from one person; the next is 429, and others are not held up`, async () => {
    const someone = await signUp(t.app);
    const url = `/quotes/${randomUUID()}/refuse`;
    for (let i = 0; i < RATE; i++) expect((await kit.post(url, someone, { reason: 'Non' })).statusCode).toBe(404);
    const limited = await kit.post(url, someone, { reason: 'Non' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect((await kit.post(url, w.stranger, { reason: 'Non' })).statusCode).toBe(404);
    // Another route of hers keeps its own count.
    expect((await kit.post(`/quotes/${randomUUID()}/decline`, someone, {})).statusCode).toBe(404);
  });
});

describe('proposed times', () => {
  it('refuses a past time and a time the team is fully booked at, each on its own field; nothing written', async () => {
    const taken = hourFromNow(24 * 12);
    await acceptedAt(taken);
    const { id } = await asked();
    const times = [hourFromNow(24 * 13), hourFromNow(24 * 12 + 1), new Date(Date.now() - 3_600_000).toISOString(), taken];
    const res = await kit.post(`/quotes/${id}/offers`, w.admin, offer({ proposedTimes: times }));
    expect(res.statusCode, res.body).toBe(400);
    const fields = res.json().error.fields;
    expect(fields['proposedTimes.0']).toBeUndefined();
    expect(fields['proposedTimes.1'][0].code).toBe('team_fully_booked');
    expect(fields['proposedTimes.2'][0].code).toBe('time_in_past');
    expect(fields['proposedTimes.3'][0].code).toBe('team_fully_booked');
    expect((await kit.sql`SELECT count(*)::int AS n FROM quote_offers WHERE quote_id = ${id}`)[0]!.n).toBe(0);
  });

  it('a time outside the opening hours is sent, and the co-op (not the client) is shown it', async () => {
    // Open on weekdays only, 9:00 to 17:00 in Montréal.
    await setSchedule(t, w.admin, moveListing, { capacity: 1, weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })) });
    try {
      const { client, id } = await asked();
      const sunday = new Date(Date.now() + 21 * DAY);
      sunday.setUTCDate(sunday.getUTCDate() + ((7 - sunday.getUTCDay()) % 7));
      sunday.setUTCHours(15, 0, 0, 0); // 10:00 or 11:00 in Montréal, a Sunday
      const monday = new Date(sunday.getTime() + DAY); // Monday, within the hours
      const sent = await ok(await kit.post(`/quotes/${id}/offers`, w.admin, offer({ proposedTimes: [sunday.toISOString(), monday.toISOString()] })), 201);
      expect(sent.offers[0].outsideHours).toEqual([sunday.toISOString()]);
      expect((await ok(await kit.get(`/quotes/${id}`, w.admin))).offers[0].outsideHours).toEqual([sunday.toISOString()]);
      expect((await ok(await kit.get(`/quotes/${id}`, client))).offers[0].outsideHours).toEqual([]);
      // And the client may take the Sunday the co-op agreed to.
      const q = await ok(await kit.post(`/quotes/${id}/accept`, client, { offerVersion: 1, startsAt: sunday.toISOString() }));
      expect(q.state).toBe('accepted');
      // A listing with no opening hours at all (on quote only, it may set none): no time is outside them.
      await setSchedule(t, w.admin, moveListing, { capacity: 1, weekly: [] });
      const other = await asked();
      const unset = await ok(await kit.post(`/quotes/${other.id}/offers`, w.admin, offer({ proposedTimes: [new Date(sunday.getTime() + 7 * DAY).toISOString()] })), 201);
      expect(unset.offers[0].outsideHours).toEqual([]);
    } finally {
      await setSchedule(t, w.admin, moveListing, { capacity: 1 });
    }
  });

  it('acceptance still re-checks: a time taken after the offer was sent is refused then', async () => {
    const at = hourFromNow(24 * 15);
    const { client, id } = await asked();
    await ok(await kit.post(`/quotes/${id}/offers`, w.admin, offer({ proposedTimes: [at] })), 201);
    await acceptedAt(at);
    const late = await kit.post(`/quotes/${id}/accept`, client, { offerVersion: 1, startsAt: at });
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json().error.code).toBe('slot_unavailable');
  });
});

describe('answers and listing input', () => {
  it('strips bidi overrides and control characters from text answers, reads "2,5", refuses what is not a number as such', async () => {
    const [door, rooms] = questions as unknown as [{ id: string }, { id: string }];
    const { id } = await asked({ answers: [{ questionId: door.id, value: '\u202e1234#\u2066 porte\u2069 \u0007bleue' }, { questionId: rooms.id, value: '2,5' }] });
    const q = await ok(await kit.get(`/quotes/${id}`, w.admin));
    expect(q.answers.map((a: { value: unknown }) => a.value)).toEqual(['1234# porte bleue', 2.5]);
    const client = await signUp(t.app);
    const bad = await kit.post('/quotes', client, ask({ answers: [{ questionId: rooms.id, value: 'deux' }] }));
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().error.fields[`answers.${rooms.id}`][0].code).toBe('not_a_number');
  });

  it('a listing\'s depositPercent is a JSON number: "50" is refused, 50 is taken', async () => {
    const before = await ok(await kit.get(`/listings/${moveListing}`, w.admin));
    const asText = await kit.patch(`/listings/${moveListing}`, w.admin, { depositPercent: '50' });
    expect(asText.statusCode, asText.body).toBe(400);
    expect(asText.json().error.fields.depositPercent[0].code).toBe('invalid_number');
    expect((await ok(await kit.get(`/listings/${moveListing}`, w.admin))).depositPercent).toBe(before.depositPercent);
    expect((await ok(await kit.patch(`/listings/${moveListing}`, w.admin, { depositPercent: 30 }))).depositPercent).toBe(30);
  });
});

describe('the address of a quote request', () => {
  it('is one of her saved addresses (its text now), or a new one she may save; another person\'s is refused on the field', async () => {
    const client = await signUp(t.app);
    const saved = await ok(await kit.post('/me/addresses', client, { label: 'Maison', street: '4521 rue Fabre', unit: 'app. 3', city: 'Montréal', postalCode: 'H2J 3V1', entryNotes: 'Code 1234' }), 201);
    const q = await ok(await kit.post('/quotes', client, ask({ address: undefined, addressId: saved.id })), 201);
    expect(q.address).toBe('4521 rue Fabre, app. 3, Montréal H2J 3V1');
    await ok(await kit.post(`/quotes/${q.id}/withdraw`, client, {}));

    const other = await signUp(t.app);
    const refused = await kit.post('/quotes', other, ask({ address: undefined, addressId: saved.id }));
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error.fields.addressId[0].code).toBe('unknown_address');
    expect((await kit.sql`SELECT count(*)::int AS n FROM quote_requests WHERE client_id = ${other.userId}`)[0]!.n).toBe(0);

    const typed = await ok(await kit.post('/quotes', other, ask({ address: undefined, newAddress: { street: '10 rue Rachel Est', city: 'Montréal', postalCode: 'H2W 1A1' }, saveAddress: true })), 201);
    expect(typed.address).toBe('10 rue Rachel Est, Montréal H2W 1A1');
    expect((await ok(await kit.get('/me/addresses', other))).items.map((a: { street: string }) => a.street)).toEqual(['10 rue Rachel Est']);
    // Without any address where the co-op comes: refused on the field, as before.
    const none = await kit.post('/quotes', await signUp(t.app), ask({ address: undefined }));
    expect(none.json().error.fields.address[0].code).toBe('address_required');
  });
});

describe('the payment summary says what is due now', () => {
  it("a quote's booking with a deposit: the deposit; an accepted booking paid at once: the whole; a request: nothing", async () => {
    const { client, bookingId } = await acceptedAt(hourFromNow(24 * 17));
    const p = await ok(await kit.get(`/bookings/${bookingId}/payment`, client));
    expect(p.dueNowPart).toBe('deposit');
    expect(p.dueNowCents).toBe(p.installments.find((i: { part: string }) => i.part === 'deposit').totalCents);
    expect(p.dueNowCents).toBeLessThan(p.breakdown.totalCents);

    const b = await kit.book(w.client, w.listingId, hourFromNow(24 * 4));
    const requested = await ok(await kit.get(`/bookings/${b.id}/payment`, w.client));
    expect(requested).toMatchObject({ dueNowPart: null, dueNowCents: 0 });
    await ok(await kit.post(`/bookings/${b.id}/accept`, w.admin, {}));
    const accepted = await ok(await kit.get(`/bookings/${b.id}/payment`, w.client));
    expect(accepted.dueNowPart).toBe('full');
    expect(accepted.dueNowCents).toBe(accepted.breakdown.totalCents);
  });
});
