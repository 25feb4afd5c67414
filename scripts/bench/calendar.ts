/**
 * The public listing page with 200 regular visits on its calendar, against the same listing
 * without them. Two copies of a demo listing get the same opening hours (every day 07:00–21:00,
 * four units, one-hour visits); 200 weekly series are added to one of them and the horizon job
 * (the real one) makes their visits. Then the page of the week those visits fill, and the API call
 * that gives its slots, are asked for one at a time, alternating between the two listings, so both
 * see the same machine. Target: the median with series within 10 % of the median without (two
 * medians of the same page differ by a few per cent from run to run on this machine).
 *
 *   pnpm bench series   (builds the web first, unless `pnpm bench web` or `pages` just did)
 */
import { performance } from 'node:perf_hooks';
import { extendHorizons } from '../../server/src/modules/series/index.js';
import { summarize, type Measured } from './measure.js';
import type { BenchServer } from './scratch-db.js';
import { target, type Figure } from './table.js';
import { benchStack } from './web.js';

export const CALENDAR_SERIES = 200;
/** Ratio of medians (with series / without) this row accepts as "no slower". */
export const NO_SLOWER = 1.1;

export interface CalendarBench {
  series: number;
  /** Visits of the series in the week the page shows. */
  visitsInWeek: number;
  page: { with: Measured; without: Measured };
  slots: { with: Measured; without: Measured };
}

type Sql = Awaited<ReturnType<typeof benchStack>>['scratch']['database']['sql'];

/** A copy of `sourceId` (every column the table lets one write), with its own id. */
export async function copyListing(sql: Sql, sourceId: string): Promise<string> {
  const cols = async (table: string, skip: string) => (await sql<{ c: string }[]>`
    SELECT quote_ident(column_name) AS c FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = ${table} AND is_generated = 'NEVER' AND column_name <> ${skip} ORDER BY ordinal_position`).map((r) => r.c).join(', ');
  const id = (await sql<{ id: string }[]>`SELECT gen_random_uuid()::text AS id`)[0]!.id;
  const listingCols = await cols('listings', 'id');
  await sql.unsafe(`INSERT INTO listings (id, ${listingCols}) SELECT $1, ${listingCols} FROM listings WHERE id = $2`, [id, sourceId]);
  const scheduleCols = await cols('listing_schedules', 'listing_id');
  await sql.unsafe(`INSERT INTO listing_schedules (listing_id, ${scheduleCols}) SELECT $1, ${scheduleCols} FROM listing_schedules WHERE listing_id = $2`, [id, sourceId]);
  await sql`
    UPDATE listings SET duration_minutes = 60, price_kind = 'fixed', price_cents = 9000, status = 'active' WHERE id = ${id}`;
  await sql`
    UPDATE listing_schedules SET capacity = 4, slot_interval_minutes = 60, buffer_minutes = 0, exceptions = '[]'::jsonb, series_frequencies = '{weekly}',
      weekly = (SELECT jsonb_agg(jsonb_build_object('weekday', d, 'start', '07:00', 'end', '21:00')) FROM generate_series(1, 7) d)
    WHERE listing_id = ${id}`;
  return id;
}

/** 200 active weekly series on a listing, each at its weekday and hour (at most three at once of four units), their visits not yet made. */
async function addSeries(sql: Sql, listingId: string, today: string) {
  await sql`
    INSERT INTO users (id, email, password_hash, name, email_verified_at)
    SELECT gen_random_uuid(), 'regular' || i || '@bench.test', 'x', 'Cliente ' || i, now() FROM generate_series(1, ${CALENDAR_SERIES}) i`;
  // Series k: weekday k % 7 from tomorrow, 07:00 + (k / 7) % 14 hours.
  await sql`
    WITH clients AS (SELECT id, row_number() OVER (ORDER BY email) - 1 AS k FROM users WHERE email LIKE 'regular%@bench.test'),
    made AS (
      INSERT INTO booking_series (listing_id, coop_id, client_id, state, time_zone, duration_minutes, regular_price_cents, price_cents, fee_rate_bps,
                                  free_cancellation_hours, late_cancellation_percent, contact_name, contact_email, generated_through)
      SELECT l.id, l.coop_id, c.id, 'active', 'America/Toronto', 60, 9000, 9000, 500, 24, 50, 'Cliente', 'c@bench.test', ${today}::date
      FROM clients c, listings l WHERE l.id = ${listingId}
      RETURNING id, client_id)
    INSERT INTO booking_series_rules (series_id, starts_on, frequency, time)
    SELECT m.id, ${today}::date + 1 + (c.k % 7)::int, 'weekly', lpad((7 + (c.k / 7) % 14)::text, 2, '0') || ':00'
    FROM made m JOIN clients c ON c.id = m.client_id`;
}

