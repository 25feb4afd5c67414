import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp } from '../support/test-app.js';
import { testClock, torontoDate, torontoMidday } from '../support/patronage.js';
import { EXPECTED_MEASURES, largestRemainder, patronageWorld, type PatronageWorld } from '../support/patronage-world.js';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';

const clock = testClock();
let t: TestApp;
let w: PatronageWorld;
let surplus: number;
let planId: string;
const plan = { reserveBps: 2_000, weights: { producer: 4_000, worker: 4_000, user: 2_000 }, cashBps: 3_000, thresholdCents: 2_500 };
type AllocationRow = { membership_id: string } & Record<'allocation_cents' | 'cash_cents' | 'retained_cents' | 'paid_cents' | 'carried_forward_cents' | 'withholding_cents', number>;
/** The plan's rows, bigints as numbers. */
const allocations = async () => (await w.kit.sql`SELECT * FROM plan_allocations WHERE plan_id = ${planId}`).map((r) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as AllocationRow);
const dayAfter = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp({}, { now: clock.now });
  w = await patronageWorld(t, clock);
}, 180_000);
afterAll(() => t.close());

describe('the fiscal year', () => {
  it('records expenses and other income in the ledger and reads the year’s result from it', async () => {
    const { kit, steward } = w;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(new Date());
    await kit.ok('POST', '/steward/fiscal-records', steward, { kind: 'expense', occurredOn: today, category: 'Hébergement', amountCents: 50_000, note: 'Serveurs' }, 201);
    await kit.ok('POST', '/steward/fiscal-records', steward, { kind: 'income', occurredOn: today, category: 'Subvention', amountCents: 500_000 }, 201);
    expect((await kit.post('/steward/fiscal-records', w.adminA, { kind: 'expense', occurredOn: today, category: 'Hébergement', amountCents: 1 })).statusCode).toBe(403);

    const [fees] = await kit.sql`SELECT sum(processor_fee_cents)::int AS f FROM payments WHERE status <> 'open' AND status <> 'expired'`;
    const year = await kit.ok('GET', `/steward/fiscal-years/${w.year.id}`, steward);
    surplus = 2_950 + 500_000 - fees!.f - 50_000;
    expect(year.figures).toEqual({
      feeRevenueCents: 2_950, otherIncomeCents: 500_000, revenueCents: 502_950,
      processorFeesCents: fees!.f, platformExpensesCents: 50_000, expensesCents: fees!.f + 50_000, surplusCents: surplus,
    });
    // ITA s.135(1): refunds of the year are paid within the 12 months after it.
    expect(year).toMatchObject({ status: 'open', measures: null, paymentDeadline: `${Number(w.year.endsOn.slice(0, 4)) + 1}${w.year.endsOn.slice(4)}` });
  });

  it('cannot be closed before it is over', async () => {
    const early = await w.kit.post(`/steward/fiscal-years/${w.year.id}/close`, w.steward);
    expect([early.statusCode, errorOf(early).code]).toEqual([409, 'year_not_over']);
  });

  it('freezes each member’s patronage to the cent and the minute when it closes', async () => {
    const { kit, steward, m } = w;
    clock.set(torontoMidday(dayAfter(w.year.endsOn)));
    expect((await kit.post(`/steward/fiscal-years/${w.year.id}/close`, w.adminA)).statusCode).toBe(403);
    const closed = await kit.ok('POST', `/steward/fiscal-years/${w.year.id}/close`, steward);
    expect(closed.status).toBe('closing');
    expect(await kit.measures(w.year.id)).toEqual({
      [m.A.id]: EXPECTED_MEASURES.A, [m.B.id]: EXPECTED_MEASURES.B, [m.w1.id]: EXPECTED_MEASURES.w1,
      [m.w2.id]: EXPECTED_MEASURES.w2, [m.u1.id]: EXPECTED_MEASURES.u1, [m.u2.id]: EXPECTED_MEASURES.u2,
    });
    const [refund] = await kit.sql`SELECT service_cents, total_cents FROM refunds WHERE booking_id = ${w.b2.id}`;
    expect(refund).toMatchObject({ service_cents: 2_000, total_cents: 2_300 });
    expect(closed.measures).toEqual({ members: 6, byClass: { producer: { members: 2, units: 36_000 }, worker: { members: 2, units: 375 }, user: { members: 2, units: 41_696 } } });

    expect(errorOf(await kit.post(`/steward/fiscal-years/${w.year.id}/close`, steward)).code).toBe('already_closed');
    const late = await kit.post('/steward/fiscal-records', steward, { kind: 'expense', occurredOn: w.year.startsOn, category: 'Oubli', amountCents: 100 });
    // The year has a surplus: it is closing (its plan to come), and says so.
    expect([late.statusCode, errorOf(late).code]).toEqual([409, 'year_closing']);
  });
});

