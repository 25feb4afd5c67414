import type { TestApp, SignedIn } from './test-app.js';

/** A co-op applied for by `admin` and approved by `steward`, through the API. */
export async function approvedCoop(t: TestApp, steward: SignedIn, admin: SignedIn, legalName = 'Coopérative Test') {
  const res = await t.app.inject({
    method: 'POST', url: '/coops', headers: admin.auth,
    payload: {
      legalName, legalForm: 'worker_coop', region: 'plateau-mont-royal', languages: ['fr', 'en'], foundedYear: 2015,
      descriptionFr: 'Coopérative de travail en entretien ménager.', descriptionEn: 'Worker co-op in home cleaning.',
    },
  });
  if (res.statusCode !== 201) throw new Error(`apply failed: ${res.body}`);
  const approve = await t.app.inject({ method: 'POST', url: `/coops/${res.json().id}/approve`, headers: steward.auth });
  if (approve.statusCode !== 200) throw new Error(`approve failed: ${approve.body}`);
  return res.json() as { id: string; slug: string };
}

export const sampleListing = (over: Record<string, unknown> = {}) => ({
  titleFr: 'Ménage résidentiel',
  titleEn: 'Home cleaning',
  descriptionFr: 'Entretien complet de votre logement avec des produits écologiques.',
  descriptionEn: 'Full cleaning of your home with green products.',
  category: 'menage',
  priceKind: 'hourly',
  priceCents: 4500,
  durationMinutes: 60,
  locationMode: 'client_place',
  boroughs: ['plateau-mont-royal'],
  solidarityPriceCents: 3000,
  ...over,
});

export async function publishListing(t: TestApp, admin: SignedIn, coopId: string, over: Record<string, unknown> = {}) {
  const res = await t.app.inject({ method: 'POST', url: `/coops/${coopId}/listings`, headers: admin.auth, payload: sampleListing(over) });
  if (res.statusCode !== 201) throw new Error(`listing failed: ${res.body}`);
  return res.json() as { id: string; priceCents: number };
}

/** Open every day, all day, hourly, no notice: any future whole hour is a slot unless taken. */
export const openAllDay = (over: Record<string, unknown> = {}) => ({
  timeZone: 'America/Toronto',
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
  exceptions: [],
  slotIntervalMinutes: 60,
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 60,
  capacity: 1,
  instantBooking: false,
  requestTtlHours: 48,
  freeCancellationHours: 24,
  lateCancellationPercent: 50,
  ...over,
});

export async function setSchedule(t: TestApp, admin: SignedIn, listingId: string, over: Record<string, unknown> = {}) {
  const res = await t.app.inject({ method: 'PUT', url: `/listings/${listingId}/schedule`, headers: admin.auth, payload: openAllDay(over) });
  if (res.statusCode !== 200) throw new Error(`schedule failed: ${res.body}`);
  return res.json();
}

/** A whole UTC hour `hoursAhead` from now (Toronto's offset is whole hours, so it is a slot there too). */
export function hourFromNow(hoursAhead: number): string {
  const d = new Date(Date.now() + hoursAhead * 3_600_000);
  d.setUTCMinutes(0, 0, 0);
  return d.toISOString();
}

/**
 * Time passes until the booking has started: its time (length kept) is moved to have begun
 * `minutesAgo` minutes ago, as a booking would be by the time work is recorded. Bookings left
 * live on the same listing need different `minutesAgo` so they do not overlap.
 */
export async function startBooking(t: TestApp, bookingId: string, minutesAgo = 1) {
  return moveToStarted(t.database.sql, bookingId, minutesAgo);
}

/** startBooking on any connection to the database (the browser tests' stack has no TestApp). */
export async function moveToStarted(sql: TestApp['database']['sql'], bookingId: string, minutesAgo = 1) {
  // Other tests on the browser tests' shared stack start their visits "just now" too: where one of
  // them holds the listing then (its exclusion constraint), a little earlier, and so on.
  for (let ago = minutesAgo; ; ago += 17) {
    try {
      const [row] = await sql`
        UPDATE bookings SET
          starts_at = now() - make_interval(mins => ${ago}),
          ends_at = now() - make_interval(mins => ${ago}) + (ends_at - starts_at),
          blocked_until = now() - make_interval(mins => ${ago}) + (blocked_until - starts_at)
        WHERE id = ${bookingId} RETURNING starts_at`;
      if (!row) throw new Error(`no booking ${bookingId}`);
      return new Date(row.starts_at as string).toISOString();
    } catch (e) {
      if ((e as { code?: string }).code !== '23P01' || ago > minutesAgo + 3_000) throw e;
    }
  }
}

export const bookingBody = (listingId: string, startsAt: string, over: Record<string, unknown> = {}) => ({
  listingId,
  startsAt,
  address: '4321 rue Saint-Denis, Montréal',
  notes: 'Le code de la porte est 1234',
  contactName: 'Client Test',
  contactPhone: '514-555-0101',
  contactEmail: 'client@example.org',
  ...over,
});

/** Connects the co-op to Stripe and completes the (test) onboarding, as its admin would. */
export async function onboardCoop(t: TestApp, admin: SignedIn, coopId: string) {
  const link = await t.app.inject({ method: 'POST', url: `/coops/${coopId}/payments/onboarding`, headers: admin.auth });
  if (link.statusCode !== 200) throw new Error(`onboarding failed: ${link.body}`);
  const accountId = new URL(link.json().url).pathname.split('/').pop()!;
  const done = await fetch(`${t.stripe.url}/_emulator/accounts/${accountId}/onboard`, { method: 'POST' });
  if (!done.ok) throw new Error(`emulator onboarding failed: ${await done.text()}`);
  const status = await t.app.inject({ method: 'GET', url: `/coops/${coopId}/payments/account?refresh=1`, headers: admin.auth });
  if (!status.json().chargesEnabled) throw new Error(`co-op not ready: ${status.body}`);
  return accountId;
}

/** The client pays through Checkout with the test card; resolves once the webhooks were handled. */
export async function payBooking(t: TestApp, client: SignedIn, bookingId: string, outcome: 'pay' | 'decline' = 'pay') {
  const res = await t.app.inject({ method: 'POST', url: `/bookings/${bookingId}/checkout`, headers: client.auth });
  if (res.statusCode !== 200) throw new Error(`checkout failed: ${res.statusCode} ${res.body}`);
  const sessionId = new URL(res.json().url).pathname.split('/').pop()!;
  const paid = await fetch(`${t.stripe.url}/_emulator/checkout/${sessionId}/${outcome}`, { method: 'POST' });
  if (!paid.ok) throw new Error(`emulator ${outcome} failed: ${await paid.text()}`);
  await t.stripe.webhooks.idle();
  return sessionId;
}
