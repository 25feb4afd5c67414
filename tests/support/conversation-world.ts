/**
 * A co-op A with an admin and two worker-members, its listing open all day, a client and another
 * client, a co-op B with its admin, and a steward: the people of the conversation tests.
 */
import { expect } from 'vitest';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from './test-app.js';
import { approvedCoop, bookingBody, hourFromNow, publishListing, setSchedule } from './fixtures.js';

export interface ConversationWorld {
  t: TestApp;
  steward: SignedIn;
  adminA: SignedIn;
  worker: SignedIn;
  otherWorker: SignedIn;
  adminB: SignedIn;
  client: SignedIn;
  otherClient: SignedIn;
  coopA: string;
  coopB: string;
  listingA: string;
  listingB: string;
}

async function signInAgain(t: TestApp, who: SignedIn): Promise<SignedIn> {
  const res = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: who.email, password: 'correct horse battery' } });
  const body = res.json();
  return { ...who, token: body.accessToken, auth: { authorization: `Bearer ${body.accessToken}` } };
}

export async function conversationWorld(env: Record<string, string> = {}): Promise<ConversationWorld> {
  const t = await createTestApp(env);
  let steward = await signUp(t.app, { name: 'Sophie Intendante' });
  await makeSteward(t, steward.userId);
  steward = await signInAgain(t, steward);
  const [adminA, worker, otherWorker, adminB, client, otherClient] = await Promise.all([
    signUp(t.app, { name: 'Alice Admin' }), signUp(t.app, { name: 'Amina Travailleuse' }), signUp(t.app, { name: 'Wanda Autre' }),
    signUp(t.app, { name: 'Bruno Admin' }), signUp(t.app, { name: 'Claire Cliente' }), signUp(t.app, { name: 'Olivier Autre', locale: 'en' }),
  ]);
  const coopA = (await approvedCoop(t, steward, adminA, 'Coop A')).id;
  const coopB = (await approvedCoop(t, steward, adminB, 'Coop B')).id;
  // Worker-members without the emailed link (the invitation flow has its own tests).
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopA}, ${worker.userId}, 'worker'), (${coopA}, ${otherWorker.userId}, 'worker')`;
  const listingA = (await publishListing(t, adminA, coopA)).id;
  await setSchedule(t, adminA, listingA);
  const listingB = (await publishListing(t, adminB, coopB)).id;
  return { t, steward, adminA, worker, otherWorker, adminB, client, otherClient, coopA, coopB, listingA, listingB };
}

let hour = 30;
const made: string[] = [];
/** A booking of `who` at co-op A, each at a new hour. */
export async function bookAt(w: ConversationWorld, who: SignedIn, over: Record<string, unknown> = {}) {
  const res = await w.t.app.inject({ method: 'POST', url: '/bookings', headers: who.auth, payload: bookingBody(w.listingA, hourFromNow(hour++), over) });
  expect(res.statusCode, res.body).toBe(201);
  made.push(res.json().id);
  return res.json() as { id: string };
}

/** The co-op declines the bookings made so far (a client has at most 3 open on a listing). */
export async function declineAll(w: ConversationWorld) {
  for (const id of made.splice(0)) {
    await w.t.app.inject({ method: 'POST', url: `/bookings/${id}/decline`, headers: w.adminA.auth, payload: { reason: 'Complet ce jour-là' } });
  }
}

export async function start(w: ConversationWorld, who: SignedIn, body: string, listingId?: string) {
  const res = await w.t.app.inject({ method: 'POST', url: '/conversations', headers: who.auth, payload: { coopId: w.coopA, listingId: listingId ?? w.listingA, body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { conversation: { id: string; subject: string; unread: number }; feed: { type: string; message?: { body: string | null } }[] };
}

export async function post(w: ConversationWorld, who: SignedIn, id: string, body: string, offer?: unknown) {
  return w.t.app.inject({ method: 'POST', url: `/conversations/${id}/messages`, headers: who.auth, payload: { body, ...(offer ? { offer } : {}) } });
}

export async function unreadOf(w: ConversationWorld, who: SignedIn): Promise<number> {
  const res = await w.t.app.inject({ method: 'GET', url: '/me/waiting', headers: who.auth });
  expect(res.statusCode).toBe(200);
  return res.json().unreadMessages as number;
}