describe('drafting and simulating a plan', () => {
  it('lets only stewards draft, and shows the draft’s numbers', async () => {
    const { kit, steward } = w;
    expect((await kit.post(`/steward/fiscal-years/${w.year.id}/plans`, w.w1, plan)).statusCode).toBe(403);
    const bad = await kit.post(`/steward/fiscal-years/${w.year.id}/plans`, steward, { ...plan, weights: { producer: 5_000, worker: 4_000, user: 2_000 } });
    expect(bad.statusCode).toBe(400);
    const draft = await kit.ok('POST', `/steward/fiscal-years/${w.year.id}/plans`, steward, { ...plan, reserveBps: 1_000 }, 201);
    planId = draft.id;
    expect(draft).toMatchObject({ status: 'draft', proposal: null, figures: { surplusCents: surplus } });
    const patched = await kit.ok('PATCH', `/steward/plans/${planId}`, steward, { reserveBps: plan.reserveBps });
    expect(patched.params).toEqual(plan);
    // Sending nothing to change answers the draft as it is (it was a 500).
    expect((await kit.ok('PATCH', `/steward/plans/${planId}`, steward, {})).params).toEqual(plan);
    // Members do not see drafts.
    expect((await kit.get(`/plans/${planId}`, w.w1)).statusCode).toBe(404);
  });

  it('simulates variations side by side', async () => {
    const sim = await w.kit.ok('POST', `/steward/plans/${planId}/simulate`, w.steward, {
      variations: [{ label: 'Réserve 50 %', reserveBps: 5_000 }, { label: 'Seuil 100 $', thresholdCents: 10_000 }, { label: 'Tout aux coops', weights: { producer: 10_000, worker: 0, user: 0 } }],
    });
    expect(sim.surplusCents).toBe(surplus);
    const [base, halfReserve, highThreshold, coopsOnly] = sim.columns;
    const pool = Math.floor((surplus * 8_000) / 10_000);
    expect(base).toMatchObject({ label: 'Plan', reserveCents: surplus - pool, patronagePoolCents: pool, membersPaid: 6, membersCarriedForward: 0 });
    expect(base.classes.map((c: { classPoolCents: number }) => c.classPoolCents)).toEqual(largestRemainder(pool, [4, 4, 2]));
    expect(halfReserve.reserveCents).toBe(surplus - Math.floor(surplus / 2));
    expect(highThreshold.membersCarriedForward).toBeGreaterThan(0);
    expect(highThreshold.totals.carryForwardCents + highThreshold.totals.paidCents).toBe(base.totals.cashPartCents);
    expect(coopsOnly.classes.map((c: { classPoolCents: number }) => c.classPoolCents)).toEqual([pool, 0, 0]);
    const worker = base.classes.find((c: { memberClass: string }) => c.memberClass === 'worker');
    expect(worker.displayRate).toEqual({ per: 'hour', cents: Math.round((worker.classPoolCents * 60) / 375) });
  });
});

