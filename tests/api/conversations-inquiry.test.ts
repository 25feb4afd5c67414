/**
 * Issue 14, conversations: "Écrire à la coop" before booking, then the booking made from it carries
 * the conversation on; one open inquiry per client, co-op and listing, even when two starts race.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingBody, hourFromNow } from '../support/fixtures.js';
import { errorOf, signUp } from '../support/test-app.js';
import { conversationWorld, post, start, type ConversationWorld } from '../support/conversation-world.js';

let w: ConversationWorld;
beforeAll(async () => { w = await conversationWorld(); }, 120_000);
afterAll(() => w?.t.close());

describe('an inquiry before booking', () => {
  it('is one conversation per client, co-op and listing: writing again reuses it', async () => {
    const first = await start(w, w.client, 'Bonjour, venez-vous à Verdun ?');
    expect(first.conversation.subject).toBe('inquiry');
    const again = await start(w, w.client, 'Et le samedi ?');
    expect(again.conversation.id).toBe(first.conversation.id);
    expect(again.feed.filter((i) => i.type === 'message').map((i) => i.message!.body)).toEqual(['Bonjour, venez-vous à Verdun ?', 'Et le samedi ?']);
    // About the co-op itself (no listing): another conversation.
    const res = await w.t.app.inject({ method: 'POST', url: '/conversations', headers: w.client.auth, payload: { coopId: w.coopA, body: 'Une question générale' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().conversation.id).not.toBe(first.conversation.id);
    expect(res.json().conversation.title).toBe('Coop A');
  });

  it('two first messages at once make one inquiry', async () => {
    const [a, b] = await Promise.all([
      w.t.app.inject({ method: 'POST', url: '/conversations', headers: w.otherClient.auth, payload: { coopId: w.coopA, listingId: w.listingA, body: 'un' } }),
      w.t.app.inject({ method: 'POST', url: '/conversations', headers: w.otherClient.auth, payload: { coopId: w.coopA, listingId: w.listingA, body: 'deux' } }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().conversation.id).toBe(b.json().conversation.id);
    const n = (await w.t.database.sql`SELECT count(*)::int AS n FROM conversations WHERE client_id = ${w.otherClient.userId} AND listing_id = ${w.listingA}`)[0]!.n;
    expect(n).toBe(1);
    const m = (await w.t.database.sql`SELECT count(*)::int AS m FROM messages WHERE conversation_id = ${a.json().conversation.id}`)[0]!.m;
    expect(m).toBe(2);
  });

  it("the co-op's admin answers and may suggest a time; the client books from it and the booking's conversation holds the earlier messages", async () => {
    const client = await signUp(w.t.app, { name: 'Nadia Nouvelle' });
    const c = (await start(w, client, 'Disponible mardi ?')).conversation.id;
    const at = hourFromNow(50);
    const answer = await post(w, w.adminA, c, 'Oui, mardi à cette heure :', { listingId: w.listingA, startsAt: at });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json()).toMatchObject({ authorRole: 'coop_admin', authorName: 'Alice Admin', offer: { listingId: w.listingA, startsAt: at, listingTitle: 'Ménage résidentiel' } });

    const booked = await w.t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: bookingBody(w.listingA, at, { conversationId: c }) });
    expect(booked.statusCode, booked.body).toBe(201);
    const bookingId = booked.json().id as string;
    const conv = await w.t.app.inject({ method: 'GET', url: `/bookings/${bookingId}/conversation`, headers: client.auth });
    expect(conv.statusCode).toBe(200);
    const view = conv.json();
    expect(view.conversation).toMatchObject({ id: c, subject: 'booking', bookingId });
    expect(view.feed.filter((i: { type: string }) => i.type === 'message').map((i: { message: { body: string } }) => i.message.body)).toEqual(['Disponible mardi ?', 'Oui, mardi à cette heure :']);
    // The booking's own history is in the same feed, after the messages.
    expect(view.feed.at(-1)).toMatchObject({ type: 'booking_event', bookingId, event: { kind: 'created', to: 'requested' } });
    // Writing to the co-op again about the listing opens a new inquiry: the old one is the booking's now.
    expect((await start(w, client, 'Autre question')).conversation.id).not.toBe(c);
  });

  it("an inquiry about the co-op itself, once booked from, is about the booked service", async () => {
    const client = await signUp(w.t.app, { name: 'Gaëlle Générale' });
    const asked = await w.t.app.inject({ method: 'POST', url: '/conversations', headers: client.auth, payload: { coopId: w.coopA, body: 'Que proposez-vous ?' } });
    const c = asked.json().conversation.id as string;
    expect(asked.json().conversation).toMatchObject({ listingId: null, title: 'Coop A' });
    const booked = await w.t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: bookingBody(w.listingA, hourFromNow(80), { conversationId: c }) });
    expect(booked.statusCode, booked.body).toBe(201);
    const view = (await w.t.app.inject({ method: 'GET', url: `/conversations/${c}`, headers: client.auth })).json();
    expect(view.conversation).toMatchObject({ subject: 'booking', bookingId: booked.json().id, listingId: w.listingA, title: 'Ménage résidentiel' });
  });

  it("someone else's conversation cannot be booked from: a field error, and nothing is written", async () => {
    const theirs = (await start(w, w.otherClient, 'Bonjour')).conversation.id;
    const before = (await w.t.database.sql`SELECT count(*)::int AS n FROM bookings`)[0]!.n;
    const res = await w.t.app.inject({ method: 'POST', url: '/bookings', headers: w.client.auth, payload: bookingBody(w.listingA, hourFromNow(60), { conversationId: theirs }) });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).fields?.conversationId?.[0]?.code).toBe('not_your_conversation');
    const after = (await w.t.database.sql`SELECT count(*)::int AS n FROM bookings`)[0]!.n;
    expect(after).toBe(before);
    const [row] = await w.t.database.sql`SELECT booking_id FROM conversations WHERE id = ${theirs}`;
    expect(row!.booking_id).toBeNull();
  });

  it('offers: only a co-op admin, only in an inquiry, only for its own listing, only in the future', async () => {
    const c = (await start(w, w.client, 'Une offre ?')).conversation.id;
    const future = hourFromNow(70);
    expect((await post(w, w.client, c, 'moi', { listingId: w.listingA, startsAt: future })).statusCode).toBe(403);
    const other = await post(w, w.adminA, c, 'là', { listingId: w.listingB, startsAt: future });
    expect(other.statusCode).toBe(400);
    expect(errorOf(other).fields?.['offer.listingId']?.[0]?.code).toBe('not_coop_listing');
    const past = await post(w, w.adminA, c, 'hier', { listingId: w.listingA, startsAt: new Date(Date.now() - 3_600_000).toISOString() });
    expect(past.statusCode).toBe(400);
    expect(errorOf(past).fields?.['offer.startsAt']?.[0]?.code).toBe('time_in_past');
  });

  it('an offer names a free time of the service: on its slots, within its horizon, not already booked', async () => {
    const c = (await start(w, w.client, 'Quand êtes-vous libres ?')).conversation.id;
    const count = async () => (await w.t.database.sql`SELECT count(*)::int AS n FROM messages WHERE conversation_id = ${c}`)[0]!.n as number;
    const before = await count();
    const notFree = async (startsAt: string) => {
      const res = await post(w, w.adminA, c, 'à cette heure ?', { listingId: w.listingA, startsAt });
      expect(res.statusCode, startsAt).toBe(400);
      expect(errorOf(res).fields?.['offer.startsAt']?.[0]?.code).toBe('offer_time_not_free');
    };
    await notFree(new Date(Date.parse(hourFromNow(74)) + 7 * 60_000).toISOString()); // 7 past the hour: no slot starts then
    await notFree(hourFromNow(24 * 400)); // beyond the days it takes bookings for
    const taken = hourFromNow(96);
    const booked = await w.t.app.inject({ method: 'POST', url: '/bookings', headers: w.otherClient.auth, payload: bookingBody(w.listingA, taken) });
    expect(booked.statusCode, booked.body).toBe(201);
    await notFree(taken);
    expect(await count()).toBe(before); // nothing was written
  });

  it("a co-op's member cannot write to her own co-op as a client", async () => {
    const res = await w.t.app.inject({ method: 'POST', url: '/conversations', headers: w.worker.auth, payload: { coopId: w.coopA, body: 'test' } });
    expect(res.statusCode).toBe(403);
  });
});
