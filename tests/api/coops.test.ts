import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';

let t: TestApp;
let steward: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  steward = await signUp(t.app, { name: 'Steward' });
  await makeSteward(t, steward.userId);
});
afterAll(() => t.close());

const application = (over: Record<string, unknown> = {}) => ({
  legalName: 'Coopérative de ménage Côte-des-Neiges',
  legalForm: 'worker_coop',
  neq: '1170000001',
  region: 'cote-des-neiges-ndg',
  languages: ['fr', 'en', 'es'],
  descriptionFr: 'Une coopérative de travail en entretien ménager écologique.',
  descriptionEn: 'A worker co-op doing green home cleaning since 2011.',
  commitments: 'Produits écologiques, salaire décent.',
  foundedYear: 2011,
  ...over,
});

async function apply(who: SignedIn, over: Record<string, unknown> = {}) {
  const res = await t.app.inject({ method: 'POST', url: '/coops', headers: who.auth, payload: application(over) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const get = (url: string, who?: SignedIn) => t.app.inject({ method: 'GET', url, headers: who?.auth ?? {} });

describe('applying as a co-op', () => {
  it('creates a pending co-op with an unaccented slug, and makes the applicant its admin', async () => {
    const applicant = await signUp(t.app);
    const coop = await apply(applicant, { neq: '1170 000 002' });
    expect(coop).toMatchObject({
      slug: 'cooperative-de-menage-cote-des-neiges',
      status: 'pending',
      neq: '1170000002',
      listingCount: 0,
      decisionReason: null,
      decidedAt: null,
    });
    const me = (await get('/me', applicant)).json();
    expect(me.coops).toEqual([
      { coopId: coop.id, coopSlug: coop.slug, coopName: coop.legalName, coopStatus: 'pending', role: 'admin', lastAdmin: true },
    ]);
  });

  it('keeps slugs unique with a numbered suffix, and never shaped like an id', async () => {
    // One applicant each: a person may have at most three applications waiting (coops-limits.test.ts).
    const first = await apply(await signUp(t.app), { legalName: 'Vélo Solidaire' });
    const second = await apply(await signUp(t.app), { legalName: 'VELO solidaire!' });
    const third = await apply(await signUp(t.app), { legalName: '  Vélo — Solidaire ' });
    expect([first.slug, second.slug, third.slug]).toEqual(['velo-solidaire', 'velo-solidaire-2', 'velo-solidaire-3']);
    const noLatin = await apply(await signUp(t.app), { legalName: '合作社' });
    expect(noLatin.slug).toBe('coop');
    const a = await signUp(t.app);
    const uuidName = await apply(a, { legalName: '3f1c2d4e-1111-4222-8333-944445555666' });
    expect(uuidName.slug).toBe('coop-3f1c2d4e-1111-4222-8333-944445555666');
    const found = await get(`/coops/${uuidName.slug}`, a);
    expect(found.json().id).toBe(uuidName.id);
  });

  it('gives distinct slugs to applications with the same name sent at the same moment', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, () => signUp(t.app)));
    const results = await Promise.all(
      people.map((a) => t.app.inject({ method: 'POST', url: '/coops', headers: a.auth, payload: application({ legalName: 'Cyclistes Unis' }) })),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    const slugs = results.map((r) => r.json().slug).sort();
    expect(slugs).toEqual(['cyclistes-unis', 'cyclistes-unis-2', 'cyclistes-unis-3', 'cyclistes-unis-4', 'cyclistes-unis-5', 'cyclistes-unis-6']);
  });

  it('answers field by field, accepts an NEQ typed with spaces and refuses 11 digits', async () => {
    const u = await signUp(t.app);
    const res = await t.app.inject({
      method: 'POST', url: '/coops', headers: u.auth,
      payload: application({ legalName: 'X', neq: '117000000123', region: 'paris', languages: [], descriptionFr: 'court', foundedYear: 3000 }),
    });
    expect(res.statusCode).toBe(400);
    const fields = errorOf(res).fields!;
    expect(Object.keys(fields).sort()).toEqual(['descriptionFr', 'foundedYear', 'languages', 'legalName', 'neq', 'region']);
    expect(fields.neq).toEqual([expect.objectContaining({ code: 'neq_digits' })]);

    const eleven = await t.app.inject({ method: 'POST', url: '/coops', headers: u.auth, payload: application({ neq: '11700000012' }) });
    expect(eleven.statusCode).toBe(400);
    expect(Object.keys(errorOf(eleven).fields!)).toEqual(['neq']);
    const dashes = await apply(u, { neq: '1170-000-003' });
    expect(dashes.neq).toBe('1170000003');
    const none = await apply(u, { neq: '' });
    expect(none.neq).toBeNull();
  });

  it('needs an account', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/coops', payload: application() });
    expect(res.statusCode).toBe(401);
  });
});

