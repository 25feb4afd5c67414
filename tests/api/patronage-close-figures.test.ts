import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { randomBytes } from 'node:crypto';
import { createDb } from '@tissu/db';
import type { Actor } from '../../server/src/actor.js';
import { createFiscalService } from '../../server/src/modules/fiscal/service.js';
import { keepMonthsUpToDate } from '../../server/src/modules/fiscal/measures.js';
import { createPlansService } from '../../server/src/modules/patronage/plans.js';
import { createTestDatabase } from '../support/test-db.js';

/**
 * The year close's figures on a varied, generated year, to the cent and the minute, against an
 * independent computation in this file; then the plan proposed on them, pinned row by row.
 *
 * The year runs from 2024-11-01 to 2025-10-31 (both daylight-saving changes inside, months of two
 * calendar years). Bookings fall in and around it, some on the minutes either side of a Toronto
 * midnight; they are in every state, paid once, paid after an expired attempt, only attempted, or
 * never paid; refunded in zero to three parts, down to nothing; done by zero to three workers,
 * members or not, with minutes missing, zero or counted. Memberships start and end mid-month, on
 * daylight-saving days, before and after the year; some people and co-ops leave and come back,
 * change class, or hold two ended memberships of one class whose periods overlap (each counts).
 */

const YEAR_START = '2024-11-01';
const CLOSE_AT = new Date('2025-11-20T17:00:00Z');

