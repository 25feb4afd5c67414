/**
 * Every route of the API, called by each of seven people, against real records owned by co-op A
 * and its client. The route list comes from the app's own OpenAPI document, so a new route without
 * a row here fails the suite, and so does a row for a route that is gone.
 *
 * Conventions the table encodes:
 *   401  no session, on every route that needs one;
 *   403  the record is visible to the caller (an approved co-op, a public listing, their own
 *        booking) but the action is not theirs: another role's transition, a co-op admin's page;
 *   404  the caller has no business knowing the record exists: a booking of someone else at a
 *        co-op they do not run, a pending co-op, an archived listing, a draft or members-only plan.
 * Allowed calls must succeed with a real effect (2xx); a 400 never counts as access.
 * State-changing calls run the refused roles first, then each allowed role on its own fresh record
 * when one success would change the next one's outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';
import { createTestApp, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, openAllDay, sampleListing } from '../support/fixtures.js';
import { authzWorld, PASSWORD, ROLES, type AuthzWorld, type Role } from '../support/authz-world.js';
import { createDataExports } from '../../server/src/modules/data-export/index.js';
import { multipart, photo } from '../support/photos.js';

let t: TestApp;
let w: AuthzWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await authzWorld(t);
}, 240_000);
afterAll(() => t?.close());

type Expect = Record<Role, number>;
const fill = (status: number): Expect => Object.fromEntries(ROLES.map((r) => [r, status])) as Expect;
/** Everyone, signed in or not. */
const everyone = (status: number): Expect => fill(status);
/** Every signed-in person; the anonymous visitor is asked to sign in. */
const signedIn = (status: number, over: Partial<Expect> = {}): Expect => ({ ...fill(status), anonymous: 401, ...over });
/** Platform stewards only. */
const stewards = (status: number): Expect => ({ ...fill(403), anonymous: 401, steward: status });
/** The admins of co-op A only; stewards do not act for a co-op. */
const adminsOfA = (status: number, over: Partial<Expect> = {}): Expect => ({ ...fill(403), anonymous: 401, adminA: status, ...over });
/** A booking of the client at A: only its client, A's admins and stewards know it exists. */
const bookingParties = (over: Partial<Expect>): Expect => ({ anonymous: 401, client: 403, otherClient: 404, worker: 404, adminB: 404, adminA: 403, steward: 403, ...over });

/** A conversation of a booking of the client at A: its client and A's admins are in it; everyone else learns nothing of it. */
const conversationParties = (status: number, over: Partial<Expect> = {}): Expect =>
  ({ anonymous: 401, client: status, adminA: status, otherClient: 404, worker: 404, adminB: 404, steward: 404, ...over });
async function bookingConversation(): Promise<string> {
  const id = await w.booking('requested');
  return (await w.req('GET', `/bookings/${id}/conversation`, w.people.client)).json().conversation.id as string;
}

/** A quote of the client at A's listing on quote (made on first use), taken to `state`; only its client and A's admins know it. */
let quoteListing = '';
async function quoteOfA(state: 'requested' | 'offered'): Promise<{ id: string; startsAt: string }> {
  if (!quoteListing) {
    quoteListing = (await w.req('POST', `/coops/${w.A}/listings`, w.people.adminA, sampleListing({ titleFr: 'Déménagement', titleEn: 'Moving', category: 'demenagement', quoteMode: 'only', depositPercent: 30 }))).json().id;
  }
  // One open request per client and listing: the previous row's is closed, as the client would withdraw it.
  await w.sql`UPDATE quote_requests SET state = 'withdrawn', expires_at = NULL WHERE client_id = ${w.people.client.userId} AND state IN ('requested', 'offered', 'changes_requested')`;
  const q = (await w.req('POST', '/quotes', w.people.client, { listingId: quoteListing, description: 'Déménagement d’un 3 ½, deuxième étage.', address: '4321 rue Saint-Denis, Montréal' })).json();
  const startsAt = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + (400 + Math.floor(Math.random() * 2000)) * 3_600_000).toISOString();
  if (state === 'offered') {
    const o = await w.req('POST', `/quotes/${q.id}/offers`, w.people.adminA, { lines: [{ label: 'Camion', unitPriceCents: 50_000 }], validUntil: inDays(7), durationMinutes: 180, proposedTimes: [startsAt] });
    if (o.statusCode !== 201) throw new Error(`offer: ${o.body}`);
  }
  return { id: q.id, startsAt };
}
/** A quote of the client at A: its client and A's admins know it; everyone else learns nothing of it. */
const quoteParties = (over: Partial<Expect>): Expect => ({ anonymous: 401, client: 403, adminA: 403, otherClient: 404, worker: 404, adminB: 404, steward: 404, ...over });
type QuoteTarget = { id: string; startsAt: string };

interface Call {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  /** Who calls, when not the role's own main session (a fresh session for sign-out). */
  who?: SignedIn | null;
}

interface Row<T> {
  route: string;
  expect: Expect;
  /** The record the call acts on. Made once for the refused roles, and again for each allowed role when `fresh`. */
  target?: () => Promise<T>;
  fresh?: boolean;
  call: (role: Role, target: T) => Call | Promise<Call>;
  after?: () => Promise<void>;
}
const row = <T = undefined>(r: Row<T>) => r as unknown as Row<unknown>;
const isAllowed = (status: number) => status >= 200 && status < 300;
const ERROR_CODES: Record<number, string[]> = { 400: ['invalid_signature'], 401: ['unauthorized'], 403: ['forbidden'], 404: ['not_found'] };
const day = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();

const ADDRESS = { label: 'Maison', street: '1234 rue Rachel Est', city: 'Montréal', postalCode: 'H2J 2J3', entryNotes: 'Code 1357' };
/** A saved address of the client (of A). */
async function clientAddress(): Promise<string> {
  const res = await w.req('POST', '/me/addresses', w.people.client, ADDRESS);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

/** The link mailed to a new address `who` asked to move her account to. */
async function emailChangeToken(who: SignedIn): Promise<string> {
  const newEmail = w.unique('moved');
  const res = await w.req('POST', '/me/email', who, { newEmail, currentPassword: PASSWORD });
  if (res.statusCode !== 202) throw new Error(`email change: ${res.statusCode} ${res.body}`);
  await dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });
  const mail = (await t.mailer.list()).find((m) => m.to === newEmail);
  const link = mail && /\/confirm-email\/([\w-]+)/.exec(mail.text);
  if (!link) throw new Error(`no change link mailed to ${newEmail}`);
  return link[1]!;
}

/** A small photo as a multipart upload (the matrix checks who, not what). */
let sample: Buffer | undefined;
async function upload(url: string, fields: Record<string, string>): Promise<Call> {
  sample ??= await photo(320, 240);
  const body = multipart(fields, { data: sample });
  return { url, payload: body.payload, headers: body.headers };
}
/** A photo on A's listing, added by A's admin; the oldest go first so the listing keeps room. */
async function listingPhoto(): Promise<string> {
  const ids = await photoIds();
  if (ids.length >= 6) await w.req('DELETE', `/listings/${w.listing}/photos/${ids[0]}`, w.people.adminA);
  const c = await upload(`/listings/${w.listing}/photos`, { altFr: 'Photo' });
  const res = await t.app.inject({ method: 'POST', url: c.url, headers: { ...w.people.adminA.auth, ...c.headers }, payload: c.payload as Buffer });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}
