/**
 * Regular visits paid with a saved card: the card saved once through Stripe Checkout (setup mode),
 * each visit charged without the client present when its free cancellation ends, a refused card
 * (insufficient funds, authentication required) emailed with a link to pay on-session, a visit
 * never paid lapsing with the co-op told, the card removed. The ledger balances after each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookingPayments } from '../../server/src/flows/booking-payments.js';
import { createTestApp, type SignedIn, type TestApp } from '../support/test-app.js';
import { chargeJobAt, dayBefore, saveCard as saveCardOf, seriesPaymentsWorld } from '../support/series-payments-world.js';
import { bookingBody, payBooking } from '../support/fixtures.js';
import { mailCalendarProblems } from '../support/ics.js';

let t: TestApp;
let steward: SignedIn, admin: SignedIn, client: SignedIn;
let listingId: string;
let visits: { id: string; starts_at: string }[];
const HOUR = 3_600_000;

const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
const chargeAt = (at: Date) => chargeJobAt(t, at);
const paymentsOf = (bookingId: string) => t.database.sql<{ status: string; last_error: string | null; total_cents: number; receipt_number: string | null }[]>`
  SELECT status, last_error, total_cents, receipt_number FROM payments WHERE booking_id = ${bookingId} ORDER BY created_at`;
const stateOf = async (bookingId: string) => (await t.database.sql<{ state: string }[]>`SELECT state FROM bookings WHERE id = ${bookingId}`)[0]!.state;
const ledgerOk = async () => (await inject('GET', '/steward/ledger/check', steward)).json().ok;
/** Stripe's own record, read from the emulator as the SDK would. */
const stripeGet = async (path: string) => (await fetch(`${t.stripe.url}/v1/${path}`, { headers: { authorization: 'Bearer sk_test_tissu' } })).json() as Promise<Record<string, any>>;
const savedCard = async () => (await t.database.sql<{ payment_method_id: string | null; card_brand: string | null; card_last4: string | null }[]>`
  SELECT payment_method_id, card_brand, card_last4 FROM payment_customers WHERE user_id = ${client.userId}`)[0];
/** Pays a booking on the emulator's Checkout page with a chosen test card. */
async function payWith(bookingId: string, card: string) {
  const res = await inject('POST', `/bookings/${bookingId}/checkout`, client);
  expect(res.statusCode, res.body).toBe(200);
  const sessionId = new URL(res.json().url).pathname.split('/').pop()!;
  const paid = await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card }) });
  expect(paid.ok, await paid.clone().text()).toBe(true);
  await t.stripe.webhooks.idle();
  return sessionId;
}
const mailTo = async (email: string, subject: RegExp) => (await t.sentMail()).filter((m) => m.to === email && subject.test(m.subject));

const saveCard = (card: string) => saveCardOf(t, client, card);

beforeAll(async () => {
  t = await createTestApp();
  let s: { state: string };
  ({ steward, admin, client, listingId, visits, series: s } = await seriesPaymentsWorld(t, 8));
  expect(s.state).toBe('active'); // an instant listing: the series is booked at once
});
afterAll(() => t.close());

describe('a visit due with no card saved', () => {
  it('is not charged: the client is emailed a link to pay it on-session', async () => {
    expect((await inject('GET', '/me/card', client)).json()).toEqual({ card: null });
    expect(await chargeAt(dayBefore(visits[0]!)).chargeVisit(visits[0]!.id)).toBe('skipped');
    expect((await paymentsOf(visits[0]!.id)).map((p) => [p.status, p.last_error])).toEqual([['expired', 'no_saved_card']]);
    const [mail] = await mailTo(client.email, /Visite à payer|Visit to pay/);
    expect(mail!.text).toContain(`/bookings/${visits[0]!.id}/pay`);
    await payBooking(t, client, visits[0]!.id);
    expect(await stateOf(visits[0]!.id)).toBe('paid');
  });
});