/** Deterministic pseudo-random numbers (mulberry32), so the year is the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const uuid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const torontoDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto', year: 'numeric', month: '2-digit', day: '2-digit' });
const dayOf = (at: Date) => torontoDay.format(at);

interface Membership { id: string; member_class: 'producer' | 'worker' | 'user' | 'supporting'; user_id: string | null; coop_id: string | null; started_on: string; ended_on: string | null }
interface Booking { id: string; coop_id: string; client_id: string; state: string; starts_at: Date }
interface Payment { id: string; booking_id: string; status: string; service_cents: number; total_cents: number }
interface Refund { payment_id: string; booking_id: string; service_cents: number; total_cents: number }
interface Worker { booking_id: string; user_id: string; minutes_delivered: number | null }

function generateYear() {
  const r = prng(20_251_031);
  const PEOPLE = 60;
  const COOPS = 9;
  const people = Array.from({ length: PEOPLE }, (_, i) => uuid(1, i));
  const coops = Array.from({ length: COOPS }, (_, i) => uuid(2, i));
  const memberships: Membership[] = [];
  let mid = 0;
  const member = (member_class: Membership['member_class'], holder: string, started_on: string, ended_on: string | null = null) =>
    memberships.push({ id: uuid(4, mid++), member_class, user_id: member_class === 'producer' ? null : holder, coop_id: member_class === 'producer' ? holder : null, started_on, ended_on });

  // Co-ops 0–6 are (or were) members; 7 and 8 never were.
  member('producer', coops[0]!, '2020-05-01');
  member('producer', coops[1]!, '2024-11-17'); // joins in the first month
  member('producer', coops[2]!, '2023-01-01', '2025-03-09'); // leaves on the spring-forward day
  member('producer', coops[3]!, '2024-01-01', '2024-11-01'); // left the day the year starts: nothing counts
  member('producer', coops[4]!, '2024-06-01', '2025-01-15');
  member('producer', coops[4]!, '2025-05-20'); // and comes back
  member('producer', coops[5]!, '2025-11-01'); // joins the day after the year
  member('producer', coops[6]!, '2025-10-31'); // joins on its last day
  // People 0–19 are worker-members at some point, 20–44 user members, 45–49 supporting, 50–59 never.
  const dates = ['2020-01-01', '2024-10-31', '2024-11-01', '2024-11-03', '2024-12-15', '2025-01-31', '2025-02-01', '2025-03-09', '2025-03-10', '2025-06-30', '2025-07-01', '2025-10-30', '2025-10-31', '2025-11-01'];
  for (let i = 0; i < 50; i++) {
    const cls: Membership['member_class'] = i < 20 ? 'worker' : i < 45 ? 'user' : 'supporting';
    const a = r.pick(dates);
    const later = dates.filter((d) => d > a);
    const ends = i % 4 === 1 && later.length ? r.pick(later) : null;
    member(cls, people[i]!, a, ends);
    if (ends && i % 8 === 1) {
      const after = dates.filter((d) => d >= ends);
      if (after.length) member(cls, people[i]!, r.pick(after)); // comes back
    }
  }
  // Changes of class, and two ended memberships of one class over the same months.
  member('user', people[3]!, '2019-01-01', '2020-01-01');
  member('worker', people[21]!, '2019-06-01', '2024-12-01'); // a worker, then (below, by the loop) a user
  member('user', people[52]!, '2024-12-10', '2025-03-20');
  member('user', people[52]!, '2025-03-01', '2025-06-15');
  member('worker', people[53]!, '2024-11-01', '2025-04-01');
  member('worker', people[53]!, '2025-02-01', '2025-08-01');

  // Bookings: 40 % anywhere in the year and ten days around it, the rest on a Toronto midnight ± 1 minute.
  const from = Date.parse('2024-10-22T00:00:00Z');
  const span = Date.parse('2025-11-10T00:00:00Z') - from;
  const midnights = ['2024-11-01T04:00:00Z', '2024-11-03T04:00:00Z', '2024-11-04T05:00:00Z', '2024-12-01T05:00:00Z', '2025-01-01T05:00:00Z', '2025-03-09T05:00:00Z',
    '2025-03-10T04:00:00Z', '2025-04-01T04:00:00Z', '2025-06-15T04:00:00Z', '2025-07-01T04:00:00Z', '2025-10-31T04:00:00Z', '2025-11-01T04:00:00Z'].map(Date.parse);
  const STATES = ['completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'paid', 'cancelled_by_client', 'cancelled_by_coop', 'no_show', 'declined', 'accepted'];
  const bookings: Booking[] = [];
  const payments: Payment[] = [];
  const refunds: Refund[] = [];
  const workers: Worker[] = [];
  let pid = 0;
  for (let i = 0; i < 2_400; i++) {
    const at = r.next() < 0.4 ? from + Math.floor(r.next() * span / 60_000) * 60_000 : r.pick(midnights) + r.int(-2, 1) * 60_000;
    const b: Booking = { id: uuid(5, i), coop_id: coops[r.int(0, COOPS - 1)]!, client_id: people[r.int(3, PEOPLE - 1)]!, state: r.pick(STATES), starts_at: new Date(at) };
    bookings.push(b);
    const service = r.int(1, 400) * 125;
    const taxed = r.next() < 0.5;
    const gst = taxed ? Math.round(service * 0.05) : 0;
    const qst = taxed ? Math.round(service * 0.09975) : 0;
    const pay = (status: string) => {
      const p: Payment = { id: uuid(6, pid++), booking_id: b.id, status, service_cents: service, total_cents: service + gst + qst };
      payments.push(p);
      return p;
    };
    const kind = r.next();
    if (kind < 0.08) continue; // never paid
    if (kind < 0.14) { pay(r.pick(['open', 'expired'])); continue; } // only attempted
    if (kind < 0.24) pay('expired'); // an expired attempt, then paid
    const parts = r.pick([0, 0, 0, 1, 1, 2, 3]);
    const full = parts > 0 && r.next() < 0.2;
    const p = pay(parts === 0 ? 'paid' : full ? 'refunded' : 'partially_refunded');
    let leftService = service;
    let leftTotal = p.total_cents;
    for (let k = 0; k < parts; k++) {
      const last = k === parts - 1;
      const s = full && last ? leftService : Math.floor(leftService * r.int(0, 40) / 100);
      const t = full && last ? leftTotal : Math.min(leftTotal, s + Math.floor((gst + qst) * s / service));
      refunds.push({ payment_id: p.id, booking_id: b.id, service_cents: s, total_cents: t });
      leftService -= s;
      leftTotal -= t;
    }
  }
  for (const b of bookings) {
    const n = r.pick([0, 0, 1, 1, 1, 2, 3]);
    const chosen = new Set<string>();
    while (chosen.size < n) chosen.add(people[r.pick([r.int(0, 19), r.int(0, 19), r.int(20, 59), 21, 53])]!);
    for (const user_id of chosen) workers.push({ booking_id: b.id, user_id, minutes_delivered: r.pick([null, 0, 15, 45, 60, 60, 90, 120, 135]) });
  }
  return { people, coops, memberships, bookings, payments, refunds, workers };
}

type Year = ReturnType<typeof generateYear>;

/** What the year close must freeze, by the rules written out plainly: membership id → month → units. */
function expectedMeasures(y: Year, from: Date, to: Date): Map<string, number> {
  const inYear = new Map(y.bookings.filter((b) => b.state === 'completed' && b.starts_at >= from && b.starts_at < to).map((b) => [b.id, { ...b, day: dayOf(b.starts_at) }]));
  const paid = new Map(y.payments.filter((p) => ['paid', 'partially_refunded', 'refunded'].includes(p.status)).map((p) => [p.booking_id, { ...p, refundedService: 0, refundedTotal: 0 }]));
  const byPayment = new Map([...paid.values()].map((p) => [p.id, p]));
  for (const rf of y.refunds) {
    const p = byPayment.get(rf.payment_id);
    if (p) { p.refundedService += rf.service_cents; p.refundedTotal += rf.total_cents; }
  }
  const sums = new Map<string, number>();
  const add = (m: Membership, day: string, units: number) => {
    if (!(m.started_on <= day && (m.ended_on === null || day < m.ended_on))) return;
    const key = `${m.id} ${day.slice(0, 7)}`;
    sums.set(key, (sums.get(key) ?? 0) + units);
  };
  for (const m of y.memberships) {
    for (const b of inYear.values()) {
      const p = paid.get(b.id);
      if (m.member_class === 'producer' && p && b.coop_id === m.coop_id) add(m, b.day, p.service_cents - p.refundedService);
      if (m.member_class === 'user' && p && b.client_id === m.user_id) add(m, b.day, p.total_cents - p.refundedTotal);
    }
    if (m.member_class === 'worker') {
      for (const w of y.workers) {
        const b = inYear.get(w.booking_id);
        if (b && w.user_id === m.user_id && (w.minutes_delivered ?? 0) > 0) add(m, b.day, w.minutes_delivered!);
      }
    }
  }
  return new Map([...sums].filter(([, units]) => units > 0));
}

