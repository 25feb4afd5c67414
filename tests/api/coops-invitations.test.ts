import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';

let t: TestApp;
let steward: SignedIn;
let admin: SignedIn;
let coop: { id: string; slug: string; legalName: string };
beforeAll(async () => {
  t = await createTestApp();
  steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  admin = await signUp(t.app, { name: 'Aïcha Admin' });
  coop = await applyAndApprove(admin, 'Brigade du Déménagement');
});
afterAll(() => t.close());

async function applyAndApprove(who: SignedIn, legalName: string, approve = true) {
  const res = await t.app.inject({
    method: 'POST', url: '/coops', headers: who.auth,
    payload: {
      legalName, legalForm: 'worker_coop', region: 'rosemont-petite-patrie', languages: ['fr'], foundedYear: 2018,
      descriptionFr: 'Déménagements à vélo-cargo et en camion électrique.', descriptionEn: 'Moves by cargo bike and electric truck.',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  if (approve) await t.app.inject({ method: 'POST', url: `/coops/${res.json().id}/approve`, headers: steward.auth });
  return res.json();
}

const invite = (coopId: string, who: SignedIn, payload: object) =>
  t.app.inject({ method: 'POST', url: `/coops/${coopId}/invitations`, headers: who.auth, payload });

/** Sends what the outbox holds, as the mail worker does. */
const dispatch = () => dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });

/** The token is only ever in the emailed link. */
async function tokenMailedTo(email: string): Promise<string> {
  await dispatch();
  const mail = (await t.mailer.list()).find((m) => m.to === email);
  expect(mail, `no mail to ${email}`).toBeDefined();
  const match = new RegExp(`${t.config.webOrigin}/invitations/([A-Za-z0-9_-]{43})`).exec(mail!.text);
  expect(match).not.toBeNull();
  return match![1]!;
}

describe('inviting a member, end to end', () => {
  it('invite -> mail with link -> preview -> accept -> listed -> removed', async () => {
    const res = await invite(coop.id, admin, { email: 'Worker.One@Example.org', role: 'worker' });
    expect(res.statusCode).toBe(201);
    const invitation = res.json();
    expect(invitation).toMatchObject({ email: 'worker.one@example.org', role: 'worker' });
    const days = (Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);

    const token = await tokenMailedTo('worker.one@example.org');
    const [stored] = await t.database.sql`SELECT token_hash FROM coop_invitations WHERE id = ${invitation.id}`;
    expect(stored!.token_hash).not.toContain(token);
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const listed = (await t.app.inject({ method: 'GET', url: `/coops/${coop.id}/members`, headers: admin.auth })).json();
    expect(listed.invitations.map((i: { id: string }) => i.id)).toEqual([invitation.id]);

    const preview = await t.app.inject({ method: 'GET', url: `/invitations/${token}` });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ coopId: coop.id, coopName: coop.legalName, email: 'worker.one@example.org', role: 'worker', status: 'open' });

    const anonymous = await t.app.inject({ method: 'POST', url: `/invitations/${token}/accept` });
    expect(anonymous.statusCode).toBe(401);
    const wrong = await signUp(t.app, { email: 'someone.else@example.org' });
    const byWrong = await t.app.inject({ method: 'POST', url: `/invitations/${token}/accept`, headers: wrong.auth });
    expect(byWrong.statusCode).toBe(403);
    expect(errorOf(byWrong).message).toContain('worker.one@example.org');

    // She opens an account from the invitation, without opening the address link too.
    const worker = await signUp(t.app, { email: 'WORKER.ONE@example.org', name: 'Wen Worker', verified: false });
    expect((await t.app.inject({ method: 'GET', url: '/me', headers: worker.auth })).json().emailVerified).toBe(false);
    const accepted = await t.app.inject({ method: 'POST', url: `/invitations/${token}/accept`, headers: worker.auth });
    expect(accepted.statusCode).toBe(200);
    // The invitation reached her mailbox: that confirms the address.
    expect(accepted.json().emailVerified).toBe(true);
    expect(accepted.json().coops).toEqual([
      { coopId: coop.id, coopSlug: coop.slug, coopName: coop.legalName, coopStatus: 'approved', role: 'worker', lastAdmin: false },
    ]);

    const reuse = await t.app.inject({ method: 'POST', url: `/invitations/${token}/accept`, headers: worker.auth });
    expect(reuse.statusCode).toBe(409);
    const revokeUsed = await t.app.inject({ method: 'DELETE', url: `/coops/${coop.id}/invitations/${invitation.id}`, headers: admin.auth });
    expect(revokeUsed.statusCode).toBe(409);
    expect((await t.app.inject({ method: 'GET', url: `/invitations/${token}` })).json().status).toBe('accepted');

    const members = (await t.app.inject({ method: 'GET', url: `/coops/${coop.id}/members`, headers: admin.auth })).json();
    expect(members.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: admin.userId, role: 'admin' }),
        expect.objectContaining({ userId: worker.userId, role: 'worker', name: 'Wen Worker' }),
      ]),
    );
    expect(members.invitations).toEqual([]);

    // A worker-member is a member, not an admin.
    const byWorker = await t.app.inject({ method: 'GET', url: `/coops/${coop.id}/members`, headers: worker.auth });
    expect(byWorker.statusCode).toBe(403);

    const removed = await t.app.inject({ method: 'DELETE', url: `/coops/${coop.id}/members/${worker.userId}`, headers: admin.auth });
    expect(removed.statusCode).toBe(200);
    const after = (await t.app.inject({ method: 'GET', url: '/me', headers: worker.auth })).json();
    expect(after.coops).toEqual([]);
    const twice = await t.app.inject({ method: 'DELETE', url: `/coops/${coop.id}/members/${worker.userId}`, headers: admin.auth });
    expect(twice.statusCode).toBe(404);
  });

  it('writes to an invitee with an account in their language, to others in both', async () => {
    await signUp(t.app, { email: 'english.speaker@example.org', locale: 'en' });
    await invite(coop.id, admin, { email: 'english.speaker@example.org' });
    await dispatch();
    const en = (await t.mailer.list()).find((m) => m.to === 'english.speaker@example.org')!;
    expect(en.subject).toBe(`Invitation to join ${coop.legalName} on Tissu`);
    await invite(coop.id, admin, { email: 'nobody.yet@example.org' });
    await dispatch();
    const both = (await t.mailer.list()).find((m) => m.to === 'nobody.yet@example.org')!;
    expect(both.text).toContain('Bonjour');
    expect(both.text).toContain('Hello');
  });
});