describe('proposing, voting, approving', () => {
  it('freezes the plan, opens the vote and emails every member once, in their language, whatever roles they hold', async () => {
    const { kit, steward, A, B } = w;
    // Wanda, a worker-member, also runs A and B while the plan is put to the vote: one person, three memberships.
    await kit.sql`UPDATE coop_members SET role = 'admin' WHERE coop_id = ${A.id} AND user_id = ${w.w1.userId}`;
    await kit.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${B.id}, ${w.w1.userId}, 'admin')`;
    expect((await kit.post(`/steward/plans/${planId}/propose`, w.adminA)).statusCode).toBe(403);
    const proposed = await kit.ok('POST', `/steward/plans/${planId}/propose`, steward, {});
    expect(proposed).toMatchObject({ status: 'proposed', proposal: { status: 'open' } });
    // Fourteen days by default, to the end of the last one: midnight in Montréal, not the hour it was proposed.
    const closes = new Date(proposed.proposal.closesAt);
    const lastDay = torontoDate(new Date(closes.getTime() - 1));
    expect(torontoDate(closes)).not.toBe(lastDay);
    expect(lastDay).toBe(torontoDate(new Date(clock.now().getTime() + 14 * 86_400_000)));
    const [{ n }] = (await kit.sql`SELECT count(*)::int AS n FROM plan_allocations WHERE plan_id = ${planId}`) as unknown as [{ n: number }];
    expect(n).toBe(7);
    expect(errorOf(await kit.req('PATCH', `/steward/plans/${planId}`, steward, { cashBps: 5_000 })).code).toBe('plan_frozen');
    // While it is put to the vote, no other draft: not adopted, it comes back as the year's draft.
    expect(errorOf(await kit.post(`/steward/fiscal-years/${w.year.id}/plans`, steward, plan)).code).toBe('plan_exists');

    const queued = await kit.sql`SELECT payload->>'recipientId' AS r FROM outbox WHERE payload->>'type' = 'surplus_plan'`;
    // A's and B's admins (B has left, but is paid for its member time), w1, w2, u1, u2, s1.
    expect(queued.map((q) => q.r).sort()).toEqual([w.adminA, w.adminB, w.w1, w.w2, w.u1, w.u2, w.s1].map((p) => p.userId).sort());
    // Uma turned assembly news off on her account page: her email is queued, checked as it leaves, and not sent.
    expect((await t.app.inject({ method: 'PATCH', url: '/me', headers: w.u2.auth, payload: { assemblyEmails: false } })).statusCode).toBe(200);
    await dispatchOutbox(t.db, t.mailer, { webOrigin: 'http://localhost:3000' });
    const mails = await t.mailer.list();
    expect(mails.filter((mail) => mail.to === w.u2.email && /^(Ristournes|Patronage refunds) /.test(mail.subject))).toEqual([]);
    await t.app.inject({ method: 'PATCH', url: '/me', headers: w.u2.auth, payload: { assemblyEmails: true } });
    const toWassim = mails.find((mail) => mail.to === w.w2.email)!;
    expect(toWassim.subject).toMatch(/^Patronage refunds .*: the plan is put to the vote until/);
    const toWanda = mails.find((mail) => mail.to === w.w1.email)!;
    expect(toWanda.subject).toMatch(/^Ristournes /);
    expect(toWanda.text).toContain('La part de Wanda');
    expect(toWanda.text).toContain(`/assembly#proposal-${proposed.proposal.id}`);
    // One plan email for her three memberships (her bookings' own emails aside).
    expect(mails.filter((mail) => mail.to === w.w1.email && /^(Ristournes|Patronage refunds) /.test(mail.subject))).toHaveLength(1);
    expect(toWanda.text).toContain('La part de Ménage Éclat');
    expect(toWanda.text).toContain('La part de Garde Soleil');
    // French elides "de" before a vowel, as the web does: "La part d'Ulysse", never "de Ulysse".
    const toUlysse = mails.find((mail) => mail.to === w.u1.email && mail.subject.startsWith('Ristournes '))!;
    expect(toUlysse.text).toContain("La part d'Ulysse : ");
    expect(toUlysse.text).not.toContain('de Ulysse');
    // The deadline's time as the web writes it: "9 h 05", never "09 h 05".
    for (const mail of [toWanda, toUlysse]) expect(`${mail.subject}\n${mail.text}`.replace(/[\u00a0\u202f]/g, ' ')).not.toMatch(/\b0\d h \d\d/);
    await kit.sql`DELETE FROM coop_members WHERE coop_id = ${B.id} AND user_id = ${w.w1.userId}`;
    await kit.sql`UPDATE coop_members SET role = 'worker' WHERE coop_id = ${A.id} AND user_id = ${w.w1.userId}`;
  });


  it('takes one vote per member in force on the opening day, and rejects: the plan goes back to draft', async () => {
    const { kit, steward } = w;
    const proposalId = (await kit.ok('GET', `/plans/${planId}`, w.w1)).proposal.id;
    expect((await kit.vote(w.adminA, proposalId, 'no')).statusCode).toBe(201);
    expect((await kit.vote(w.u1, proposalId, 'no')).statusCode).toBe(201);
    expect((await kit.vote(w.w1, proposalId, 'yes')).statusCode).toBe(201);
    const early = await kit.post(`/steward/proposals/${proposalId}/close`, steward);
    expect(errorOf(early).code).toBe('vote_still_open');

    clock.set(new Date(clock.now().getTime() + 15 * 86_400_000));
    const decided = await kit.ok('POST', `/steward/proposals/${proposalId}/close`, steward);
    expect(decided).toMatchObject({ status: 'rejected', results: { eligible: 6, cast: 3, yes: 1, no: 2, abstain: 0, quorumReached: true } });
    const back = await kit.ok('GET', `/plans/${planId}`, steward);
    expect(back).toMatchObject({ status: 'draft', proposedAt: null });
    const [{ n }] = (await kit.sql`SELECT count(*)::int AS n FROM plan_allocations WHERE plan_id = ${planId}`) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  it('adopts the reworked plan: approved, and the database refuses any change to it', async () => {
    const { kit, steward } = w;
    await kit.ok('PATCH', `/steward/plans/${planId}`, steward, { thresholdCents: 7_000 });
    const proposalId = (await kit.ok('POST', `/steward/plans/${planId}/propose`, steward, {})).proposal.id;
    expect((await kit.vote(w.w3, proposalId, 'yes')).statusCode).toBe(403); // works at A, not a member
    expect((await kit.vote(w.adminB, proposalId, 'yes')).statusCode).toBe(403); // B left before the vote opened
    expect((await kit.vote(w.adminA, proposalId, 'yes')).statusCode).toBe(201);
    expect((await kit.vote(w.w1, proposalId, 'yes')).statusCode).toBe(201);
    expect(errorOf(await kit.vote(w.w1, proposalId, 'no')).code).toBe('already_voted');
    expect((await kit.vote(w.u2, proposalId, 'abstain')).statusCode).toBe(201);
    clock.set(new Date(clock.now().getTime() + 15 * 86_400_000));
    expect(errorOf(await kit.vote(w.u1, proposalId, 'yes')).code).toBe('vote_not_open');
    const decided = await kit.ok('POST', `/steward/proposals/${proposalId}/close`, steward);
    expect(decided).toMatchObject({ status: 'adopted', results: { eligible: 6, cast: 3, yes: 2, no: 0, abstain: 1, quorumReached: true } });
    expect((await kit.ok('GET', `/plans/${planId}`, w.w1)).status).toBe('approved');

    const refused = async (q: Promise<unknown>) => expect(q).rejects.toMatchObject({ code: '23001' });
    await refused(kit.sql`UPDATE surplus_plans SET reserve_bps = 0 WHERE id = ${planId}`);
    await refused(kit.sql`UPDATE surplus_plans SET status = 'draft' WHERE id = ${planId}`);
    await refused(kit.sql`UPDATE plan_allocations SET allocation_cents = allocation_cents + 1 WHERE plan_id = ${planId}`);
    await refused(kit.sql`DELETE FROM plan_allocations WHERE plan_id = ${planId}`);
    // A line for a membership the plan has none for (a repeated one would only meet the primary key).
    await refused(kit.sql.begin(async (tx) => {
      const [past] = await tx`INSERT INTO memberships (member_class, user_id, share_cents, paid_by, started_on, ended_on)
                              VALUES ('user', ${w.w1.userId}, 1000, 'cash', '2019-01-01', '2019-12-31') RETURNING id`;
      await tx`INSERT INTO plan_allocations VALUES (${planId}, ${past!.id}, 'user', 0, 100, 100, 0, 0, 100, 0, 0)`;
    }));
    // The same with triggers off (session_replication_role = replica), as a proposal inserts its lines:
    // the frozen rules are enabled ALWAYS, so they hold there too.
    await refused(kit.sql.begin(async (tx) => {
      await tx`SET LOCAL session_replication_role = replica`;
      const [past] = await tx`INSERT INTO memberships (member_class, user_id, share_cents, paid_by, started_on, ended_on)
                              VALUES ('user', ${w.w1.userId}, 1000, 'cash', '2019-01-01', '2019-12-31') RETURNING id`;
      await tx`INSERT INTO plan_allocations VALUES (${planId}, ${past!.id}, 'user', 0, 100, 100, 0, 0, 100, 0, 0)`;
    }));
    await refused(kit.sql.begin(async (tx) => {
      await tx`SET LOCAL session_replication_role = replica`;
      await tx`DELETE FROM plan_allocations WHERE plan_id = ${planId}`;
    }));
    await refused(kit.sql.begin(async (tx) => {
      await tx`SET LOCAL session_replication_role = replica`;
      await tx`UPDATE plan_allocations SET allocation_cents = allocation_cents + 1 WHERE plan_id = ${planId}`;
    }));
    expect(errorOf(await kit.req('PATCH', `/steward/plans/${planId}`, steward, { reserveBps: 0 })).code).toBe('plan_frozen');
  });

  it('allocates exactly what an independent computation gives', async () => {
    const rows = await allocations();
    const by = (id: string) => rows.find((r) => r.membership_id === id)!;
    const pool = Math.floor((surplus * 8_000) / 10_000);
    const [producer, worker, user] = largestRemainder(pool, [4, 4, 2]) as [number, number, number];
    const [a, b] = largestRemainder(producer, [EXPECTED_MEASURES.A, EXPECTED_MEASURES.B]);
    const [w1, w2] = largestRemainder(worker, [EXPECTED_MEASURES.w1, EXPECTED_MEASURES.w2]);
    const [u1, u2] = largestRemainder(user, [EXPECTED_MEASURES.u1, EXPECTED_MEASURES.u2]);
    const expected = { A: a, B: b, w1, w2, u1, u2, s1: 0 } as Record<keyof typeof w.m, number>;
    for (const [who, allocation] of Object.entries(expected) as [keyof typeof w.m, number][]) {
      const r = by(w.m[who].id);
      const cash = Math.ceil((allocation * 3_000) / 10_000);
      const paid = cash >= 7_000 ? cash : 0;
      const withholding = who.startsWith('w') && paid > 10_000 ? Math.round(((paid - 10_000) * 15) / 100) : 0;
      expect({ who, ...r }).toMatchObject({
        who, allocation_cents: allocation, cash_cents: cash, retained_cents: allocation - cash, paid_cents: paid,
        carried_forward_cents: cash - paid, withholding_cents: withholding,
      });
    }
    expect(by(w.m.u2.id).carried_forward_cents).toBeGreaterThan(0);
    expect(by(w.m.w1.id).withholding_cents).toBeGreaterThan(0);
  });
});

describe('paying the approved plan', () => {
  it('lets only stewards pay; posts the year close, appropriation and payments; transfers to member co-ops', async () => {
    const { kit, steward } = w;
    expect((await kit.post(`/steward/plans/${planId}/pay`, w.adminA)).statusCode).toBe(403);
    const rows = await allocations();
    const line = (id: string) => rows.find((r) => r.membership_id === id)!;
    const paid = await kit.ok('POST', `/steward/plans/${planId}/pay`, steward);
    const reserve = surplus - Math.floor((surplus * 8_000) / 10_000);
    expect(paid).toMatchObject({ transfers: 2, plan: { status: 'paid', allocation: { reserveCents: reserve } } });
    expect(errorOf(await kit.post(`/steward/plans/${planId}/pay`, steward)).code).toBe('already_paid');

    await w.pay.ledgerOk(steward);
    expect(await kit.balance('undistributed_surplus')).toBe(0);
    expect(await kit.balance('general_reserve')).toBe(-reserve);
    const withheld = rows.reduce((s, r) => s + r.withholding_cents, 0);
    expect(await kit.balance('withholding_payable')).toBe(-withheld);
    // Worker w1: share 20.00 $ plus the retained part in capital; cash paid; nothing left payable.
    expect(await kit.balance(`member_capital:${w.m.w1.id}`)).toBe(-(2_000 + line(w.m.w1.id).retained_cents));
    expect(await kit.balance(`patronage_payable:${w.m.w1.id}`)).toBe(0);
    // u2's cash was under the 70.00 $ threshold: it stays payable, carried forward.
    expect(await kit.balance(`patronage_payable:${w.m.u2.id}`)).toBe(-line(w.m.u2.id).carried_forward_cents);

    const transfers = await w.pay.stripeApi('GET', `/transfers?destination=${w.A.stripeAccountId}`);
    const a = line(w.m.A.id);
    const refunds = transfers.data.filter((tr: { metadata: { planId?: string } }) => tr.metadata.planId === planId);
    expect(refunds).toEqual([expect.objectContaining({ amount: a.paid_cents, metadata: { planId, membershipId: w.m.A.id } })]);
    const [year] = await kit.sql`SELECT status FROM fiscal_years WHERE id = ${w.year.id}`;
    expect(year!.status).toBe('closed');
  });
});

describe('statements', () => {
  it('shows members their own statement in plain numbers, and nobody else’s', async () => {
    const { kit } = w;
    const { statements } = await kit.ok('GET', '/patronage/statements', w.w1);
    expect(statements).toHaveLength(1);
    const s = statements[0];
    expect(s).toMatchObject({ planStatus: 'paid', memberClass: 'worker', unit: 'minutes', patronageUnits: 210, classUnits: 375, classSharePpm: 560_000, holderName: 'Wanda' });
    expect(s.rate.fr).toMatch(/^\d+,\d{2}[\s\u00a0\u202f]\$ par heure livrée$/);
    expect(s.rate.en).toMatch(/^\$\d+\.\d{2} per hour delivered$/);
    expect(s.months.reduce((n: number, m: { units: number }) => n + m.units, 0)).toBe(210);
    expect(s.netPaidCents).toBe(s.paidCents - s.withholdingCents);
    expect(s.explanation.map((e: { key: string }) => e.key)).toEqual(['class_share', 'cash_and_retained', 'withholding', 'paid']);

    expect((await kit.get(`/patronage/statements?membershipId=${w.m.A.id}`, w.w1)).statusCode).toBe(404);
    const coop = await kit.ok('GET', `/patronage/statements?membershipId=${w.m.A.id}`, w.adminA);
    expect(coop.statements[0]).toMatchObject({ memberClass: 'producer', patronageUnits: 28_000, rate: { per: 'hundredDollars' } });
    const u2 = (await kit.ok('GET', '/patronage/statements', w.u2)).statements[0];
    expect(u2.explanation.map((e: { key: string }) => e.key)).toContain('carried_forward');
    expect((await kit.ok('GET', `/patronage/statements?year=${w.year.startsOn.slice(0, 4)}`, w.u2)).statements).toHaveLength(1);
    expect((await kit.ok('GET', '/patronage/statements?year=2001', w.u2)).statements).toEqual([]);
    expect((await kit.ok('GET', '/patronage/statements', w.u3)).statements).toEqual([]);
    expect((await kit.get(`/plans/${planId}`, w.u3)).statusCode).toBe(404);
    expect((await kit.get('/patronage/statements', null)).statusCode).toBe(401);
  });

  it('exports them as CSV: a member’s own, and all of a plan for stewards', async () => {
    const { kit } = w;
    const own = await kit.get('/patronage/statements.csv', w.w1);
    expect(own.headers['content-type']).toMatch(/^text\/csv/);
    const lines = own.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    // French by default: ";" between columns, hours with a decimal comma, amounts as plain numbers.
    expect(lines[0]).toMatch(/^Exercice;Plan;Statut du plan;Adhésion;Membre;Catégorie;Unité;Patronage;Patronage de la catégorie;Part de la catégorie \(%\);/);
    expect(lines[1]).toContain(';Wanda;membre travailleur;heures;3,5;6,25;56,00;');
    const en = (await kit.get('/patronage/statements.csv?lang=en', w.w1)).body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(en[0]).toMatch(/^Fiscal year,Plan,Plan status,Membership,Member,Class,Unit,Patronage,Class patronage,Class share \(%\),/);
    expect(en[1]).toContain(',Wanda,worker-member,hours,3.5,6.25,56.00,');
    expect((await kit.get('/patronage/statements.csv?lang=de', w.w1)).statusCode).toBe(400);
    expect((await kit.get(`/steward/statements.csv?planId=${planId}`, w.w1)).statusCode).toBe(403);
    const all = await kit.get(`/steward/statements.csv?planId=${planId}`, w.steward);
    expect(all.body.trim().split('\r\n')).toHaveLength(8);
  });
});

describe('transparency', () => {
  it('publishes the year: fee, business, members, result and what went back to the members', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/transparency' });
    expect(res.statusCode).toBe(200);
    const [year] = res.json().years;
    const reserve = surplus - Math.floor((surplus * 8_000) / 10_000);
    expect(year).toMatchObject({
      status: 'closed', planStatus: 'paid', feeRates: [{ rateBps: 500 }], bookings: { count: 6, valueCents: 49_000 }, coops: 2, members: 7,
      figures: { surplusCents: surplus, revenueCents: 502_950 }, reserveCents: reserve, returnedToMembersCents: surplus - reserve,
    });
  });
});