describe('steward decisions', () => {
  it('approves a pending co-op, records who and when, and emails the applicant in their language', async () => {
    const applicant = await signUp(t.app, { email: 'approve-me@example.org', locale: 'en', name: 'Alex' });
    const coop = await apply(applicant, { legalName: 'Chiens Heureux' });

    const byApplicant = await t.app.inject({ method: 'POST', url: `/coops/${coop.id}/approve`, headers: applicant.auth });
    expect(byApplicant.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'POST', url: `/coops/${coop.id}/approve` });
    expect(anonymous.statusCode).toBe(401);

    // The web client sends an empty JSON object with bodiless POSTs.
    const res = await t.app.inject({ method: 'POST', url: `/coops/${coop.id}/approve`, headers: steward.auth, payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', decisionReason: null });
    expect(Date.parse(res.json().decidedAt)).toBeGreaterThan(Date.now() - 60_000);
    const [row] = await t.database.sql`SELECT decided_by FROM coops WHERE id = ${coop.id}`;
    expect(row!.decided_by).toBe(steward.userId);

    // Queued in the decision's transaction (a crash after the commit cannot lose it), sent by the worker.
    const queued = await t.database.sql`SELECT payload FROM outbox WHERE payload->>'coopId' = ${coop.id}`;
    expect(queued.map((q) => q.payload)).toEqual([{ type: 'coop_decision', message: 'approved', coopId: coop.id, recipientId: applicant.userId }]);
    expect((await t.mailer.list()).find((m) => m.to === 'approve-me@example.org')).toBeUndefined();
    await dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });
    const mail = (await t.mailer.list()).find((m) => m.to === 'approve-me@example.org');
    expect(mail?.subject).toBe('Chiens Heureux is approved on Tissu');
    expect(mail?.text).toContain(`${t.config.webOrigin}/coops/chiens-heureux`);

    const again = await t.app.inject({ method: 'POST', url: `/coops/${coop.id}/reject`, headers: steward.auth, payload: { reason: 'Changed my mind' } });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('not_pending');
  });

  it('rejects with a reason the applicant sees, in French for a French-speaking applicant', async () => {
    const applicant = await signUp(t.app, { email: 'reject-me@example.org', locale: 'fr', name: 'Camille' });
    const coop = await apply(applicant, { legalName: 'Déménageurs Unis' });
    const noReason = await t.app.inject({ method: 'POST', url: `/coops/${coop.id}/reject`, headers: steward.auth, payload: {} });
    expect(noReason.statusCode).toBe(400);
    expect(Object.keys(errorOf(noReason).fields!)).toEqual(['reason']);
    const byClient = await t.app.inject({
      method: 'POST', url: `/coops/${coop.id}/reject`, headers: applicant.auth, payload: { reason: 'Self-rejection' },
    });
    expect(byClient.statusCode).toBe(403);

    const reason = "Le NEQ ne correspond pas à une coopérative au registre.";
    const res = await t.app.inject({ method: 'POST', url: `/coops/${coop.id}/reject`, headers: steward.auth, payload: { reason } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', decisionReason: reason });

    const seen = await get(`/coops/${coop.id}`, applicant);
    expect(seen.json()).toMatchObject({ status: 'rejected', decisionReason: reason });
    const me = (await get('/me', applicant)).json();
    expect(me.coops[0].coopStatus).toBe('rejected');

    await dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });
    const mail = (await t.mailer.list()).find((m) => m.to === 'reject-me@example.org');
    expect(mail?.subject).toBe("Votre demande pour Déménageurs Unis n'a pas été acceptée");
    expect(mail?.text).toContain(reason);

    const approveLater = await t.app.inject({ method: 'POST', url: `/coops/${coop.id}/approve`, headers: steward.auth });
    expect(approveLater.statusCode).toBe(409);
  });

  it('answers 404 for a decision on an unknown co-op and 400 for a malformed id', async () => {
    const unknown = await t.app.inject({ method: 'POST', url: '/coops/00000000-0000-4000-8000-000000000000/approve', headers: steward.auth });
    expect(unknown.statusCode).toBe(404);
    const malformed = await t.app.inject({ method: 'POST', url: '/coops/not-an-id/approve', headers: steward.auth });
    expect(malformed.statusCode).toBe(400);
  });
});

