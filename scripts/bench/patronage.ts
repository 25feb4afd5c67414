/**
 * Closing a fiscal year at scale: 10,000 members (200 member co-ops, 3,800 worker-members, 5,800
 * user members, 200 supporting) and 1,000,000 completed bookings, seeded with bulk SQL
 * (generate_series, deterministic ids), then the year is closed through the fiscal service —
 * the set-based statement that freezes every member's patronage per month — and the surplus plan
 * is proposed (allocation of 10,000 members, their rows and emails).
 *
 *   pnpm exec tsx scripts/bench/patronage.ts [--bookings 1000000] [--database-url postgres://…]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type postgres from 'postgres';
import type { Actor } from '../../server/src/actor.js';
import { createFiscalService } from '../../server/src/modules/fiscal/service.js';
import { keepMonthsUpToDate } from '../../server/src/modules/fiscal/measures.js';
import { createPlansService } from '../../server/src/modules/patronage/plans.js';
import { benchPatronage, type PatronageBench } from '../../shared/src/patronage/bench.js';
import { loadAverage } from './measure.js';
import { target, type Figure } from './table.js';
import { benchServer, scratchDatabase, type BenchServer } from './scratch-db.js';

export interface PatronageCloseBench {
  bookings: number;
  members: number;
  seedMs: number;
  /** The nightly job computing the whole year's months at once (it does a day's changes each night). */
  keepMs: number;
  closeMs: number;
  measures: number;
  proposeMs: number;
}

const COOPS = 250; // 0–199 are members, 200–249 are on the platform without being members
const PEOPLE = 12_000; // 0–3,799 workers, 3,800–9,599 user members, 9,600–9,799 supporting, the rest clients
const YEAR = { startsOn: '2025-01-01', endsOn: '2025-12-31' };

/**
 * Deterministic uuids, so the bulk inserts refer to each other without joins; increasing with n,
 * so every index is filled in order (random uuids make a million-row load several times slower).
 */
