/**
 * Quotes: who may do what, each bad input refused with nothing written, versions kept, expiry by
 * the job, and two acceptances at once making one booking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { hourFromNow, setSchedule } from '../support/fixtures.js';
import { paymentsWorld, type PaymentsKit } from '../support/payments.js';
import { createQuotesService } from '../../server/src/modules/quotes/index.js';
import { gatherPersonData } from '../../server/src/modules/data-export/gather.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
let moveListing: string;

const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
const ask = (over: Record<string, unknown> = {}) => ({
  listingId: moveListing, description: 'Déménagement d’un 4 ½ au 3e étage, avec un piano droit.', address: '4521 rue Fabre, Montréal',
  preferredDates: [{ from: inDays(10).slice(0, 10), until: inDays(14).slice(0, 10) }], datesNote: 'Plutôt le matin', ...over,
});
/** Two times no other offer here proposes: a time the team is fully booked at (an accepted one's) is refused. */
let sentOffers = 0;
const freshTimes = () => {
  sentOffers += 1;
  return [hourFromNow(24 * 30 + sentOffers * 12), hourFromNow(24 * 30 + sentOffers * 12 + 6)];
};
const offer = (over: Record<string, unknown> = {}) => ({
  lines: [{ label: 'Camion et 3 déménageurs', quantity: 4.5, unitPriceCents: 15_000 }, { label: 'Piano', unitPriceCents: 25_000 }],
  validUntil: inDays(7), durationMinutes: 300, proposedTimes: freshTimes(), message: 'Prix ferme.', ...over,
});

async function asked(client: SignedIn = w.client) {
  const res = await kit.post('/quotes', client, ask());
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; state: string; conversationId: string };
}
async function offered(id: string, over: Record<string, unknown> = {}) {
  const res = await kit.post(`/quotes/${id}/offers`, w.admin, offer(over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const counts = async (id: string) => (await kit.sql`SELECT (SELECT count(*)::int FROM quote_offers WHERE quote_id = ${id}) AS offers, (SELECT count(*)::int FROM quote_events WHERE quote_id = ${id}) AS events, (SELECT count(*)::int FROM bookings WHERE quote_id = ${id}) AS bookings`)[0]!;

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
  const res = await kit.post(`/coops/${w.coopId}/listings`, w.admin, {
    titleFr: 'Déménagement', titleEn: 'Moving', descriptionFr: 'Déménagements résidentiels, sur devis selon les étages.', descriptionEn: 'Home moves, quoted by floors and furniture.',
    category: 'demenagement', priceKind: 'hourly', priceCents: 12_000, durationMinutes: 180, locationMode: 'client_place', boroughs: ['plateau-mont-royal'],
    quoteMode: 'only', depositPercent: 30,
  });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json()).toMatchObject({ quoteMode: 'only', depositPercent: 30 });
  moveListing = res.json().id;
});
afterAll(() => t.close());

