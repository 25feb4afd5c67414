import { expect } from 'vitest';
import { createCheckoutService, createSavedCards } from '../../server/src/modules/payments/index.js';
import type { PaymentGateway } from '../../server/src/plugins/stripe.js';
import { makeSteward, signUp, type SignedIn, type TestApp } from './test-app.js';
import { approvedCoop, onboardCoop, publishListing, setSchedule } from './fixtures.js';

const HOUR = 3_600_000;

/**
 * A co-op taking payments, a listing booked instantly every week, and a client with a weekly
 * series of `count` visits from two weeks ahead: the world of the saved-card tests.
 */
export async function seriesPaymentsWorld(t: TestApp, count: number) {
  const [steward, admin, client] = (await Promise.all([1, 2, 3].map(() => signUp(t.app)))) as [SignedIn, SignedIn, SignedIn];
  await makeSteward(t, steward.userId);
  const coopId = (await approvedCoop(t, steward, admin, 'Ménage Éclat')).id;
  await onboardCoop(t, admin, coopId);
  const listingId = (await publishListing(t, admin, coopId, { priceKind: 'fixed', priceCents: 10_000, durationMinutes: 120, locationMode: 'client_place' })).id;
  await setSchedule(t, admin, listingId, { weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })), horizonDays: 366, seriesFrequencies: ['weekly'], instantBooking: true });
  const first = new Date(Date.now() + 14 * 86_400_000);
  first.setUTCHours(15, 0, 0, 0);
  const s = await t.app.inject({ method: 'POST', url: '/series', headers: client.auth, payload: { listingId, startsAt: first.toISOString(), frequency: 'weekly', count, address: '12 rue Rachel', contactName: 'Claire', contactEmail: 'claire@example.org' } });
  expect(s.statusCode, s.body).toBe(201);
  const visits = await t.database.sql<{ id: string; starts_at: string }[]>`SELECT id, starts_at FROM bookings WHERE series_id = ${s.json().id} ORDER BY starts_at`;
  expect(visits).toHaveLength(count);
  return { steward, admin, client, listingId, series: s.json() as { id: string; state: string }, visits: [...visits] };
}

/** The charge job (`series-charges`) as it runs at an instant; `gateway` may stand in for Stripe's. */
export function chargeJobAt(t: TestApp, at: Date, gateway: PaymentGateway = t.app.payments) {
  const log = { warn() {}, error() {} };
  return createSavedCards({
    db: t.db, gateway, webOrigin: t.config.webOrigin, log, now: () => at,
    checkout: createCheckoutService({ db: t.db, gateway, webOrigin: t.config.webOrigin, log }),
  });
}

/** When the job charges a visit: its free cancellation has just ended, a day before it. */
export const dayBefore = (v: { starts_at: string }) => new Date(Date.parse(v.starts_at) - 23 * HOUR);

/** The client saves a card on the emulator's setup page, as on /account/card; the webhooks settle it. */
export async function saveCard(t: TestApp, client: SignedIn, card = '4242 4242 4242 4242') {
  const setup = await t.app.inject({ method: 'POST', url: '/me/card/setup', headers: client.auth, payload: { returnTo: '/account/card' } });
  expect(setup.statusCode, setup.body).toBe(200);
  const sessionId = new URL(setup.json().url).pathname.split('/').pop()!;
  const done = await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card }) });
  expect(done.ok, await done.clone().text()).toBe(true);
  await t.stripe.webhooks.idle();
}