describe('the invitation email goes through the outbox', () => {
  it('is queued with the invitation, sent by the outbox, and its token leaves the row once sent', async () => {
    const email = 'outbox.invitee@example.org';
    await dispatch(); // earlier messages
    const res = await invite(coop.id, admin, { email, role: 'worker' });
    expect(res.statusCode, res.body).toBe(201);
    // Nothing leaves with the answer: only the queued row, in the invitation's transaction.
    expect((await t.mailer.list()).filter((m) => m.to === email)).toEqual([]);
    const [queued] = await t.database.sql`SELECT id, payload, sent_at FROM outbox WHERE payload->>'invitationId' = ${res.json().id}`;
    expect(queued!.sent_at).toBeNull();
    expect(queued!.payload).toMatchObject({ type: 'coop_invitation', message: 'invitation', token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });

    const token = await tokenMailedTo(email);
    const [stored] = await t.database.sql`SELECT token_hash FROM coop_invitations WHERE id = ${res.json().id}`;
    expect(stored!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    const [sent] = await t.database.sql`SELECT payload, sent_at FROM outbox WHERE id = ${queued!.id}`;
    expect(sent!.sent_at).not.toBeNull();
    expect(sent!.payload).toEqual({ type: 'coop_invitation', message: 'invitation', invitationId: res.json().id });
    expect(JSON.stringify(sent!.payload)).not.toContain(token);
  });

  it('queues nothing when the invitation is refused', async () => {
    const email = 'refused.twice@example.org';
    expect((await invite(coop.id, admin, { email })).statusCode).toBe(201);
    expect((await invite(coop.id, admin, { email })).statusCode).toBe(409);
    const [{ n }] = (await t.database.sql`SELECT count(*)::int AS n FROM outbox o JOIN coop_invitations i ON i.id::text = o.payload->>'invitationId' WHERE i.email = ${email}`) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });
});

describe('invitation rules', () => {
  it('refuses to invite an existing member or an email with an open invitation', async () => {
    const adminEmail = (await t.app.inject({ method: 'GET', url: '/me', headers: admin.auth })).json().email;
    const member = await invite(coop.id, admin, { email: adminEmail.toUpperCase() });
    expect(member.statusCode).toBe(409);
    expect(errorOf(member).code).toBe('already_member');

    expect((await invite(coop.id, admin, { email: 'twice@example.org' })).statusCode).toBe(201);
    const twice = await invite(coop.id, admin, { email: 'Twice@example.org', role: 'admin' });
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('already_invited');
  });

  it('only admins invite, only once the co-op is approved, and the email must be valid', async () => {
    const outsider = await signUp(t.app);
    expect((await invite(coop.id, outsider, { email: 'x@example.org' })).statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'POST', url: `/coops/${coop.id}/invitations`, payload: { email: 'x@example.org' } });
    expect(anonymous.statusCode).toBe(401);
    const bad = await invite(coop.id, admin, { email: 'not an email', role: 'boss' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(errorOf(bad).fields!).sort()).toEqual(['email', 'role']);

    const pending = await applyAndApprove(admin, 'Coop en attente', false);
    const early = await invite(pending.id, admin, { email: 'early@example.org' });
    expect(early.statusCode).toBe(409);
    expect(errorOf(early).code).toBe('coop_not_approved');
  });

  it('a revoked invitation no longer opens the door', async () => {
    const res = await invite(coop.id, admin, { email: 'revoked@example.org' });
    const token = await tokenMailedTo('revoked@example.org');
    const outsider = await signUp(t.app);
    const byOutsider = await t.app.inject({ method: 'DELETE', url: `/coops/${coop.id}/invitations/${res.json().id}`, headers: outsider.auth });
    expect(byOutsider.statusCode).toBe(403);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/coops/${coop.id}/invitations/${res.json().id}`, headers: admin.auth });
    expect(revoked.statusCode).toBe(200);
    const again = await t.app.inject({ method: 'DELETE', url: `/coops/${coop.id}/invitations/${res.json().id}`, headers: admin.auth });
    expect(again.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/invitations/${token}` })).json().status).toBe('revoked');
    const invitee = await signUp(t.app, { email: 'revoked@example.org' });
    const accept = await t.app.inject({ method: 'POST', url: `/invitations/${token}/accept`, headers: invitee.auth });
    expect(accept.statusCode).toBe(410);
    // Revoking frees the email for a new invitation.
    expect((await invite(coop.id, admin, { email: 'revoked@example.org' })).statusCode).toBe(201);
  });

  it('an expired invitation answers 410', async () => {
    const res = await invite(coop.id, admin, { email: 'late@example.org' });
    const token = await tokenMailedTo('late@example.org');
    await t.database.sql`UPDATE coop_invitations SET expires_at = now() - interval '1 minute' WHERE id = ${res.json().id}`;
    expect((await t.app.inject({ method: 'GET', url: `/invitations/${token}` })).json().status).toBe('expired');
    const invitee = await signUp(t.app, { email: 'late@example.org' });
    const accept = await t.app.inject({ method: 'POST', url: `/invitations/${token}/accept`, headers: invitee.auth });
    expect(accept.statusCode).toBe(410);
    const members = (await t.app.inject({ method: 'GET', url: `/coops/${coop.id}/members`, headers: admin.auth })).json();
    expect(members.invitations.map((i: { email: string }) => i.email)).not.toContain('late@example.org');
  });

  it('an unknown or malformed token answers 404 or 400, and an invitation of another co-op cannot be revoked', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/invitations/${'x'.repeat(43)}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/invitations/short' })).statusCode).toBe(400);
    const other = await applyAndApprove(admin, 'Autre coop');
    const res = await invite(coop.id, admin, { email: 'cross@example.org' });
    const cross = await t.app.inject({ method: 'DELETE', url: `/coops/${other.id}/invitations/${res.json().id}`, headers: admin.auth });
    expect(cross.statusCode).toBe(404);
  });
});

