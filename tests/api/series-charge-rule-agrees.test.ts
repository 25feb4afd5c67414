import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visitChargeAt, type Booking } from '@tissu/shared';
import { createTestApp, type SignedIn, type TestApp } from '../support/test-app.js';
import { seriesPaymentsWorld } from '../support/series-payments-world.js';
import { visitsToCharge } from '../../server/src/modules/payments/repository.js';

/**
 * The booking page announces when the saved card pays a visit (shared visitChargeAt, from the
 * booking as the API describes it); the charge job picks the visits to charge in SQL
 * (payments' visitsToCharge). Two statements of one rule: for every visit and every instant they
 * must agree on "charged by now", or the page names a date the job does not keep. Checked against
 * the real database, over a grid of boundaries (each ± 1 minute) and random cases.
 */
let t: TestApp;
let client: SignedIn;
let visitId: string;
let start: number;
const MIN = 60_000;
const HOUR = 60 * MIN;

type Role = 'coop_admin' | 'system' | 'client';
interface Case {
  freeCancellationHours: number;
  /** When the visit was asked for, from its start. */
  requested: number;
  /** Acceptances recorded in its history, in order, from its start (none: booked instantly). */
  acceptances: { at: number; role: Role }[];
}

/** Puts the visit in the case's state: its policy, when it was asked for, who accepted it when. */
async function arrange(c: Case) {
  const sql = t.database.sql;
  await sql`UPDATE bookings SET free_cancellation_hours = ${c.freeCancellationHours}, created_at = ${new Date(start + c.requested).toISOString()}, state = 'accepted'
    WHERE id = ${visitId}`;
  // The history is append-only (a trigger): this one visit's acceptances are rewritten for each case
  // with triggers off, in the test database only.
  await sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await tx`DELETE FROM booking_events WHERE booking_id = ${visitId} AND kind = 'transition' AND to_state = 'accepted'`;
  });
  for (const a of c.acceptances) {
    await sql`INSERT INTO booking_events (booking_id, actor_role, from_state, to_state, kind, created_at)
      VALUES (${visitId}, ${a.role}, 'requested', 'accepted', 'transition', ${new Date(start + a.at).toISOString()})`;
  }
}

/** What the page computes: the booking as the API sends it, through the shared rule. */
async function pageChargeAt(): Promise<number> {
  const res = await t.app.inject({ method: 'GET', url: `/bookings/${visitId}`, headers: client.auth });
  expect(res.statusCode, res.body).toBe(200);
  const b = res.json() as Booking;
  const accepted = b.cancellation.coopAcceptedAt;
  return visitChargeAt(b.cancellation, new Date(b.startsAt), accepted ? { requestedAt: new Date(b.createdAt), acceptedAt: new Date(accepted) } : null).getTime();
}

const jobCharges = async (now: number) => (await visitsToCharge(t.db, new Date(now), 10_000)).includes(visitId);

/** Every instant where either statement could turn, each ± 1 minute, and well before and after. */
function instantsOf(c: Case): number[] {
  const h = c.freeCancellationHours;
  const turns = [
    start - Math.max(h, 24) * HOUR, // a day before at least
    start - h * HOUR, // free cancellation ends
    start - 3 * HOUR, // the latest a late acceptance waits
    start,
    ...c.acceptances.map((a) => start + a.at + 24 * HOUR), // the free time after an acceptance ends
  ];
  return [...new Set([start - 30 * 24 * HOUR, start + HOUR, ...turns.flatMap((x) => [x - MIN, x, x + MIN])])].sort((a, b) => a - b);
}

async function disagreements(c: Case, nows: number[]) {
  await arrange(c);
  const at = await pageChargeAt();
  const found: string[] = [];
  for (const now of nows) {
    const page = at <= now;
    const job = await jobCharges(now);
    if (page !== job) found.push(`${JSON.stringify(c)} at start${(now - start) / MIN >= 0 ? '+' : ''}${(now - start) / MIN} min: page ${page ? 'charged' : 'not yet'}, job ${job ? 'charges' : 'does not'}`);
  }
  return found;
}

beforeAll(async () => {
  t = await createTestApp();
  const world = await seriesPaymentsWorld(t, 2);
  client = world.client;
  visitId = world.visits[0]!.id;
  start = Date.parse(world.visits[0]!.starts_at);
});
afterAll(() => t.close());

describe('the charge date the booking page announces and the charge job', () => {
  it('agree at every boundary: policy, request vs instant, late acceptance, its free time, the three-hour limit (± 1 minute)', async () => {
    const cases: Case[] = [];
    for (const h of [0, 3, 4, 24, 25, 72]) {
      const cutoff = -h * HOUR;
      const due = -Math.max(h, 24) * HOUR;
      for (const requested of [-40 * 24 * HOUR, cutoff - 25 * HOUR, cutoff - MIN, cutoff, cutoff + MIN, Math.min(cutoff + HOUR, -MIN)]) {
        cases.push({ freeCancellationHours: h, requested, acceptances: [] });
        // Accepted right after the request, around the cutoff, so that its free day ends around the
        // charge date, around three hours before, and at the last minute; by someone else than the co-op.
        const accepts = [requested + MIN, cutoff - MIN, cutoff, cutoff + MIN, due - 24 * HOUR - MIN, due - 24 * HOUR + MIN, -27 * HOUR - MIN, -27 * HOUR, -27 * HOUR + MIN, -2 * HOUR, -MIN]
          .filter((a) => a >= requested && a < 0);
        for (const at of accepts) cases.push({ freeCancellationHours: h, requested, acceptances: [{ at, role: 'coop_admin' }] });
        // An acceptance recorded by the system, not the co-op, gives no free time after it.
        if (accepts.length) cases.push({ freeCancellationHours: h, requested, acceptances: [{ at: accepts.at(-1)!, role: 'system' }] });
        // Accepted twice (moved back to a request, accepted again): the last acceptance counts.
        if (accepts.length > 1) cases.push({ freeCancellationHours: h, requested, acceptances: [{ at: accepts[0]!, role: 'coop_admin' }, { at: accepts.at(-1)!, role: 'coop_admin' }] });
      }
    }
    const found: string[] = [];
    for (const c of cases) found.push(...(await disagreements(c, instantsOf(c))));
    expect(found.slice(0, 20), `${found.length} disagreements over ${cases.length} cases`).toEqual([]);
  }, 300_000);

  it('agree on random visits and instants', async () => {
    const role = fc.constantFrom<Role>('coop_admin', 'coop_admin', 'system');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 60 * 24 * 20 }),
        fc.array(fc.record({ after: fc.integer({ min: 0, max: 60 * 24 * 20 }), role }), { maxLength: 2 }),
        fc.array(fc.integer({ min: -60 * 24 * 25, max: 60 }), { minLength: 1, maxLength: 6 }),
        async (h, requestedMinutes, accepted, nowMinutes) => {
          const requested = -requestedMinutes * MIN;
          // Each acceptance after the request and the previous one, before the start.
          let last = requested;
          const acceptances = accepted.map((a) => ({ at: (last = Math.min(-MIN, last + a.after * MIN)), role: a.role }));
          const c: Case = { freeCancellationHours: h, requested, acceptances };
          const found = await disagreements(c, nowMinutes.map((m) => start + m * MIN).concat(instantsOf(c)));
          expect(found).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  }, 300_000);
});