async function photoIds(): Promise<string[]> {
  return ((await w.req('GET', `/listings/${w.listing}`, null)).json().photos as { id: string }[]).map((p) => p.id);
}
async function coopImage(kind: 'logo' | 'cover'): Promise<void> {
  const c = await upload(`/coops/${w.A}/${kind}`, {});
  const res = await t.app.inject({ method: 'PUT', url: c.url, headers: { ...w.people.adminA.auth, ...c.headers }, payload: c.payload as Buffer });
  expect(res.statusCode, res.body).toBe(200);
}

/** The confirmation link mailed at sign-up to `email`. */
async function verificationToken(email: string): Promise<string> {
  await dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });
  const mail = (await t.mailer.list()).find((m) => m.to === email && /\/verify-email\//.test(m.text));
  const link = mail && /\/verify-email\/([\w-]+)/.exec(mail.text);
  if (!link) throw new Error(`no confirmation email for ${email}`);
  return link[1]!;
}

let clientArchive: string | undefined;
/** The token of the client's emailed "your data is ready" link: her archive, built by the job once. */
async function clientArchiveToken(): Promise<string> {
  if (clientArchive) return clientArchive;
  const job = createDataExports({ db: t.db });
  await job.buildPending();
  const asked = await w.req('POST', '/me/data-exports', w.people.client);
  if (asked.statusCode !== 202) throw new Error(`data export: ${asked.statusCode} ${asked.body}`);
  await job.buildPending();
  await dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });
  const mail = (await t.mailer.list()).filter((m) => m.to === w.people.client.email.toLowerCase() && /\/account\/data\//.test(m.text)).at(-1);
  const link = mail && /\/account\/data\/([\w-]{43})/.exec(mail.text);
  if (!link) throw new Error('no data export email for the client');
  return (clientArchive = link[1]!);
}

