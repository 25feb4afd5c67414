/**
 * Booking benchmarks:
 *  1. slot computation (pure code in shared/) for a listing with a year of weekly rules,
 *     60 date exceptions and 500 existing bookings, over its whole one-year horizon;
 *  2. booking creation throughput over HTTP on distinct slots (autocannon, loopback, the API in
 *     its own process), each request a real transaction: slot check, insert under the exclusion
 *     constraint, history, outbox.
 *
 *   pnpm exec tsx scripts/bench/bookings.ts [--seconds 10] [--connections 10]
 */
import { createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { computeSlots, type Availability, type BusyBooking } from '@tissu/shared';
import { startApiProcess } from './api-process.js';
import { httpLoad, median, percentile, type Measured } from './measure.js';
import { benchServer, scratchDatabase, type BenchServer } from './scratch-db.js';
import { target, type Figure } from './table.js';

export interface SlotsResult {
  runs: number;
  medianMs: number;
  p95Ms: number;
  slotsFound: number;
  bookings: number;
  /** The first computation of the run: code not yet optimized, the zone's offsets not yet found. */
  firstMs: number;
}

function yearOfRules(): { av: Availability; busy: BusyBooking[]; from: Date; to: Date; now: Date } {
  const now = new Date('2027-01-04T05:00:00Z');
  const av: Availability = {
    timeZone: 'America/Toronto',
    weekly: [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
      { weekday, start: '08:00', end: '12:00' },
      { weekday, start: '13:00', end: '20:00' },
    ]),
    exceptions: Array.from({ length: 60 }, (_, i) => {
      const d = new Date(now.getTime() + (i * 6 + 1) * 86_400_000).toISOString().slice(0, 10);
      return i % 3 === 0 ? { date: d, kind: 'extra' as const, start: '20:00', end: '22:00' } : { date: d, kind: 'closed' as const };
    }),
    slotIntervalMinutes: 30,
    bufferMinutes: 15,
    minNoticeMinutes: 120,
    horizonDays: 366,
    capacity: 3,
  };
  const busy: BusyBooking[] = Array.from({ length: 500 }, (_, i) => {
    const start = new Date(now.getTime() + 86_400_000 + i * 17 * 3_600_000);
    start.setUTCMinutes(0, 0, 0);
    return { start, end: new Date(start.getTime() + 120 * 60_000), unit: i % 3 };
  });
  return { av, busy, from: now, to: new Date(now.getTime() + 365 * 86_400_000), now };
}

export function benchSlots(runs = 30): SlotsResult {
  const { av, busy, from, to, now } = yearOfRules();
  const times: number[] = [];
  let found = 0;
  const t = performance.now();
  computeSlots(av, busy, { from, to, now, durationMinutes: 120 }); // warm-up
  const firstMs = performance.now() - t;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    found = computeSlots(av, busy, { from, to, now, durationMinutes: 120 }).length;
    times.push(performance.now() - t0);
  }
  return { runs, medianMs: median(times), p95Ms: percentile(Float64Array.from(times).sort(), 95), slotsFound: found, bookings: busy.length, firstMs };
}

