/**
 * Two API processes on one database, both running the job worker, as behind a load balancer.
 * Concurrent requests for the same capacity-limited slots, spread over both, give exactly the
 * capacity and a 409 for the rest. Both workers send the outbox to a mail server (an SMTP sink per
 * instance, one shared record): every message is delivered exactly once, also when one instance
 * is SIGKILLed in the middle of sending a batch.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFaultApi, type FaultApi } from '../support/faults-api.js';
import { startSmtpSink, type Delivered, type SmtpSink } from '../support/faults-smtp.js';
import { openMarket, request, signUp, slotAt, waitFor, type Market, type SignedIn } from '../support/faults-world.js';
import { createTestDatabase } from '../support/test-db.js';

const CAPACITY = 3;
const SLOTS = 6;
const CONTENDERS = 8; // requests per slot
const BACKLOG_BOOKINGS = 30; // booked while mail is held, so both workers have full batches to send
const KILL_ON_MESSAGE = 4; // instance A dies while handing over its 4th message after mail resumes

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: string;
const apis: FaultApi[] = [];
const sinks: SmtpSink[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tissu-faults-two-'));
});

afterAll(async () => {
  await Promise.all(apis.map((a) => a.kill()));
  await Promise.all(sinks.map((s) => s.close()));
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('two API instances on one database: no double booking, every email delivered exactly once, even with one SIGKILLed mid-batch', async () => {
  const sql = db.database.sql;
  const delivered: Delivered[] = [];
  let killArmedAt: number | null = null;
  let inFlightAtKill: string | null = null;
  let a!: FaultApi;
  const sinkA = await startSmtpSink('A', delivered, async (n, messageId) => {
    if (killArmedAt === null || n - killArmedAt !== KILL_ON_MESSAGE) return 'accept';
    // The message is on the wire but not yet accepted: the sender dies before hearing 250.
    inFlightAtKill = messageId;
    await a.kill('SIGKILL');
    return 'drop';
  });
  const sinkB = await startSmtpSink('B', delivered);
  sinks.push(sinkA, sinkB);
  const common = { databaseUrl: db.url, jwtSecret: randomBytes(32).toString('hex'), poolSize: 10 };
  a = await startFaultApi({ ...common, dataDir: path.join(dataDir, 'a'), name: 'A', env: { JOBS: 'on', SMTP_URL: sinkA.url } });
  apis.push(a);
  const b = await startFaultApi({ ...common, dataDir: path.join(dataDir, 'b'), name: 'B', env: { JOBS: 'on', SMTP_URL: sinkB.url } });
  apis.push(b);
  const both = [a.base, b.base];

  const confirmEmail = (email: string) => sql`UPDATE users SET email_verified_at = now() WHERE email = ${email}`;
  const market: Market = await openMarket(a.base, (id) => sql`UPDATE users SET is_steward = true WHERE id = ${id}`, { tag: 'two', confirm: confirmEmail, capacity: CAPACITY });
  // One person per contended request: a client may hold only a few open bookings of a listing
  // (OPEN_BOOKINGS_PER_LISTING), and the backlog below books again as these people, once each.
  const clients: SignedIn[] = await Promise.all(Array.from({ length: SLOTS * CONTENDERS }, (_, c) =>
    signUp(both[c % 2]!, `client${c}-two@faults.test`, `Client ${c}`, confirmEmail)));
  const book = (base: string, who: SignedIn, slot: number) =>
    request(base, 'POST', '/bookings', { listingId: market.listingId, startsAt: slotAt(slot), contactName: 'Client', contactEmail: who.email }, who.token);

  // Both instances' pools open and their booking path warm before the race (a time outside the
  // listing's hours: refused, nothing written); a cold one would lose every slot to the other.
  await Promise.all(both.flatMap((base, i) => [
    ...Array.from({ length: 10 }, () => request(base, 'GET', `/listings/${market.listingId}`)),
    request(base, 'POST', '/bookings', { listingId: market.listingId, startsAt: new Date(Date.parse(slotAt(0)) + 60_000).toISOString(), contactName: 'Client', contactEmail: clients[i]!.email }, clients[i]!.token),
  ]));
  // Every slot at once, each wanted by CONTENDERS clients, requests alternating between the
  // instances, each instance asking first for half the slots (who asks first tends to win).
  const answers = await Promise.all(
    Array.from({ length: SLOTS * CONTENDERS }, (_, k) => {
      const slot = Math.floor(k / CONTENDERS);
      const base = both[(k + slot) % 2]!;
      return book(base, clients[k]!, slot).then((r) => ({ slot, base, r }));
    }),
  );
  for (let slot = 0; slot < SLOTS; slot++) {
    const mine = answers.filter((x) => x.slot === slot);
    const statuses = mine.map((x) => x.r.status).sort();
    expect(statuses, `slot ${slot}`).toEqual([...Array(CAPACITY).fill(201), ...Array(CONTENDERS - CAPACITY).fill(409)]);
    for (const x of mine.filter((y) => y.r.status === 409)) expect(x.r.body.error.code).toBe('slot_unavailable');
  }
  // Every slot was raced from both instances (the requests alternate between them). Which one wins
  // is which the two shared cores schedule first: an instance winning none (18,0) failed the run in
  // 2 of about 12 full runs under load, and says nothing about double booking, which the exact
  // counts above and below judge. So the wins are reported, not required.
  const answeredBy = [a.base, b.base].map((base) => answers.filter((x) => x.base === base).length);
  expect(answeredBy).toEqual([SLOTS * CONTENDERS / 2, SLOTS * CONTENDERS / 2]);
  for (let slot = 0; slot < SLOTS; slot++) {
    expect(new Set(answers.filter((x) => x.slot === slot).map((x) => x.base)).size, `slot ${slot} raced from both`).toBe(2);
  }
  const winnersByInstance = [a.base, b.base].map((base) => answers.filter((x) => x.base === base && x.r.status === 201).length);
  const perSlot = await sql<{ starts_at: Date; n: number; units: number }[]>`
    SELECT starts_at, count(*)::int AS n, count(DISTINCT unit)::int AS units FROM bookings
    WHERE state NOT IN ('declined', 'expired', 'cancelled_by_client', 'cancelled_by_coop') GROUP BY starts_at`;
  expect(perSlot.length).toBe(SLOTS);
  expect(perSlot.every((s) => s.n === CAPACITY && s.units === CAPACITY), JSON.stringify(perSlot)).toBe(true);

  const dueRows = async () => sql<{ id: string; sent: boolean; message: string | null }[]>`SELECT id::text AS id, sent_at IS NOT NULL AS sent, payload->>'message' AS message FROM outbox WHERE not_before <= now() ORDER BY id`;
  const allSent = (what: string) => waitFor(what, async () => {
    const rows = await dueRows();
    return rows.length > 0 && rows.every((r) => r.sent) ? rows : undefined;
  }, 60_000, 100);
  await allSent('the outbox of the contended bookings to be sent by the two workers');

  // A backlog: mail servers hold the connections while 30 more bookings queue 60 messages.
  sinkA.hold();
  sinkB.hold();
  for (let i = 0; i < BACKLOG_BOOKINGS; i += 6) {
    await Promise.all(Array.from({ length: Math.min(6, BACKLOG_BOOKINGS - i) }, (_, j) => {
      const k = i + j;
      return book(both[k % 2]!, clients[k % clients.length]!, 100 + k).then((r) => expect(r.status, r.text).toBe(201));
    }));
  }
  const acceptedByABefore = delivered.filter((d) => d.sink === 'A').length;
  killArmedAt = sinkA.received;
  sinkA.open();
  sinkB.open();
  await waitFor('instance A to be killed while sending', () => (inFlightAtKill !== null ? true : undefined), 60_000);
  await a.exited;
  const acceptedFromAInBatch = delivered.filter((d) => d.sink === 'A').length - acceptedByABefore;
  expect(acceptedFromAInBatch, 'A had handed over messages before it died').toBe(KILL_ON_MESSAGE - 1);

  // B's worker carries on with what A left (A's claims die with its connection). A new booking
  // wakes B's worker if it had already gone idle; the minute schedule would too, later.
  let nudges = 0;
  const rows = await waitFor('every due message sent after A died', async () => {
    const r = await dueRows();
    if (r.every((x) => x.sent)) return r;
    if (nudges < 10) {
      nudges++;
      const res = await book(b.base, clients[clients.length - nudges]!, 200 + nudges); // people the backlog did not use
      expect(res.status, res.text).toBe(201);
    }
    return undefined;
  }, 60_000, 2_000);

  const idOf = (r: { id: string }) => `<outbox-${r.id}@tissu.coop>`;
  // An address confirmation is skipped, not sent, when the test confirmed the address before a
  // worker reached it; every other due message is delivered.
  const skippable = new Set(rows.filter((r) => r.message === 'verify_email').map(idOf));
  const expectedIds = rows.map(idOf).filter((id) => !skippable.has(id));
  // Every email goes through the outbox.
  const direct = delivered.filter((d) => !d.messageId?.startsWith('<outbox-'));
  expect(direct.map((d) => d.to), 'mail sent outside the outbox').toEqual([]);
  const counts = new Map<string, number>();
  for (const d of delivered.filter((x) => !direct.includes(x))) counts.set(d.messageId!, (counts.get(d.messageId!) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
  expect(twice, 'messages delivered more than once').toEqual([]);
  expect([...counts.keys()].filter((id) => !skippable.has(id)).sort()).toEqual(expectedIds.sort());
  expect([...counts.keys()].filter((id) => !rows.some((r) => idOf(r) === id)), 'delivered but not in the outbox').toEqual([]);
  expect(counts.get(inFlightAtKill!), 'the message A was sending when it died, delivered by B').toBe(1);
  const fromOutbox = delivered.filter((d) => !direct.includes(d));
  const bySink = { A: fromOutbox.filter((d) => d.sink === 'A').length, B: fromOutbox.filter((d) => d.sink === 'B').length };
  expect(bySink.A > 0 && bySink.B > 0, `both workers sent mail: ${JSON.stringify(bySink)}`).toBe(true);

  console.log(
    `faults: two API instances on one database: ${SLOTS} slots × ${CONTENDERS} concurrent requests over both → exactly ${CAPACITY} bookings per slot ` +
    `(won through A ${winnersByInstance[0]}, B ${winnersByInstance[1]}), ${SLOTS * (CONTENDERS - CAPACITY)} × 409; ${rows.length} emails, each delivered exactly once (A ${bySink.A}, B ${bySink.B}); ` +
    `instance A SIGKILLed mid-batch after handing over ${acceptedFromAInBatch} messages, 0 sent twice`,
  );
});