const rows: Row<unknown>[] = [
  // ── meta ──
  row({ route: 'GET /health', expect: everyone(200), call: () => ({ url: '/health' }) }),
  row({ route: 'GET /taxonomy', expect: everyone(200), call: () => ({ url: '/taxonomy' }) }),
  // The development mailbox exists only while no SMTP server is configured (as in tests); with SMTP it answers 404.
  row({ route: 'GET /dev/mail', expect: everyone(200), call: () => ({ url: '/dev/mail' }) }),

  // ── accounts ──
  row({ route: 'POST /auth/sign-up', expect: everyone(202), call: () => ({ url: '/auth/sign-up', payload: { email: w.unique('new'), password: PASSWORD, name: 'Nouvelle Personne', locale: 'fr' } }) }),
  row({
    // Like a reset link, the emailed token is the credential: whoever holds it may use it, once.
    route: 'POST /auth/verify-email', expect: everyone(200), fresh: true,
    target: async () => verificationToken((await signUp(t.app, { verified: false })).email),
    call: (_r, token: string) => ({ url: '/auth/verify-email', payload: { token } }),
  }),
  row({ route: 'POST /auth/verify-email/resend', expect: signedIn(202), call: () => ({ url: '/auth/verify-email/resend', payload: {} }) }),
  row({
    route: 'POST /auth/sign-in', expect: everyone(200), target: () => w.stranger(),
    call: (_r, s: SignedIn) => ({ url: '/auth/sign-in', payload: { email: s.email, password: PASSWORD } }),
  }),
  row({
    route: 'POST /auth/refresh', expect: everyone(200), target: () => w.stranger(), fresh: true,
    call: (_r, s: SignedIn) => ({ url: '/auth/refresh', payload: { refreshToken: s.refreshToken } }),
  }),
  row({
    route: 'POST /auth/sign-out', expect: signedIn(200),
    call: async (role) => ({ url: '/auth/sign-out', payload: {}, who: role === 'anonymous' ? null : await w.session(role) }),
  }),
  row({
    route: 'POST /auth/password', expect: signedIn(200),
    call: () => ({ url: '/auth/password', payload: { currentPassword: PASSWORD, newPassword: PASSWORD } }),
    after: () => w.renewSessions(), // a password change ends every session of the account
  }),
  row({
    route: 'POST /auth/password-reset', expect: everyone(202), target: () => w.stranger(),
    call: (_r, s: SignedIn) => ({ url: '/auth/password-reset', payload: { email: s.email } }),
  }),
  row({
    // The emailed token is the credential: whoever holds it may use it, once.
    route: 'POST /auth/password-reset/confirm', expect: everyone(200), fresh: true,
    target: async () => w.resetToken((await w.stranger()).email),
    call: (_r, token: string) => ({ url: '/auth/password-reset/confirm', payload: { token, password: 'un tout nouveau mot de passe' } }),
  }),
  row({ route: 'GET /me', expect: signedIn(200), call: () => ({ url: '/me' }) }),
  row({ route: 'PATCH /me', expect: signedIn(200), call: () => ({ url: '/me', payload: { locale: 'fr' } }) }),
  // ── the account page: one's own address, devices and co-ops ──
  row({ route: 'POST /me/email', expect: signedIn(202), call: () => ({ url: '/me/email', payload: { newEmail: w.unique('move'), currentPassword: PASSWORD } }) }),
  row({
    // The link mailed to the new address is the credential: whoever holds it may use it, once.
    route: 'POST /auth/email-change/confirm', expect: everyone(200), fresh: true,
    target: async () => emailChangeToken(await w.stranger()),
    call: (_r, token: string) => ({ url: '/auth/email-change/confirm', payload: { token } }),
  }),
  row({ route: 'GET /me/email-change', expect: signedIn(200), call: () => ({ url: '/me/email-change' }) }),
  row({
    // Each person sends her own pending change's link again (one was just asked for, so nothing goes twice).
    route: 'POST /me/email-change/resend', expect: signedIn(202),
    call: async (role) => {
      if (role !== 'anonymous') await w.req('POST', '/me/email', w.people[role], { newEmail: w.unique('again'), currentPassword: PASSWORD });
      return { url: '/me/email-change/resend', payload: {} };
    },
  }),
  row({ route: 'DELETE /me/email-change', expect: signedIn(200), call: () => ({ url: '/me/email-change' }) }),
  row({ route: 'GET /me/sessions', expect: signedIn(200), call: () => ({ url: '/me/sessions' }) }),
  row({
    // Each person signs out another device of her own; nobody reaches someone else's (see the API tests).
    route: 'DELETE /me/sessions/{id}', expect: signedIn(200),
    call: async (role) => {
      if (role === 'anonymous') return { url: '/me/sessions/00000000-0000-4000-8000-000000000000' };
      const other = await w.session(role);
      const mine = await w.req('GET', '/me/sessions', other);
      const id = (mine.json().items as { id: string; current: boolean }[]).find((d) => d.current)!.id;
      return { url: `/me/sessions/${id}` };
    },
  }),
  row({ route: 'POST /me/sessions/revoke-others', expect: signedIn(200), call: () => ({ url: '/me/sessions/revoke-others', payload: {} }) }),

  // ── saved addresses: each person her own; the client's address is nobody else's to read or change (404) ──
  row({ route: 'GET /me/addresses', expect: signedIn(200), call: () => ({ url: '/me/addresses' }) }),
  row({ route: 'POST /me/addresses', expect: signedIn(201), call: () => ({ url: '/me/addresses', payload: ADDRESS }) }),
  row({
    route: 'PATCH /me/addresses/{id}', expect: { ...fill(404), anonymous: 401, client: 200 }, target: clientAddress,
    call: (_r, id: string) => ({ url: `/me/addresses/${id}`, payload: { entryNotes: 'Code 2468' } }),
  }),
  row({
    route: 'DELETE /me/addresses/{id}', expect: { ...fill(404), anonymous: 401, client: 200 }, target: clientAddress, fresh: true,
    call: (_r, id: string) => ({ url: `/me/addresses/${id}` }),
  }),
  row({
    // Only a member may leave; A's worker and A's admin each leave a co-op of their own (with another admin left).
    route: 'POST /coops/{id}/leave', expect: { anonymous: 401, client: 404, otherClient: 404, worker: 200, adminB: 404, adminA: 200, steward: 404 }, fresh: true,
    target: async () => {
      const founder = await w.stranger('Fondatrice');
      const id = (await approvedCoop(t, w.people.steward, founder, `Coop à quitter ${w.unique('x')}`)).id;
      await w.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${id}, ${w.people.worker.userId}, 'worker'), (${id}, ${w.people.adminA.userId}, 'admin')`;
      return id;
    },
    call: (_r, id: string) => ({ url: `/coops/${id}/leave`, payload: {} }),
  }),
  // Counts of one's own waiting work: everyone signed in may ask, each gets only their own.
  row({ route: 'GET /me/waiting', expect: signedIn(200), call: () => ({ url: '/me/waiting' }) }),

  // ── privacy: the page's contact, deleting one's own account ──
  row({ route: 'GET /privacy/contact', expect: everyone(200), call: () => ({ url: '/privacy/contact' }) }),
  row({ route: 'GET /me/deletion', expect: signedIn(200), call: () => ({ url: '/me/deletion' }) }),
  row({
    // Only ever one's own account: each role's call is made by a fresh account of its own (the world's people must stay).
    route: 'POST /me/delete', expect: signedIn(200),
    call: async (role) => ({ url: '/me/delete', payload: { password: PASSWORD, confirmation: 'SUPPRIMER' }, who: role === 'anonymous' ? null : await w.stranger() }),
  }),

  // ── co-ops and their members ──
  row({
    route: 'POST /coops', expect: signedIn(201),
    call: () => ({ url: '/coops', payload: {
      legalName: `Coop ${w.unique('x')}`, legalForm: 'worker_coop', region: 'verdun', languages: ['fr'], foundedYear: 2021,
      descriptionFr: 'Une coopérative qui demande à rejoindre.', descriptionEn: 'A co-op applying to join.',
    } }),
  }),
  row({ route: 'GET /coops', expect: stewards(200), call: () => ({ url: '/coops?status=pending' }) }),
  row({ route: 'GET /coops/{idOrSlug}', expect: { ...fill(404), adminA: 200, steward: 200 }, call: () => ({ url: `/coops/${w.pendingOfA}` }) }),
  row({ route: 'PATCH /coops/{id}', expect: adminsOfA(200), call: () => ({ url: `/coops/${w.A}`, payload: { descriptionEn: 'Worker co-op in home cleaning, Montréal.' } }) }),
  row({ route: 'POST /coops/{id}/approve', expect: stewards(200), target: () => w.pendingCoop(), call: (_r, id: string) => ({ url: `/coops/${id}/approve`, payload: {} }) }),
  row({
    route: 'POST /coops/{id}/reject', expect: stewards(200), target: () => w.pendingCoop(),
    call: (_r, id: string) => ({ url: `/coops/${id}/reject`, payload: { reason: 'Il manque les statuts de la coopérative.' } }),
  }),
  row({ route: 'GET /coops/{id}/members', expect: adminsOfA(200), call: () => ({ url: `/coops/${w.A}/members` }) }),
  row({ route: 'POST /coops/{id}/invitations', expect: adminsOfA(201), call: () => ({ url: `/coops/${w.A}/invitations`, payload: { email: w.unique('invitee'), role: 'worker' } }) }),
  row({
    route: 'DELETE /coops/{id}/invitations/{invitationId}', expect: adminsOfA(200), target: () => w.invite(w.unique('revoked')),
    call: (_r, inv: { id: string }) => ({ url: `/coops/${w.A}/invitations/${inv.id}` }),
  }),
  row({
    route: 'DELETE /coops/{id}/members/{userId}', expect: adminsOfA(200),
    target: async () => {
      const member = await w.stranger('Membre sortant');
      await w.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${w.A}, ${member.userId}, 'worker')`;
      return member.userId;
    },
    call: (_r, userId: string) => ({ url: `/coops/${w.A}/members/${userId}` }),
  }),
  row({ route: 'GET /invitations/{token}', expect: everyone(200), target: () => w.invite(w.unique('preview')), call: (_r, inv: { token: string }) => ({ url: `/invitations/${inv.token}` }) }),
  row({
    // Only the account the invitation was emailed to (here the other client's) may accept it.
    route: 'POST /invitations/{token}/accept', expect: { ...fill(403), anonymous: 401, otherClient: 200 },
    target: () => w.invite(w.people.otherClient.email),
    call: (_r, inv: { token: string }) => ({ url: `/invitations/${inv.token}/accept`, payload: {} }),
    after: async () => {
      const res = await w.req('DELETE', `/coops/${w.A}/members/${w.people.otherClient.userId}`, w.people.adminA);
      expect(res.statusCode, res.body).toBe(200);
    },
  }),

  // ── listings and schedules ──
  row({ route: 'GET /listings', expect: everyone(200), call: () => ({ url: '/listings?q=menage' }) }),
  // A hidden listing is seen by its co-op (worker-members too) and the stewards: one rule for both routes.
  row({ route: 'GET /listings/{id}', expect: { ...fill(404), adminA: 200, worker: 200, steward: 200 }, call: () => ({ url: `/listings/${w.archived}` }) }),
  row({ route: 'PATCH /listings/{id}', expect: adminsOfA(200), call: () => ({ url: `/listings/${w.listing}`, payload: { descriptionEn: 'Full cleaning of your home with green products, Montréal.' } }) }),
  row({ route: 'GET /coops/{id}/listings', expect: { ...adminsOfA(200), worker: 200, steward: 200 }, call: () => ({ url: `/coops/${w.A}/listings?status=archived` }) }),
  row({ route: 'POST /coops/{id}/listings', expect: adminsOfA(201), call: () => ({ url: `/coops/${w.A}/listings`, payload: sampleListing({ titleFr: 'Grand ménage', titleEn: 'Deep cleaning' }) }) }),
  row({ route: 'GET /listings/{id}/schedule', expect: everyone(200), call: () => ({ url: `/listings/${w.listing}/schedule` }) }),
  row({ route: 'PUT /listings/{id}/schedule', expect: adminsOfA(200), call: () => ({ url: `/listings/${w.listing}/schedule`, payload: openAllDay() }) }),
  row({
    route: 'GET /listings/{id}/slots', expect: everyone(200),
    call: () => ({ url: `/listings/${w.listing}/slots?from=${encodeURIComponent(inDays(1))}&to=${encodeURIComponent(inDays(3))}` }),
  }),

  // ── add-ons of a listing: its co-op's admins set the whole list ──
  row({
    route: 'PUT /listings/{id}/addons', expect: adminsOfA(200),
    call: () => ({ url: `/listings/${w.listing}/addons`, payload: { addons: [{ nameFr: 'Intérieur du frigo', nameEn: 'Inside the fridge', priceCents: 2_500, extraMinutes: 30 }] } }),
  }),

  // ── photos (multipart uploads): the listing's or co-op's admins only ──
  row({ route: 'POST /listings/{id}/photos', expect: adminsOfA(201), call: () => upload(`/listings/${w.listing}/photos`, { altFr: 'Une cuisine' }) }),
  row({
    route: 'PATCH /listings/{id}/photos/{photoId}', expect: adminsOfA(200), target: () => listingPhoto(),
    call: (_r, id: string) => ({ url: `/listings/${w.listing}/photos/${id}`, payload: { altEn: 'A kitchen' } }),
  }),
  row({
    route: 'PUT /listings/{id}/photos/order', expect: adminsOfA(200), target: async () => { await listingPhoto(); return photoIds(); },
    call: (_r, ids: string[]) => ({ url: `/listings/${w.listing}/photos/order`, payload: { photoIds: [...ids].reverse() } }),
  }),
  row({
    route: 'DELETE /listings/{id}/photos/{photoId}', expect: adminsOfA(200), target: () => listingPhoto(), fresh: true,
    call: (_r, id: string) => ({ url: `/listings/${w.listing}/photos/${id}` }),
  }),
  // ── booking questions: the listing's co-op's admins (an optional question, so the other rows still book it) ──
  row({
    route: 'PUT /listings/{id}/questions', expect: adminsOfA(200),
    call: () => ({ url: `/listings/${w.listing}/questions`, payload: { questions: [{ kind: 'yes_no', labelFr: 'Un chat ?', labelEn: 'A cat?' }] } }),
  }),
  row({ route: 'PUT /coops/{id}/logo', expect: adminsOfA(200), call: () => upload(`/coops/${w.A}/logo`, {}) }),
  row({ route: 'PUT /coops/{id}/cover', expect: adminsOfA(200), call: () => upload(`/coops/${w.A}/cover`, { altFr: 'Notre équipe' }) }),
  row({
    route: 'DELETE /coops/{id}/logo', expect: adminsOfA(200), fresh: true, target: () => coopImage('logo'),
    call: () => ({ url: `/coops/${w.A}/logo` }),
  }),
  row({
    route: 'DELETE /coops/{id}/cover', expect: adminsOfA(200), fresh: true, target: () => coopImage('cover'),
    call: () => ({ url: `/coops/${w.A}/cover` }),
  }),

  // ── bookings ──
  row({ route: 'POST /bookings', expect: signedIn(201), call: () => ({ url: '/bookings', payload: bookingPayload(w.next()) }) }),
  row({ route: 'GET /bookings', expect: { ...fill(403), anonymous: 401, worker: 200, adminA: 200, steward: 200 }, call: () => ({ url: `/bookings?as=coop&coopId=${w.A}&scope=all` }) }),
  row({
    // A worker-member sees the bookings assigned to them; this one is not.
    route: 'GET /bookings/{id}', expect: bookingParties({ client: 200, adminA: 200, steward: 200 }), target: () => w.booking('requested'),
    call: (_r, id: string) => ({ url: `/bookings/${id}` }),
  }),
  row({ route: 'POST /bookings/{id}/accept', expect: bookingParties({ adminA: 200 }), target: () => w.booking('requested'), call: (_r, id: string) => ({ url: `/bookings/${id}/accept`, payload: {} }) }),
  row({
    route: 'POST /bookings/{id}/decline', expect: bookingParties({ adminA: 200 }), target: () => w.booking('requested'),
    call: (_r, id: string) => ({ url: `/bookings/${id}/decline`, payload: { reason: 'Personne de disponible ce jour-là.' } }),
  }),
  row({
    // The client cancels as the client; A's admins and stewards cancel for the co-op.
    route: 'POST /bookings/{id}/cancel', expect: bookingParties({ client: 200, adminA: 200, steward: 200 }), target: () => w.booking('accepted'), fresh: true,
    call: (_r, id: string) => ({ url: `/bookings/${id}/cancel`, payload: { reason: 'Empêchement de dernière minute.' } }),
  }),
  row({ route: 'POST /bookings/{id}/complete', expect: bookingParties({ adminA: 200 }), target: () => w.booking('started'), call: (_r, id: string) => ({ url: `/bookings/${id}/complete`, payload: { hours: [] } }) }),
  row({ route: 'POST /bookings/{id}/no-show', expect: bookingParties({ adminA: 200 }), target: () => w.booking('started'), call: (_r, id: string) => ({ url: `/bookings/${id}/no-show`, payload: {} }) }),
  row({
    route: 'PUT /bookings/{id}/workers', expect: bookingParties({ adminA: 200 }), target: () => w.booking('requested'),
    call: (_r, id: string) => ({ url: `/bookings/${id}/workers`, payload: { userIds: [w.people.worker.userId] } }),
  }),
  // ── a worker's visits and minutes ("Mes visites") ──
  row({ route: 'GET /me/visits', expect: signedIn(200), call: () => ({ url: '/me/visits?when=past' }) }),
  // Quotes: anyone signed in asks; the quote is then its client's and A's admins' business only.
  row({
    route: 'POST /quotes', expect: signedIn(201),
    target: async () => {
      await quoteOfA('requested');
      await w.sql`UPDATE quote_requests SET state = 'withdrawn', expires_at = NULL WHERE listing_id = ${quoteListing} AND state = 'requested'`;
      return quoteListing;
    },
    call: (_r, listingId: string) => ({ url: '/quotes', payload: { listingId, description: 'Déménagement d’un 3 ½, deuxième étage.', address: '4321 rue Saint-Denis, Montréal' } }),
    after: async () => { await w.sql`UPDATE quote_requests SET state = 'withdrawn', expires_at = NULL WHERE listing_id = ${quoteListing} AND state = 'requested'`; },
  }),
  row({ route: 'GET /quotes', expect: signedIn(200), call: () => ({ url: '/quotes?as=client' }) }),
  row({ route: 'GET /quotes/{id}', expect: quoteParties({ client: 200, adminA: 200 }), target: () => quoteOfA('requested'), call: (_r, q: QuoteTarget) => ({ url: `/quotes/${q.id}` }) }),
  row({
    route: 'POST /quotes/{id}/offers', expect: quoteParties({ adminA: 201 }), target: () => quoteOfA('requested'),
    call: (_r, q: QuoteTarget) => ({ url: `/quotes/${q.id}/offers`, payload: { lines: [{ label: 'Camion', unitPriceCents: 50_000 }], validUntil: inDays(7), durationMinutes: 180, proposedTimes: [q.startsAt] } }),
  }),
  row({ route: 'POST /quotes/{id}/accept', expect: quoteParties({ client: 200 }), target: () => quoteOfA('offered'), call: (_r, q: QuoteTarget) => ({ url: `/quotes/${q.id}/accept`, payload: { offerVersion: 1, startsAt: q.startsAt } }) }),
  row({ route: 'POST /quotes/{id}/decline', expect: quoteParties({ client: 200 }), target: () => quoteOfA('offered'), call: (_r, q: QuoteTarget) => ({ url: `/quotes/${q.id}/decline`, payload: {} }) }),
  row({ route: 'POST /quotes/{id}/request-changes', expect: quoteParties({ client: 200 }), target: () => quoteOfA('offered'), call: (_r, q: QuoteTarget) => ({ url: `/quotes/${q.id}/request-changes`, payload: { reason: 'Un camion plus petit suffit.' } }) }),
  row({ route: 'POST /quotes/{id}/withdraw', expect: quoteParties({ client: 200 }), target: () => quoteOfA('requested'), call: (_r, q: QuoteTarget) => ({ url: `/quotes/${q.id}/withdraw`, payload: {} }) }),
  row({ route: 'POST /quotes/{id}/refuse', expect: quoteParties({ adminA: 200 }), target: () => quoteOfA('requested'), call: (_r, q: QuoteTarget) => ({ url: `/quotes/${q.id}/refuse`, payload: { reason: 'Pas de camion libre ce mois-ci.' } }) }),
  row({
    // Only the worker assigned reports her minutes; the client, the admins and stewards see the booking but do not report.
    route: 'POST /bookings/{id}/minutes', expect: bookingParties({ worker: 200 }),
    target: async () => {
      const id = await w.booking('started');
      await w.req('PUT', `/bookings/${id}/workers`, w.people.adminA, { userIds: [w.people.worker.userId] });
      return id;
    },
    call: (_r, id: string) => ({ url: `/bookings/${id}/minutes`, payload: { minutes: 60 } }),
  }),
  row({
    // The co-op's admins confirm; the worker assigned sees the booking but may not confirm her own minutes.
    route: 'PUT /bookings/{id}/minutes', expect: bookingParties({ adminA: 200, worker: 403 }),
    target: async () => {
      const id = await w.booking('started');
      await w.req('PUT', `/bookings/${id}/workers`, w.people.adminA, { userIds: [w.people.worker.userId] });
      await w.req('POST', `/bookings/${id}/complete`, w.people.adminA, { hours: [] });
      await w.req('POST', `/bookings/${id}/minutes`, w.people.worker, { minutes: 60 });
      return id;
    },
    call: (_r, id: string) => ({ url: `/bookings/${id}/minutes`, payload: { userId: w.people.worker.userId, minutes: 60 } }),
  }),
  row({
    // A worker-member of the co-op learns the booking exists but may not move it.
    route: 'POST /bookings/{id}/reschedule', expect: bookingParties({ client: 200, adminA: 200 }), target: () => w.booking('requested'),
    call: (_r, id: string) => ({ url: `/bookings/${id}/reschedule`, payload: { startsAt: w.next() } }),
  }),

  // ── regular visits ──
  row({
    route: 'GET /listings/{id}/series-preview', expect: everyone(200),
    call: () => ({ url: `/listings/${w.seriesListing}/series-preview?frequency=weekly&count=3&startsAt=${encodeURIComponent(w.nextSeriesStart())}` }),
  }),
  row({ route: 'POST /series', expect: signedIn(201), call: () => ({ url: '/series', payload: w.seriesPayload(w.nextSeriesStart()) }) }),
  row({ route: 'GET /listings/{id}/series-room', expect: signedIn(200), call: () => ({ url: `/listings/${w.seriesListing}/series-room` }) }),
  row({ route: 'GET /series', expect: signedIn(200), call: () => ({ url: '/series' }) }),
  row({ route: 'GET /series/{id}', expect: bookingParties({ client: 200, adminA: 200, steward: 200 }), target: () => w.series('requested'), call: (_r, id: string) => ({ url: `/series/${id}` }) }),
  row({ route: 'POST /series/{id}/accept', expect: bookingParties({ adminA: 200 }), target: () => w.series('requested'), call: (_r, id: string) => ({ url: `/series/${id}/accept`, payload: {} }) }),
  row({ route: 'POST /series/{id}/decline', expect: bookingParties({ adminA: 200 }), target: () => w.series('requested'), call: (_r, id: string) => ({ url: `/series/${id}/decline`, payload: { reason: 'Plus de place ce jour-là' } }) }),
  row({
    route: 'PUT /series/{id}/workers', expect: bookingParties({ adminA: 200 }), target: () => w.series('active'),
    call: (_r, id: string) => ({ url: `/series/${id}/workers`, payload: { userIds: [w.people.worker.userId] } }),
  }),
  row({
    route: 'POST /series/{id}/change', expect: bookingParties({ client: 200, adminA: 200 }), target: () => w.series('active'), fresh: true,
    call: async (_r, id: string) => ({ url: `/series/${id}/change`, payload: { from: (await seriesVisits(id))[1]!, time: '05:00' } }),
  }),
  row({
    // As the change itself: the two parties see what it would do; nothing is written.
    route: 'GET /series/{id}/change-preview', expect: bookingParties({ client: 200, adminA: 200 }), target: () => w.series('active'),
    call: async (_r, id: string) => ({ url: `/series/${id}/change-preview?from=${(await seriesVisits(id))[1]!}&time=05:00` }),
  }),
  row({
    route: 'POST /series/{id}/pause', expect: bookingParties({ client: 200, adminA: 200 }), target: () => w.series('active'), fresh: true,
    call: async (_r, id: string) => ({ url: `/series/${id}/pause`, payload: { from: (await seriesVisits(id))[1]! } }),
  }),
  row({
    // As the pause itself: the two parties see what it would cancel and refund.
    route: 'GET /series/{id}/pause-preview', expect: bookingParties({ client: 200, adminA: 200 }), target: () => w.series('active'),
    call: async (_r, id: string) => ({ url: `/series/${id}/pause-preview?from=${(await seriesVisits(id))[1]!}` }),
  }),
  row({
    route: 'POST /series/{id}/resume', expect: bookingParties({ client: 200, adminA: 200 }), target: () => w.series('paused'), fresh: true,
    call: async (_r, id: string) => ({ url: `/series/${id}/resume`, payload: { from: (await seriesVisits(id))[2]! } }),
  }),
  row({
    // The two parties only: a steward does not end a client's regular visits.
    route: 'POST /series/{id}/end', expect: bookingParties({ client: 200, adminA: 200 }), target: () => w.series('active'), fresh: true,
    call: async (_r, id: string) => ({ url: `/series/${id}/end`, payload: { from: (await seriesVisits(id))[1]!, reason: 'Fin du contrat' } }),
  }),
  row({
    // As the end itself: the two parties see what it would cancel and refund; another co-op, another client, a worker are refused.
    route: 'GET /series/{id}/end-preview', expect: bookingParties({ client: 200, adminA: 200 }), target: () => w.series('active'),
    call: async (_r, id: string) => ({ url: `/series/${id}/end-preview?from=${(await seriesVisits(id))[1]!}` }),
  }),
  row({
    route: 'POST /series/{id}/gaps/{date}', expect: bookingParties({ client: 200 }), target: () => w.series('gap'), fresh: true,
    call: async (_r, id: string) => ({ url: `/series/${id}/gaps/${(await gapsOf(id))[0]!}`, payload: { action: 'skip' } }),
  }),

  // ── calendar feeds ──
  row({ route: 'GET /me/calendar-feeds', expect: signedIn(200), call: () => ({ url: '/me/calendar-feeds' }) }),
  // A co-op's whole calendar: only its admins make (or reset) its address; a worker of A gets her own visits' feed, not this one.
  row({ route: 'POST /me/calendar-feeds', expect: adminsOfA(200), call: () => ({ url: '/me/calendar-feeds', payload: { kind: 'coop', coopId: w.A } }) }),
  row({
    // The address is the credential: whoever holds it reads the feed, signed in or not (calendar services poll it).
    route: 'GET /calendar-feeds/{file}', expect: everyone(200),
    target: async () => {
      const made = await w.req('POST', '/me/calendar-feeds', w.people.client, { kind: 'client' });
      return new URL((made.json() as { url: string }).url).pathname.split('/').pop()!;
    },
    call: (_r, file: string) => ({ url: `/calendar-feeds/${file}` }),
  }),

  // ── conversations ──
  // A client writes to a co-op she is not a member of; A's own members do not write to it as its client.
  row({ route: 'POST /conversations', expect: signedIn(201, { worker: 403, adminA: 403 }), call: () => ({ url: '/conversations', payload: { coopId: w.A, body: 'Bonjour, une question' } }) }),
  row({ route: 'GET /conversations', expect: signedIn(200), call: () => ({ url: '/conversations' }) }),
  // A booking's conversation: its client and A's admins; the worker of A is not assigned, a steward reads only reported ones.
  row({ route: 'GET /conversations/{id}', expect: conversationParties(200), target: bookingConversation, call: (_r, id: string) => ({ url: `/conversations/${id}` }) }),
  row({ route: 'POST /conversations/{id}/messages', expect: conversationParties(201), target: bookingConversation, call: (_r, id: string) => ({ url: `/conversations/${id}/messages`, payload: { body: 'Bien reçu' } }) }),
  row({ route: 'POST /conversations/{id}/read', expect: conversationParties(200), target: bookingConversation, call: (_r, id: string) => ({ url: `/conversations/${id}/read` }) }),
  row({ route: 'GET /bookings/{id}/conversation', expect: conversationParties(200), target: () => w.booking('requested'), call: (_r, id: string) => ({ url: `/bookings/${id}/conversation` }) }),
  row({ route: 'GET /series/{id}/conversation', expect: conversationParties(200), target: () => w.series('requested'), call: (_r, id: string) => ({ url: `/series/${id}/conversation` }) }),
  row({
    route: 'POST /messages/{id}/report', expect: conversationParties(200),
    target: async () => (await w.req('POST', `/conversations/${await bookingConversation()}/messages`, w.people.client, { body: 'À signaler' })).json().id as string,
    call: (_r, id: string) => ({ url: `/messages/${id}/report`, payload: { reason: 'Propos déplacés' } }),
  }),
  row({
    // Stewards hide, once a message of the conversation is reported; those in it may not.
    route: 'POST /messages/{id}/hide', expect: conversationParties(403, { steward: 200 }),
    target: async () => {
      const id = (await w.req('POST', `/conversations/${await bookingConversation()}/messages`, w.people.adminA, { body: 'Message grossier' })).json().id as string;
      await w.req('POST', `/messages/${id}/report`, w.people.client, { reason: 'Grossier' });
      return id;
    },
    call: (_r, id: string) => ({ url: `/messages/${id}/hide`, payload: { reason: 'Propos insultants' } }),
  }),

  // ── payments ──
  row({ route: 'GET /me/card', expect: signedIn(200), call: () => ({ url: '/me/card' }) }),
  row({ route: 'POST /me/card/setup', expect: signedIn(200), call: () => ({ url: '/me/card/setup', payload: { returnTo: '/bookings' } }) }),
  row({ route: 'POST /me/card/confirm', expect: signedIn(404), call: () => ({ url: '/me/card/confirm', payload: { sessionId: 'cs_test_made_up' } }) }),
  row({ route: 'DELETE /me/card', expect: signedIn(200), call: () => ({ url: '/me/card' }) }),

  // ── download my data ──
  row({ route: 'GET /me/data-exports', expect: signedIn(200), call: () => ({ url: '/me/data-exports' }) }),
  row({ route: 'POST /me/data-exports', expect: signedIn(202), call: () => ({ url: '/me/data-exports' }) }),
  // The emailed link opens her archive for her alone, signed in: to anyone else it is no archive at all.
  row({ route: 'GET /me/data-exports/link/{token}', expect: { ...fill(404), anonymous: 401, client: 200 }, target: clientArchiveToken, call: (_r, token: string) => ({ url: `/me/data-exports/link/${token}` }) }),
  row({ route: 'GET /me/data-exports/archive/{token}', expect: { ...fill(404), anonymous: 401, client: 200 }, target: clientArchiveToken, call: (_r, token: string) => ({ url: `/me/data-exports/archive/${token}` }) }),
  row({ route: 'GET /platform/fee', expect: everyone(200), call: () => ({ url: '/platform/fee' }) }),
  row({ route: 'POST /platform/fee-rates', expect: stewards(201), call: () => ({ url: '/platform/fee-rates', payload: { rateBps: 500, effectiveFrom: inDays(400), reason: 'Taux reconduit par l’assemblée' } }) }),
  row({ route: 'GET /coops/{id}/payments/account', expect: adminsOfA(200), call: () => ({ url: `/coops/${w.A}/payments/account` }) }),
  row({ route: 'POST /coops/{id}/payments/onboarding', expect: adminsOfA(200), call: () => ({ url: `/coops/${w.A}/payments/onboarding`, payload: {} }) }),
  row({
    route: 'PUT /coops/{id}/payments/taxes', expect: adminsOfA(200),
    call: () => ({ url: `/coops/${w.A}/payments/taxes`, payload: { gstRegistered: true, gstNumber: '123456789RT0001', qstRegistered: true, qstNumber: '1234567890TQ0001' } }),
  }),
  row({ route: 'GET /coops/{id}/earnings', expect: adminsOfA(200), call: () => ({ url: `/coops/${w.A}/earnings` }) }),
  // ── tips: the client's own completed booking; the co-op's tips per worker (a worker sees her own line) ──
  row({
    route: 'GET /bookings/{id}/tip', expect: { anonymous: 401, client: 200, otherClient: 404, worker: 404, adminB: 404, adminA: 404, steward: 404 },
    target: () => w.booking('completed'), call: (_r, id: string) => ({ url: `/bookings/${id}/tip` }),
  }),
  row({
    route: 'POST /bookings/{id}/tip', expect: { anonymous: 401, client: 200, otherClient: 404, worker: 404, adminB: 404, adminA: 404, steward: 404 },
    target: () => w.booking('completed'), fresh: true, call: (_r, id: string) => ({ url: `/bookings/${id}/tip`, payload: { amountCents: 1_000 } }),
  }),
  row({ route: 'GET /coops/{id}/tips', expect: adminsOfA(200, { worker: 200 }), call: () => ({ url: `/coops/${w.A}/tips` }) }),
  row({
    route: 'GET /bookings/{id}/payment', expect: bookingParties({ client: 200, adminA: 200, steward: 200 }), target: () => w.booking('paid'),
    call: (_r, id: string) => ({ url: `/bookings/${id}/payment` }),
  }),
  row({ route: 'POST /bookings/{id}/checkout', expect: bookingParties({ client: 200 }), target: () => w.booking('accepted'), call: (_r, id: string) => ({ url: `/bookings/${id}/checkout`, payload: {} }) }),
  row({
    route: 'POST /bookings/{id}/refunds', expect: bookingParties({ steward: 201 }), target: () => w.booking('paid'),
    call: (_r, id: string) => ({ url: `/bookings/${id}/refunds`, payload: { serviceCents: 1_000, reason: 'Geste pour un retard' } }),
  }),
  row({ route: 'GET /steward/ledger/check', expect: stewards(200), call: () => ({ url: '/steward/ledger/check' }) }),
  row({ route: 'GET /steward/reconciliation', expect: stewards(200), call: () => ({ url: '/steward/reconciliation' }) }),
  row({ route: 'GET /steward/money-to-return', expect: stewards(200), call: () => ({ url: '/steward/money-to-return' }) }),
  row({
    // Stripe signs its calls; a bad signature is refused before anything else, whoever sends it.
    route: 'POST /webhooks/stripe', expect: everyone(400),
    call: () => ({ url: '/webhooks/stripe', payload: { id: 'evt_forged', type: 'checkout.session.completed' }, headers: { 'stripe-signature': 't=1,v1=0000' } }),
  }),

  // ── reviews ──
  row({
    route: 'POST /bookings/{id}/review', expect: bookingParties({ client: 201 }), target: () => w.booking('completed'),
    call: (_r, id: string) => ({ url: `/bookings/${id}/review`, payload: { rating: 4, body: 'Très bien, à l’heure.' } }),
  }),
  row({ route: 'POST /reviews/{id}/reply', expect: adminsOfA(200), target: () => w.review(), call: (_r, id: string) => ({ url: `/reviews/${id}/reply`, payload: { reply: 'Merci beaucoup !' } }) }),
  row({ route: 'GET /listings/{id}/reviews', expect: everyone(200), call: () => ({ url: `/listings/${w.listing}/reviews` }) }),
  row({ route: 'GET /coops/{id}/reviews', expect: everyone(200), call: () => ({ url: `/coops/${w.A}/reviews` }) }),

  // ── membership of the platform co-op ──
  row({
    route: 'POST /steward/memberships', expect: stewards(201), target: () => w.stranger('Nouveau membre'),
    call: (_r, s: SignedIn) => ({ url: '/steward/memberships', payload: { class: 'user', userId: s.userId, paidBy: 'cheque', startedOn: w.today } }),
  }),
  row({
    route: 'POST /steward/memberships/{id}/end', expect: stewards(200),
    target: async () => {
      const s = await w.stranger('Membre sortant');
      const res = await w.req('POST', '/steward/memberships', w.people.steward, { class: 'supporting', userId: s.userId, paidBy: 'cash', startedOn: w.longAgo });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    },
    call: (_r, id: string) => ({ url: `/steward/memberships/${id}/end`, payload: { endedOn: w.today } }),
  }),
  row({ route: 'GET /steward/members', expect: stewards(200), call: () => ({ url: '/steward/members' }) }),
  row({ route: 'GET /membership', expect: signedIn(200), call: () => ({ url: '/membership' }) }),
  row({ route: 'POST /membership/checkout', expect: adminsOfA(200), call: () => ({ url: '/membership/checkout', payload: { class: 'producer', coopId: w.A } }) }),
  row({ route: 'GET /steward/settings', expect: stewards(200), call: () => ({ url: '/steward/settings' }) }),
  row({ route: 'PUT /steward/settings', expect: stewards(200), call: () => ({ url: '/steward/settings', payload: { votingDays: 14 } }) }),

  // ── fiscal years ──
  row({ route: 'GET /transparency', expect: everyone(200), call: () => ({ url: '/transparency' }) }),
  row({ route: 'GET /steward/fiscal-years', expect: stewards(200), call: () => ({ url: '/steward/fiscal-years' }) }),
  row({ route: 'POST /steward/fiscal-years', expect: stewards(201), call: () => ({ url: '/steward/fiscal-years', payload: { startsOn: `${w.thisYear - 2}-01-01`, confirmPastDeadline: true } }) }),
  row({ route: 'GET /steward/fiscal-years/{id}', expect: stewards(200), call: () => ({ url: `/steward/fiscal-years/${w.years.y1}` }) }),
  row({ route: 'POST /steward/fiscal-years/{id}/close', expect: stewards(200), call: () => ({ url: `/steward/fiscal-years/${w.years.y3}/close`, payload: {} }) }),
  row({
    route: 'POST /steward/fiscal-records', expect: stewards(201),
    call: () => ({ url: '/steward/fiscal-records', payload: { kind: 'expense', occurredOn: w.today, category: 'Hébergement', amountCents: 1_234, note: 'Serveur' } }),
  }),
  row({ route: 'GET /steward/fiscal-records', expect: stewards(200), call: () => ({ url: `/steward/fiscal-records?yearId=${w.years.y1}` }) }),

  // ── surplus plans and statements ──
  row({ route: 'POST /steward/fiscal-years/{id}/plans', expect: stewards(201), call: () => ({ url: `/steward/fiscal-years/${w.years.y2}/plans`, payload: w.plan }) }),
  row({ route: 'PATCH /steward/plans/{id}', expect: stewards(200), target: () => w.draft(w.years.y2), call: (_r, id: string) => ({ url: `/steward/plans/${id}`, payload: { cashBps: 4_000 } }) }),
  row({
    route: 'POST /steward/plans/{id}/simulate', expect: stewards(200), target: () => w.draft(w.years.y2),
    call: (_r, id: string) => ({ url: `/steward/plans/${id}/simulate`, payload: { variations: [{ reserveBps: 3_000, label: 'Plus de réserve' }] } }),
  }),
  row({ route: 'POST /steward/plans/{id}/propose', expect: stewards(200), target: () => w.draft(w.years.y2), call: (_r, id: string) => ({ url: `/steward/plans/${id}/propose`, payload: {} }) }),
  row({ route: 'POST /steward/plans/{id}/pay', expect: stewards(200), call: () => ({ url: `/steward/plans/${w.approvedPlan}/pay`, payload: {} }) }),
  row({
    // Members of the platform co-op (the client) see proposed and later plans; everyone else learns nothing.
    route: 'GET /plans/{id}', expect: { ...fill(404), anonymous: 401, client: 200, steward: 200 }, call: () => ({ url: `/plans/${w.approvedPlan}` }),
  }),
  row({ route: 'GET /patronage/statements', expect: signedIn(200), call: () => ({ url: '/patronage/statements' }) }),
  row({ route: 'GET /patronage/statements.csv', expect: signedIn(200), call: () => ({ url: '/patronage/statements.csv' }) }),
  row({ route: 'GET /steward/statements.csv', expect: stewards(200), call: () => ({ url: `/steward/statements.csv?planId=${w.approvedPlan}` }) }),

  // ── the general assembly ──
  row({
    route: 'POST /steward/proposals', expect: stewards(201),
    call: () => ({ url: '/steward/proposals', payload: { kind: 'bylaw', title: 'Modifier le règlement', body: 'Article 3 : deux assemblées par an.', opensAt: inDays(1), closesAt: inDays(15) } }),
  }),
  row({ route: 'GET /proposals', expect: { ...fill(403), anonymous: 401, client: 200, steward: 200 }, call: () => ({ url: '/proposals' }) }),
  row({ route: 'POST /proposals/{id}/votes', expect: { ...fill(403), anonymous: 401, client: 201 }, call: () => ({ url: `/proposals/${w.openProposal}/votes`, payload: { choice: 'yes' } }) }),
  row({
    route: 'POST /steward/proposals/{id}/close', expect: stewards(200),
    target: async () => {
      await w.voteOver(w.endingProposal);
      return w.endingProposal.id;
    },
    call: (_r, id: string) => ({ url: `/steward/proposals/${id}/close`, payload: {} }),
  }),

  // ── the team's day: time off, assignment settings, who is free ──
  // Members of A (its worker and its admins) see time off; anyone else who can see the co-op is refused.
  row({ route: 'GET /coops/{id}/time-off', expect: adminsOfA(200, { worker: 200 }), call: () => ({ url: `/coops/${w.A}/time-off` }) }),
  row({
    route: 'POST /coops/{id}/time-off', expect: adminsOfA(201, { worker: 201 }),
    call: () => ({ url: `/coops/${w.A}/time-off`, payload: { allDay: true, startDate: timeOffDay(), endDate: timeOffDay() } }),
  }),
  row({
    // Her own, or any of the co-op's for its admins: each allowed role removes one made for it.
    route: 'DELETE /coops/{id}/time-off/{timeOffId}', expect: adminsOfA(200, { worker: 200 }), fresh: true,
    target: async () => {
      const day = timeOffDay();
      const res = await w.req('POST', `/coops/${w.A}/time-off`, w.people.worker, { allDay: true, startDate: day, endDate: day });
      if (res.statusCode !== 201) throw new Error(`time off: ${res.body}`);
      return res.json().id as string;
    },
    call: (_r, id: string) => ({ url: `/coops/${w.A}/time-off/${id}` }),
  }),
  row({ route: 'GET /coops/{id}/team-settings', expect: adminsOfA(200), call: () => ({ url: `/coops/${w.A}/team-settings` }) }),
  row({ route: 'PUT /coops/{id}/team-settings', expect: adminsOfA(200), call: () => ({ url: `/coops/${w.A}/team-settings`, payload: { autoAssign: false } }) }),
  row({
    route: 'GET /bookings/{id}/assignment-choices', expect: bookingParties({ adminA: 200 }), target: () => w.booking('requested'),
    call: (_r, id: string) => ({ url: `/bookings/${id}/assignment-choices` }),
  }),
];