describe('admins', () => {
  it('the last admin cannot be removed; with a second admin, one can go', async () => {
    const lone = await signUp(t.app);
    const c = await applyAndApprove(lone, 'Coop à une admin');
    const last = await t.app.inject({ method: 'DELETE', url: `/coops/${c.id}/members/${lone.userId}`, headers: lone.auth });
    expect(last.statusCode).toBe(409);
    expect(errorOf(last).code).toBe('last_admin');

    const second = await signUp(t.app, { email: 'second.admin@example.org' });
    await invite(c.id, lone, { email: 'second.admin@example.org', role: 'admin' });
    const token = await tokenMailedTo('second.admin@example.org');
    const ok = await t.app.inject({ method: 'POST', url: `/invitations/${token}/accept`, headers: second.auth });
    expect(ok.json().coops[0].role).toBe('admin');
    const bye = await t.app.inject({ method: 'DELETE', url: `/coops/${c.id}/members/${lone.userId}`, headers: second.auth });
    expect(bye.statusCode).toBe(200);
    const nowLast = await t.app.inject({ method: 'DELETE', url: `/coops/${c.id}/members/${second.userId}`, headers: second.auth });
    expect(nowLast.statusCode).toBe(409);
  });

  it("an admin of one co-op sees nothing of another co-op's members", async () => {
    const otherAdmin = await signUp(t.app);
    const theirs = await applyAndApprove(otherAdmin, 'Coop voisine');
    const peek = await t.app.inject({ method: 'GET', url: `/coops/${theirs.id}/members`, headers: admin.auth });
    expect(peek.statusCode).toBe(403);
    const kick = await t.app.inject({ method: 'DELETE', url: `/coops/${theirs.id}/members/${otherAdmin.userId}`, headers: admin.auth });
    expect(kick.statusCode).toBe(403);
    const pendingTheirs = await applyAndApprove(otherAdmin, 'Coop voisine en attente', false);
    const hidden = await t.app.inject({ method: 'GET', url: `/coops/${pendingTheirs.id}/members`, headers: admin.auth });
    expect(hidden.statusCode).toBe(404);
  });
});