const KINDS: Record<string, number> = { u: 1, c: 2, l: 3, m: 4, b: 5, p: 6 };
const id = (kind: string, n: string) => `(lpad(to_hex(${KINDS[kind]}), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;

async function seed(sql: postgres.TransactionSql, bookings: number) {
  await sql.unsafe(`
    INSERT INTO users (id, email, password_hash, name)
    SELECT ${id('u', 'i')}, 'person' || i || '@bench.test', 'x', 'Personne ' || i FROM generate_series(0, ${PEOPLE + COOPS}) i`);
  await sql.unsafe(`
    INSERT INTO coops (id, slug, legal_name, legal_form, region, languages, description_fr, description_en, founded_year, status, created_by)
    SELECT ${id('c', 'i')}, 'coop-' || i, 'Coop ' || i, 'worker_coop', 'verdun', '{fr}', 'Une coopérative.', 'A co-op.', 2015, 'approved', ${id('u', `${PEOPLE} + i`)}
    FROM generate_series(0, ${COOPS - 1}) i`);
  await sql.unsafe(`
    INSERT INTO listings (id, coop_id, title_fr, title_en, description_fr, description_en, category, price_kind, price_cents, duration_minutes, location_mode)
    SELECT ${id('l', 'i')}, ${id('c', 'i')}, 'Service', 'Service', 'Un service.', 'A service.', 'menage', 'fixed', 5000, 60, 'client_place'
    FROM generate_series(0, ${COOPS - 1}) i`);
  await sql.unsafe(`
    INSERT INTO coop_members (coop_id, user_id, role)
    SELECT ${id('c', 'i % 200')}, ${id('u', 'i')}, 'worker' FROM generate_series(0, 3799) i`);
  // Memberships start a month before the year; every tenth user member leaves at mid-year.
  await sql.unsafe(`
    INSERT INTO memberships (id, member_class, coop_id, share_cents, paid_by, started_on)
    SELECT ${id('m', 'i')}, 'producer', ${id('c', 'i')}, 10000, 'transfer', '2024-12-01' FROM generate_series(0, 199) i`);
  await sql.unsafe(`
    INSERT INTO memberships (id, member_class, user_id, share_cents, paid_by, started_on, ended_on)
    SELECT ${id('m', '1000 + i')}, CASE WHEN i < 3800 THEN 'worker' WHEN i < 9600 THEN 'user' ELSE 'supporting' END, ${id('u', 'i')},
           1000, 'cheque', '2024-12-01', CASE WHEN i BETWEEN 3800 AND 9599 AND i % 10 = 0 THEN DATE '2025-07-01' END
    FROM generate_series(0, 9799) i`);
  // Indexes are built once after the load, as a restore does: much faster than row by row.
  const deferred = await sql.unsafe(`
    SELECT i.indexname, i.indexdef FROM pg_indexes i
    WHERE i.schemaname = 'public' AND i.tablename IN ('bookings', 'payments', 'booking_workers')
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)`);
  for (const ix of deferred) await sql.unsafe(`DROP INDEX ${ix.indexname}`);
  // Bookings spread over the year, about 40 minutes apart per co-op; prices 50 $ to 145 $.
  await sql.unsafe(`
    INSERT INTO bookings (id, listing_id, coop_id, client_id, state, starts_at, ends_at, blocked_until, unit, time_zone, duration_minutes,
                          regular_price_cents, price_cents, contact_name, contact_email, free_cancellation_hours, late_cancellation_percent)
    SELECT ${id('b', 'i')}, ${id('l', `i % ${COOPS}`)}, ${id('c', `i % ${COOPS}`)}, ${id('u', '3800 + (i::bigint * 7919) % 8200')}, 'completed',
           s, s + interval '1 hour', s + interval '1 hour', 0, 'America/Toronto', 60, 5000 + (i % 20) * 500, 5000 + (i % 20) * 500, 'Client', 'c@bench.test', 24, 50
    FROM generate_series(0, ${bookings - 1}) i, LATERAL (SELECT TIMESTAMPTZ '2025-01-01 05:00+00' + (i * interval '31 seconds') AS s) t`);
  await sql.unsafe(`
    INSERT INTO payments (id, booking_id, coop_id, status, checkout_session_id, checkout_url, service_cents, gst_cents, qst_cents, total_cents, fee_rate_bps, platform_fee_cents, coop_cents, paid_at)
    SELECT ${id('p', 'i')}, ${id('b', 'i')}, ${id('c', `i % ${COOPS}`)}, 'paid', 'cs_' || i, '', price, 0, 0, price, 500, price / 20, price - price / 20, TIMESTAMPTZ '2025-01-01 05:00+00'
    FROM generate_series(0, ${bookings - 1}) i, LATERAL (SELECT 5000 + (i % 20) * 500 AS price) t`);
  // One payment in 250 had 10.00 $ of its service refunded.
  await sql.unsafe(`
    INSERT INTO refunds (payment_id, booking_id, kind, service_cents, gst_cents, qst_cents, total_cents, platform_fee_cents, coop_cents, reason)
    SELECT ${id('p', 'i')}, ${id('b', 'i')}, 'steward', 1000, 0, 0, 1000, 50, 950, 'bench' FROM generate_series(0, ${bookings - 1}, 250) i`);
  await sql.unsafe(`
    INSERT INTO booking_workers (booking_id, user_id, minutes_delivered)
    SELECT ${id('b', 'i')}, ${id('u', '(i % 200) + 200 * (i % 19)')}, 60 FROM generate_series(0, ${bookings - 1}) i WHERE i % ${COOPS} < 200`);
  await sql.unsafe(`SET LOCAL maintenance_work_mem = '256MB'`);
  for (const ix of deferred) await sql.unsafe(ix.indexdef);
  await sql.unsafe(`INSERT INTO fiscal_years (label, starts_on, ends_on) VALUES ('2025', '${YEAR.startsOn}', '${YEAR.endsOn}')`);
}

/** The whole seed in one transaction, then fresh planner statistics. */
export async function seedYear(sql: postgres.Sql, bookings: number) {
  await sql.begin(async (tx) => {
    // The rows are consistent by construction: skip the per-row foreign-key checks where the
    // role may (a superuser, as the embedded server's is); elsewhere they simply run.
    await tx.savepoint((sp) => sp.unsafe('SET LOCAL session_replication_role = replica')).catch(() => undefined);
    await seed(tx, bookings);
  });
  await sql.unsafe('ANALYZE');
}

export async function benchPatronageClose(server: BenchServer, opts: { bookings?: number } = {}): Promise<PatronageCloseBench> {
  const bookings = opts.bookings ?? 1_000_000;
  const scratch = await scratchDatabase(server);
  try {
    const { sql, db } = scratch.database;
    const t0 = performance.now();
    await seedYear(sql, bookings);
    const seedMs = performance.now() - t0;

    const [steward] = await sql`SELECT id FROM users WHERE email = 'person0@bench.test'`;
    const actor: Actor = { userId: steward!.id, sessionId: 'bench', isSteward: true , emailVerified: true };
    const [{ id: yearId }] = (await sql`SELECT id FROM fiscal_years`) as unknown as [{ id: number }];
    await createFiscalService({ db, now: () => new Date('2025-12-15T17:00:00Z') }).record(actor, { kind: 'income', occurredOn: '2025-06-01', category: 'Subvention', amountCents: 25_000_000, note: '' });

    // Through the year, the nightly job kept each month's units (timed once here, for the whole year
    // at once); then, after its last night, 100 of December's bookings were partly refunded, so the
    // close recomputes December (about 85,000 bookings) and copies the eleven months kept.
    const tk = performance.now();
    await keepMonthsUpToDate(db, new Date('2025-12-31T07:41:00Z'));
    const keepMs = performance.now() - tk;
    await sql.unsafe(`
      INSERT INTO refunds (payment_id, booking_id, kind, service_cents, gst_cents, qst_cents, total_cents, platform_fee_cents, coop_cents, reason)
      SELECT ${id('p', 'i')}, ${id('b', 'i')}, 'steward', 500, 0, 0, 500, 25, 475, 'bench' FROM generate_series(${bookings - 1 - 99 * 7}, ${bookings - 1}, 7) i`);
    const after = () => new Date('2026-01-15T17:00:00Z');
    const t1 = performance.now();
    const year = await createFiscalService({ db, now: after }).close(actor, yearId);
    const closeMs = performance.now() - t1;
    const [{ n: measures }] = (await sql`SELECT count(*)::int AS n FROM patronage_measures`) as unknown as [{ n: number }];

    const plans = createPlansService({ db, now: after });
    const plan = await plans.create(actor, year.id, { reserveBps: 1_500, weights: { producer: 4_000, worker: 4_000, user: 2_000 }, cashBps: 3_000, thresholdCents: 2_500 });
    const t2 = performance.now();
    await plans.propose(actor, plan.id, { closesAt: '2026-02-15T17:00:00Z' });
    const proposeMs = performance.now() - t2;
    return { bookings, members: 10_000, seedMs, keepMs, closeMs, measures, proposeMs };
  } finally {
    await scratch.drop();
  }
}

export { benchPatronage };

/** The table rows: allocation in code, year close and proposal through the services on PostgreSQL. */
export function patronageFigures(alloc: PatronageBench, close: PatronageCloseBench): Figure[] {
  const scale = `${close.bookings.toLocaleString('en')} bookings, ${close.members.toLocaleString('en')} members`;
  return [
    { scenario: `patronage: allocation, ${alloc.members.toLocaleString('en')} members (p50 = median, p95 = slowest)`, via: 'code', p50: alloc.medianMs, p95: alloc.maxMs, requests: alloc.runs },
    { scenario: `patronage: year close, ${scale}`, via: 'sql', p50: close.closeMs, p95: close.closeMs, requests: 1, target: target('<= 3 s at 1,000,000 bookings', close.closeMs <= 3_000) },
    { scenario: `patronage: plan proposed, ${close.members.toLocaleString('en')} members`, via: 'sql', p50: close.proposeMs, p95: close.proposeMs, requests: 1, target: target('<= 400 ms at 10,000 members', close.proposeMs <= 400) },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
  const server = await benchServer(arg('database-url'), 54343);
  let r: PatronageCloseBench;
  try {
    console.log(`PostgreSQL: ${server.description}; load average before: ${loadAverage()}`);
    r = await benchPatronageClose(server, { bookings: arg('bookings') ? Number(arg('bookings')) : undefined });
  } finally {
    await server.stop();
  }
  console.log(`seeded ${r.bookings.toLocaleString('en')} completed bookings and ${r.members.toLocaleString('en')} members in ${(r.seedMs / 1000).toFixed(1)} s`);
  console.log(`the nightly job computing the year's months at once: ${(r.keepMs / 1000).toFixed(2)} s`);
  console.log(`closing the year (December recomputed, the other months copied): ${(r.closeMs / 1000).toFixed(2)} s → ${r.measures.toLocaleString('en')} measures`);
  console.log(`proposing the plan (allocation, 10,000 rows, emails): ${(r.proposeMs / 1000).toFixed(2)} s`);
  console.log(`load average after: ${loadAverage()}`);
}

