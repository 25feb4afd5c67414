/**
 * Booking benchmarks:
 *  1. slot computation (pure code in shared/) for a listing with a year of weekly rules,
 *     60 date exceptions and 500 existing bookings, over its whole one-year horizon;
 *  2. booking creation throughput over HTTP on distinct slots (autocannon, loopback), each
 *     request a real transaction: slot check, insert under the exclusion constraint, history, outbox.
 *
 *   pnpm exec tsx scripts/bench/bookings.ts [--seconds 10] [--connections 10]
 */
import { performance } from 'node:perf_hooks';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { computeSlots, type Availability, type BusyBooking } from '@tissu/shared';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/plugins/env.js';
import { median, percentile, scratchDatabase } from './scratch-db.js';

export interface BookingBench {
  slots: { runs: number; medianMs: number; p95Ms: number; slotsFound: number; bookings: number };
  create: { requests: number; errors: number; non2xx: number; rps: number; p50: number; p95: number; p99: number };
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

export function benchSlots(runs = 30): BookingBench['slots'] {
  const { av, busy, from, to, now } = yearOfRules();
  const times: number[] = [];
  let found = 0;
  computeSlots(av, busy, { from, to, now, durationMinutes: 120 }); // warm-up
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    found = computeSlots(av, busy, { from, to, now, durationMinutes: 120 }).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { runs, medianMs: median(times), p95Ms: percentile(times, 95), slotsFound: found, bookings: busy.length };
}

export async function benchCreate(opts: { databaseUrl?: string; seconds?: number; connections?: number } = {}): Promise<BookingBench['create']> {
  const scratch = await scratchDatabase(opts.databaseUrl, 54342);
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'bench-secret-bench-secret-bench-secret!!', DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'tissu-bench-')), LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_PER_MINUTE: '100000' });
  const app = await buildApp({ config, database: scratch.database, logger: false });
  try {
    const inject = async (method: 'POST' | 'PUT', url: string, payload: object, token?: string) => {
      const res = await app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const signUp = (email: string) => inject('POST', '/auth/sign-up', { email, password: 'bench password 123', name: 'Bench' });
    const admin = await signUp('admin@bench.test');
    const steward = await signUp('steward@bench.test');
    await scratch.database.sql`UPDATE users SET is_steward = true WHERE id = ${steward.user.id}`;
    const client = await signUp('client@bench.test');
    const coop = await inject('POST', '/coops', {
      legalName: 'Coop Banc d’essai', legalForm: 'worker_coop', region: 'verdun', languages: ['fr'], foundedYear: 2020,
      descriptionFr: 'Une coopérative pour mesurer.', descriptionEn: 'A co-op to measure with.',
    }, admin.accessToken);
    await inject('POST', `/coops/${coop.id}/approve`, {}, steward.accessToken);
    const listing = await inject('POST', `/coops/${coop.id}/listings`, {
      titleFr: 'Service mesuré', titleEn: 'Measured service', descriptionFr: 'Un service pour le banc d’essai.', descriptionEn: 'A service for the benchmark.',
      category: 'menage', priceKind: 'fixed', priceCents: 5000, durationMinutes: 30, locationMode: 'remote', boroughs: [],
    }, admin.accessToken);
    await inject('PUT', `/listings/${listing.id}/schedule`, {
      timeZone: 'America/Toronto', weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
      slotIntervalMinutes: 30, minNoticeMinutes: 0, horizonDays: 366, capacity: 1, instantBooking: true,
    }, admin.accessToken);
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const first = Math.ceil(Date.now() / 1_800_000) * 1_800_000 + 3_600_000;
    let n = 0;
    const result = await autocannon({
      url: address,
      connections: opts.connections ?? 10,
      duration: opts.seconds ?? 10,
      requests: [{
        method: 'POST',
        path: '/bookings',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${client.accessToken}` },
        // Each request takes the next half-hour: distinct slots, so every request should succeed.
        setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ listingId: listing.id, startsAt: new Date(first + (n++) * 1_800_000).toISOString(), contactName: 'Bench', contactEmail: 'client@bench.test' }) }),
      }],
    });
    return {
      requests: result.requests.total, errors: result.errors, non2xx: result.non2xx, rps: result.requests.average,
      p50: result.latency.p50, p95: result.latency.p97_5 ?? result.latency.p99, p99: result.latency.p99,
    };
  } finally {
    await app.close();
    await scratch.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, d: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? d) || d;
  const slots = benchSlots();
  console.log(`slot computation, 1 year of rules, ${slots.bookings} bookings: median ${slots.medianMs.toFixed(1)} ms, p95 ${slots.p95Ms.toFixed(1)} ms (${slots.slotsFound} slots, ${slots.runs} runs)`);
  const c = await benchCreate({ seconds: arg('seconds', 10), connections: arg('connections', 10) });
  console.log(`booking creation on distinct slots: ${c.rps.toFixed(0)} req/s, p50 ${c.p50} ms, p99 ${c.p99} ms, ${c.requests} requests, ${c.non2xx} non-2xx, ${c.errors} errors`);
}