describe('a card saved once', () => {
  it('through Stripe Checkout in setup mode: the page shows its brand and last digits, never the number', async () => {
    await saveCard('4242 4242 4242 4242');
    expect((await inject('GET', '/me/card', client)).json()).toEqual({ card: { brand: 'visa', last4: '4242', expMonth: expect.any(Number), expYear: expect.any(Number) } });
  });

  it('pays the next visit without the client, once, with the fee the series was made with; replays change nothing', async () => {
    const v = visits[1]!;
    const job = chargeAt(dayBefore(v));
    // Not yet: two days before the visit its free cancellation is still open.
    expect(await chargeAt(new Date(Date.parse(v.starts_at) - 48 * HOUR)).chargeDueVisits()).toEqual({ charged: 0, refused: 0 });
    const [first, second] = await Promise.all([job.chargeVisit(v.id), job.chargeVisit(v.id)]);
    expect([first, second].sort()).toEqual(['charged', 'skipped']);
    expect(await stateOf(v.id)).toBe('paid');
    // Its confirmation says nothing of a calendar attached: the visit is in the series' calendar.
    const confirmed = (await mailTo(client.email, /Réservation confirmée|Booking confirmed/)).filter((m) => m.text.includes(`/bookings/${v.id}`));
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]!.text).not.toMatch(/jointe|attached/);
    // Like any paid booking, the visit gets its reminder the day before.
    expect(await t.database.sql`SELECT 1 FROM outbox WHERE dedupe_key = ${`booking:${v.id}:reminder:${new Date(v.starts_at).toISOString()}`}`).toHaveLength(1);
    const paid = await paymentsOf(v.id);
    expect(paid).toEqual([expect.objectContaining({ status: 'paid', total_cents: 10_000 })]);
    expect(paid[0]!.receipt_number).toMatch(/^TIS-\d{4}-\d+$/);
    await t.stripe.webhooks.idle();
    const entries = await t.database.sql`SELECT count(*)::int AS n FROM journal_entries`;
    // Stripe's webhooks for the same charge (payment_intent.succeeded), delivered again, change nothing.
    const log = await (await fetch(`${t.stripe.url}/_emulator/webhooks`)).json() as { attempts: { eventId: string; eventType: string }[] };
    const succeeded = [...new Set(log.attempts.filter((a) => a.eventType === 'payment_intent.succeeded').map((a) => a.eventId))];
    expect(succeeded.length).toBeGreaterThan(0);
    for (const id of succeeded) await fetch(`${t.stripe.url}/_emulator/events/${id}/resend`, { method: 'POST' });
    await t.stripe.webhooks.idle();
    expect((await t.database.sql`SELECT count(*)::int AS n FROM journal_entries`)[0]!.n).toBe(entries[0]!.n);
    expect(await ledgerOk()).toBe(true);
    expect(await job.chargeVisit(v.id)).toBe('skipped');
  });
});

describe('a refused card', () => {
  it('insufficient funds: the visit waits, the client is emailed why and a link, pays on-session, and it is confirmed', async () => {
    await saveCard('4000 0000 0000 9995');
    expect((await inject('GET', '/me/card', client)).json().card.last4).toBe('9995');
    const v = visits[2]!;
    expect(await chargeAt(dayBefore(v)).chargeVisit(v.id)).toBe('refused');
    expect(await stateOf(v.id)).toBe('accepted');
    expect((await paymentsOf(v.id)).map((p) => [p.status, p.last_error])).toEqual([['expired', 'card_declined:insufficient_funds']]);
    const [mail] = await mailTo(client.email, /Paiement refusé|Payment refused/);
    expect(mail!.text).toMatch(/fonds insuffisants|insufficient funds/);
    expect(mail!.text).toContain(`/bookings/${v.id}/pay`);
    // The series line and page show that visit to pay (to the client) and unpaid (to the co-op), and only it.
    const line = async () => (await inject('GET', '/series', client)).json().items[0];
    expect((await line()).toPay).toMatchObject({ bookingId: v.id, toPay: true });
    const page = (await inject('GET', `/series/${(await line()).id}`, admin)).json();
    expect(page.visits.filter((x: { toPay: boolean }) => x.toPay).map((x: { bookingId: string }) => x.bookingId)).toEqual([v.id]);
    await payBooking(t, client, v.id);
    expect(await stateOf(v.id)).toBe('paid');
    expect((await line()).toPay).toBeNull();
    expect(await ledgerOk()).toBe(true);
  });

  it('authentication required, never paid: the visit lapses two hours before it and the co-op is told', async () => {
    await saveCard('4000 0027 6000 3184');
    const v = visits[3]!;
    expect(await chargeAt(dayBefore(v)).chargeVisit(v.id)).toBe('refused');
    expect((await paymentsOf(v.id))[0]!.last_error).toBe('authentication_required');
    const expire = createBookingPayments({ db: t.db, gateway: t.app.payments, paymentWindowHours: t.config.paymentWindowHours, now: () => new Date(Date.parse(v.starts_at) - HOUR) });
    await expire.expireRequests();
    expect(await stateOf(v.id)).toBe('expired');
    // Cancelled for want of payment, not "a request expired": to the client, and to the co-op that the client did not pay.
    const about = (await t.sentMail()).filter((m) => m.text.includes(`/bookings/${v.id}`));
    expect(about.filter((m) => /expir/i.test(m.subject))).toEqual([]);
    const told = about.filter((m) => /faute de paiement|not paid in time|n’a pas payé|did not pay/i.test(m.subject));
    expect(told.map((m) => m.to).sort()).toEqual([admin.email, client.email].sort());
    expect(await ledgerOk()).toBe(true);
  });
});

