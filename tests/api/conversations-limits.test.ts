/**
 * Issue 14, conversations, bad input and load: stated limits (1..4000 characters after trimming),
 * field errors for empty, long and malformed input, bad ids, text kept verbatim (HTML, unicode),
 * and posting limited per person (20 a minute).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, signUp } from '../support/test-app.js';
import { conversationWorld, post, start, type ConversationWorld } from '../support/conversation-world.js';

let w: ConversationWorld;
beforeAll(async () => { w = await conversationWorld(); }, 120_000);
afterAll(() => w?.t.close());

describe('bad input', () => {
  it('answers empty, blank, too long and mistyped bodies with field errors, writing nothing', async () => {
    const c = (await start(w, w.client, 'Bonjour')).conversation.id;
    const count = async () => (await w.t.database.sql`SELECT count(*)::int AS n FROM messages`)[0]!.n as number;
    const before = await count();
    for (const [body, code] of [['', 'required'], ['   \n\t ', 'required'], ['x'.repeat(4001), 'too_long']] as const) {
      const res = await post(w, w.client, c, body);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).fields?.body?.[0]?.code).toBe(code);
    }
    expect(errorOf(await post(w, w.client, c, 'x'.repeat(4001))).fields?.body?.[0]).toMatchObject({ maximum: 4000 });
    const typed = await w.t.app.inject({ method: 'POST', url: `/conversations/${c}/messages`, headers: w.client.auth, payload: { body: 42 } });
    expect(typed.statusCode).toBe(400);
    const start400 = await w.t.app.inject({ method: 'POST', url: '/conversations', headers: w.client.auth, payload: { coopId: 'pas-un-id', body: '' } });
    expect(start400.statusCode).toBe(400);
    expect(Object.keys(errorOf(start400).fields ?? {}).sort()).toEqual(['body', 'coopId']);
    const report = await w.t.app.inject({ method: 'POST', url: `/messages/${(await post(w, w.adminA, c, 'ok')).json().id}/report`, headers: w.client.auth, payload: { reason: 'r'.repeat(1001) } });
    expect(errorOf(report).fields?.reason?.[0]?.code).toBe('too_long');
    expect(await count()).toBe(before + 1);
    // 4000 characters after trimming is fine.
    expect((await post(w, w.client, c, `  ${'y'.repeat(4000)}  `)).statusCode).toBe(201);
  });

  it('answers bad and unknown ids with 400 and 404, never 500', async () => {
    for (const url of ['/conversations/nope', '/conversations/00000000-0000-0000-0000-000000000000', "/conversations/'%20OR%201=1", '/bookings/xyz/conversation', '/series/00000000-0000-0000-0000-000000000000/conversation']) {
      const res = await w.t.app.inject({ method: 'GET', url, headers: w.client.auth });
      expect([400, 404]).toContain(res.statusCode);
    }
    const missing = await w.t.app.inject({ method: 'POST', url: '/messages/00000000-0000-0000-0000-000000000000/report', headers: w.client.auth, payload: { reason: 'x' } });
    expect(missing.statusCode).toBe(404);
    const unknownCoop = await w.t.app.inject({ method: 'POST', url: '/conversations', headers: w.client.auth, payload: { coopId: '00000000-0000-0000-0000-000000000000', body: 'x' } });
    expect(unknownCoop.statusCode).toBe(404);
    const otherListing = await w.t.app.inject({ method: 'POST', url: '/conversations', headers: w.client.auth, payload: { coopId: w.coopA, listingId: w.listingB, body: 'x' } });
    expect(otherListing.statusCode).toBe(400);
    expect(errorOf(otherListing).fields?.listingId?.[0]?.code).toBe('not_coop_listing');
  });

  it('keeps HTML and unicode as written', async () => {
    const text = '<img src=x onerror=alert(1)> 👩🏽‍💻 \u202eRTL\u202c تنظيف Ménage\nligne 2';
    const c = (await start(w, w.otherClient, text)).conversation.id;
    const view = (await w.t.app.inject({ method: 'GET', url: `/conversations/${c}`, headers: w.adminA.auth })).json();
    expect(view.feed.at(-1).message.body).toBe(text);
    expect(view.conversation.clientName).toBe('Olivier A.');
  });
});

describe('rate limit', () => {
  it('lets one person post 20 messages a minute, then answers 429; others are not held back', async () => {
    const client = await signUp(w.t.app, { name: 'Vite Vite' });
    const c = (await start(w, client, 'Un')).conversation.id;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await post(w, client, c, `message ${i}`)).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect((await post(w, w.adminA, c, 'La coop répond')).statusCode).toBe(201);
  });
});
