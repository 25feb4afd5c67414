/**
 * The API process is SIGKILLed in the middle of a stream of clients who book, open Checkout and pay
 * at the Stripe emulator; the emulator keeps retrying its webhooks while the API is down; the API
 * is started again on the same database and port. Afterwards the money and the bookings agree:
 * the ledger check passes, no booking took money twice, every booking Stripe says is paid is paid
 * here with exactly one payment entry in the ledger.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startStripeEmulator, type StripeEmulator } from '../../scripts/stripe-emulator/index.js';
import { freePort, startFaultApi, type FaultApi } from '../support/faults-api.js';
import { must, openMarket, request, signUp, slotAt, waitFor, type Answer, type Market, type Method, type SignedIn } from '../support/faults-world.js';
import { createTestDatabase } from '../support/test-db.js';

const BOOKINGS = 60;
const CLIENTS = 6;
/** The API is killed once this many clients have paid at Stripe. */
const KILL_AFTER_PAID = 18;
const WEBHOOK_SECRET = 'whsec_faults_sigkill';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let emulator: StripeEmulator;
let dataDir: string;
let api: FaultApi | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tissu-faults-sigkill-'));
  // Retries spread over ~25 s: longer than the API takes to come back, as Stripe's days-long schedule is.
  emulator = await startStripeEmulator({ port: 0, webhookRetryDelaysMs: [100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800] });
});