async function insertYear(sql: postgres.Sql, y: Year) {
  const chunks = async <T extends object>(table: string, rows: T[]) => {
    for (let i = 0; i < rows.length; i += 500) await sql`INSERT INTO ${sql(table)} ${sql(rows.slice(i, i + 500) as Record<string, unknown>[])}`;
  };
  await chunks('users', y.people.map((id, i) => ({ id, email: `p${i}@close.test`, password_hash: 'x', name: `Personne ${i}` })));
  await chunks('coops', y.coops.map((id, i) => ({
    id, slug: `coop-${i}`, legal_name: `Coop ${i}`, legal_form: 'worker_coop', region: 'verdun', languages: '{fr}', description_fr: 'Une coopérative.', description_en: 'A co-op.',
    founded_year: 2015, status: 'approved', created_by: y.people[50 + i],
  })));
  await chunks('coop_members', y.coops.map((coop_id, i) => ({ coop_id, user_id: y.people[50 + i], role: 'admin' })));
  await chunks('listings', y.coops.map((coop_id, i) => ({
    id: uuid(3, i), coop_id, title_fr: 'Service', title_en: 'Service', description_fr: 'Un service.', description_en: 'A service.', category: 'menage', price_kind: 'fixed', price_cents: 5000, duration_minutes: 60, location_mode: 'client_place',
  })));
  await chunks('memberships', y.memberships.map((m) => ({ ...m, share_cents: m.member_class === 'producer' ? 10_000 : 1_000, paid_by: 'cheque' })));
  await chunks('bookings', y.bookings.map((b, i) => ({
    id: b.id, listing_id: uuid(3, y.coops.indexOf(b.coop_id)), coop_id: b.coop_id, client_id: b.client_id, state: b.state, starts_at: b.starts_at.toISOString(), ends_at: new Date(+b.starts_at + 3_600_000).toISOString(),
    blocked_until: new Date(+b.starts_at + 3_600_000).toISOString(), unit: i, time_zone: 'America/Toronto', duration_minutes: 60, regular_price_cents: 50_000, price_cents: 50_000,
    contact_name: 'Client', contact_email: 'c@close.test', free_cancellation_hours: 24, late_cancellation_percent: 50,
  })));
  const refunded = new Map<string, number>();
  for (const rf of y.refunds) refunded.set(rf.payment_id, (refunded.get(rf.payment_id) ?? 0) + rf.total_cents);
  await chunks('payments', y.payments.map((p) => {
    const gst = Math.round((p.total_cents - p.service_cents) / 3);
    const fee = Math.floor(p.service_cents / 20);
    return {
      id: p.id, booking_id: p.booking_id, coop_id: y.bookings.find((b) => b.id === p.booking_id)!.coop_id, status: p.status, checkout_session_id: `cs_${p.id}`, checkout_url: '',
      service_cents: p.service_cents, gst_cents: gst, qst_cents: p.total_cents - p.service_cents - gst, total_cents: p.total_cents, fee_rate_bps: 500, platform_fee_cents: fee,
      coop_cents: p.total_cents - fee, refunded_cents: refunded.get(p.id) ?? 0, paid_at: p.status === 'open' || p.status === 'expired' ? null : '2024-10-01T12:00:00Z',
    };
  }));
  await chunks('refunds', y.refunds.map((rf) => ({ ...rf, kind: 'steward', gst_cents: 0, qst_cents: rf.total_cents - rf.service_cents, platform_fee_cents: 0, coop_cents: rf.total_cents, reason: 'test' })));
  await chunks('booking_workers', y.workers);
}

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let y: Year;
let yearId: number;
let actor: Actor;

