/**
 * One world for the authorization matrix: every kind of person the API knows, and real records
 * owned by co-op A and by its client, each in the state an action needs. Built through the API
 * (SQL only where the API has no door: stewards, and worker-members without the emailed link).
 */
import type { LightMyRequestResponse } from 'fastify';
import { makeSteward, signUp, type SignedIn, type TestApp } from './test-app.js';
import { approvedCoop, onboardCoop, payBooking, publishListing, setSchedule, startBooking } from './fixtures.js';
import { paymentsKit, slots } from './payments.js';
import { patronageKit, torontoDate } from './patronage.js';

export const ROLES = ['anonymous', 'client', 'otherClient', 'worker', 'adminB', 'adminA', 'steward'] as const;
export type Role = (typeof ROLES)[number];
export type Person = Exclude<Role, 'anonymous'>;

/** What signUp() gives every account. */
export const PASSWORD = 'correct horse battery';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** `started`: paid, and its time has come (work can be recorded). */
export type BookingState = 'requested' | 'accepted' | 'paid' | 'started' | 'completed';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const plan = { reserveBps: 2_000, weights: { producer: 4_000, worker: 4_000, user: 2_000 }, cashBps: 3_000, thresholdCents: 0 };

export async function authzWorld(t: TestApp) {
  const pay = paymentsKit(t);
  const kit = patronageKit(t);
  const sql = t.database.sql;
  const next = slots(30, 2);
  let serial = 0;
  const unique = (what: string) => `${what.toLowerCase()}-${Date.now()}-${++serial}@example.org`;

  const people = {} as Record<Person, SignedIn>;
  const names: Record<Person, string> = {
    client: 'Claire Cliente', otherClient: 'Olivier Autre', worker: 'Wanda Travailleuse', adminB: 'Bruno Admin B', adminA: 'Alice Admin A', steward: 'Sophie Intendante',
  };
  for (const who of ROLES.slice(1) as Person[]) people[who] = await signUp(t.app, { name: names[who], email: unique(who) });
  await makeSteward(t, people.steward.userId);

  const req = (method: Method, url: string, who: SignedIn | null, payload?: unknown) =>
    t.app.inject({ method, url, headers: who?.auth ?? {}, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = async (res: Promise<LightMyRequestResponse>, status: number, what: string) => {
    const r = await res;
    if (r.statusCode !== status) throw new Error(`${what}: ${r.statusCode} ${r.body}`);
    return r.json();
  };

  // Co-op A: approved, paid through Stripe, GST/QST registered, one bookable listing and one archived.
  const A = (await approvedCoop(t, people.steward, people.adminA, 'Ménage Éclat')).id;
  await onboardCoop(t, people.adminA, A);
  await pay.setTaxes(people.adminA, A, true);
  const listing = (await publishListing(t, people.adminA, A, { priceKind: 'fixed', priceCents: 10_000, durationMinutes: 60 })).id;
  await setSchedule(t, people.adminA, listing);
  const archived = (await publishListing(t, people.adminA, A, { titleFr: 'Ancien service', titleEn: 'Old service' })).id;
  await ok(req('PATCH', `/listings/${archived}`, people.adminA, { status: 'archived' }), 200, 'archive');
  // Co-op B: approved, its admin is a stranger to A. A pending application of A's admin, seen by nobody else.
  const B = (await approvedCoop(t, people.steward, people.adminB, 'Garde Soleil')).id;
  const pendingOfA = (await ok(req('POST', '/coops', people.adminA, {
    legalName: 'Éclat Rive-Sud', legalForm: 'worker_coop', region: 'plateau-mont-royal', languages: ['fr'], foundedYear: 2020,
    descriptionFr: 'Une deuxième coopérative, en attente.', descriptionEn: 'A second co-op, pending.',
  }), 201, 'pending co-op')).id as string;
  await sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${A}, ${people.worker.userId}, 'worker')`;

  // Regular visits: a listing of A that takes weekly series, far from the single bookings' times.
  const seriesListing = (await publishListing(t, people.adminA, A, { titleFr: 'Ménage chaque semaine', titleEn: 'Weekly cleaning', priceKind: 'fixed', priceCents: 9_000, durationMinutes: 60 })).id;
  await setSchedule(t, people.adminA, seriesListing, { horizonDays: 366, seriesFrequencies: ['weekly'] });
  let seriesHour = 0;
  /** A free weekly start: each series at its own hour, days apart from the others' weeks. */
  const nextSeriesStart = () => {
    const d = new Date(Date.now() + 90 * 86_400_000);
    d.setUTCHours(0, 0, 0, 0);
    return new Date(d.getTime() + (seriesHour++ % 24) * 3_600_000 + Math.floor(seriesHour / 24) * 86_400_000).toISOString();
  };
  const seriesPayload = (startsAt: string) => ({ listingId: seriesListing, startsAt, frequency: 'weekly', count: 3, address: '123 rue Test', contactName: 'Claire', contactEmail: 'claire@example.org' });
  /** A series of the client at A's weekly listing, taken through the API to `state`; `gap`: with a date waiting for the client's choice. */
  async function series(state: 'requested' | 'active' | 'paused' | 'gap'): Promise<string> {
    // A client runs only a few series at once (SERIES_PER_LISTING): the earlier targets are over.
    await sql`UPDATE booking_series SET state = 'ended' WHERE client_id = ${people.client.userId} AND state IN ('requested', 'active', 'paused')`;
    const s = await ok(req('POST', '/series', people.client, seriesPayload(nextSeriesStart())), 201, 'series');
    if (state === 'requested') return s.id;
    if (state === 'gap') {
      await sql`INSERT INTO booking_series_gaps (series_id, date, reason) VALUES (${s.id}, ${s.visits[1].date}, 'taken')`;
      return s.id;
    }
    await ok(req('POST', `/series/${s.id}/accept`, people.adminA, {}), 200, 'accept series');
    if (state === 'active') return s.id;
    await ok(req('POST', `/series/${s.id}/pause`, people.client, { from: s.visits[1].date }), 200, 'pause series');
    return s.id;
  }

  /** A new account that is none of the seven roles: targets of approvals, removals, memberships. */
  const stranger = (name = 'Personne Tierce') => signUp(t.app, { name, email: unique('stranger') });

  let startedAgo = 0;
  /** A booking of the client at co-op A, taken through the API to `state`. */
  async function booking(state: BookingState): Promise<string> {
    // The client's earlier bookings have served their rows: their answer or payment window passes,
    // as time would, so the client stays under OPEN_BOOKINGS_PER_LISTING however many rows book.
    await sql`UPDATE bookings SET expires_at = now() WHERE client_id = ${people.client.userId} AND state IN ('requested', 'accepted')`;
    const b = await pay.book(people.client, listing, next());
    if (state === 'requested') return b.id;
    await pay.accept(people.adminA, b.id);
    if (state === 'accepted') return b.id;
    await payBooking(t, people.client, b.id);
    if ((await pay.state(b.id)) !== 'paid') throw new Error(`booking ${b.id} not paid`);
    if (state === 'paid') return b.id;
    await startBooking(t, b.id, (startedAgo += 600)); // apart, since some stay live in the past
    if (state === 'started') return b.id;
    await ok(req('POST', `/bookings/${b.id}/complete`, people.adminA, { hours: [] }), 200, 'complete');
    return b.id;
  }

  async function review(): Promise<string> {
    const id = await booking('completed');
    return (await ok(req('POST', `/bookings/${id}/review`, people.client, { rating: 5, body: 'Travail impeccable, merci !' }), 201, 'review')).id;
  }

  /** The token of the newest invitation emailed to `email` (the link is its only copy). */
  async function invitationToken(email: string): Promise<string> {
    const mail = (await t.sentMail()).find((m) => m.to === email.toLowerCase());
    const match = new RegExp(`/invitations/([A-Za-z0-9_-]{43})`).exec(mail?.text ?? '');
    if (!match) throw new Error(`no invitation mailed to ${email}`);
    return match[1]!;
  }
  async function invite(email: string) {
    const inv = await ok(req('POST', `/coops/${A}/invitations`, people.adminA, { email, role: 'worker' }), 201, 'invite');
    return { id: inv.id as string, token: await invitationToken(email) };
  }

  /** The reset link mailed to `email` after POST /auth/password-reset (sent after the answer). */
  async function resetToken(email: string): Promise<string> {
    await ok(req('POST', '/auth/password-reset', null, { email }), 202, 'password reset');
    for (let i = 0; i < 200; i++) {
      const mail = (await t.sentMail()).find((m) => m.to === email.toLowerCase() && /reset-password/.test(m.text));
      const link = mail && /\/reset-password\/(\S+)/.exec(mail.text);
      if (link) return link[1]!;
      await sleep(25);
    }
    throw new Error(`no reset email for ${email}`);
  }

  /** A fresh session of a person, so a sign-out or password change does not end the matrix's own. */
  async function session(who: Person): Promise<SignedIn> {
    const res = await req('POST', '/auth/sign-in', null, { email: people[who].email, password: PASSWORD });
    if (res.statusCode !== 200) throw new Error(`sign-in ${who}: ${res.body}`);
    const body = res.json();
    return { ...people[who], token: body.accessToken, refreshToken: body.refreshToken, auth: { authorization: `Bearer ${body.accessToken}` } };
  }
  /** Everyone signs in again (after a password change revoked their sessions). */
  async function renewSessions() {
    for (const who of ROLES.slice(1) as Person[]) people[who] = await session(who);
  }

  async function pendingCoop(): Promise<string> {
    const applicant = await stranger('Demandeur');
    return (await ok(req('POST', '/coops', applicant, {
      legalName: `Coop en attente ${++serial}`, legalForm: 'solidarity_coop', region: 'anjou', languages: ['fr'], foundedYear: 2024,
      descriptionFr: 'Demande d’adhésion à la plateforme.', descriptionEn: 'Application to join the platform.',
    }), 201, 'apply')).id;
  }

  // The platform co-op: the client is a user member since long before the years below; the others are not members.
  const today = torontoDate(new Date());
  const thisYear = Number(today.slice(0, 4));
  const longAgo = `${thisYear - 6}-01-01`;
  await kit.join(people.steward, { class: 'user', userId: people.client.userId, startedOn: longAgo });

  // Past fiscal years (so they can be closed without moving any clock): Y1 and Y2 with a surplus, Y3 without.
  const year = async (y: number, incomeCents: number) => {
    // Years whose refund deadline has passed: created on purpose, so the steward's confirmation is given.
    const row = await ok(req('POST', '/steward/fiscal-years', people.steward, { startsOn: `${y}-01-01`, confirmPastDeadline: true }), 201, 'fiscal year');
    if (incomeCents > 0) {
      await ok(req('POST', '/steward/fiscal-records', people.steward, { kind: 'income', occurredOn: `${y}-06-15`, category: 'Subvention', amountCents: incomeCents }), 201, 'income');
    }
    return row.id as number;
  };
  const y1 = await year(thisYear - 3, 100_000);
  const y2 = await year(thisYear - 4, 50_000);
  const y3 = await year(thisYear - 5, 0);
  // This year, open: a steward's record dated today belongs to it (a date in no year is refused).
  await ok(req('POST', '/steward/fiscal-years', people.steward, { startsOn: `${thisYear}-01-01` }), 201, 'this fiscal year');
  await ok(req('POST', `/steward/fiscal-years/${y1}/close`, people.steward), 200, 'close y1');
  await ok(req('POST', `/steward/fiscal-years/${y2}/close`, people.steward), 200, 'close y2');
  /** The year's draft plan: the one it has (a year has one at a time), else a new one. */
  const draft = async (yearId: number) => {
    const [existing] = await sql`SELECT id FROM surplus_plans WHERE fiscal_year_id = ${yearId} AND status = 'draft'`;
    if (existing) return existing.id as string;
    return (await ok(req('POST', `/steward/fiscal-years/${yearId}/plans`, people.steward, plan), 201, 'plan')).id as string;
  };

  // Plan 1 of Y1 goes through the vote: proposed, the client votes yes, the vote closes, the plan is approved.
  const approvedPlan = await draft(y1);
  const closesSoon = () => new Date(Date.now() + 2_500).toISOString();
  const proposed = await ok(req('POST', `/steward/plans/${approvedPlan}/propose`, people.steward, { closesAt: closesSoon() }), 200, 'propose');
  await ok(req('POST', `/proposals/${proposed.proposal.id}/votes`, people.client, { choice: 'yes' }), 201, 'vote');
  const resolution = (closesAt: string) => ({
    kind: 'resolution', title: 'Adopter la charte', body: 'Les membres adoptent la charte de la plateforme.',
    opensAt: new Date(Date.now() - 3_600_000).toISOString(), closesAt,
  });
  const openProposal = (await ok(req('POST', '/steward/proposals', people.steward, resolution(new Date(Date.now() + 86_400_000).toISOString())), 201, 'proposal')).id as string;
  const endingProposal = await ok(req('POST', '/steward/proposals', people.steward, resolution(closesSoon())), 201, 'proposal');
  await sleep(Math.max(0, Date.parse(proposed.proposal.closesAt) - Date.now() + 50));
  await ok(req('POST', `/steward/proposals/${proposed.proposal.id}/close`, people.steward), 200, 'close vote');

  /** Waits until a proposal's vote is over, so a steward may close it. */
  const voteOver = async (p: { closesAt: string }) => sleep(Math.max(0, Date.parse(p.closesAt) - Date.now() + 50));

  return {
    t, people, req, sql, today, thisYear, longAgo, plan,
    A, B, listing, archived, pendingOfA,
    seriesListing, series, seriesPayload, nextSeriesStart,
    booking, review, invite, invitationToken, resetToken, session, renewSessions, pendingCoop, stranger, unique, next,
    years: { y1, y2, y3 }, draft, approvedPlan, openProposal, endingProposal: endingProposal as { id: string; closesAt: string }, voteOver,
    /** Headers of a role: none for the anonymous visitor. */
    auth: (role: Role) => (role === 'anonymous' ? {} : people[role].auth),
    signedIn: (role: Role): SignedIn | null => (role === 'anonymous' ? null : people[role]),
  };
}

export type AuthzWorld = Awaited<ReturnType<typeof authzWorld>>;