describe('at the same moment', () => {
  it('two admins removing each other leave exactly one admin', async () => {
    const first = await signUp(t.app);
    const c = await applyAndApprove(first, 'Coop des deux admins');
    const second = await signUp(t.app, { email: 'race.admin@example.org' });
    await invite(c.id, first, { email: 'race.admin@example.org', role: 'admin' });
    const token = await tokenMailedTo('race.admin@example.org');
    await t.app.inject({ method: 'POST', url: `/invitations/${token}/accept`, headers: second.auth });

    const results = await Promise.all([
      t.app.inject({ method: 'DELETE', url: `/coops/${c.id}/members/${second.userId}`, headers: first.auth }),
      t.app.inject({ method: 'DELETE', url: `/coops/${c.id}/members/${first.userId}`, headers: second.auth }),
    ]);
    // The loser either finds it is the last admin (409) or is no longer an admin at all (403).
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, results.some((r) => r.statusCode === 403) ? 403 : 409].sort());
    const [row] = await t.database.sql`SELECT count(*)::int AS n FROM coop_members WHERE coop_id = ${c.id} AND role = 'admin'`;
    expect(row!.n).toBe(1);
  });

  it('three admins removing each other in a ring keep at least one admin', async () => {
    const [a, b, c] = [await signUp(t.app), await signUp(t.app, { email: 'ring.b@example.org' }), await signUp(t.app, { email: 'ring.c@example.org' })];
    const co = await applyAndApprove(a, 'Coop en anneau');
    for (const [who, email] of [[b, 'ring.b@example.org'], [c, 'ring.c@example.org']] as const) {
      await invite(co.id, a, { email, role: 'admin' });
      await t.app.inject({ method: 'POST', url: `/invitations/${await tokenMailedTo(email)}/accept`, headers: who.auth });
    }
    const pairs = [[a, b], [b, c], [c, a]] as const;
    const results = await Promise.all(pairs.map(([by, target]) =>
      t.app.inject({ method: 'DELETE', url: `/coops/${co.id}/members/${target.userId}`, headers: by.auth })));
    const admins = (await t.database.sql`SELECT user_id FROM coop_members WHERE coop_id = ${co.id}`).map((r) => r.user_id as string);
    const removed = results.filter((r) => r.statusCode === 200).length;
    expect(results.every((r) => [200, 403, 409].includes(r.statusCode))).toBe(true);
    expect(admins).toHaveLength(3 - removed);
    expect(admins.length).toBeGreaterThanOrEqual(1);
  });

  it('the same email invited twice at once gets one invitation', async () => {
    const results = await Promise.all([1, 2, 3].map(() => invite(coop.id, admin, { email: 'double@example.org' })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
  });

  it('one invitation accepted twice at once joins once', async () => {
    await invite(coop.id, admin, { email: 'double.click@example.org' });
    const token = await tokenMailedTo('double.click@example.org');
    const invitee = await signUp(t.app, { email: 'double.click@example.org' });
    const results = await Promise.all([1, 2].map(() =>
      t.app.inject({ method: 'POST', url: `/invitations/${token}/accept`, headers: invitee.auth, payload: {} })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });
});