export async function benchCreate(server: BenchServer, opts: { seconds?: number; connections?: number; log?: (line: string) => void } = {}): Promise<Measured> {
  const connections = opts.connections ?? 10;
  const scratch = await scratchDatabase(server, { max: 1 });
  const jwtSecret = randomBytes(48).toString('base64url');
  const api = await startApiProcess({ databaseUrl: scratch.url, poolSize: connections, env: { JWT_SECRET: jwtSecret } }).catch(async (e: unknown) => {
    await scratch.drop();
    throw e;
  });
  try {
    const call = async (method: 'POST' | 'PUT', url: string, payload: object, token?: string) => {
      const res = await fetch(api.base + url, {
        method,
        body: JSON.stringify(payload),
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const signUp = async (email: string) => {
      await call('POST', '/auth/sign-up', { email, password: 'bench password 123', name: 'Bench' });
      await scratch.database.sql`UPDATE users SET email_verified_at = now() WHERE email = ${email}`;
      return call('POST', '/auth/sign-in', { email, password: 'bench password 123' });
    };
    const admin = await signUp('admin@bench.test');
    const steward = await signUp('steward@bench.test');
    await scratch.database.sql`UPDATE users SET is_steward = true WHERE id = ${steward.user.id}`;
    const client = await signUp('client@bench.test');
    const coop = await call('POST', '/coops', {
      legalName: 'Coop Banc d’essai', legalForm: 'worker_coop', region: 'verdun', languages: ['fr'], foundedYear: 2020,
      descriptionFr: 'Une coopérative pour mesurer.', descriptionEn: 'A co-op to measure with.',
    }, admin.accessToken);
    await call('POST', `/coops/${coop.id}/approve`, {}, steward.accessToken);
    // Instant booking needs a co-op that can take payments; Stripe onboarding is not what is measured.
    await scratch.database.sql`
      INSERT INTO coop_payment_accounts (coop_id, stripe_account_id, charges_enabled, payouts_enabled, details_submitted)
      VALUES (${coop.id}, 'acct_bench', true, true, true)`;
    const listing = await call('POST', `/coops/${coop.id}/listings`, {
      titleFr: 'Service mesuré', titleEn: 'Measured service', descriptionFr: 'Un service pour le banc d’essai.', descriptionEn: 'A service for the benchmark.',
      category: 'menage', priceKind: 'fixed', priceCents: 5000, durationMinutes: 30, locationMode: 'remote', boroughs: [],
    }, admin.accessToken);
    await call('PUT', `/listings/${listing.id}/schedule`, {
      timeZone: 'America/Toronto', weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
      slotIntervalMinutes: 30, minNoticeMinutes: 0, horizonDays: 366, capacity: 1, instantBooking: true,
    }, admin.accessToken);
    const first = Math.ceil(Date.now() / 1_800_000) * 1_800_000 + 3_600_000;
    // One client may hold only OPEN_BOOKINGS_PER_LISTING open bookings of a listing: each request
    // books as the next of many clients, made in SQL with a session each (signing each one in would
    // take minutes of password hashing), their tokens signed as the API signs them.
    const people = await scratch.database.sql<{ userId: string; sessionId: string }[]>`
      WITH made AS (
        INSERT INTO users (email, password_hash, name, email_verified_at)
        SELECT 'client' || i || '@bench.test', u.password_hash, 'Bench', now() FROM users u, generate_series(1, ${BENCH_CLIENTS}) i WHERE u.id = ${client.user.id}
        RETURNING id)
      INSERT INTO sessions (user_id, token_hash, expires_at) SELECT id, 'bench-' || id, now() + interval '1 day' FROM made
      RETURNING user_id AS "userId", id AS "sessionId"`;
    const tokens = people.map((p) => accessToken(jwtSecret, p.userId, p.sessionId));
    let n = 0;
    const cpuBefore = await api.cpuMs();
    const measured = await httpLoad(api.base, [{
      method: 'POST',
      path: '/bookings',
      headers: { 'content-type': 'application/json' },
      // Each request takes the next half-hour: distinct slots, so every request should succeed.
      setupRequest: (req) => {
        const i = n++;
        return {
          ...req,
          headers: { ...req.headers, authorization: `Bearer ${tokens[i % tokens.length]}` },
          body: JSON.stringify({ listingId: listing.id, startsAt: new Date(first + i * 1_800_000).toISOString(), contactName: 'Bench', contactEmail: 'client@bench.test' }),
        };
      },
    }], opts.seconds ?? 10, connections);
    const cpu = ((await api.cpuMs()) - cpuBefore) / Math.max(1, measured.requests);
    (opts.log ?? console.log)(`bookings: the API used ${cpu.toFixed(2)} ms of CPU per booking (${connections} connections)`);
    return measured;
  } finally {
    await api.stop();
    await scratch.drop();
  }
}

/** Enough clients that none books a listing more than OPEN_BOOKINGS_PER_LISTING times below 3 × this many requests. */
const BENCH_CLIENTS = 5_000;

/** An access token as the API signs one (HS256; subject, session, expiry). */
function accessToken(secret: string, userId: string, sessionId: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: userId, sid: sessionId, iat: now, exp: now + 3_600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export function bookingFigures(slots: SlotsResult, create: Measured): Figure[] {
  return [
    { scenario: `slots: 1 year of rules, ${slots.bookings} bookings (p50 = median)`, via: 'code', p50: slots.medianMs, p95: slots.p95Ms, requests: slots.runs, target: target('p50 <= 5 ms', slots.medianMs <= 5) },
    { scenario: 'booking creation, distinct slots', via: 'api', ...create, target: target('>= 200/s, p50 <= 50 ms', create.rps >= 200 && create.p50 <= 50) },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const arg = (name: string, d: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? d) || d;
  const slots = benchSlots();
  console.log(`slot computation, 1 year of rules, ${slots.bookings} bookings: median ${slots.medianMs.toFixed(1)} ms, p95 ${slots.p95Ms.toFixed(1)} ms (${slots.slotsFound} slots, ${slots.runs} runs; first call ${slots.firstMs.toFixed(1)} ms)`);
  const server = await benchServer(process.env.DATABASE_URL || undefined);
  try {
    const c = await benchCreate(server, { seconds: arg('seconds', 10), connections: arg('connections', 10) });
    console.log(`booking creation on distinct slots: ${c.rps.toFixed(0)} req/s, p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms, ${c.requests} requests, ${c.failures} failed${c.firstFailure ? ` (first: ${c.firstFailure})` : ''}`);
  } finally {
    await server.stop();
  }
}