beforeAll(async () => {
  tdb = await createTestDatabase();
  y = generateYear();
  await insertYear(tdb.database.sql, y);
  const [steward] = await tdb.database.sql`INSERT INTO users (email, password_hash, name) VALUES ('steward@close.test', 'x', 'Steward') RETURNING id`;
  actor = { userId: steward!.id, sessionId: 'test', isSteward: true, emailVerified: true };
  const during = createFiscalService({ db: tdb.database.db, now: () => new Date('2025-06-01T17:00:00Z') });
  yearId = (await during.create(actor, YEAR_START)).id;
  await during.record(actor, { kind: 'income', occurredOn: '2025-02-03', category: 'Subvention', amountCents: 4_321_987, note: '' });
}, 120_000);
afterAll(() => tdb?.drop());

describe('closing a varied year', () => {
  it('freezes every member’s patronage per month exactly as the rules give it', async () => {
    const sql = tdb.database.sql;
    const closed = await createFiscalService({ db: tdb.database.db, now: () => CLOSE_AT }).close(actor, yearId);
    expect(closed.status).toBe('closing');
    const rows = await sql`SELECT membership_id, month, units FROM patronage_measures WHERE fiscal_year_id = ${yearId}`;
    const got = new Map(rows.map((m) => [`${m.membership_id} ${m.month}`, m.units as number]));
    const expected = expectedMeasures(y, new Date('2024-11-01T04:00:00Z'), new Date('2025-11-01T04:00:00Z'));
    expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...expected].sort()));
    // The generated year exercises what it claims to: every class, both time changes, refunds down to nothing.
    const byClass = Object.fromEntries((await sql`
      SELECT m.member_class, count(DISTINCT m.id)::int AS members, count(*)::int AS months, sum(units)::int AS units
      FROM patronage_measures pm JOIN memberships m ON m.id = pm.membership_id GROUP BY 1`).map((c) => [c.member_class, { members: c.members, months: c.months, units: c.units }]));
    expect(byClass).toEqual(PINNED.measures);
    expect(closed.measures).toMatchObject({ members: Object.values(PINNED.measures).reduce((n, c) => n + c.members, 0) });
  });

  it('proposes a plan whose every line is as pinned', async () => {
    const sql = tdb.database.sql;
    const plans = createPlansService({ db: tdb.database.db, now: () => CLOSE_AT });
    const draft = await plans.create(actor, yearId, { reserveBps: 1_700, weights: { producer: 3_500, worker: 4_500, user: 2_000 }, cashBps: 3_300, thresholdCents: 1_500 });
    const proposed = await plans.propose(actor, draft.id, { closesAt: '2025-12-20T17:00:00Z' });
    expect(proposed.status).toBe('proposed');
    const lines = await sql`
      SELECT count(*)::int AS n, sum(allocation_cents)::bigint AS allocated, sum(paid_cents)::bigint AS paid, sum(carried_forward_cents)::bigint AS carried,
             sum(withholding_cents)::bigint AS withheld,
             md5(string_agg(concat_ws(':', membership_id, member_class, units, allocation_cents, cash_cents, retained_cents, carried_in_cents, paid_cents, carried_forward_cents, withholding_cents), ',' ORDER BY membership_id)) AS digest
      FROM plan_allocations WHERE plan_id = ${draft.id}`;
    expect({ ...lines[0], allocated: Number(lines[0]!.allocated), paid: Number(lines[0]!.paid), carried: Number(lines[0]!.carried), withheld: Number(lines[0]!.withheld) }).toEqual(PINNED.allocations);
    const mail = await sql`
      SELECT count(*)::int AS n, md5(string_agg(payload->>'recipientId' || ':' || (payload->'membershipIds')::text, ',' ORDER BY payload->>'recipientId')) AS digest
      FROM outbox WHERE payload->>'planId' = ${draft.id}`;
    expect(mail[0]).toEqual(PINNED.emails);
  });
});

