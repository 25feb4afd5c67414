/**
 * A saved card's charge meeting what people do at the same moment (found by an attack on the
 * series' payments): a cancel while the charge is under way, the card replaced during it, paying
 * on-session while it runs, Stripe's card events late and out of order, a Checkout opened early
 * and left. Nobody is charged for a visit that is cancelled, no visit is stuck, no 5xx, and the
 * card kept is the one the person chose last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { chargeJobAt, dayBefore, seriesPaymentsWorld } from '../support/series-payments-world.js';

let t: TestApp;
let steward: SignedIn, client: SignedIn;
let visits: { id: string; starts_at: string }[];

const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, who: SignedIn | null, payload?: object) =>
  t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });
const emulator = (path: string, body?: object) =>
  fetch(`${t.stripe.url}/_emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
/** The charge job at an instant, with a gateway whose off-session charges wait for `held` to be let go. */
const chargeAt = (at: Date, held?: Promise<void>) => chargeJobAt(t, at, held
  ? { ...t.app.payments, chargeSavedCard: async (r) => { await held; return t.app.payments.chargeSavedCard(r); } }
  : t.app.payments);
const stateOf = async (id: string) => (await t.database.sql<{ state: string }[]>`SELECT state FROM bookings WHERE id = ${id}`)[0]!.state;
const paymentsOf = (id: string) => t.database.sql<{ status: string; last_error: string | null }[]>`SELECT status, last_error FROM payments WHERE booking_id = ${id} ORDER BY created_at`;
const ledgerOk = async () => (await inject('GET', '/steward/ledger/check', steward)).json().ok;
const card = async () => (await inject('GET', '/me/card', client)).json().card as { last4: string } | null;
const gate = () => {
  let open!: () => void;
  return { held: new Promise<void>((r) => { open = r; }), open: () => open() };
};
/** Waits until the charge has written its attempt (it then calls Stripe, held). */
async function attemptWritten(bookingId: string) {
  for (let i = 0; i < 100 && !(await paymentsOf(bookingId)).some((p) => p.status === 'open'); i++) await new Promise((r) => setTimeout(r, 20));
}
async function saveCard(number: string) {
  const setup = await inject('POST', '/me/card/setup', client, { returnTo: '/account/card' });
  expect(setup.statusCode, setup.body).toBe(200);
  const id = new URL(setup.json().url).pathname.split('/').pop()!;
  const done = await emulator(`checkout/${id}/setup`, { card: number });
  expect(done.ok, await done.clone().text()).toBe(true);
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  ({ steward, client, visits } = await seriesPaymentsWorld(t, 8));
  await saveCard('4242 4242 4242 4242');
  await t.stripe.webhooks.idle();
});
afterAll(() => t.close());

describe('while a visit is being charged to the saved card', () => {
  it('a cancel waits for the charge (409, no 5xx), then cancels it with its refund: never charged for nothing', async () => {
    const v = visits[0]!;
    const g = gate();
    const charging = chargeAt(dayBefore(v), g.held).chargeVisit(v.id);
    await attemptWritten(v.id);
    const early = await inject('POST', `/bookings/${v.id}/cancel`, client, { reason: 'Finalement non' });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().error.code).toBe('payment_in_progress');
    // Paying herself meanwhile is not offered either: it says the card is being charged (was a 500).
    const pay = await inject('POST', `/bookings/${v.id}/checkout`, client);
    expect(pay.statusCode, pay.body).toBe(409);
    expect((await inject('GET', `/bookings/${v.id}/payment`, client)).json()).toMatchObject({ payable: false, blocker: 'charging' });
    g.open();
    expect(await charging).toBe('charged');
    expect(await stateOf(v.id)).toBe('paid');
    const cancelled = await inject('POST', `/bookings/${v.id}/cancel`, client, { reason: 'Finalement non' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await paymentsOf(v.id)).map((p) => p.status)).toEqual([expect.stringMatching(/refunded/)]);
    expect(await ledgerOk()).toBe(true);
  });

  it('the card replaced meanwhile: the charge is refused once and the client asked to pay, never retried forever', async () => {
    const v = visits[1]!;
    const g = gate();
    const charging = chargeAt(dayBefore(v), g.held).chargeVisit(v.id);
    await attemptWritten(v.id);
    await saveCard('5555 5555 5555 4444');
    await t.stripe.webhooks.idle();
    expect((await card())?.last4).toBe('4444');
    g.open();
    expect(await charging).toBe('refused');
    expect(await paymentsOf(v.id)).toEqual([{ status: 'expired', last_error: 'card_unavailable' }]);
    const mails = (await t.sentMail()).filter((m) => m.to === client.email && m.text.includes(`/bookings/${v.id}/pay`));
    expect(mails.map((m) => m.text).join()).toMatch(/changée ou retirée|changed or removed/);
    // The next runs leave it alone; the client pays it herself.
    expect(await chargeAt(new Date(dayBefore(v).getTime() + 10 * 60_000)).chargeVisit(v.id)).toBe('skipped');
    expect((await inject('POST', `/bookings/${v.id}/checkout`, client)).statusCode).toBe(200);
    expect(await ledgerOk()).toBe(true);
  });
});