/** `runs` rounds, each asking for `a` then `b` (after two unmeasured rounds). */
export async function alternate(runs: number, what: string, a: () => Promise<number>, b: () => Promise<number>): Promise<[Measured, Measured]> {
  const times: number[][] = [[], []];
  const failed = [0, 0];
  let firstFailure: string | undefined;
  const started = performance.now();
  for (let i = 0; i < runs + 2; i++) {
    for (const [j, send] of [a, b].entries()) {
      const t0 = performance.now();
      const status = await send();
      if (i < 2) continue;
      if (status >= 400) {
        failed[j] = failed[j]! + 1;
        firstFailure ??= `${what}: ${status}`;
      } else times[j]!.push(performance.now() - t0);
    }
  }
  const elapsed = performance.now() - started;
  return [summarize(times[0]!, failed[0]!, elapsed, firstFailure), summarize(times[1]!, failed[1]!, elapsed, firstFailure)];
}

const get = async (url: string) => {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
};

export async function benchCalendar(server: BenchServer, opts: { runs?: number; build?: boolean } = {}): Promise<CalendarBench> {
  // 200 of each: the medians of 30 moved by 10 % from run to run, as much as the target allows.
  const runs = opts.runs ?? 200;
  const { stack, scratch } = await benchStack(server, { build: opts.build ?? true, dataDir: 'bench-calendar' });
  try {
    const { sql, db } = scratch.database;
    const [source] = await sql<{ id: string }[]>`
      SELECT l.id FROM listings l JOIN coops c ON c.id = l.coop_id JOIN listing_schedules s ON s.listing_id = l.id
      WHERE l.status = 'active' AND c.status = 'approved' ORDER BY l.created_at LIMIT 1`;
    const now = new Date();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(now);
    const without = await copyListing(sql, source!.id);
    const withSeries = await copyListing(sql, source!.id);
    await addSeries(sql, withSeries, today);
    await extendHorizons(db, now);
    // The week after this one: every series has its visit in it.
    const { monday, from, to } = (await sql<{ monday: string; from: string; to: string }[]>`
      SELECT m::text AS monday, (m::timestamp AT TIME ZONE 'America/Toronto')::text AS from, ((m + 7)::timestamp AT TIME ZONE 'America/Toronto')::text AS to
      FROM (SELECT date_trunc('week', ${today}::date + 7)::date AS m) w`)[0]!;
    const { n } = (await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM bookings WHERE listing_id = ${withSeries} AND series_id IS NOT NULL AND state = 'accepted'
        AND starts_at >= ${from}::timestamptz AND starts_at < ${to}::timestamptz`)[0]!;
    if (n !== CALENDAR_SERIES) throw new Error(`calendar bench: ${n} visits in the week of ${monday}, not ${CALENDAR_SERIES}`);
    const page = (id: string) => () => get(`${stack.webUrl}/listings/${id}?week=${monday}`);
    const span = `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`;
    const slots = (id: string) => () => get(`${stack.apiUrl}/listings/${id}/slots?${span}`);
    const [pageWith, pageWithout] = await alternate(runs, 'listing page', page(withSeries), page(without));
    const [slotsWith, slotsWithout] = await alternate(runs, 'slots', slots(withSeries), slots(without));
    return { series: CALENDAR_SERIES, visitsInWeek: n, page: { with: pageWith, without: pageWithout }, slots: { with: slotsWith, without: slotsWithout } };
  } finally {
    await stack.stop();
    await scratch.drop();
  }
}

export function calendarFigures(b: CalendarBench): Figure[] {
  const row = (what: string, via: 'web' | 'api', m: { with: Measured; without: Measured }): Figure[] => [
    { scenario: `${what}, listing without series`, via, ...m.without },
    {
      scenario: `${what}, ${b.series} series on its calendar (${b.visitsInWeek} visits that week)`, via, ...m.with,
      target: target(`p50 <= ${NO_SLOWER} x without (${(m.without.p50 * NO_SLOWER).toFixed(1)} ms)`, m.with.p50 <= m.without.p50 * NO_SLOWER),
    },
  ];
  return [...row('listing page, the week of the visits', 'web', b.page), ...row('its slots (API)', 'api', b.slots)];
}