/**
 * The close checks the measures' foreign keys once per member, then inserts the rows without
 * PostgreSQL's row-by-row checks where the role may turn them off (the tests' superuser may). An
 * application role that may not gets the same measures, each row checked as before.
 */
describe('closing the same year as a role that may not turn the row checks off', () => {
  it('freezes the same measures', async () => {
    const other = await createTestDatabase();
    const role = `close_${randomBytes(4).toString('hex')}`;
    const admin = postgres(other.url, { max: 1, onnotice: () => {} });
    try {
      await insertYear(other.database.sql, y);
      const [steward] = await other.database.sql`INSERT INTO users (email, password_hash, name) VALUES ('steward@close.test', 'x', 'Steward') RETURNING id`;
      const a: Actor = { ...actor, userId: steward!.id };
      await admin.unsafe(`CREATE ROLE ${role} LOGIN PASSWORD 'close'`);
      await admin.unsafe(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
      const u = new URL(other.url);
      u.username = role;
      u.password = 'close';
      const app = createDb(u.toString());
      try {
        const [role] = await app.sql`SELECT has_parameter_privilege('session_replication_role', 'SET') AS may`;
        expect(role!.may).toBe(false);
        const during = createFiscalService({ db: app.db, now: () => new Date('2025-06-01T17:00:00Z') });
        const id = (await during.create(a, YEAR_START)).id;
        await createFiscalService({ db: app.db, now: () => CLOSE_AT }).close(a, id);
        const rows = await app.sql`SELECT membership_id, month, units FROM patronage_measures WHERE fiscal_year_id = ${id}`;
        const got = new Map(rows.map((m) => [`${m.membership_id} ${m.month}`, m.units as number]));
        const expected = expectedMeasures(y, new Date('2024-11-01T04:00:00Z'), new Date('2025-11-01T04:00:00Z'));
        expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...expected].sort()));
      } finally {
        await app.close();
      }
    } finally {
      await admin.end();
      await other.drop();
      const root = postgres(other.url.replace(/\/[^/]*$/, '/postgres'), { max: 1, onnotice: () => {} });
      await root.unsafe(`DROP ROLE IF EXISTS ${role}`).finally(() => root.end());
    }
  }, 120_000);
});

