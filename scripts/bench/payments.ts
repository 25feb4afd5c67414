/**
 * Paid bookings per second through the Stripe emulator: each loop books an instant-booking slot,
 * opens Checkout, pays on the emulator and waits until the signed webhook has made the booking
 * paid. The API runs in its own process with its webhook route registered at the emulator, so
 * every step is the real path: SDK calls, signature check, the payment's ledger entry.
 *
 *   pnpm exec tsx scripts/bench/payments.ts [--seconds 10] [--connections 10]
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { startStripeEmulator } from '../stripe-emulator/index.js';
import { startApiProcess } from './api-process.js';
import { closedLoop, type Measured } from './measure.js';
import { benchServer, scratchDatabase, type BenchServer } from './scratch-db.js';

const WEBHOOK_SECRET = 'whsec_tissu_bench';

export async function benchPaidBookings(server: BenchServer, opts: { seconds?: number; connections?: number } = {}): Promise<Measured & { ledgerOk: boolean }> {
  const connections = opts.connections ?? 10;
  const emulator = await startStripeEmulator({ port: 0, logger: false });
  const scratch = await scratchDatabase(server, { max: 2 });
  const api = await startApiProcess({
    databaseUrl: scratch.url,
    poolSize: connections,
    env: { STRIPE_API_URL: emulator.url, STRIPE_SECRET_KEY: 'sk_test_tissu_bench', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
  }).catch(async (e: unknown) => {
    await Promise.all([scratch.drop(), emulator.stop()]);
    throw e;
  });
  try {
    const call = async (base: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, token?: string) => {
      const res = await fetch(base + url, {
        method,
        body: payload === undefined ? undefined : JSON.stringify(payload),
        headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${(await res.text()).slice(0, 200)}`);
      return res.json();
    };
    const tissu = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, token?: string) => call(api.base, method, url, payload, token);
    await call(emulator.url, 'POST', '/_emulator/webhook_endpoints', { url: `${api.base}/webhooks/stripe`, secret: WEBHOOK_SECRET });

    const signUp = async (email: string) => {
      await tissu('POST', '/auth/sign-up', { email, password: 'bench password 123', name: 'Bench' });
      await scratch.database.sql`UPDATE users SET email_verified_at = now() WHERE email = ${email}`;
      return tissu('POST', '/auth/sign-in', { email, password: 'bench password 123' });
    };
    const [admin, steward] = [await signUp('admin@bench.test'), await signUp('steward@bench.test')];
    // A client may hold OPEN_BOOKINGS_PER_LISTING unpaid bookings of a listing: with one client for
    // every connection, most bookings were refused 409 (each connection books, then pays). Three
    // clients per connection, taken in turn, each hold at most one at a time.
    const clients: { accessToken: string }[] = [];
    for (let i = 0; i < connections * 3; i++) clients.push(await signUp(`client${i}@bench.test`));
    await scratch.database.sql`UPDATE users SET is_steward = true WHERE id = ${steward.user.id}`;
    const coop = await tissu('POST', '/coops', {
      legalName: 'Coop Banc de paiement', legalForm: 'worker_coop', region: 'verdun', languages: ['fr'], foundedYear: 2020,
      descriptionFr: 'Une coopérative pour mesurer.', descriptionEn: 'A co-op to measure with.',
    }, admin.accessToken);
    await tissu('POST', `/coops/${coop.id}/approve`, {}, steward.accessToken);
    // Real onboarding at the emulator: the destination charges need a connected account.
    const link = await tissu('POST', `/coops/${coop.id}/payments/onboarding`, {}, admin.accessToken);
    await call(emulator.url, 'POST', `/_emulator/accounts/${new URL(link.url).pathname.split('/').pop()}/onboard`, {});
    await tissu('GET', `/coops/${coop.id}/payments/account?refresh=1`, undefined, admin.accessToken);
    const listing = await tissu('POST', `/coops/${coop.id}/listings`, {
      titleFr: 'Service payé', titleEn: 'Paid service', descriptionFr: 'Un service pour le banc d’essai.', descriptionEn: 'A service for the benchmark.',
      category: 'menage', priceKind: 'fixed', priceCents: 5000, durationMinutes: 30, locationMode: 'remote', boroughs: [],
    }, admin.accessToken);
    await tissu('PUT', `/listings/${listing.id}/schedule`, {
      timeZone: 'America/Toronto', weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
      slotIntervalMinutes: 30, minNoticeMinutes: 0, horizonDays: 366, capacity: 1, instantBooking: true,
    }, admin.accessToken);

    const first = Math.ceil(Date.now() / 1_800_000) * 1_800_000 + 3_600_000;
    const measured = await closedLoop(opts.seconds ?? 10, connections, async (i) => {
      const client = clients[i % clients.length]!;
      const booking = await tissu('POST', '/bookings', {
        listingId: listing.id, startsAt: new Date(first + i * 1_800_000).toISOString(), contactName: 'Bench', contactEmail: 'client@bench.test',
      }, client.accessToken);
      const { url } = await tissu('POST', `/bookings/${booking.id}/checkout`, {}, client.accessToken);
      await call(emulator.url, 'POST', `/_emulator/checkout/${new URL(url).pathname.split('/').pop()}/pay`, {});
      // Paid once the webhook went through: the client's view of the booking says so.
      const until = performance.now() + 10_000;
      for (;;) {
        const b = await tissu('GET', `/bookings/${booking.id}`, undefined, client.accessToken);
        if (b.state === 'paid') return;
        if (performance.now() > until) throw new Error(`booking ${booking.id} still ${b.state} 10 s after paying`);
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    await emulator.webhooks.idle();
    const check = await tissu('GET', '/steward/ledger/check', undefined, steward.accessToken);
    return { ...measured, ledgerOk: Boolean(check.ok) };
  } finally {
    await api.stop();
    await Promise.all([scratch.drop(), emulator.stop()]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const arg = (name: string, d: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? d) || d;
  const server = await benchServer(process.env.DATABASE_URL || undefined);
  try {
    const m = await benchPaidBookings(server, { seconds: arg('seconds', 10), connections: arg('connections', 10) });
    console.log(`paid bookings through the emulator: ${m.rps.toFixed(1)}/s, p50 ${m.p50.toFixed(0)} ms, p95 ${m.p95.toFixed(0)} ms, ${m.requests} bookings, ${m.failures} failed${m.firstFailure ? ` (first: ${m.firstFailure})` : ''}; ledger check ${m.ledgerOk ? 'ok' : 'FAILED'}`);
    if (m.failures || !m.ledgerOk) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}