afterAll(async () => {
  await api?.kill();
  await emulator?.stop();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('SIGKILL mid-stream of paid bookings: after a restart, ledger ok, nothing paid twice, every Stripe payment confirmed', async () => {
  const port = await freePort();
  const options = {
    databaseUrl: db.url, port, jwtSecret: randomBytes(32).toString('hex'), dataDir, poolSize: 10, name: 'sigkill',
    env: { JOBS: 'on', STRIPE_API_URL: emulator.url, STRIPE_SECRET_KEY: 'sk_test_faults', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
  };
  api = await startFaultApi(options);
  const base = api.base;
  await must(emulator.url, 'POST', '/_emulator/webhook_endpoints', { url: `${base}/webhooks/stripe`, secret: WEBHOOK_SECRET });
  const confirmEmail = (email: string) => db.database.sql`UPDATE users SET email_verified_at = now() WHERE email = ${email}`;
  const market: Market = await openMarket(base, (id) => db.database.sql`UPDATE users SET is_steward = true WHERE id = ${id}`, {
    tag: 'sigkill', confirm: confirmEmail, capacity: 1, instantBooking: true, emulatorUrl: emulator.url,
  });
  // CLIENTS at a time, each booking made by another person: a client may hold only a few bookings
  // open (OPEN_BOOKINGS_PER_LISTING), and those paid while the API is down stay unpaid here until
  // their webhook arrives.
  const people: SignedIn[] = await Promise.all(Array.from({ length: BOOKINGS }, (_, c) =>
    signUp(base, `client${c}-sigkill@faults.test`, `Client ${c}`, confirmEmail)));

  /**
   * A client's call while the API may be down: a refused connection never reached the server, so
   * it is tried again; a reset (the process died while answering) is retried only when the request
   * is safe to repeat. Gives up after 60 s.
   */
  const call = async (method: Method, url: string, payload: object | undefined, token: string, repeatable: boolean): Promise<Answer> => {
    const until = Date.now() + 60_000;
    for (;;) {
      const r = await request(base, method, url, payload, token);
      const refused = r.status === 0 && r.text === 'ECONNREFUSED';
      if (!(refused || (repeatable && (r.status === 0 || r.status >= 500))) || Date.now() > until) return r;
      await sleep(50);
    }
  };

  let next = 0;
  let paidAtStripe = 0;
  let lostToCrash = 0;
  let killedAt = -1;
  let downMs = 0;
  const started = Date.now();
  let crashed!: () => void;
  const crash = new Promise<void>((resolve) => (crashed = resolve));
  const unexpected: string[] = [];

  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= BOOKINGS) return;
      const who = people[i]!;
      const booked = await call('POST', '/bookings', { listingId: market.listingId, startsAt: slotAt(i), contactName: 'Client', contactEmail: who.email }, who.token, false);
      if (booked.status !== 201) {
        // Sent to a process that died before answering: the booking may or may not exist.
        if (booked.status === 0) lostToCrash++;
        else unexpected.push(`POST /bookings: ${booked.status} ${booked.text.slice(0, 200)}`);
        continue;
      }
      // Opening Checkout twice gives the same session, so it is safe to repeat.
      const checkout = await call('POST', `/bookings/${booked.body.id}/checkout`, {}, who.token, true);
      if (checkout.status !== 200) {
        unexpected.push(`checkout: ${checkout.status} ${checkout.text.slice(0, 200)}`);
        continue;
      }
      await must(emulator.url, 'POST', `/_emulator/checkout/${new URL(checkout.body.url).pathname.split('/').pop()}/pay`, {});
      if (++paidAtStripe === KILL_AFTER_PAID) crashed();
    }
  };

  const chaos = async () => {
    await crash;
    killedAt = paidAtStripe;
    const t0 = Date.now();
    await api!.kill('SIGKILL');
    // Webhooks sent meanwhile fail (connection refused) and wait for their next try.
    api = await startFaultApi(options);
    expect(api.base).toBe(base);
    downMs = Date.now() - t0;
  };

  await Promise.all([...Array.from({ length: CLIENTS }, () => client()), chaos()]);
  expect(unexpected).toEqual([]);
  expect(killedAt).toBe(KILL_AFTER_PAID);

  // Every event delivered at last: nothing is being sent or waiting for a retry.
  const streamMs = Date.now() - started;
  await emulator.webhooks.idle();
  const drainMs = Date.now() - started - streamMs;
  const delivered = new Set(emulator.state.deliveries().filter((d) => d.ok).map((d) => d.eventId));
  const neverDelivered = emulator.state.events().filter((e) => !delivered.has(e.id)).map((e) => `${e.id} ${e.type}`);
  expect(neverDelivered, 'events whose webhook never got through').toEqual([]);
  const refusedDeliveries = emulator.state.deliveries().filter((d) => !d.ok).length;
  expect(refusedDeliveries, 'the crash should have made some webhook deliveries fail and be retried').toBeGreaterThan(0);

  // What Stripe knows: succeeded payment intents, by booking.
  const stripePaid = new Map<string, number>();
  for (const pi of emulator.state.paymentIntents()) {
    if (pi.status !== 'succeeded') continue;
    const bookingId = (pi.metadata as Record<string, string>).bookingId!;
    stripePaid.set(bookingId, (stripePaid.get(bookingId) ?? 0) + 1);
  }
  expect([...stripePaid.values()].filter((n) => n > 1), 'bookings charged twice at Stripe').toEqual([]);
  expect(stripePaid.size).toBe(paidAtStripe);

  const sql = db.database.sql;
  const doublyPaid = await sql`
    SELECT booking_id, count(*)::int AS n FROM payments WHERE status IN ('paid', 'refunded', 'partially_refunded')
    GROUP BY booking_id HAVING count(*) > 1`;
  expect(doublyPaid, 'bookings with more than one payment that took money').toEqual([]);

  const states = new Map((await sql<{ id: string; state: string }[]>`SELECT id, state FROM bookings`).map((b) => [b.id, b.state]));
  const notConfirmed = [...stripePaid.keys()].filter((id) => states.get(id) !== 'paid').map((id) => `${id}: ${states.get(id) ?? 'missing'}`);
  expect(notConfirmed, 'bookings Stripe says are paid but are not paid here').toEqual([]);
  const paidHere = [...states].filter(([, s]) => s === 'paid').map(([id]) => id);
  expect(paidHere.sort()).toEqual([...stripePaid.keys()].sort());

  const entries = await sql<{ booking_id: string; n: number }[]>`
    SELECT b.id AS booking_id, count(e.id)::int AS n FROM bookings b
    LEFT JOIN journal_entries e ON e.booking_id = b.id AND e.kind = 'payment'
    WHERE b.state = 'paid' GROUP BY b.id`;
  expect(entries.filter((e) => e.n !== 1), 'paid bookings without exactly one payment entry').toEqual([]);
  const paidEvents = await sql<{ booking_id: string; n: number }[]>`
    SELECT booking_id, count(*)::int AS n FROM booking_events WHERE to_state = 'paid' AND kind = 'transition' GROUP BY booking_id`;
  expect(paidEvents.filter((e) => e.n !== 1), 'paid bookings whose history says paid more than once').toEqual([]);
  expect(paidEvents.length).toBe(paidHere.length);

  const check = await waitFor('the ledger check through the restarted API', async () => {
    const r = await request(base, 'GET', '/steward/ledger/check', undefined, market.steward.token);
    return r.status === 200 ? r.body : undefined;
  });
  expect(check.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
  expect(check.ok).toBe(true);

  const bookingsMade = states.size;
  console.log(
    `faults: API SIGKILLed once mid-stream (after ${killedAt} payments) and restarted on the same port; ${bookingsMade} bookings, ` +
    `${paidHere.length} paid at Stripe and confirmed here, ${lostToCrash} requests cut by the crash, ${refusedDeliveries} webhook deliveries ` +
    `failed and retried, ledger ok, 0 double payments (down ${(downMs / 1000).toFixed(1)} s; stream ${(streamMs / 1000).toFixed(1)} s, webhooks drained ${(drainMs / 1000).toFixed(1)} s later)`,
  );
});
