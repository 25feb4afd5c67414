import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { paymentsWorld, slots } from '../support/payments.js';
import { patronageKit, testClock, torontoDate, type PatronageKit } from '../support/patronage.js';
import { createAssembly } from '../../server/src/flows/assembly-decisions.js';

const clock = testClock();
let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PatronageKit;
let admin2: SignedIn;
const m: Record<'coop' | 'client' | 'admin2', string> = { coop: '', client: '', admin2: '' };
const next = slots(72);
const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();
const resolution = (over: Record<string, unknown> = {}) => ({ kind: 'resolution', title: 'Adopter la charte', body: 'Les membres adoptent la charte de la plateforme.', opensAt: hours(-24), closesAt: hours(24), ...over });

beforeAll(async () => {
  t = await createTestApp({}, { now: clock.now });
  w = await paymentsWorld(t);
  kit = patronageKit(t);
  admin2 = await signUp(t.app, { name: 'Deuxième admin' });
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${w.coopId}, ${admin2.userId}, 'admin')`;
  const tenDaysAgo = torontoDate(new Date(Date.now() - 10 * 86_400_000));
  m.coop = (await kit.join(w.steward, { class: 'producer', coopId: w.coopId, startedOn: tenDaysAgo })).id;
  m.client = (await kit.join(w.steward, { class: 'user', userId: w.client.userId, startedOn: tenDaysAgo })).id;
  m.admin2 = (await kit.join(w.steward, { class: 'user', userId: admin2.userId, startedOn: tenDaysAgo })).id;
});
afterAll(() => t.close());
afterEach(() => clock.reset());

describe('proposals', () => {
  it('are put forward by stewards only, with a valid window and, for a fee, its rate and date', async () => {
    expect((await kit.post('/steward/proposals', w.admin, resolution())).statusCode).toBe(403);
    const fee = await kit.post('/steward/proposals', w.steward, resolution({ kind: 'fee_rate' }));
    expect(Object.keys(errorOf(fee).fields!)).toEqual(expect.arrayContaining(['feeRateBps', 'feeEffectiveFrom']));
    const backwards = await kit.post('/steward/proposals', w.steward, resolution({ closesAt: hours(-48) }));
    expect(errorOf(backwards).fields).toHaveProperty('closesAt');
    const early = await kit.post('/steward/proposals', w.steward, resolution({ kind: 'fee_rate', feeRateBps: 400, feeEffectiveFrom: hours(1) }));
    expect(errorOf(early).fields).toHaveProperty('feeEffectiveFrom');
    const p = await kit.ok('POST', '/steward/proposals', w.steward, resolution(), 201);
    expect(p).toMatchObject({ kind: 'resolution', status: 'open', quorumBps: 1_000, votesCast: 0, results: null });
  });

  it('are listed to members only, open and past', async () => {
    expect((await kit.get('/proposals', w.stranger)).statusCode).toBe(403);
    expect((await kit.get('/proposals', null)).statusCode).toBe(401);
    const list = await kit.ok('GET', '/proposals', w.client);
    expect(list.open).toHaveLength(1);
    expect(list.open[0].canVoteAs).toEqual([{ membershipId: m.client, holderName: 'Test User' }]);
    expect(list.past).toEqual([]);
  });
});

describe('voting: one member, one vote', () => {
  let id: string;
  beforeAll(async () => {
    id = (await kit.ok('POST', '/steward/proposals', w.steward, resolution({ title: 'Vote test' }), 201)).id;
  });

  it('refuses non-members and members who joined after the vote opened', async () => {
    expect(errorOf(await kit.vote(w.stranger, id, 'yes')).code).toBe('forbidden');
    await kit.join(w.steward, { class: 'user', userId: w.stranger.userId, startedOn: torontoDate(new Date()) });
    expect((await kit.vote(w.stranger, id, 'yes')).statusCode).toBe(403);
    expect((await kit.vote(w.client, id, 'yes', m.coop)).statusCode).toBe(403); // not the client's to cast
  });

  it('lets a member co-op vote once, by one of its admins', async () => {
    expect((await kit.vote(w.admin, id, 'yes')).statusCode).toBe(201);
    // admin2 holds their own membership and administers the co-op, which has voted: theirs is the one left.
    const own = await kit.vote(admin2, id, 'no');
    expect(own.statusCode).toBe(201);
    expect(own.json().membershipId).toBe(m.admin2);
    expect(errorOf(await kit.vote(admin2, id, 'yes', m.coop)).code).toBe('already_voted');
    expect(errorOf(await kit.vote(admin2, id, 'yes')).code).toBe('already_voted');
  });

  it('counts each ballot once even when sent twice at the same time', async () => {
    const both = await Promise.all([kit.vote(w.client, id, 'yes'), kit.vote(w.client, id, 'yes')]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const [{ n }] = (await kit.sql`SELECT count(*)::int AS n FROM votes WHERE proposal_id = ${id}`) as unknown as [{ n: number }];
    expect(n).toBe(3);
  });

  it('is refused outside the window, and decided only after it', async () => {
    const later = await kit.ok('POST', '/steward/proposals', w.steward, resolution({ opensAt: hours(2), closesAt: hours(30) }), 201);
    expect(errorOf(await kit.vote(w.client, later.id, 'yes')).code).toBe('vote_not_open');
    expect(errorOf(await kit.post(`/steward/proposals/${id}/close`, w.steward)).code).toBe('vote_still_open');
    expect((await kit.post(`/steward/proposals/${id}/close`, w.client)).statusCode).toBe(403);
    clock.set(hours(25));
    expect(errorOf(await kit.vote(w.client, id, 'abstain')).code).toBe('vote_not_open');
    const decided = await kit.ok('POST', `/steward/proposals/${id}/close`, w.steward);
    // Eligible on the opening day: the co-op, the client, admin2 (the stranger joined later).
    expect(decided).toMatchObject({ status: 'adopted', results: { eligible: 3, cast: 3, yes: 2, no: 1, abstain: 0, quorumReached: true } });
    expect(errorOf(await kit.post(`/steward/proposals/${id}/close`, w.steward)).code).toBe('already_decided');
  });

  it('needs the quorum; a tie is rejected', async () => {
    await kit.ok('PUT', '/steward/settings', w.steward, { quorumBps: 5_000 });
    const thin = (await kit.ok('POST', '/steward/proposals', w.steward, resolution({ title: 'Peu de votants' }), 201)).id;
    const tie = (await kit.ok('POST', '/steward/proposals', w.steward, resolution({ title: 'Égalité' }), 201)).id;
    await kit.vote(w.client, thin, 'yes');
    await kit.vote(w.client, tie, 'yes');
    await kit.vote(w.admin, tie, 'no');
    clock.set(hours(25));
    expect((await kit.ok('POST', `/steward/proposals/${thin}/close`, w.steward)).status).toBe('no_quorum'); // 1 of 3 < 50 %
    expect((await kit.ok('POST', `/steward/proposals/${tie}/close`, w.steward)).status).toBe('rejected');
    const past = (await kit.ok('GET', '/proposals', w.client)).past;
    expect(past.find((p: { id: string }) => p.id === tie)).toMatchObject({ results: { yes: 1, no: 1 }, myVotes: [{ membershipId: m.client, choice: 'yes' }], canVoteAs: [] });
    await kit.ok('PUT', '/steward/settings', w.steward, { quorumBps: 1_000 });
  });
});

describe('an adopted fee rate', () => {
  it('applies to bookings made from its date, decided by the job once the vote is over', async () => {
    const before = await w.kit.book(w.client, w.listingId, next());
    const closesAt = new Date(Date.now() + 1_500).toISOString();
    const p = await kit.ok('POST', '/steward/proposals', w.steward, { kind: 'fee_rate', title: 'Frais à 3 %', body: 'Baisser les frais de la plateforme à 3 %.', feeRateBps: 300, feeEffectiveFrom: closesAt, opensAt: hours(-1), closesAt }, 201);
    expect((await kit.vote(w.admin, p.id, 'yes')).statusCode).toBe(201);
    expect((await kit.vote(w.client, p.id, 'yes')).statusCode).toBe(201);
    await new Promise((r) => setTimeout(r, Date.parse(closesAt) - Date.now() + 50));
    expect(await createAssembly({ db: t.db, now: () => new Date() }).closeDue()).toBeGreaterThanOrEqual(1);

    const fee = await kit.ok('GET', '/platform/fee', null);
    expect(fee.current).toMatchObject({ rateBps: 300, reason: 'Adopted by the members: Frais à 3 %' });
    const after = await w.kit.book(w.client, w.listingId, next());
    await w.kit.accept(w.admin, before.id);
    await w.kit.accept(w.admin, after.id);
    expect((await w.kit.summary(w.client, before.id)).breakdown).toMatchObject({ feeRateBps: 500, platformFeeCents: 675 });
    expect((await w.kit.summary(w.client, after.id)).breakdown).toMatchObject({ feeRateBps: 300, platformFeeCents: 405 });
  });
});