/** Taken from the set-based close and the drizzle inserts as they stood before they were made faster. */
const PINNED = {
  measures: {
    producer: { members: 6, months: 39, units: 6_281_733 },
    user: { members: 25, months: 101, units: 4_736_817 },
    worker: { members: 23, months: 97, units: 30_990 },
  },
  allocations: { n: 60, allocated: 3_587_249, paid: 1_182_385, carried: 1_436, withheld: 53_950, digest: 'c65590f82f8e7dd85d3cc618b04e1e06' },
  emails: { n: 56, digest: '09bbd4b6c9cb695a48dd24c73552c2f7' },
};

/**
 * Each member's units per month are kept ahead of the close by a nightly job; what changes after it
 * ran (a refund, a booking completed, a worker's minutes, a member leaving) is logged by triggers,
 * and the close recomputes those months only. The close must freeze what the rules give on the
 * year as it is at the close, whatever was kept before.
 */
/** The generated year in a database of its own (a copy of it, to change), its steward and its fiscal year with a surplus. */
async function yearIn(other: Awaited<ReturnType<typeof createTestDatabase>>) {
  const { sql, db } = other.database;
  const y2: Year = structuredClone(y);
  await insertYear(sql, y2);
  const [steward] = await sql`INSERT INTO users (email, password_hash, name) VALUES ('steward@close.test', 'x', 'Steward') RETURNING id`;
  const a: Actor = { ...actor, userId: steward!.id };
  const during = createFiscalService({ db, now: () => new Date('2025-06-01T17:00:00Z') });
  const id = (await during.create(a, YEAR_START)).id;
  await during.record(a, { kind: 'income', occurredOn: '2025-02-03', category: 'Subvention', amountCents: 4_321_987, note: '' });
  return { y2, a, id };
}

