import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop } from '../support/fixtures.js';

let t: TestApp;
let steward: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
});
afterAll(() => t.close());

const application = (legalName: string) => ({
  legalName, legalForm: 'worker_coop', region: 'plateau-mont-royal', languages: ['fr'], foundedYear: 2020,
  descriptionFr: 'Coopérative de travail en entretien ménager.', descriptionEn: 'Worker co-op in home cleaning.',
});
const apply = (who: SignedIn, legalName: string) => t.app.inject({ method: 'POST', url: '/coops', headers: who.auth, payload: application(legalName) });
const pendingOf = async (userId: string) => {
  const [row] = await t.database.sql`SELECT count(*)::int AS n FROM coops WHERE created_by = ${userId} AND status = 'pending'`;
  return row!.n as number;
};

describe('co-op applications', () => {
  it('need a confirmed address, as bookings do', async () => {
    const u = await signUp(t.app, { verified: false });
    const res = await apply(u, 'Coopérative Pas Confirmée');
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('email_not_verified');
    expect(await pendingOf(u.userId)).toBe(0);
  });

  it('twenty identical applications at once make three pending co-ops and twenty clear answers, never 503', async () => {
    const u = await signUp(t.app);
    const answers = await Promise.all(Array.from({ length: 20 }, () => apply(u, 'Coopérative Vingt Fois')));
    const statuses = answers.map((r) => r.statusCode).sort();
    expect(statuses, answers.map((r) => r.body).join('\n')).toEqual([...Array(3).fill(201), ...Array(17).fill(409)]);
    for (const r of answers.filter((a) => a.statusCode === 409)) expect(errorOf(r).code).toBe('too_many_pending_applications');
    expect(await pendingOf(u.userId)).toBe(3);
    // Once one is decided, there is room for another.
    const one = answers.find((r) => r.statusCode === 201)!.json();
    expect((await t.app.inject({ method: 'POST', url: `/coops/${one.id}/reject`, headers: steward.auth, payload: { reason: 'Doublon envoyé par erreur.' } })).statusCode).toBe(200);
    expect((await apply(u, 'Coopérative Vingt Fois')).statusCode).toBe(201);
  });

  it('many people applying with one name at once all get a co-op, each with its own slug', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, () => signUp(t.app)));
    const answers = await Promise.all(people.map((p) => apply(p, 'Coopérative Même Nom')));
    expect(answers.map((r) => r.statusCode), answers.map((r) => r.body).join('\n')).toEqual(Array(12).fill(201));
    expect(new Set(answers.map((r) => r.json().slug)).size).toBe(12);
  });
});

describe('invitations', () => {
  let admin: SignedIn;
  let coopId: string;
  beforeAll(async () => {
    admin = await signUp(t.app);
    coopId = (await approvedCoop(t, steward, admin, 'Coopérative Invitante')).id;
  });
  const invite = (email: string) => t.app.inject({ method: 'POST', url: `/coops/${coopId}/invitations`, headers: admin.auth, payload: { email, role: 'worker' } });
  const withdraw = (id: string) => t.app.inject({ method: 'DELETE', url: `/coops/${coopId}/invitations/${id}`, headers: admin.auth });

  it('one address can be invited by a co-op at most three times a day, withdrawn or not', async () => {
    const email = 'souvent.invitee@example.org';
    for (let i = 0; i < 3; i++) {
      const res = await invite(email);
      expect(res.statusCode, res.body).toBe(201);
      expect((await withdraw(res.json().id)).statusCode).toBe(200);
    }
    const fourth = await invite(email.toUpperCase());
    expect(fourth.statusCode).toBe(429);
    expect(errorOf(fourth)).toMatchObject({ code: 'rate_limited', fields: { email: [expect.objectContaining({ code: 'invited_too_often' })] } });
    const [row] = await t.database.sql`SELECT count(*)::int AS n FROM coop_invitations WHERE lower(email) = ${email}`;
    expect(row!.n).toBe(3);
    // A day later, the address can be invited again.
    await t.database.sql`UPDATE coop_invitations SET created_at = created_at - interval '25 hours' WHERE lower(email) = ${email}`;
    expect((await invite(email)).statusCode).toBe(201);
  });

  it('a co-op holds at most fifty open invitations', async () => {
    const [open] = await t.database.sql`SELECT count(*)::int AS n FROM coop_invitations WHERE coop_id = ${coopId} AND revoked_at IS NULL AND accepted_at IS NULL`;
    for (let i = open!.n as number; i < 50; i++) expect((await invite(`personne${i}@example.org`)).statusCode).toBe(201);
    const over = await invite('une.de.trop@example.org');
    expect(over.statusCode).toBe(409);
    expect(errorOf(over).code).toBe('too_many_open_invitations');
    const list = (await t.app.inject({ method: 'GET', url: `/coops/${coopId}/members`, headers: admin.auth })).json();
    expect(list.invitations).toHaveLength(50);
  });
});
