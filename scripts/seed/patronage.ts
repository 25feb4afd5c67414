import { and, eq, gt, inArray, like, sql } from 'drizzle-orm';
import { schema, type Db, type Tx } from '@tissu/db';
import type { Actor } from '../../server/src/actor.js';
import type { PaymentGateway } from '../../server/src/plugins/stripe.js';
import { createAssembly } from '../../server/src/flows/assembly-decisions.js';
import { booksDate } from '../../server/src/lib/calendar.js';
import { createFiscalService } from '../../server/src/modules/fiscal/service.js';
import { createMembershipService } from '../../server/src/modules/membership/service.js';
import { createPlanPayments } from '../../server/src/flows/pay-plan.js';
import { createPlansService } from '../../server/src/modules/patronage/plans.js';
import { DEMO_CLIENT, DEMO_COOPS, DEMO_STEWARD } from './data.js';
import { seedYearOfBookings } from './patronage-bookings.js';
import {
  BYLAW_PROPOSAL, CLIENT_MEMBER_FROM, DEMO_PATRONS, DEMO_SUPPORTER, PLAN, PRODUCER_FROM, RECORDS, RECURRING, TRAVAILLEUSE_MEMBER_FROM, WORKER_ADMINS, demoYears, on,
} from './patronage-data.js';

const PATRONAGE_SEED_LOCK_KEY = 74737302;
const DAY = 86_400_000;
const TRAVAILLEUSE = DEMO_COOPS[0]!.workers![0]!;

/**
 * The paid year's plan was paid before this Stripe emulator run existed: a co-op paid by transfer gets a
 * demo transfer id, and nothing else may reach a payment processor from the seed.
 */
const pastProcessor: PaymentGateway = new Proxy({} as PaymentGateway, {
  get: (_, name) => name === 'transfer'
    ? async (input: { idempotencyKey: string }) => ({ id: `tr_demo_${input.idempotencyKey.replace(/[^a-zA-Z0-9]/g, '').slice(-24)}` })
    : () => { throw new Error(`the demo seed does not call the payment processor (${String(name)})`); },
});

/**
 * The platform co-op's demo history, through the same services the API routes call, each at the
 * date it happened (a clock the services read), in the three years of demoYears: members join in
 * the first, a year of bookings and books, the year closes, a plan is drafted, proposed, voted,
 * approved and paid early the next; that next year has its bookings and books too, closes, and
 * its plan is left as a draft, so a steward can try every step of the cycle the day Tissu
 * starts; this year is open and a by-law amendment is put to the members' vote now. Runs once:
 * skipped when the database already has fiscal years or memberships, or lacks the demo co-ops.
 */
export async function seedPatronageDemo(db: Db, passwordHash: () => Promise<string>): Promise<{ seeded: boolean }> {
  if (await hasHistory(db)) return { seeded: false };
  const hash = await passwordHash();
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`SELECT pg_advisory_xact_lock(${PATRONAGE_SEED_LOCK_KEY})`));
    if (await hasHistory(tx)) return { seeded: false };
    return { seeded: await seedHistory(tx, hash) };
  });
}

async function hasHistory(q: Tx): Promise<boolean> {
  const [row] = (await q.execute(sql`SELECT EXISTS (SELECT 1 FROM fiscal_years) OR EXISTS (SELECT 1 FROM memberships) AS found`)) as unknown as { found: boolean }[];
  return Boolean(row?.found);
}

