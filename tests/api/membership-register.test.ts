import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop } from '../support/fixtures.js';
import { patronageKit, torontoDate, type PatronageKit } from '../support/patronage.js';

let t: TestApp;
let kit: PatronageKit;
let steward: SignedIn, admin: SignedIn, worker: SignedIn, client: SignedIn, supporter: SignedIn, outsider: SignedIn, pendingAdmin: SignedIn;
let coopId: string, pendingCoopId: string;
const today = torontoDate(new Date());
const daysAgo = (n: number) => torontoDate(new Date(Date.now() - n * 86_400_000));

beforeAll(async () => {
  t = await createTestApp();
  kit = patronageKit(t);
  [steward, admin, worker, client, supporter, outsider, pendingAdmin] = (await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => signUp(t.app, { name: 'Membre Test' })))) as SignedIn[] as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
  await makeSteward(t, steward.userId);
  coopId = (await approvedCoop(t, steward, admin, 'Ménage Éclat')).id;
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${worker.userId}, 'worker')`;
  const pending = await t.app.inject({
    method: 'POST', url: '/coops', headers: pendingAdmin.auth,
    payload: { legalName: 'Coop en attente', legalForm: 'worker_coop', region: 'verdun', languages: ['fr'], foundedYear: 2020, descriptionFr: 'Une coopérative pas encore approuvée.', descriptionEn: 'A co-op not approved yet.' },
  });
  pendingCoopId = pending.json().id;
});
afterAll(() => t.close());

describe('joining the platform co-op', () => {
  it('refuses a worker-member before their co-op is a member, then takes the qualifying share of each class', async () => {
    const early = await kit.post('/steward/memberships', steward, { class: 'worker', userId: worker.userId, paidBy: 'cash', startedOn: daysAgo(30) });
    expect(early.statusCode).toBe(409);
    expect(errorOf(early).code).toBe('not_eligible');

    const coop = await kit.join(steward, { class: 'producer', coopId, startedOn: daysAgo(60), paidBy: 'transfer' });
    expect(coop).toMatchObject({ memberClass: 'producer', shareCents: 10_000, capitalCents: 10_000, open: true, holder: { kind: 'coop', id: coopId, name: 'Ménage Éclat' } });
    expect((await kit.join(steward, { class: 'worker', userId: worker.userId, startedOn: daysAgo(30) })).shareCents).toBe(2_000);
    expect((await kit.join(steward, { class: 'user', userId: client.userId, startedOn: today })).shareCents).toBe(1_000);
    expect((await kit.join(steward, { class: 'supporting', userId: supporter.userId, startedOn: today })).shareCents).toBe(1_000);

    // Each share is in the bank and in the member's capital, in one balanced entry.
    expect(await kit.balance('bank')).toBe(10_000 + 2_000 + 1_000 + 1_000);
    expect(await kit.balance(`member_capital:${coop.id}`)).toBe(-10_000);
    const [entry] = await kit.sql`SELECT kind, occurred_at FROM journal_entries WHERE source = ${`membership:${coop.id}:share`}`;
    expect(entry!.kind).toBe('member_share');
  });

  it('checks eligibility and the fields, and keeps one open membership per person or co-op', async () => {
    const unapproved = await kit.post('/steward/memberships', steward, { class: 'producer', coopId: pendingCoopId, paidBy: 'cheque', startedOn: today });
    expect([unapproved.statusCode, errorOf(unapproved).code]).toEqual([409, 'coop_not_approved']);
    const twice = await kit.post('/steward/memberships', steward, { class: 'user', userId: client.userId, paidBy: 'cheque', startedOn: today });
    expect([twice.statusCode, errorOf(twice).code]).toEqual([409, 'already_member']);
    const outsiderWorker = await kit.post('/steward/memberships', steward, { class: 'worker', userId: outsider.userId, paidBy: 'cheque', startedOn: today });
    expect(errorOf(outsiderWorker).code).toBe('not_eligible');
    const bad = await kit.post('/steward/memberships', steward, { class: 'producer', userId: outsider.userId, paidBy: 'bitcoin', startedOn: '2026-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(errorOf(bad).fields!)).toEqual(expect.arrayContaining(['paidBy', 'startedOn']));
    const personAsProducer = await kit.post('/steward/memberships', steward, { class: 'producer', userId: outsider.userId, paidBy: 'cheque', startedOn: today });
    expect(errorOf(personAsProducer).fields).toHaveProperty('coopId');
    const future = await kit.post('/steward/memberships', steward, { class: 'user', userId: outsider.userId, paidBy: 'cheque', startedOn: torontoDate(new Date(Date.now() + 5 * 86_400_000)) });
    expect(errorOf(future).fields).toHaveProperty('startedOn');
    const nobody = await kit.post('/steward/memberships', steward, { class: 'user', userId: '00000000-0000-4000-8000-000000000000', paidBy: 'cheque', startedOn: today });
    expect(errorOf(nobody).fields).toHaveProperty('userId');
  });

  it('lets only stewards record, end and list memberships', async () => {
    const body = { class: 'user', userId: outsider.userId, paidBy: 'cheque', startedOn: today };
    expect((await kit.post('/steward/memberships', admin, body)).statusCode).toBe(403);
    expect((await kit.post('/steward/memberships', null, body)).statusCode).toBe(401);
    expect((await kit.get('/steward/members', client)).statusCode).toBe(403);
    const [m] = await kit.sql`SELECT id FROM memberships WHERE user_id = ${client.userId}`;
    expect((await kit.post(`/steward/memberships/${m!.id}/end`, client, { endedOn: today })).statusCode).toBe(403);
  });

  it('uses the share the assembly set for new members', async () => {
    await kit.ok('PUT', '/steward/settings', steward, { qualifyingShareCents: { producer: 20_000, worker: 2_500, user: 1_500, supporting: 500 } });
    expect((await kit.get('/steward/settings', admin)).statusCode).toBe(403);
    const m = await kit.join(steward, { class: 'user', userId: outsider.userId, startedOn: today });
    expect(m.shareCents).toBe(1_500);
    expect((await kit.ok('GET', '/steward/settings', steward)).votingDays).toBe(14);
  });

  it('refuses a quorum under 1 % and a legal reserve of 0 % while it applies, field by field', async () => {
    const before = await kit.ok('GET', '/steward/settings', steward);
    const put = (body: Record<string, unknown>) => kit.req('PUT', '/steward/settings', steward, body);
    const zeroQuorum = await put({ quorumBps: 0 });
    expect(zeroQuorum.statusCode, zeroQuorum.body).toBe(400);
    expect(errorOf(zeroQuorum).fields?.quorumBps).toEqual([expect.objectContaining({ code: 'percent_too_low', minimum: 100 })]);
    const noReserve = await put({ legalMinimumReserveBps: 0, legalMinimumReserveApplies: true });
    expect(noReserve.statusCode, noReserve.body).toBe(400);
    expect(errorOf(noReserve).fields?.legalMinimumReserveBps?.map((e) => e.code)).toEqual(['reserve_required_when_applies']);
    // Sent alone, either half is checked against what is stored: the reserve applies by default.
    expect(errorOf(await put({ legalMinimumReserveBps: 0 })).fields).toHaveProperty('legalMinimumReserveBps');
    expect(await kit.ok('GET', '/steward/settings', steward)).toEqual(before);
    // A reserve that does not apply may be 0 %, and then it cannot be made to apply alone.
    await kit.ok('PUT', '/steward/settings', steward, { legalMinimumReserveBps: 0, legalMinimumReserveApplies: false, quorumBps: 100 });
    expect(errorOf(await put({ legalMinimumReserveApplies: true })).fields).toHaveProperty('legalMinimumReserveBps');
    await kit.ok('PUT', '/steward/settings', steward, { legalMinimumReserveBps: before.legalMinimumReserveBps, legalMinimumReserveApplies: before.legalMinimumReserveApplies, quorumBps: before.quorumBps });
  });
});

describe('the register and one’s own memberships', () => {
  it('lists every member with class, dates and capital', async () => {
    const reg = await kit.ok('GET', '/steward/members', steward);
    expect(reg.counts).toEqual({ producer: 1, worker: 1, user: 2, supporting: 1, open: 5 });
    const coop = reg.members.find((m: { holder: { id: string } }) => m.holder.id === coopId);
    expect(coop).toMatchObject({ memberClass: 'producer', startedOn: daysAgo(60), endedOn: null, capitalCents: 10_000, patronagePayableCents: 0 });
  });

  it('shows a co-op admin the co-op’s membership, and a worker their own, with the capital history', async () => {
    const mine = await kit.ok('GET', '/membership', admin);
    expect(mine.memberships).toHaveLength(1);
    expect(mine.memberships[0]).toMatchObject({ memberClass: 'producer', holder: { kind: 'coop', name: 'Ménage Éclat' }, capitalCents: 10_000 });
    expect(mine.memberships[0].history).toEqual([expect.objectContaining({ kind: 'member_share', amountCents: 10_000 })]);
    const w = await kit.ok('GET', '/membership', worker);
    expect(w.memberships.map((m: { memberClass: string }) => m.memberClass)).toEqual(['worker']);
    expect((await kit.ok('GET', '/membership', pendingAdmin)).memberships).toEqual([]);
    expect((await kit.get('/membership', null)).statusCode).toBe(401);
  });

  it('ends a membership on a date after it started; the capital stays on the books', async () => {
    const [m] = await kit.sql`SELECT id FROM memberships WHERE user_id = ${worker.userId}`;
    const tooEarly = await kit.post(`/steward/memberships/${m!.id}/end`, steward, { endedOn: daysAgo(40) });
    expect(errorOf(tooEarly).fields).toHaveProperty('endedOn');
    const ended = await kit.ok('POST', `/steward/memberships/${m!.id}/end`, steward, { endedOn: daysAgo(1) });
    expect(ended).toMatchObject({ open: false, endedOn: daysAgo(1), capitalCents: 2_000 });
    const again = await kit.post(`/steward/memberships/${m!.id}/end`, steward, { endedOn: today });
    expect(errorOf(again).code).toBe('already_ended');
    expect((await kit.post('/steward/memberships/00000000-0000-4000-8000-000000000000/end', steward, { endedOn: today })).statusCode).toBe(404);
    // Having left, they may join again later.
    expect((await kit.join(steward, { class: 'worker', userId: worker.userId, startedOn: today })).shareCents).toBe(2_500);
  });
});