describe('who sees which co-op', () => {
  let applicant: SignedIn;
  let outsider: SignedIn;
  let pending: { id: string; slug: string };
  let approved: { id: string; slug: string };
  beforeAll(async () => {
    applicant = await signUp(t.app);
    outsider = await signUp(t.app);
    pending = await apply(applicant, { legalName: 'Jardins en attente' });
    approved = await apply(applicant, { legalName: 'Jardins publics' });
    await t.app.inject({ method: 'POST', url: `/coops/${approved.id}/approve`, headers: steward.auth });
  });

  it('shows approved co-ops to everyone, by id or slug', async () => {
    for (const ref of [approved.id, approved.slug, approved.slug.toUpperCase()]) {
      const res = await get(`/coops/${ref}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().id).toBe(approved.id);
    }
    const list = (await get('/coops')).json().items.map((c: { id: string }) => c.id);
    expect(list).toContain(approved.id);
    expect(list).not.toContain(pending.id);
  });

  it('hides a pending co-op from everyone but its members and stewards, as if it did not exist', async () => {
    for (const ref of [pending.id, pending.slug]) {
      expect((await get(`/coops/${ref}`)).statusCode).toBe(404);
      expect((await get(`/coops/${ref}`, outsider)).statusCode).toBe(404);
      expect((await get(`/coops/${ref}`, applicant)).statusCode).toBe(200);
      expect((await get(`/coops/${ref}`, steward)).statusCode).toBe(200);
    }
    const unknownId = await get('/coops/00000000-0000-4000-8000-000000000000');
    expect(errorOf(unknownId)).toEqual(errorOf(await get(`/coops/${pending.id}`, outsider)));
    expect((await get('/coops/no-such-coop')).statusCode).toBe(404);
    expect((await get('/coops/1234-not-a-uuid')).statusCode).toBe(404);
  });

  it('lists the pending and rejected queues for stewards only', async () => {
    expect((await get('/coops?status=pending')).statusCode).toBe(401);
    expect((await get('/coops?status=pending', outsider)).statusCode).toBe(403);
    expect((await get('/coops?status=rejected', applicant)).statusCode).toBe(403);
    expect((await get('/coops?status=approved', outsider)).statusCode).toBe(200);
    const queue = await get('/coops?status=pending', steward);
    expect(queue.statusCode).toBe(200);
    const items = queue.json().items as { id: string; status: string; applicant?: { name: string; email: string } | null }[];
    expect(items.map((c) => c.id)).toContain(pending.id);
    expect(items.every((c) => c.status === 'pending')).toBe(true);
    // Stewards see who applied, to reach them; the public list of approved co-ops never does.
    const me = (await get('/me', applicant)).json() as { name: string; email: string };
    expect(items.find((c) => c.id === pending.id)!.applicant).toEqual({ name: me.name, email: applicant.email });
    const publicList = (await get('/coops?status=approved', outsider)).json().items as Record<string, unknown>[];
    expect(publicList.every((c) => !('applicant' in c))).toBe(true);
    expect((await get('/coops?status=maybe', steward)).statusCode).toBe(400);
  });

  it('lets only the co-op admins edit the profile, and a partial edit keeps the other fields', async () => {
    const before = (await get(`/coops/${approved.id}`)).json();
    const byOutsider = await t.app.inject({ method: 'PATCH', url: `/coops/${approved.id}`, headers: outsider.auth, payload: { legalName: 'Pris' } });
    expect(byOutsider.statusCode).toBe(403);
    const bySteward = await t.app.inject({ method: 'PATCH', url: `/coops/${approved.id}`, headers: steward.auth, payload: { legalName: 'Pris' } });
    expect(bySteward.statusCode).toBe(403);
    const pendingByOutsider = await t.app.inject({ method: 'PATCH', url: `/coops/${pending.id}`, headers: outsider.auth, payload: { legalName: 'Pris' } });
    expect(pendingByOutsider.statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'PATCH', url: `/coops/${approved.id}`, payload: { legalName: 'Pris' } });
    expect(anonymous.statusCode).toBe(401);

    const res = await t.app.inject({
      method: 'PATCH', url: `/coops/${approved.id}`, headers: applicant.auth, payload: { legalName: 'Jardins publics de Verdun', languages: ['fr'] },
    });
    expect(res.statusCode).toBe(200);
    // Bug found: the shared UpdateCoopBody once defaulted `commitments` to '' and wiped it on every edit.
    expect(res.json()).toMatchObject({
      legalName: 'Jardins publics de Verdun', languages: ['fr'], slug: before.slug, commitments: before.commitments, neq: before.neq,
    });
    const bad = await t.app.inject({ method: 'PATCH', url: `/coops/${approved.id}`, headers: applicant.auth, payload: { neq: '123' } });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(errorOf(bad).fields!)).toEqual(['neq']);
    const cleared = await t.app.inject({ method: 'PATCH', url: `/coops/${approved.id}`, headers: applicant.auth, payload: { neq: null } });
    expect(cleared.json().neq).toBeNull();
  });

  it('counts only active listings', async () => {
    const body = {
      titleFr: 'Potager urbain', titleEn: 'Urban vegetable garden', category: 'jardinage', priceKind: 'hourly',
      descriptionFr: 'Nous aménageons votre potager en ville.', descriptionEn: 'We set up your vegetable garden in town.',
      priceCents: 4000, durationMinutes: 120, locationMode: 'client_place', boroughs: ['verdun'],
    };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.app.inject({ method: 'POST', url: `/coops/${approved.id}/listings`, headers: applicant.auth, payload: body });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    await t.app.inject({ method: 'PATCH', url: `/listings/${ids[0]}`, headers: applicant.auth, payload: { status: 'paused' } });
    await t.app.inject({ method: 'PATCH', url: `/listings/${ids[1]}`, headers: applicant.auth, payload: { status: 'archived' } });
    expect((await get(`/coops/${approved.id}`)).json().listingCount).toBe(1);
    const listed = (await get('/coops')).json().items.find((c: { id: string }) => c.id === approved.id);
    expect(listed.listingCount).toBe(1);
  });
});