async function seedHistory(tx: Tx, passwordHash: string): Promise<boolean> {
  const people = await tx.select({ id: schema.users.id, email: schema.users.email, name: schema.users.name }).from(schema.users)
    .where(inArray(schema.users.email, [DEMO_STEWARD.email, DEMO_CLIENT.email, TRAVAILLEUSE.email, ...DEMO_COOPS.map((c) => c.admin.email)]));
  const coops = await tx.select({ id: schema.coops.id, slug: schema.coops.slug }).from(schema.coops).where(inArray(schema.coops.slug, DEMO_COOPS.map((c) => c.slug)));
  if (coops.length !== DEMO_COOPS.length || people.length !== DEMO_COOPS.length + 3) return false;

  const { paid, drafted, open } = demoYears();
  const first = (monthDay: string) => on(paid, monthDay);
  /** An instant of the demo's past, never after today (early in January the next steps are "now"). */
  const at = (iso: string) => new Date(Math.min(Date.parse(iso), Date.now()));

  // The demo platform has run since its first year: its founding fee rate is in force from then,
  // as those bookings were charged, so the fee history and the transparency page say so.
  const founded = new Date(`${paid}-01-01T05:00:00Z`);
  await tx.update(schema.platformFeeRates).set({ effectiveFrom: founded })
    .where(and(eq(schema.platformFeeRates.reason, 'Founding rate adopted by the members'), gt(schema.platformFeeRates.effectiveFrom, founded)));

  const joiners = [...DEMO_PATRONS, DEMO_SUPPORTER];
  const created = new Date(`${first(CLIENT_MEMBER_FROM)}T15:00:00Z`);
  await tx.insert(schema.users).values(joiners.map((p) => ({ email: p.email, name: p.name, locale: p.locale, passwordHash, createdAt: created, passwordChangedAt: created, emailVerifiedAt: created })))
    .onConflictDoNothing();
  const patrons = await tx.select({ id: schema.users.id, email: schema.users.email, name: schema.users.name }).from(schema.users).where(inArray(schema.users.email, joiners.map((p) => p.email)));
  const user = (email: string) => [...people, ...patrons].find((p) => p.email === email)!;
  const coopOf = (slug: string) => coops.find((c) => c.slug === slug)!.id;
  const adminOf = (slug: string) => user(DEMO_COOPS.find((c) => c.slug === slug)!.admin.email);

  // Services run in this transaction (their own transactions become savepoints) at the clock's time.
  const clock = { at: new Date() };
  const deps = { db: tx as unknown as Db, now: () => clock.at };
  const members = createMembershipService(deps);
  const fiscal = createFiscalService(deps);
  const plans = createPlansService(deps);
  const assembly = createAssembly(deps);
  const planPayments = createPlanPayments({ ...deps, gateway: pastProcessor });
  const actor = (userId: string, isSteward = false): Actor => ({ userId, sessionId: 'demo-seed', isSteward, emailVerified: true });
  const steward = actor(user(DEMO_STEWARD.email).id, true);

  // Members: the twelve co-ops, their working admins and travailleuse@, client@ and other clients, a supporter.
  const membership = new Map<string, string>();
  for (const c of DEMO_COOPS) {
    const m = await members.join(steward, { class: 'producer', coopId: coopOf(c.slug), paidBy: 'transfer', startedOn: first(PRODUCER_FROM[c.slug] ?? '01-01') });
    membership.set(c.slug, m.id);
  }
  const persons: [string, 'worker' | 'user' | 'supporting', string][] = [
    [TRAVAILLEUSE.email, 'worker', first(TRAVAILLEUSE_MEMBER_FROM)],
    ...Object.entries(WORKER_ADMINS).map(([slug, from]): [string, 'worker', string] => [adminOf(slug).email, 'worker', first(from)]),
    [DEMO_CLIENT.email, 'user', first(CLIENT_MEMBER_FROM)],
    ...DEMO_PATRONS.filter((p) => p.memberFrom).map((p): [string, 'user', string] => [p.email, 'user', first(p.memberFrom!)]),
    [DEMO_SUPPORTER.email, 'supporting', first(DEMO_SUPPORTER.memberFrom)],
  ];
  for (const [email, cls, from] of persons) {
    const m = await members.join(steward, { class: cls, userId: user(email).id, paidBy: cls === 'worker' ? 'cash' : 'cheque', startedOn: from });
    membership.set(email, m.id);
  }
  for (const p of DEMO_PATRONS) if (p.leftOn) await members.end(steward, membership.get(p.email)!, first(p.leftOn));

  // The first year: the bookings with their payments and refunds, and the books stewards kept.
  // Demo years are past on purpose: the steward's confirmation for a passed refund deadline is given.
  const firstYear = await fiscal.create(steward, `${paid}-01-01`, true);
  const menage = DEMO_COOPS[0]!;
  const yearPeople = {
    clients: [
      { ...user(DEMO_CLIENT.email), weight: 6 },
      ...DEMO_PATRONS.map((p, i) => ({ ...user(p.email), weight: i === 2 ? 4 : 2 })),
    ],
    workers: new Map(DEMO_COOPS.map((c): [string, [string, number][]] => [c.slug, c === menage ? [[user(TRAVAILLEUSE.email).id, 0.7], [adminOf(c.slug).id, 0.3]] : [[adminOf(c.slug).id, 1]]])),
    coops: DEMO_COOPS.map((c) => ({ id: coopOf(c.slug), slug: c.slug, taxed: c === menage })),
  };
  const keepBooks = async (year: number) => {
    for (const r of RECORDS) {
      for (const month of r.months) {
        await fiscal.record(steward, { kind: r.kind, category: r.category, amountCents: r.amountCents, note: r.note, occurredOn: `${year}-${pad(month)}-${pad(r.day)}` });
      }
    }
  };
  await seedYearOfBookings(tx, yearPeople, paid);
  await keepBooks(paid);

  // Early the next year: it closes, the plan is drafted, proposed, voted, approved and paid.
  clock.at = new Date(`${drafted}-01-12T15:00:00Z`);
  await fiscal.close(steward, firstYear.id);
  clock.at = new Date(`${drafted}-01-14T15:00:00Z`);
  const draft = await plans.create(steward, firstYear.id, PLAN);
  clock.at = new Date(`${drafted}-01-19T15:00:00Z`);
  const proposed = await plans.propose(steward, draft.id, { opensAt: `${drafted}-02-02T14:00:00.000Z`, closesAt: `${drafted}-02-16T23:00:00.000Z` });
  // Its announcement went out that January: not again to today's development mailbox.
  await tx.update(schema.outbox).set({ sentAt: clock.at }).where(like(schema.outbox.dedupeKey, `proposal:${proposed.proposal!.id}:%`));

  clock.at = new Date(`${drafted}-02-10T18:00:00Z`);
  const ballots: [string, string, 'yes' | 'no' | 'abstain'][] = [
    ...DEMO_COOPS.slice(0, 10).map((c, i): [string, string, 'yes' | 'no' | 'abstain'] => [adminOf(c.slug).id, membership.get(c.slug)!, i === 7 ? 'abstain' : 'yes']),
    ...persons.slice(0, 12).map(([email], i): [string, string, 'yes' | 'no' | 'abstain'] => [user(email).id, membership.get(email)!, i === 4 ? 'no' : 'yes']),
  ];
  for (const [userId, membershipId, choice] of ballots) {
    if (membershipId === membership.get(TOM)) continue; // he left during the first year: no vote after it
    await assembly.vote(actor(userId), proposed.proposal!.id, { choice, membershipId });
  }
  clock.at = new Date(`${drafted}-02-17T13:00:00Z`);
  await assembly.close(steward, proposed.proposal!.id);
  clock.at = new Date(`${drafted}-03-02T15:00:00Z`);
  await planPayments.pay(steward, draft.id);

  // Last year: its bookings and books, closed in January; its plan is drafted and left for a steward
  // to simulate, propose, put to the vote and pay (nothing sent, nothing frozen yet).
  clock.at = new Date(`${drafted}-03-02T16:00:00Z`);
  const lastYear = await fiscal.create(steward, `${drafted}-01-01`);
  await seedYearOfBookings(tx, yearPeople, drafted);
  clock.at = at(`${open}-01-10T15:00:00Z`); // the books were complete by then
  await keepBooks(drafted);
  clock.at = at(`${open}-01-12T15:00:00Z`);
  await fiscal.close(steward, lastYear.id);
  clock.at = at(`${open}-01-14T15:00:00Z`);
  await plans.create(steward, lastYear.id, PLAN);

  // This year, open: the recurring expenses so far, and a by-law amendment the members vote on now.
  clock.at = new Date();
  await fiscal.create(steward, `${open}-01-01`);
  const today = booksDate(clock.at);
  for (const r of RECURRING) {
    for (const month of r.months) {
      const occurredOn = `${open}-${pad(month)}-${pad(r.day)}`;
      if (occurredOn <= today) await fiscal.record(steward, { kind: r.kind, category: r.category, amountCents: r.amountCents, note: r.note, occurredOn });
    }
  }
  const bylaw = await assembly.create(steward, {
    kind: 'bylaw', ...BYLAW_PROPOSAL, opensAt: new Date(clock.at.getTime() - 2 * DAY).toISOString(), closesAt: new Date(clock.at.getTime() + 12 * DAY).toISOString(),
  });
  for (const c of DEMO_COOPS.slice(1, 4)) await assembly.vote(actor(adminOf(c.slug).id), bylaw.id, { choice: 'yes', membershipId: membership.get(c.slug)! });
  return true;
}

const TOM = DEMO_PATRONS.find((p) => p.leftOn)!.email;
const pad = (n: number) => String(n).padStart(2, '0');