describe("Stripe's card events, late and out of order", () => {
  it('the card saved last is kept, whatever order the two setups are told in; the older one is detached', async () => {
    await emulator('webhooks/pause');
    await saveCard('5555 5555 5555 4444');
    await new Promise((r) => setTimeout(r, 1100)); // Stripe dates its objects to the second
    await saveCard('4242 4242 4242 4242');
    await emulator('webhooks/release', { order: 'reverse' });
    await t.stripe.webhooks.idle();
    expect((await card())?.last4).toBe('4242');
  });

  it('a card removed is not brought back by the late events of a visit paid before the removal', async () => {
    const v = visits[2]!;
    expect((await inject('DELETE', '/me/card', client)).statusCode).toBe(200);
    expect(await chargeAt(dayBefore(v)).chargeVisit(v.id)).toBe('skipped'); // no card: asked to pay
    await emulator('webhooks/pause');
    const res = await inject('POST', `/bookings/${v.id}/checkout`, client);
    expect(res.statusCode, res.body).toBe(200);
    const id = new URL(res.json().url).pathname.split('/').pop()!;
    expect((await emulator(`checkout/${id}/pay`, { card: '5555 5555 5555 4444' })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await inject('DELETE', '/me/card', client)).statusCode).toBe(200);
    await emulator('webhooks/release');
    await t.stripe.webhooks.idle();
    expect(await stateOf(v.id)).toBe('paid');
    expect(await card()).toBeNull();
    expect(await ledgerOk()).toBe(true);
  });
});

describe('a Checkout the client opened early and left', () => {
  it('does not stop the saved card paying the visit when its time comes', async () => {
    await saveCard('4242 4242 4242 4242');
    await t.stripe.webhooks.idle();
    const v = visits[3]!;
    expect((await inject('POST', `/bookings/${v.id}/checkout`, client)).statusCode).toBe(200);
    expect(await chargeAt(dayBefore(v)).chargeDueVisits()).toMatchObject({ charged: expect.any(Number) });
    expect(await stateOf(v.id)).toBe('paid');
    expect((await paymentsOf(v.id)).map((p) => p.status).sort()).toEqual(['expired', 'paid']);
    expect(await ledgerOk()).toBe(true);
  });
});

describe('coming back from the setup page', () => {
  it('shows the card just entered at once, before its webhook; someone else\'s session is not hers', async () => {
    await t.stripe.webhooks.idle();
    t.stripe.webhooks.pause();
    try {
      const setup = await inject('POST', '/me/card/setup', client, { returnTo: '/account/card' });
      const id = new URL(setup.json().url).pathname.split('/').pop()!;
      const done = await emulator(`checkout/${id}/setup`, { card: '5555 5555 5555 4444' });
      // Stripe sends her back with the session named in the address.
      const { session } = (await done.json()) as { session: { id: string; success_url: string } };
      const back = new URL(session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id));
      expect(back.searchParams.get('card')).toBe('saved');
      expect(back.searchParams.get('session')).toBe(id);
      expect((await card())?.last4).not.toBe('4444'); // the webhook has not come
      const confirmed = await inject('POST', '/me/card/confirm', client, { sessionId: id });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json()).toMatchObject({ card: { last4: '4444' }, session: 'complete' });
      const [other] = (await Promise.all([signUp(t.app)])) as [SignedIn];
      expect((await inject('POST', '/me/card/confirm', other, { sessionId: id })).statusCode).toBe(404);
      expect((await inject('POST', '/me/card/confirm', client, { sessionId: '../cs_1' })).statusCode).toBe(400);
    } finally {
      t.stripe.webhooks.release('forward');
    }
    await t.stripe.webhooks.idle();
    // The webhook, late, changes nothing.
    expect((await card())?.last4).toBe('4444');
  });
});

describe('a setup session she opened and did not finish', () => {
  // The card page said "Carte enregistrée" for it (her older card was there): the API now says the session saved nothing.
  it('is confirmed as open, her older card unchanged, so the page does not call that card the one just saved', async () => {
    const before = await card();
    expect(before).not.toBeNull();
    const setup = await inject('POST', '/me/card/setup', client, { returnTo: '/account/card' });
    const id = new URL(setup.json().url).pathname.split('/').pop()!;
    const confirmed = await inject('POST', '/me/card/confirm', client, { sessionId: id });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toEqual({ card: before, session: 'open' });
  });
});

describe('opening card setups', () => {
  it('is limited like signing in (each call opens a Stripe session)', async () => {
    const limited = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const [someone] = (await Promise.all([signUp(limited.app)])) as [SignedIn];
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        codes.push((await limited.app.inject({ method: 'POST', url: '/me/card/setup', headers: someone.auth, payload: { returnTo: '/account/card' } })).statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