describe('removing the card', () => {
  it('stops the charges: the next visit asks to be paid on-session', async () => {
    const removed = await inject('DELETE', '/me/card', client);
    expect(removed.json()).toEqual({ card: null });
    expect((await inject('GET', '/me/card', client)).json()).toEqual({ card: null });
    const v = visits[4]!;
    expect(await chargeAt(dayBefore(v)).chargeVisit(v.id)).toBe('skipped');
    expect((await paymentsOf(v.id)).map((p) => p.last_error)).toEqual(['no_saved_card']);
    expect(await stateOf(v.id)).toBe('accepted');
  });

  it('a setup link only sends people back to this site', async () => {
    const res = await inject('POST', '/me/card/setup', client, { returnTo: 'https://evil.example/steal' });
    expect(res.statusCode).toBe(400);
    expect((await inject('POST', '/me/card/setup', client, { returnTo: '//evil.example' })).statusCode).toBe(400);
  });
});

describe('a visit paid on-session', () => {
  it('keeps the card it was paid with for the next visits: the next one is charged to it off-session; replays and late copies change nothing', async () => {
    await saveCard('4000 0000 0000 9995');
    const refused = visits[5]!;
    expect(await chargeAt(dayBefore(refused)).chargeVisit(refused.id)).toBe('refused');
    const [mail] = (await mailTo(client.email, /Paiement refusé|Payment refused/)).filter((m) => m.text.includes(`/bookings/${refused.id}/pay`));
    expect(mail!.text).toMatch(/sera utilisée pour les visites suivantes|will be used for the next visits/);

    const sessionId = await payWith(refused.id, '5555 5555 5555 4444');
    expect(await stateOf(refused.id)).toBe('paid');
    // Checkout was opened as the client's platform Customer, asking to keep the card for charges without her.
    const session = await stripeGet(`checkout/sessions/${sessionId}?expand[]=payment_intent`);
    const customer = (await t.database.sql<{ id: string }[]>`SELECT stripe_customer_id AS id FROM payment_customers WHERE user_id = ${client.userId}`)[0]!.id;
    expect(session.customer).toBe(customer);
    expect(session.payment_intent).toMatchObject({ setup_future_usage: 'off_session', customer, transfer_data: { destination: expect.stringMatching(/^acct_/) } });
    expect((await inject('GET', '/me/card', client)).json().card).toMatchObject({ brand: 'mastercard', last4: '4444' });
    const kept = await savedCard();
    expect(kept!.payment_method_id).toBe(session.payment_intent.payment_method);
    // The refused card is no longer on the customer: one card for visits.
    const onCustomer = await stripeGet(`customers/${customer}/payment_methods`);
    expect(onCustomer.data.map((pm: { id: string }) => pm.id)).toEqual([kept!.payment_method_id]);

    const next = visits[6]!;
    expect(await chargeAt(dayBefore(next)).chargeVisit(next.id)).toBe('charged');
    expect(await stateOf(next.id)).toBe('paid');
    const [charge] = await t.database.sql<{ payment_intent_id: string }[]>`SELECT payment_intent_id FROM payments WHERE booking_id = ${next.id} AND status = 'paid'`;
    expect(await stripeGet(`payment_intents/${charge!.payment_intent_id}`)).toMatchObject({ status: 'succeeded', payment_method: kept!.payment_method_id });
    await t.stripe.webhooks.idle();
    expect(await ledgerOk()).toBe(true);

    // The client saves another card afterwards; the on-session payment's events, delivered again, change nothing.
    await saveCard('4242 4242 4242 4242');
    const entries = (await t.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM journal_entries`)[0]!.n;
    const log = await (await fetch(`${t.stripe.url}/_emulator/webhooks`)).json() as { attempts: { eventId: string; eventType: string }[] };
    const paidEvents = await stripeGet(`events?limit=100`);
    const ofSession = paidEvents.data.filter((e: any) => e.data.object.id === sessionId || e.data.object.id === session.payment_intent.id).map((e: any) => e.id as string);
    expect(ofSession.length).toBeGreaterThanOrEqual(2);
    expect(log.attempts.some((a) => ofSession.includes(a.eventId))).toBe(true);
    for (const id of ofSession) await fetch(`${t.stripe.url}/_emulator/events/${id}/resend`, { method: 'POST' });
    await t.stripe.webhooks.idle();
    expect((await inject('GET', '/me/card', client)).json().card).toMatchObject({ brand: 'visa', last4: '4242' });
    expect((await t.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM journal_entries`)[0]!.n).toBe(entries);
    expect(await ledgerOk()).toBe(true);
  });

  it('with no card saved, the visit paid on-session gives one, whatever order Stripe’s two events arrive in', async () => {
    expect((await inject('DELETE', '/me/card', client)).json()).toEqual({ card: null });
    const v = visits[7]!;
    expect(await chargeAt(dayBefore(v)).chargeVisit(v.id)).toBe('skipped');
    const [mail] = (await mailTo(client.email, /Visite à payer|Visit to pay/)).filter((m) => m.text.includes(`/bookings/${v.id}/pay`));
    expect(mail!.text).toMatch(/sera utilisée pour les visites suivantes|will be used for the next visits/);
    await fetch(`${t.stripe.url}/_emulator/webhooks/pause`, { method: 'POST' });
    const res = await inject('POST', `/bookings/${v.id}/checkout`, client);
    const sessionId = new URL(res.json().url).pathname.split('/').pop()!;
    const paid = await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card: '5555 5555 5555 4444' }) });
    expect(paid.ok).toBe(true);
    // checkout.session.completed first, payment_intent.succeeded after: the first settles it and keeps the card.
    await fetch(`${t.stripe.url}/_emulator/webhooks/release`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order: 'reverse' }) });
    await t.stripe.webhooks.idle();
    expect(await stateOf(v.id)).toBe('paid');
    expect((await inject('GET', '/me/card', client)).json().card).toMatchObject({ brand: 'mastercard', last4: '4444' });
    expect((await paymentsOf(v.id)).filter((p) => p.status === 'paid')).toHaveLength(1);
    expect(await ledgerOk()).toBe(true);
  });

  it('a single booking paid through Checkout keeps no card: nothing is saved without the person asking', async () => {
    const before = await savedCard();
    const at = new Date(Date.now() + 3 * 86_400_000);
    at.setUTCHours(15, 0, 0, 0);
    const booked = await inject('POST', '/bookings', client, bookingBody(listingId, at.toISOString()));
    expect(booked.statusCode, booked.body).toBe(201);
    const sessionId = await payWith(booked.json().id, '5555 5555 5555 4444');
    expect(await stateOf(booked.json().id)).toBe('paid');
    const session = await stripeGet(`checkout/sessions/${sessionId}?expand[]=payment_intent`);
    expect(session.customer).toBeNull();
    expect(session.payment_intent.setup_future_usage).toBeNull();
    expect(await savedCard()).toEqual(before);
    expect(await ledgerOk()).toBe(true);
  });
});

describe('the calendar files of these emails (paid, charged, refused, cancelled visits)', () => {
  it('are valid iTIP, each event once per email', async () => {
    const mails = await t.sentMail();
    expect(mails.some((m) => m.attachments?.length)).toBe(true);
    expect(mailCalendarProblems(mails)).toEqual([]);
  });
});
