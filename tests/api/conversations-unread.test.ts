/**
 * Issue 14, conversations: unread counts per person (the header's total and the booking line's),
 * a booking's feed of messages and state changes in time order, and who is in a booking's
 * conversation: its client, the co-op's admins and the workers assigned to it, nobody else.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/test-app.js';
import { bookAt, conversationWorld, declineAll, post, unreadOf, type ConversationWorld } from '../support/conversation-world.js';

let w: ConversationWorld;
beforeAll(async () => { w = await conversationWorld(); }, 120_000);
afterAll(() => w?.t.close());
afterEach(() => declineAll(w));

const conversationOf = async (bookingId: string, who = w.client) => {
  const res = await w.t.app.inject({ method: 'GET', url: `/bookings/${bookingId}/conversation`, headers: who.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const lineOf = async (bookingId: string, who = w.client, query = 'as=client') => {
  const res = await w.t.app.inject({ method: 'GET', url: `/bookings?${query}&scope=all`, headers: who.auth });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { id: string; unreadMessages: number }[]).find((b) => b.id === bookingId);
};

describe("a booking's conversation", () => {
  it('shows messages and state changes in one feed, in time order', async () => {
    const b = await bookAt(w, w.client);
    const c = (await conversationOf(b.id)).conversation.id;
    expect((await post(w, w.client, c, 'Le code est 1234')).statusCode).toBe(201);
    const decline = await w.t.app.inject({ method: 'POST', url: `/bookings/${b.id}/decline`, headers: w.adminA.auth, payload: { reason: 'Complet ce jour-là' } });
    expect(decline.statusCode, decline.body).toBe(200);
    expect((await post(w, w.adminA, c, 'Dommage, une autre fois')).statusCode).toBe(201);
    const feed = (await conversationOf(b.id)).feed as { type: string; at: string; message?: { body: string }; event?: { to: string } }[];
    expect(feed.map((i) => i.type === 'message' ? `m:${i.message!.body}` : `e:${i.event!.to}`)).toEqual(['e:requested', 'm:Le code est 1234', 'e:declined', 'm:Dommage, une autre fois']);
    const times = feed.map((i) => Date.parse(i.at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    // Messages never change the booking's state.
    const booking = await w.t.app.inject({ method: 'GET', url: `/bookings/${b.id}`, headers: w.client.auth });
    expect(booking.json().state).toBe('declined');
  });

  it('lists a booking\'s conversation only once someone wrote in it: opening the page makes no empty thread at the top (found by a walk)', async () => {
    const b = await bookAt(w, w.client);
    const c = (await conversationOf(b.id)).conversation.id;
    const listed = async () => ((await w.t.app.inject({ method: 'GET', url: '/conversations', headers: w.client.auth })).json().conversations as { id: string }[]).map((x) => x.id);
    expect(await listed()).not.toContain(c);
    expect((await post(w, w.adminA, c, 'Bonjour !')).statusCode).toBe(201);
    expect((await listed())[0]).toBe(c);
  });

  it('counts unread messages per person, in the header and on the booking line, and reading clears only her own', async () => {
    const b = await bookAt(w, w.client);
    const assign = await w.t.app.inject({ method: 'PUT', url: `/bookings/${b.id}/workers`, headers: w.adminA.auth, payload: { userIds: [w.worker.userId] } });
    expect(assign.statusCode, assign.body).toBe(200);
    const c = (await conversationOf(b.id)).conversation.id;
    const before = { client: await unreadOf(w, w.client), admin: await unreadOf(w, w.adminA), worker: await unreadOf(w, w.worker) };
    expect((await post(w, w.client, c, 'Un')).statusCode).toBe(201);
    expect((await post(w, w.client, c, 'Deux')).statusCode).toBe(201);
    expect(await unreadOf(w, w.client)).toBe(before.client);
    expect(await unreadOf(w, w.adminA)).toBe(before.admin + 2);
    expect(await unreadOf(w, w.worker)).toBe(before.worker + 2);
    expect((await lineOf(b.id, w.adminA, `as=coop&coopId=${w.coopA}`))?.unreadMessages).toBe(2);
    expect((await lineOf(b.id, w.worker, `as=coop&coopId=${w.coopA}`))?.unreadMessages).toBe(2);
    expect((await lineOf(b.id))?.unreadMessages).toBe(0);

    expect((await post(w, w.worker, c, 'Je serai là')).statusCode).toBe(201);
    expect((await lineOf(b.id))?.unreadMessages).toBe(1);
    expect(await unreadOf(w, w.client)).toBe(before.client + 1);
    // Writing reads: the worker has read up to her own message.
    expect(await unreadOf(w, w.worker)).toBe(before.worker);
    expect(await unreadOf(w, w.adminA)).toBe(before.admin + 3);

    const read = await w.t.app.inject({ method: 'POST', url: `/conversations/${c}/read`, headers: w.adminA.auth });
    expect(read.statusCode).toBe(200);
    expect(await unreadOf(w, w.adminA)).toBe(before.admin);
    expect(await unreadOf(w, w.client)).toBe(before.client + 1);
    const list = await w.t.app.inject({ method: 'GET', url: '/conversations', headers: w.client.auth });
    expect(list.json().conversations.find((x: { id: string }) => x.id === c)).toMatchObject({ unread: 1, subject: 'booking', lastMessage: { preview: 'Je serai là', authorName: 'Amina Travailleuse' } });
  });

  it('a worker taken off the booking loses the conversation and her unread count', async () => {
    const b = await bookAt(w, w.client);
    const on = await w.t.app.inject({ method: 'PUT', url: `/bookings/${b.id}/workers`, headers: w.adminA.auth, payload: { userIds: [w.otherWorker.userId] } });
    expect(on.statusCode, on.body).toBe(200);
    const c = (await conversationOf(b.id)).conversation.id;
    const before = await unreadOf(w, w.otherWorker);
    await post(w, w.client, c, 'Bonjour');
    expect(await unreadOf(w, w.otherWorker)).toBe(before + 1);
    const off = await w.t.app.inject({ method: 'PUT', url: `/bookings/${b.id}/workers`, headers: w.adminA.auth, payload: { userIds: [], reason: 'Malade ce jour-là' } });
    expect(off.statusCode, off.body).toBe(200);
    expect(await unreadOf(w, w.otherWorker)).toBe(before);
    expect((await w.t.app.inject({ method: 'GET', url: `/conversations/${c}`, headers: w.otherWorker.auth })).statusCode).toBe(404);
    await post(w, w.client, c, 'Encore');
    const [row] = await w.t.database.sql`SELECT 1 FROM conversation_reads WHERE conversation_id = ${c} AND user_id = ${w.otherWorker.userId}`;
    expect(row).toBeUndefined();
  });

  it('a former admin of the co-op loses its conversations and their unread count', async () => {
    const second = await signUp(w.t.app, { name: 'Ancienne Admin' });
    await w.t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${w.coopA}, ${second.userId}, 'admin')`;
    const b = await bookAt(w, w.client);
    const c = (await conversationOf(b.id)).conversation.id;
    await post(w, w.client, c, 'Pour les admins');
    expect(await unreadOf(w, second)).toBe(1);
    const removed = await w.t.app.inject({ method: 'DELETE', url: `/coops/${w.coopA}/members/${second.userId}`, headers: w.adminA.auth });
    expect(removed.statusCode, removed.body).toBeLessThan(300);
    expect(await unreadOf(w, second)).toBe(0);
    expect((await w.t.app.inject({ method: 'GET', url: `/conversations/${c}`, headers: second.auth })).statusCode).toBe(404);
    expect((await w.t.app.inject({ method: 'GET', url: '/conversations', headers: second.auth })).json().total).toBe(0);
  });

  it('answers 404 to a worker not assigned, another co-op\'s admin and another client, and to stewards until a report', async () => {
    const b = await bookAt(w, w.client);
    const c = (await conversationOf(b.id)).conversation.id;
    for (const who of [w.otherWorker, w.adminB, w.otherClient, w.steward]) {
      expect((await w.t.app.inject({ method: 'GET', url: `/conversations/${c}`, headers: who.auth })).statusCode).toBe(404);
      expect((await w.t.app.inject({ method: 'GET', url: `/bookings/${b.id}/conversation`, headers: who.auth })).statusCode).toBe(404);
      expect((await post(w, who, c, 'intrus')).statusCode).toBe(404);
      expect((await w.t.app.inject({ method: 'POST', url: `/conversations/${c}/read`, headers: who.auth })).statusCode).toBe(404);
      const list = await w.t.app.inject({ method: 'GET', url: '/conversations', headers: who.auth });
      expect(list.json().conversations.map((x: { id: string }) => x.id)).not.toContain(c);
    }
    const theirs = await w.t.app.inject({ method: 'GET', url: `/conversations?coopId=${w.coopA}`, headers: w.adminB.auth });
    expect(theirs.statusCode).toBe(403);
  });

  it("an inquiry is between the client and the co-op's admins: workers do not see it", async () => {
    const res = await w.t.app.inject({ method: 'POST', url: '/conversations', headers: w.otherClient.auth, payload: { coopId: w.coopA, body: 'Question' } });
    const c = res.json().conversation.id;
    expect((await w.t.app.inject({ method: 'GET', url: `/conversations/${c}`, headers: w.worker.auth })).statusCode).toBe(404);
    const admin = await w.t.app.inject({ method: 'GET', url: `/conversations?coopId=${w.coopA}`, headers: w.adminA.auth });
    expect(admin.json().conversations.map((x: { id: string }) => x.id)).toContain(c);
    const worker = await w.t.app.inject({ method: 'GET', url: `/conversations?coopId=${w.coopA}`, headers: w.worker.auth });
    expect(worker.json().conversations.map((x: { id: string }) => x.id)).not.toContain(c);
  });
});