/** A new day for each absence the matrix enters (one person's absences may not overlap), far from its bookings. */
let timeOffDays = 500;
const timeOffDay = () => inDays((timeOffDays += 2)).slice(0, 10);

async function seriesVisits(id: string): Promise<string[]> {
  return (await w.sql<{ d: string }[]>`SELECT series_date::text AS d FROM bookings WHERE series_id = ${id} ORDER BY series_date`).map((r) => r.d);
}
async function gapsOf(id: string): Promise<string[]> {
  return (await w.sql<{ d: string }[]>`SELECT date::text AS d FROM booking_series_gaps WHERE series_id = ${id} AND resolution IS NULL`).map((r) => r.d);
}

function bookingPayload(startsAt: string) {
  return {
    listingId: w.listing, startsAt, address: '4321 rue Saint-Denis, Montréal', notes: '', contactName: 'Personne Test',
    contactPhone: '514-555-0101', contactEmail: 'contact@example.org',
  };
}

/** "GET /coops/{id}" for every route the app documents. */
function appRoutes(): string[] {
  const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
}

let checked = 0;

describe('the authorization matrix', () => {
  it('has exactly one row for every route of the app', () => {
    const routes = appRoutes();
    const table = rows.map((r) => r.route);
    expect(new Set(table).size, 'a route has two rows').toBe(table.length);
    expect(routes.filter((r) => !table.includes(r)), 'routes without a row').toEqual([]);
    expect(table.filter((r) => !routes.includes(r)), 'rows for routes that no longer exist').toEqual([]);
  });

  for (const r of rows) {
    it(r.route, async () => {
      const method = r.route.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      const order = [...ROLES.filter((role) => !isAllowed(r.expect[role])), ...ROLES.filter((role) => isAllowed(r.expect[role]))];
      const shared = r.target ? await r.target() : undefined;
      const actual = {} as Expect;
      const bodies: string[] = [];
      for (const role of order) {
        const target = r.fresh && isAllowed(r.expect[role]) && r.target ? await r.target() : shared;
        const c = await r.call(role, target);
        const who = c.who === undefined ? w.signedIn(role) : c.who;
        const res: LightMyRequestResponse = await t.app.inject({
          method, url: c.url, headers: { ...(who?.auth ?? {}), ...c.headers }, ...(c.payload === undefined ? {} : { payload: c.payload as object }),
        });
        actual[role] = res.statusCode;
        if (res.statusCode !== r.expect[role]) bodies.push(`${role}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        if (!isAllowed(res.statusCode)) {
          const error = res.json().error;
          expect(error, `${role}: ${res.body}`).toMatchObject({ code: expect.any(String), message: expect.any(String) });
          if (res.statusCode === r.expect[role]) expect(ERROR_CODES[res.statusCode] ?? [], `${role}: ${res.body}`).toContain(error.code);
        }
        checked++;
      }
      expect(actual, bodies.join('\n')).toEqual(r.expect);
      await r.after?.();
    }, 60_000);
  }

  it('keeps a booking\'s payment from a worker-member, assigned to it or not (the job, not the client\'s money)', async () => {
    const id = await w.booking('paid');
    expect((await w.req('GET', `/bookings/${id}/payment`, w.people.worker)).statusCode).toBe(404);
    const assigned = await w.req('PUT', `/bookings/${id}/workers`, w.people.adminA, { userIds: [w.people.worker.userId] });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const booking = await w.req('GET', `/bookings/${id}`, w.people.worker);
    expect(booking.statusCode).toBe(200);
    expect(booking.json()).toMatchObject({ priceCents: null, paid: null });
    expect((await w.req('GET', `/bookings/${id}/payment`, w.people.worker)).statusCode).toBe(404);
    expect((await w.req('POST', `/bookings/${id}/checkout`, w.people.worker)).statusCode).toBe(404);
  });

  it('keeps ids of one co-op out of another co-op’s routes', async () => {
    const inv = await w.invite(w.unique('cross'));
    const asB = (method: 'DELETE' | 'GET', url: string) => w.req(method, url, w.people.adminB);
    // B's admin, through B's own routes, cannot reach A's invitation or A's worker.
    expect((await asB('DELETE', `/coops/${w.B}/invitations/${inv.id}`)).statusCode).toBe(404);
    expect((await asB('DELETE', `/coops/${w.B}/members/${w.people.worker.userId}`)).statusCode).toBe(404);
    const [still] = await w.sql`SELECT revoked_at FROM coop_invitations WHERE id = ${inv.id}`;
    expect(still!.revoked_at).toBeNull();
    // B's bookings list does not show A's bookings.
    const list = await w.req('GET', `/bookings?as=coop&coopId=${w.B}&scope=all`, w.people.adminB);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([]);
  });
});

afterAll(() => {
  const n = rows.length;
  console.log(`routes × roles checked: ${n} × ${ROLES.length} = ${n * ROLES.length} (${checked} calls made)`);
});
