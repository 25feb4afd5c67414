/**
 * Regular visits at scale: 10,000 active weekly series (40 on each of 250 listings, each at its own
 * weekday and hour), their horizon behind by eight weeks, then the job that makes the next visits
 * runs once — every visit placed under its listing's lock like a booking, one transaction per
 * listing, HORIZON_WORKERS listings at once. The seed writes series and rules only: every visit,
 * history row and gap is the job's. (calendar.ts adds the listing page with 200 series.)
 *
 *   pnpm bench series [--series 10000] [--horizon-workers 3]
 */
import { performance } from 'node:perf_hooks';
import type postgres from 'postgres';
import { extendHorizons } from '../../server/src/modules/series/index.js';
import { scratchDatabase, type BenchServer } from './scratch-db.js';
import { target, type Figure } from './table.js';

export interface SeriesBench {
  series: number;
  visits: number;
  seedMs: number;
  extendMs: number;
  /** A week later: the visits that entered the horizon since (one per series). */
  weekVisits: number;
  weekMs: number;
}

const LISTINGS = 250;
const id = (kind: number, n: string) => `(lpad(to_hex(${kind}), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;

async function seed(sql: postgres.Sql, series: number, today: string) {
  await sql.begin(async (tx) => {
    await tx.unsafe(`
      INSERT INTO users (id, email, password_hash, name, email_verified_at)
      SELECT ${id(1, 'i')}, 'person' || i || '@bench.test', 'x', 'Personne ' || i, now() FROM generate_series(0, ${series + LISTINGS}) i`);
    await tx.unsafe(`
      INSERT INTO coops (id, slug, legal_name, legal_form, region, languages, description_fr, description_en, founded_year, status, created_by)
      SELECT ${id(2, 'i')}, 'coop-' || i, 'Coop ' || i, 'worker_coop', 'verdun', '{fr}', 'Une coopérative.', 'A co-op.', 2015, 'approved', ${id(1, `${series} + i`)}
      FROM generate_series(0, ${LISTINGS - 1}) i`);
    await tx.unsafe(`
      INSERT INTO listings (id, coop_id, title_fr, title_en, description_fr, description_en, category, price_kind, price_cents, duration_minutes, location_mode)
      SELECT ${id(3, 'i')}, ${id(2, 'i')}, 'Ménage', 'Cleaning', 'Un service.', 'A service.', 'menage', 'fixed', 9000, 60, 'client_place'
      FROM generate_series(0, ${LISTINGS - 1}) i`);
    await tx.unsafe(`
      INSERT INTO listing_schedules (listing_id, weekly, slot_interval_minutes, min_notice_minutes, horizon_days, series_frequencies)
      SELECT ${id(3, 'i')}, '[{"weekday":1,"start":"08:00","end":"18:00"},{"weekday":2,"start":"08:00","end":"18:00"},{"weekday":3,"start":"08:00","end":"18:00"},{"weekday":4,"start":"08:00","end":"18:00"},{"weekday":5,"start":"08:00","end":"18:00"},{"weekday":6,"start":"08:00","end":"18:00"},{"weekday":7,"start":"08:00","end":"18:00"}]'::jsonb,
             60, 0, 366, '{weekly}'
      FROM generate_series(0, ${LISTINGS - 1}) i`);
    // Series k: listing k % 250, the (k / 250)th of its 40 places in the week (weekday, then hour).
    await tx.unsafe(`
      INSERT INTO booking_series (id, listing_id, coop_id, client_id, state, time_zone, duration_minutes, regular_price_cents, price_cents, fee_rate_bps,
                                  free_cancellation_hours, late_cancellation_percent, contact_name, contact_email, generated_through)
      SELECT ${id(4, 'k')}, ${id(3, `k % ${LISTINGS}`)}, ${id(2, `k % ${LISTINGS}`)}, ${id(1, 'k')}, 'active', 'America/Toronto', 60, 9000, 9000, 500, 24, 50,
             'Client', 'c@bench.test', DATE '${today}'
      FROM generate_series(0, ${series - 1}) k`);
    await tx.unsafe(`
      INSERT INTO booking_series_rules (series_id, starts_on, frequency, time)
      SELECT ${id(4, 'k')}, DATE '${today}' + 1 + ((k / ${LISTINGS}) % 7), 'weekly', lpad((8 + (k / ${LISTINGS}) / 7)::text, 2, '0') || ':00'
      FROM generate_series(0, ${series - 1}) k`);
  });
}

export async function benchSeries(server: BenchServer, opts: { series?: number; workers?: number } = {}): Promise<SeriesBench> {
  const series = opts.series ?? 10_000;
  // As many connections as the API's pool gives the job at most.
  const scratch = await scratchDatabase(server, { max: 10 });
  try {
    const { sql, db } = scratch.database;
    const now = new Date();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(now);
    const t0 = performance.now();
    await seed(sql, series, today);
    const seedMs = performance.now() - t0;
    const t1 = performance.now();
    const r = await extendHorizons(db, now, { workers: opts.workers });
    const extendMs = performance.now() - t1;
    const [{ n }] = (await sql`SELECT count(*)::int AS n FROM bookings WHERE series_id IS NOT NULL`) as unknown as [{ n: number }];
    if (n !== r.made || r.series !== series) throw new Error(`horizon bench: ${r.series} series and ${r.made} visits made, ${n} in the table`);
    // Then the job as it runs week in, week out: seven days later, the next visit of every series,
    // placed on calendars already holding eight weeks of visits.
    const t2 = performance.now();
    const week = await extendHorizons(db, new Date(now.getTime() + 7 * 86_400_000), { workers: opts.workers });
    const weekMs = performance.now() - t2;
    return { series, visits: n, seedMs, extendMs, weekVisits: week.made, weekMs };
  } finally {
    await scratch.drop();
  }
}

export function seriesFigures(b: SeriesBench): Figure[] {
  return [{
    scenario: `series: next visits for ${b.series.toLocaleString('en')} active series (${b.visits.toLocaleString('en')} visits)`,
    via: 'sql', p50: b.extendMs, p95: b.extendMs, requests: 1, target: target('<= 5 s at 10,000 series', b.extendMs <= 5_000),
  }, {
    scenario: `series: a week later, the next visit of each (${b.weekVisits.toLocaleString('en')} visits)`,
    via: 'sql', p50: b.weekMs, p95: b.weekMs, requests: 1, target: target('<= 5 s at 10,000 series', b.weekMs <= 5_000),
  }];
}