describe('asking for a quote', () => {
  it('is refused on a listing without quotes, and a listing on quote only is not booked directly', async () => {
    const none = await kit.post('/quotes', w.client, ask({ listingId: w.listingId }));
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('quotes_not_offered');
    const direct = await kit.post('/bookings', w.client, { listingId: moveListing, startsAt: hourFromNow(30), address: 'x', contactName: 'A', contactEmail: 'a@example.org' });
    expect(direct.statusCode).toBe(409);
    expect(direct.json().error.code).toBe('listing_on_quote');
  });

  it('refuses dates that suit her in the past, on the field, and writes nothing', async () => {
    const client = await signUp(t.app);
    const res = await kit.post('/quotes', client, ask({ preferredDates: [{ from: '1999-01-01', until: '2199-01-01' }] }));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields.preferredDates[0].code).toBe('date_in_past');
    expect((await kit.sql`SELECT count(*)::int AS n FROM quote_requests WHERE client_id = ${client.userId}`)[0]!.n).toBe(0);
  });

  it('a listing on quote only takes no regular visits either, even when its hours offer them', async () => {
    await setSchedule(t, w.admin, moveListing, { horizonDays: 120, seriesFrequencies: ['weekly'] });
    const series = await kit.post('/series', w.client, {
      listingId: moveListing, startsAt: hourFromNow(30), frequency: 'weekly', address: '4321 rue Saint-Denis', contactName: 'Claire', contactEmail: 'claire@example.org',
    });
    expect(series.statusCode, series.body).toBe(409);
    expect(series.json().error.code).toBe('listing_on_quote');
    expect((await kit.sql`SELECT count(*)::int AS n FROM booking_series WHERE listing_id = ${moveListing}`)[0]!.n).toBe(0);
  });

  it('opens one request per client and listing, with its conversation, and tells the co-op', async () => {
    const q = await asked();
    expect(q).toMatchObject({ state: 'requested', viewerRole: 'client', actions: ['withdraw'], offers: [] });
    expect(q.conversationId).toBeTruthy();
    const again = await kit.post('/quotes', w.client, ask());
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('quote_exists');
    const mail = await kit.sql`SELECT payload FROM outbox WHERE dedupe_key LIKE ${`quote:${q.id}:requested:%`}`;
    expect(mail.map((m) => m.payload.recipientId)).toEqual([w.admin.userId]);
    const asAdmin = await kit.get(`/quotes/${q.id}`, w.admin);
    expect(asAdmin.json()).toMatchObject({ viewerRole: 'coop_admin', actions: ['offer', 'refuse'] });
    expect((await kit.get(`/quotes/${q.id}`, w.stranger)).statusCode).toBe(404);
    expect((await kit.get(`/quotes/${q.id}`, null)).statusCode).toBe(401);
    const list = await kit.get('/quotes?as=coop', w.admin);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(q.id);
    expect((await kit.get('/quotes?as=client', w.stranger)).json().items).toEqual([]);
    // Withdrawn, so the next tests can ask again.
    expect((await kit.post(`/quotes/${q.id}/withdraw`, w.client, {})).json().state).toBe('withdrawn');
  });
});

