/**
 * Every create route takes an `Idempotency-Key`: the same request sent several times at once
 * with one key (a double click, a retry) creates one row, and every answer is the first one.
 * Listings have their fuller cases in listings.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { schema } from '@tissu/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, publishListing, setSchedule } from '../support/fixtures.js';
import { torontoDate } from '../support/patronage.js';

let t: TestApp;
let steward: SignedIn;
let admin: SignedIn;
let coop: { id: string };
beforeAll(async () => {
  t = await createTestApp();
  steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  admin = await signUp(t.app);
  coop = await approvedCoop(t, steward, admin);
  // A fiscal record is dated in a fiscal year: this one.
  const opened = await t.app.inject({ method: 'POST', url: '/steward/fiscal-years', headers: steward.auth, payload: { startsOn: `${today().slice(0, 4)}-01-01` } });
  expect(opened.statusCode, opened.body).toBe(201);
});
afterAll(() => t.close());

const today = () => torontoDate(new Date());
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

interface Case {
  route: string;
  table: PgTable;
  call: () => Promise<{ who: SignedIn; url: string; payload: Record<string, unknown> }>;
}

const cases: Case[] = [
  {
    route: 'POST /coops', table: schema.coops,
    call: async () => ({
      who: await signUp(t.app), url: '/coops',
      payload: {
        legalName: 'Coop en double', legalForm: 'worker_coop', region: 'plateau-mont-royal', languages: ['fr'], foundedYear: 2020,
        descriptionFr: 'Coopérative de travail en jardinage.', descriptionEn: 'Worker co-op in gardening.',
      },
    }),
  },
  {
    route: 'POST /coops/{id}/invitations', table: schema.coopInvitations,
    call: async () => ({ who: admin, url: `/coops/${coop.id}/invitations`, payload: { email: `double-${randomUUID()}@example.test`, role: 'worker' } }),
  },
  {
    route: 'POST /steward/fiscal-years', table: schema.fiscalYears,
    call: async () => ({ who: steward, url: '/steward/fiscal-years', payload: { startsOn: `${Number(today().slice(0, 4)) - 20}-01-01`, confirmPastDeadline: true } }), // a year ahead at most: one long past
  },
  {
    route: 'POST /steward/fiscal-records', table: schema.fiscalRecords,
    call: async () => ({ who: steward, url: '/steward/fiscal-records', payload: { kind: 'expense', occurredOn: today(), category: 'Hébergement', amountCents: 1_234, note: 'Serveur' } }),
  },
  {
    route: 'POST /steward/memberships', table: schema.memberships,
    call: async () => ({ who: steward, url: '/steward/memberships', payload: { class: 'user', userId: (await signUp(t.app)).userId, paidBy: 'cheque', startedOn: today() } }),
  },
  {
    route: 'POST /steward/proposals', table: schema.proposals,
    call: async () => ({
      who: steward, url: '/steward/proposals',
      payload: { kind: 'resolution', title: 'Adopter la charte', body: 'Les membres adoptent la charte.', opensAt: inDays(-1), closesAt: inDays(1) },
    }),
  },
  {
    route: 'POST /platform/fee-rates', table: schema.platformFeeRates,
    call: async () => ({ who: steward, url: '/platform/fee-rates', payload: { rateBps: 500, effectiveFrom: inDays(400), reason: 'Taux reconduit par l’assemblée' } }),
  },
  {
    // The booking form: a double click on "Réserver" asks once.
    route: 'POST /bookings', table: schema.bookings,
    call: async () => {
      const listing = await publishListing(t, admin, coop.id);
      await setSchedule(t, admin, listing.id);
      return { who: await signUp(t.app), url: '/bookings', payload: bookingBody(listing.id, hourFromNow(30)) };
    },
  },
  {
    route: 'POST /steward/fiscal-years/{id}/plans', table: schema.surplusPlans,
    call: async () => {
      const post = (url: string, payload: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url, headers: steward.auth, payload });
      const y = Number(today().slice(0, 4)) - 4;
      const year = (await post('/steward/fiscal-years', { startsOn: `${y}-01-01`, confirmPastDeadline: true })).json();
      await post('/steward/fiscal-records', { kind: 'income', occurredOn: `${y}-06-15`, category: 'Subvention', amountCents: 50_000 });
      expect((await post(`/steward/fiscal-years/${year.id}/close`)).statusCode).toBe(200);
      return {
        who: steward, url: `/steward/fiscal-years/${year.id}/plans`,
        payload: { reserveBps: 2_000, weights: { producer: 4_000, worker: 4_000, user: 2_000 }, cashBps: 3_000, thresholdCents: 0 },
      };
    },
  },
];

describe('a create sent five times at once with one Idempotency-Key', () => {
  it.each(cases)('$route creates one row and answers the same thing five times', async ({ table, call }) => {
    const { who, url, payload } = await call();
    const rows = async () => (await t.db.select({ n: count() }).from(table))[0]!.n;
    const before = await rows();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 5 }, () =>
      t.app.inject({ method: 'POST', url, headers: { ...who.auth, 'idempotency-key': key }, payload })));
    expect(answers.map((a) => a.statusCode), answers[0]!.body).toEqual(Array(5).fill(201));
    for (const a of answers) expect(a.json()).toEqual(answers[0]!.json());
    expect(await rows()).toBe(before + 1);
    const later = await t.app.inject({ method: 'POST', url, headers: { ...who.auth, 'idempotency-key': key }, payload });
    expect([later.statusCode, later.json()]).toEqual([201, answers[0]!.json()]);
    expect(await rows()).toBe(before + 1);
  });
});

describe('a key sent again with another body', () => {
  it('is refused with 422 and creates nothing: the first answer is not given for a different request', async () => {
    const who = await signUp(t.app);
    const key = randomUUID();
    const apply = (legalName: string) => t.app.inject({
      method: 'POST', url: '/coops', headers: { ...who.auth, 'idempotency-key': key },
      payload: {
        legalName, legalForm: 'worker_coop', region: 'plateau-mont-royal', languages: ['fr'], foundedYear: 2020,
        descriptionFr: 'Coopérative de travail en jardinage.', descriptionEn: 'Worker co-op in gardening.',
      },
    });
    const first = await apply('Coop Clé Un');
    expect(first.statusCode).toBe(201);
    const rows = async () => (await t.db.select({ n: count() }).from(schema.coops))[0]!.n;
    const before = await rows();
    const other = await apply('Coop Clé Deux, autre chose');
    expect([other.statusCode, other.json().error.code]).toEqual([422, 'idempotency_key_reused']);
    expect(await rows()).toBe(before);
    // The same body again is still the replay.
    expect((await apply('Coop Clé Un')).json()).toEqual(first.json());
  });
});

describe('keys are kept a day', () => {
  it('forgets a key after 24 hours, with the answer it stored, and keeps a younger one', async () => {
    const { forgetOldKeys } = await import('../../server/src/idempotency.js');
    const send = (key: string, email: string) =>
      t.app.inject({ method: 'POST', url: `/coops/${coop.id}/invitations`, headers: { ...admin.auth, 'idempotency-key': key }, payload: { email, role: 'worker' } });
    const [old, young] = [randomUUID(), randomUUID()];
    expect((await send(old, `old-${old}@example.test`)).statusCode).toBe(201);
    expect((await send(young, `young-${young}@example.test`)).statusCode).toBe(201);
    await t.database.sql`UPDATE idempotent_requests SET created_at = now() - interval '25 hours' WHERE key = ${old}`;
    await t.database.sql`UPDATE idempotent_requests SET created_at = now() - interval '23 hours' WHERE key = ${young}`;
    expect(await forgetOldKeys(t.db, new Date())).toBeGreaterThanOrEqual(1);
    const left = await t.database.sql`SELECT key FROM idempotent_requests WHERE key IN (${old}, ${young})`;
    expect(left.map((r) => r.key)).toEqual([young]);
  });
});