describe('closing a year whose months the nightly job kept, after changes since', () => {
  it('copies the months kept and unchanged, computes the others, and freezes exactly what the rules give', async () => {
    const other = await createTestDatabase();
    try {
      const { sql, db } = other.database;
      const { y2, a, id } = await yearIn(other);

      // The job, one night in September: the whole months up to this one, from the bookings.
      const night = new Date('2025-09-15T07:41:00Z');
      expect(await keepMonthsUpToDate(db, night)).toEqual({ recomputed: 11 });
      expect((await sql`SELECT count(*)::int AS n FROM patronage_changes`)[0]!.n).toBe(0);
      const kept = await sql`SELECT membership_id, to_char(month, 'YYYY-MM') AS month, units::int AS units FROM patronage_month_units`;
      const before = expectedMeasures(y2, new Date('2024-11-01T04:00:00Z'), new Date('2025-10-01T04:00:00Z'));
      expect(Object.fromEntries(kept.map((k) => [`${k.membership_id} ${k.month}`, k.units]).sort())).toEqual(Object.fromEntries([...before].sort()));
      const computedAt = new Map((await sql`SELECT month::text AS month, computed_at::text AS at FROM patronage_months`).map((m) => [m.month as string, m.at as string]));
      // A second night with nothing changed recomputes nothing.
      expect(await keepMonthsUpToDate(db, night)).toEqual({ recomputed: 0 });

      // Then, as the application would write them:
      const inYear = (b: Booking) => b.starts_at >= new Date('2024-12-01T05:00:00Z') && b.starts_at < new Date('2025-07-01T04:00:00Z');
      const monthOf = (b: Booking) => `${dayOf(b.starts_at).slice(0, 7)}-01`;
      // a steward refunds part of a completed booking's payment;
      const refunded = y2.bookings.find((b) => b.state === 'completed' && inYear(b) && y2.payments.some((p) => p.booking_id === b.id && p.status === 'paid'))!;
      const rp = y2.payments.find((p) => p.booking_id === refunded.id && p.status === 'paid')!;
      await sql`INSERT INTO refunds (payment_id, booking_id, kind, service_cents, gst_cents, qst_cents, total_cents, platform_fee_cents, coop_cents, reason)
                VALUES (${rp.id}, ${refunded.id}, 'steward', 1000, 0, 150, 1150, 0, 1150, 'test')`;
      await sql`UPDATE payments SET status = 'partially_refunded' WHERE id = ${rp.id}`;
      y2.refunds.push({ payment_id: rp.id, booking_id: refunded.id, service_cents: 1000, total_cents: 1150 });
      rp.status = 'partially_refunded';
      // a refund whose booking_id names another booking counts where its payment's booking does (as the rule reads it);
      const other2 = y2.bookings.find((b) => b.state === 'completed' && inYear(b) && b.id !== refunded.id && monthOf(b) !== monthOf(refunded) && y2.payments.some((p) => p.booking_id === b.id && p.status === 'paid'))!;
      const rp2 = y2.payments.find((p) => p.booking_id === other2.id && p.status === 'paid')!;
      await sql`INSERT INTO refunds (payment_id, booking_id, kind, service_cents, gst_cents, qst_cents, total_cents, platform_fee_cents, coop_cents, reason)
                VALUES (${rp2.id}, ${refunded.id}, 'steward', 700, 0, 0, 700, 0, 700, 'test')`;
      y2.refunds.push({ payment_id: rp2.id, booking_id: refunded.id, service_cents: 700, total_cents: 700 });
      // a paid booking is completed;
      const done = y2.bookings.find((b) => b.state === 'paid' && inYear(b) && monthOf(b) !== monthOf(refunded) && y2.payments.some((p) => p.booking_id === b.id && p.status === 'paid'))!;
      await sql`UPDATE bookings SET state = 'completed' WHERE id = ${done.id}`;
      done.state = 'completed';
      // a worker's minutes are corrected;
      const w = y2.workers.find((x) => (x.minutes_delivered ?? 0) > 0 && y2.bookings.some((b) => b.id === x.booking_id && b.state === 'completed' && inYear(b)))!;
      await sql`UPDATE booking_workers SET minutes_delivered = ${w.minutes_delivered! + 17} WHERE booking_id = ${w.booking_id} AND user_id = ${w.user_id}`;
      w.minutes_delivered! += 17;
      // a user member leaves in August.
      const leaving = y2.memberships.find((m) => m.member_class === 'user' && m.ended_on === null && m.started_on <= '2025-01-01')!;
      await sql`UPDATE memberships SET ended_on = '2025-08-15' WHERE id = ${leaving.id}`;
      leaving.ended_on = '2025-08-15';
      const worked = y2.bookings.find((b) => b.id === w.booking_id)!;
      const changed = new Set([monthOf(refunded), monthOf(other2), monthOf(done), monthOf(worked), '2025-08-01', '2025-09-01']);
      const logged = await sql`SELECT DISTINCT from_month::text AS a, to_month::text AS z FROM patronage_changes`;
      expect([...changed].every((m) => logged.some((l) => l.a <= m && m <= l.z))).toBe(true);
      expect(['2024-11-01', '2024-12-01', '2025-01-01', '2025-02-01'].filter((m) => !changed.has(m)).some((m) => !logged.some((l) => l.a <= m && m <= l.z))).toBe(true);

      const closed = await createFiscalService({ db, now: () => CLOSE_AT }).close(a, id);
      expect(closed.status).toBe('closing');
      const rows = await sql`SELECT membership_id, month, units FROM patronage_measures WHERE fiscal_year_id = ${id}`;
      const got = new Map(rows.map((m) => [`${m.membership_id} ${m.month}`, m.units as number]));
      const expected = expectedMeasures(y2, new Date('2024-11-01T04:00:00Z'), new Date('2025-11-01T04:00:00Z'));
      expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...expected].sort()));
      // The close copied the kept months and left them, and the log, to the job.
      const after = new Map((await sql`SELECT month::text AS month, computed_at::text AS at FROM patronage_months`).map((m) => [m.month as string, m.at as string]));
      expect(after).toEqual(computedAt);

      // Once the year is closed, the next night forgets its months.
      expect(await keepMonthsUpToDate(db, new Date('2025-11-21T07:41:00Z'))).toEqual({ recomputed: 0 });
      expect((await sql`SELECT (SELECT count(*) FROM patronage_month_units) + (SELECT count(*) FROM patronage_months) AS n`)[0]!.n).toBe(0n);
    } finally {
      await other.drop();
    }
  }, 120_000);

  it('counts a write made at the same moment as a completion, or as the close itself, everywhere or nowhere', async () => {
    const other = await createTestDatabase();
    const a1 = postgres(other.url, { max: 1, onnotice: () => {} });
    const b1 = postgres(other.url, { max: 1, onnotice: () => {} });
    try {
      const { sql, db } = other.database;
      const { y2, a, id } = await yearIn(other);
      expect(await keepMonthsUpToDate(db, new Date('2025-11-02T07:41:00Z'))).toEqual({ recomputed: 12 });
      const from = new Date('2024-11-01T04:00:00Z');
      const to = new Date('2025-11-01T04:00:00Z');

      // A booking is completed (session A) while a refund of it is recorded (session B): B's trigger
      // reads it as not completed yet. The job runs between A's commit and B's.
      const march = y2.bookings.find((b) => b.state === 'paid' && dayOf(b.starts_at).startsWith('2025-03') && y2.payments.some((p) => p.booking_id === b.id && p.status === 'paid'))!;
      const pay = y2.payments.find((p) => p.booking_id === march.id && p.status === 'paid')!;
      await a1`BEGIN`;
      await a1`UPDATE bookings SET state = 'completed' WHERE id = ${march.id}`;
      await b1`BEGIN`;
      await b1`INSERT INTO refunds (payment_id, booking_id, kind, service_cents, gst_cents, qst_cents, total_cents, platform_fee_cents, coop_cents, reason)
               VALUES (${pay.id}, ${march.id}, 'steward', 4000, 0, 0, 4000, 0, 4000, 'test')`;
      await a1`COMMIT`;
      expect(await keepMonthsUpToDate(db, new Date('2025-11-02T08:41:00Z'))).toEqual({ recomputed: 1 });
      await b1`COMMIT`;
      march.state = 'completed';
      y2.refunds.push({ payment_id: pay.id, booking_id: march.id, service_cents: 4000, total_cents: 4000 });

      // A co-op with business all year is recorded as having left on 1 February, backdated, while the
      // close runs (held on a lock until then): the close counts it in every month or in none.
      const leaving = y2.memberships.find((m) => m.member_class === 'producer' && m.ended_on === null && m.started_on < YEAR_START)!;
      const before = Object.fromEntries([...expectedMeasures(y2, from, to)].sort());
      leaving.ended_on = '2025-02-01';
      const after = Object.fromEntries([...expectedMeasures(y2, from, to)].sort());
      expect(after).not.toEqual(before);
      await a1`BEGIN`;
      await a1`LOCK TABLE booking_workers IN ACCESS EXCLUSIVE MODE`;
      const closing = createFiscalService({ db, now: () => CLOSE_AT }).close(a, id);
      for (let i = 0; i < 200 && (await a1`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)[0]!.n === 0; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      await a1`UPDATE memberships SET ended_on = '2025-02-01' WHERE id = ${leaving.id}`;
      await a1`COMMIT`;
      await closing;
      const rows = await sql`SELECT membership_id, month, units FROM patronage_measures WHERE fiscal_year_id = ${id}`;
      const got = Object.fromEntries(rows.map((m) => [`${m.membership_id} ${m.month}`, m.units as number]).sort());
      expect([before, after]).toContainEqual(got);
    } finally {
      await a1.end();
      await b1.end();
      await other.drop();
    }
  }, 120_000);

  it('skips a night while a close (or another instance) holds the months', async () => {
    const held = postgres(tdb.url, { max: 1, onnotice: () => {} });
    try {
      await held`SELECT pg_advisory_lock(hashtext('tissu.patronage_months'))`;
      expect(await keepMonthsUpToDate(tdb.database.db, new Date('2025-09-15T07:41:00Z'))).toBeNull();
    } finally {
      await held.end();
    }
  });
});