describe('the next year', () => {
  it('starts the day after and carries u2’s unpaid refund into its plan', async () => {
    const { kit, steward } = w;
    const next = await kit.ok('POST', '/steward/fiscal-years', steward, {}, 201);
    expect(next.startsOn).toBe(dayAfter(w.year.endsOn));
    expect(errorOf(await kit.post('/steward/fiscal-years', steward, { startsOn: w.year.endsOn })).code).toBe('overlapping_year');
    await kit.ok('POST', '/steward/fiscal-records', steward, { kind: 'income', occurredOn: next.startsOn, category: 'Subvention', amountCents: 100_000 }, 201);
    clock.set(torontoMidday(dayAfter(next.endsOn)));
    await kit.ok('POST', `/steward/fiscal-years/${next.id}/close`, steward);
    // Twenty clicks at once: one draft, the others told the year already has one.
    const answers = await Promise.all(Array.from({ length: 20 }, () => kit.post(`/steward/fiscal-years/${next.id}/plans`, steward, plan)));
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of answers.filter((r) => r.statusCode !== 201)) expect([r.statusCode, errorOf(r).code]).toEqual([409, 'plan_exists']);
    expect(await kit.sql`SELECT status FROM surplus_plans WHERE fiscal_year_id = ${next.id}`).toEqual([{ status: 'draft' }]);
    const draft = answers.find((r) => r.statusCode === 201)!.json();
    const carried = (await allocations()).find((r) => r.membership_id === w.m.u2.id)!.carried_forward_cents;
    expect(draft.allocation.totals.carriedInCents).toBe(carried);
    // Nobody did business in it: the pool goes to the reserve and u2's refund waits, never forfeited.
    expect(draft.allocation).toMatchObject({ allocationStatus: 'no_patronage', reserveCents: 100_000, totals: { carryForwardCents: carried, paidCents: 0 } });
  });
});