describe('offers', () => {
  it('prices the lines, keeps every version, and lets only the co-op send them', async () => {
    const q = await asked();
    expect((await kit.post(`/quotes/${q.id}/offers`, w.client, offer())).statusCode).toBe(403);
    expect((await kit.post(`/quotes/${q.id}/offers`, w.stranger, offer())).statusCode).toBe(404);
    const v1 = await offered(q.id);
    // 4.5 × 150 $ + 250 $ = 925 $; GST 46.25; QST 92.27 (9.975 % of 925 = 92.26875); fee 5 % = 46.25.
    expect(v1.offers[0]).toMatchObject({ version: 1, state: 'sent', serviceCents: 92_500, gstCents: 4_625, qstCents: 9_227, totalCents: 106_352, platformFeeCents: 4_625, depositPercent: 30 });
    expect(v1.offers[0].deposit.totalCents + v1.offers[0].balance.totalCents).toBe(106_352);
    expect(v1.offers[0].deposit.totalCents).toBe(31_906); // 30 % of 1 063.52 $, rounded half up
    const changes = await kit.post(`/quotes/${q.id}/request-changes`, w.client, { reason: 'Le piano reste, merci.' });
    expect(changes.json()).toMatchObject({ state: 'changes_requested', actions: ['withdraw'] });
    const v2 = await offered(q.id, { lines: [{ label: 'Camion et 3 déménageurs', quantity: 4, unitPriceCents: 15_000 }] });
    expect(v2.offers.map((o: { version: number; state: string }) => [o.version, o.state])).toEqual([[1, 'changes_requested'], [2, 'sent']]);
    const v3 = await offered(q.id, { lines: [{ label: 'Camion et 3 déménageurs', quantity: 3.75, unitPriceCents: 15_000 }] });
    expect(v3.offers.map((o: { state: string }) => o.state)).toEqual(['changes_requested', 'superseded', 'sent']);
    expect(v3.events.map((e: { kind: string; to: string; offerVersion: number | null }) => [e.kind, e.to, e.offerVersion])).toEqual([
      ['created', 'requested', null], ['offer_sent', 'offered', 1], ['transition', 'changes_requested', 1], ['offer_sent', 'offered', 2], ['offer_sent', 'offered', 3],
    ]);
    // The history and the offers sent are kept as they were.
    await expect(kit.sql`UPDATE quote_events SET reason = 'x' WHERE quote_id = ${q.id}`).rejects.toThrow(/append-only/);
    await expect(kit.sql`UPDATE quote_offers SET service_cents = 1 WHERE quote_id = ${q.id}`).rejects.toThrow(/does not change/);
    const superseded = await kit.post(`/quotes/${q.id}/accept`, w.client, { offerVersion: 2, startsAt: v3.offers[1].proposedTimes[0] });
    expect(superseded.statusCode).toBe(409);
    expect(superseded.json().error.code).toBe('offer_not_current');
    expect((await kit.post(`/quotes/${q.id}/withdraw`, w.client, {})).statusCode).toBe(200);
  });

  it('refuses bad offers with field errors and writes nothing', async () => {
    const q = await asked();
    const before = await counts(q.id);
    const bad: [Record<string, unknown>, string, string][] = [
      [{ lines: [] }, 'lines', 'too_few'],
      [{ lines: [{ label: 'x', unitPriceCents: -500 }] }, 'lines.0.unitPriceCents', 'amount_too_small'],
      [{ lines: [{ label: 'x', unitPriceCents: 100_000_001 }] }, 'lines.0.unitPriceCents', 'amount_too_large'],
      [{ lines: [{ label: 'x', quantity: 10_000, unitPriceCents: 100_000 }] }, 'lines.0.unitPriceCents', 'amount_too_large'],
      [{ lines: [{ label: 'x', quantity: 1.005, unitPriceCents: 100 }] }, 'lines.0.quantity', 'invalid_value'],
      [{ lines: [{ label: 'x', unitPriceCents: 50 }] }, 'lines', 'amount_too_small'],
      [{ validUntil: new Date(Date.now() - 60_000).toISOString() }, 'validUntil', 'validity_in_past'],
      [{ validUntil: inDays(91) }, 'validUntil', 'validity_too_long'],
      [{ proposedTimes: [] }, 'proposedTimes', 'too_few'],
      [{ proposedTimes: [new Date(Date.now() - 3_600_000).toISOString()] }, 'proposedTimes.0', 'time_in_past'],
      [{ proposedTimes: [hourFromNow(30), hourFromNow(30)] }, 'proposedTimes', 'duplicate_time'],
    ];
    for (const [over, field, code] of bad) {
      const res = await kit.post(`/quotes/${q.id}/offers`, w.admin, offer(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(res.json().error.fields?.[field]?.[0]?.code, `${JSON.stringify(over)} → ${res.body}`).toBe(code);
    }
    expect(await counts(q.id)).toEqual(before);
    expect((await kit.get(`/quotes/${q.id}`, w.client)).json().state).toBe('requested');
    const refuse = await kit.post(`/quotes/${q.id}/refuse`, w.admin, {});
    expect(refuse.statusCode).toBe(400);
    expect((await kit.post(`/quotes/${q.id}/refuse`, w.admin, { reason: 'Pas de camion libre ce mois-ci.' })).json().state).toBe('refused');
  });
});

describe('the conversation of the request', () => {
  it('holds its history: asked, each offer sent, the answers, in time order with the messages, for both sides', async () => {
    const client = await signUp(t.app);
    const q = await asked(client);
    await offered(q.id);
    expect((await kit.post(`/quotes/${q.id}/request-changes`, client, { reason: 'Sans le piano ?' })).statusCode).toBe(200);
    await offered(q.id, { message: 'Version sans piano.' });
    for (const who of [client, w.admin]) {
      const res = await kit.get(`/conversations/${q.conversationId}`, who);
      expect(res.statusCode, res.body).toBe(200);
      const events = (res.json().feed as { type: string; quoteId?: string; event?: { kind: string; to: string; offerVersion: number | null; reason: string | null } }[])
        .filter((f) => f.type === 'quote_event');
      expect(events.every((e) => e.quoteId === q.id)).toBe(true);
      expect(events.map((e) => [e.event!.kind, e.event!.to, e.event!.offerVersion, e.event!.reason])).toEqual([
        ['created', 'requested', null, null],
        ['offer_sent', 'offered', 1, null],
        ['transition', 'changes_requested', 1, 'Sans le piano ?'],
        ['offer_sent', 'offered', 2, null],
      ]);
    }
  });
});

describe('accepting', () => {
  it('makes exactly one booking when the client accepts twice at once', async () => {
    const q = await asked();
    const sent = await offered(q.id);
    const body = { offerVersion: 1, startsAt: sent.offers[0].proposedTimes[0] };
    const notProposed = await kit.post(`/quotes/${q.id}/accept`, w.client, { offerVersion: 1, startsAt: hourFromNow(24 * 13) });
    expect(notProposed.json().error.fields.startsAt[0].code).toBe('time_not_proposed');
    expect((await kit.post(`/quotes/${q.id}/accept`, w.admin, body)).statusCode).toBe(403);
    const results = await Promise.all([1, 2, 3].map(() => kit.post(`/quotes/${q.id}/accept`, w.client, body)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const ok = results.find((r) => r.statusCode === 200)!.json();
    expect(ok).toMatchObject({ state: 'accepted', actions: [] });
    expect(ok.offers[0].state).toBe('accepted');
    expect((await counts(q.id)).bookings).toBe(1);
    const [b] = await kit.sql`SELECT state, price_cents, regular_price_cents, duration_minutes, deposit_percent, starts_at FROM bookings WHERE quote_id = ${q.id}`;
    expect(b).toMatchObject({ state: 'accepted', price_cents: 92_500, regular_price_cents: 92_500, duration_minutes: 300, deposit_percent: 30 });
    expect(new Date(b!.starts_at).toISOString()).toBe(body.startsAt);
    const [c] = await kit.sql`SELECT booking_id FROM conversations WHERE id = ${q.conversationId}`;
    expect(c!.booking_id).toBe(ok.bookingId);
    expect((await kit.post(`/quotes/${q.id}/decline`, w.client, {})).statusCode).toBe(409);
  });

  it('books under the listing\u2019s no-show share, like any booking', async () => {
    await setSchedule(t, w.admin, moveListing, { horizonDays: 120, noShowPercent: 40, lateCancellationPercent: 60 });
    const client = await signUp(t.app);
    const q = await asked(client);
    const sent = await offered(q.id, { proposedTimes: [hourFromNow(24 * 20)] }); // a time no other test here takes
    const ok = await kit.post(`/quotes/${q.id}/accept`, client, { offerVersion: 1, startsAt: sent.offers[0].proposedTimes[0] });
    expect(ok.statusCode, ok.body).toBe(200);
    const [b] = await kit.sql`SELECT no_show_percent, late_cancellation_percent FROM bookings WHERE quote_id = ${q.id}`;
    expect(b).toEqual({ no_show_percent: 40, late_cancellation_percent: 60 });
    await setSchedule(t, w.admin, moveListing, { horizonDays: 120 });
  });

  it('refuses to accept on a paused or archived listing, as a booking would be', async () => {
    const client = await signUp(t.app);
    const q = await asked(client);
    const sent = await offered(q.id, { proposedTimes: [hourFromNow(24 * 21 + 3)] });
    const body = { offerVersion: 1, startsAt: sent.offers[0].proposedTimes[0] };
    expect((await kit.patch(`/listings/${moveListing}`, w.admin, { status: 'paused' })).statusCode).toBe(200);
    const paused = await kit.post(`/quotes/${q.id}/accept`, client, body);
    expect(paused.statusCode).toBe(409);
    expect(paused.json().error.code).toBe('listing_paused');
    expect((await counts(q.id)).bookings).toBe(0);
    expect((await kit.patch(`/listings/${moveListing}`, w.admin, { status: 'active' })).statusCode).toBe(200);
    expect((await kit.post(`/quotes/${q.id}/accept`, client, body)).statusCode).toBe(200);
  });

  it('refuses an expired offer, and the job expires it', async () => {
    const q = await asked();
    await offered(q.id);
    const sent = (await kit.get(`/quotes/${q.id}`, w.client)).json();
    const later = new Date(Date.now() + 8 * DAY);
    const jobs = createQuotesService({ db: t.db, now: () => later });
    await kit.sql`UPDATE quote_requests SET expires_at = now() - interval '1 minute' WHERE id = ${q.id}`;
    expect(await jobs.expireDue()).toBeGreaterThanOrEqual(1);
    const after = (await kit.get(`/quotes/${q.id}`, w.client)).json();
    expect(after).toMatchObject({ state: 'expired', expiresAt: null });
    expect(after.offers[0].state).toBe('expired');
    const late = await kit.post(`/quotes/${q.id}/accept`, w.client, { offerVersion: 1, startsAt: sent.offers[0].proposedTimes[0] });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('invalid_transition');
    const mail = await kit.sql`SELECT payload FROM outbox WHERE dedupe_key LIKE ${`quote:${q.id}:expired:%`}`;
    expect(mail.map((m) => m.payload.recipientId)).toEqual([w.client.userId]);
  });
});

describe('the listing\u2019s questions', () => {
  it('are asked with the quote: a required one missing is refused, the answers are kept and go with the booking', async () => {
    const set = await kit.put(`/listings/${moveListing}/questions`, w.admin, { questions: [{ kind: 'number', labelFr: 'Combien d’étages ?', labelEn: 'How many floors?', required: true, min: 0, max: 20 }] });
    expect(set.statusCode, set.body).toBe(200);
    const questionId = set.json().items[0].id;
    const missing = await kit.post('/quotes', w.client, ask());
    expect(missing.statusCode).toBe(400);
    expect(Object.keys(missing.json().error.fields)[0]).toMatch(/^answers/);
    const q = await kit.post('/quotes', w.client, ask({ answers: [{ questionId, value: 3 }] }));
    expect(q.statusCode, q.body).toBe(201);
    expect(q.json().answers).toEqual([expect.objectContaining({ questionId, labelFr: 'Combien d’étages ?' })]);
    const sent = await offered(q.json().id);
    const ok = await kit.post(`/quotes/${q.json().id}/accept`, w.client, { offerVersion: 1, startsAt: sent.offers[0].proposedTimes[1] });
    expect(ok.statusCode, ok.body).toBe(200);
    const [b] = await kit.sql`SELECT answers FROM bookings WHERE quote_id = ${q.json().id}`;
    expect(b!.answers).toEqual(q.json().answers);
    // Her quotes are her personal data: in "download my data", with the answers and every offer version.
    const data = await t.database.db.transaction((tx) => gatherPersonData(tx, w.client.userId));
    const mine = data!.quotes.find((x) => x.id === q.json().id);
    expect(mine).toMatchObject({ state: 'accepted', answers: q.json().answers, offers: [expect.objectContaining({ version: 1, state: 'accepted' })] });
    await kit.put(`/listings/${moveListing}/questions`, w.admin, { questions: [] });
  });
});

describe('a client who deletes her account', () => {
  it('withdraws her open request (its open offer with it) and leaves none of her words, address or answers in it', async () => {
    const client = await signUp(t.app);
    const q = await asked(client);
    await offered(q.id);
    const gone = await kit.post('/me/delete', client, { password: 'correct horse battery', confirmation: 'SUPPRIMER' });
    expect(gone.statusCode, gone.body).toBeLessThan(300);
    const [row] = await kit.sql`SELECT state, description, address, dates_note, preferred_dates, answers FROM quote_requests WHERE id = ${q.id}`;
    expect(row).toEqual({ state: 'withdrawn', description: '', address: '', dates_note: '', preferred_dates: [], answers: [] });
    expect((await kit.sql`SELECT state FROM quote_offers WHERE quote_id = ${q.id}`).map((o) => o.state)).toEqual(['withdrawn']);
    const [last] = await kit.sql`SELECT from_state, to_state, reason FROM quote_events WHERE quote_id = ${q.id} ORDER BY id DESC LIMIT 1`;
    expect(last).toEqual({ from_state: 'offered', to_state: 'withdrawn', reason: 'account_deleted' });
    // The co-op's inbox no longer waits on it.
    const open = await kit.get(`/quotes?as=coop&scope=open`, w.admin);
    expect(open.json().items.map((x: { id: string }) => x.id)).not.toContain(q.id);
  });
});