describe('a year whose refund deadline has passed', () => {
  it('is refused with a warning on its start date, and created once the steward confirms', async () => {
    const { kit, steward } = w;
    // Twelve months after its end, today (the clock of this file) is far beyond: refunds of 2001 could no longer be paid.
    const refused = await kit.post('/steward/fiscal-years', steward, { startsOn: '2001-01-01' });
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused)).toMatchObject({ code: 'payment_deadline_passed', fields: { startsOn: [expect.objectContaining({ code: 'payment_deadline_passed', date: '2002-12-31' })] } });
    expect(await kit.sql`SELECT id FROM fiscal_years WHERE starts_on = '2001-01-01'`).toEqual([]);
    const created = await kit.ok('POST', '/steward/fiscal-years', steward, { startsOn: '2001-01-01', confirmPastDeadline: true }, 201);
    expect(created).toMatchObject({ startsOn: '2001-01-01', paymentDeadline: '2002-12-31' });
  });
});

describe('a year far ahead', () => {
  it('is refused beyond the next one, so repeating the call does not open year after year', async () => {
    const { kit, steward } = w;
    const today = torontoDate(clock.now());
    const [y, rest] = [Number(today.slice(0, 4)), today.slice(4)];
    const before = await kit.sql`SELECT count(*)::int AS n FROM fiscal_years`;
    const refused = await kit.post('/steward/fiscal-years', steward, { startsOn: `${y + 2}-01-01` });
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused).fields?.startsOn).toEqual([expect.objectContaining({ code: 'year_too_far_ahead', date: `${y + 1}${rest}` })]);
    // A year ending past what dates may say was saved, then answered 500 and broke the list of years.
    expect((await kit.post('/steward/fiscal-years', steward, { startsOn: '2200-06-15' })).statusCode).toBe(400);
    expect((await kit.get('/steward/fiscal-years', steward)).statusCode).toBe(200);
    // An amount the books' column cannot hold is a field error, not "a number is out of range".
    const huge = await kit.post('/steward/fiscal-records', steward, { kind: 'expense', occurredOn: today, category: 'Loyer', amountCents: 3_000_000_000 });
    expect(errorOf(huge).fields?.amountCents).toEqual([expect.objectContaining({ code: 'amount_too_large', maximum: 2_000_000_000 })]);
    // Without a date each call opens the year after the last: the second one beyond a year is refused.
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await kit.post('/steward/fiscal-years', steward, {})).statusCode);
    expect(answers.filter((s) => s === 201).length).toBeLessThanOrEqual(2);
    expect(answers.at(-1)).toBe(400);
    const after = await kit.sql`SELECT count(*)::int AS n FROM fiscal_years WHERE starts_on > ${`${y + 1}${rest}`}`;
    expect(after[0]!.n).toBe(0);
    expect(before[0]!.n).toBeGreaterThan(0);
  });
});
