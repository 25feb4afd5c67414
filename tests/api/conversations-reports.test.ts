/**
 * Issue 14, conversations: anyone in a conversation may report a message, once; stewards see the
 * reported conversations only, with the reports, and may hide a message (its reports resolved);
 * a hidden message's body is null for everyone but stewards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '../support/test-app.js';
import { conversationWorld, post, start, type ConversationWorld } from '../support/conversation-world.js';

let w: ConversationWorld;
beforeAll(async () => { w = await conversationWorld(); }, 120_000);
afterAll(() => w?.t.close());

const get = (url: string, who = w.steward) => w.t.app.inject({ method: 'GET', url, headers: who.auth });

describe('reports and hiding', () => {
  it('a report shows the conversation to stewards; hiding it resolves the report and blanks the body for the others', async () => {
    const c = (await start(w, w.client, 'Bonjour')).conversation.id;
    const rude = await post(w, w.adminA, c, 'Un message grossier');
    const fine = await post(w, w.adminA, c, 'Un message correct');
    const messageId = rude.json().id as string;

    // Before any report: stewards neither list nor read it, nor hide in it.
    expect((await get('/conversations?reported=true')).json().conversations.map((x: { id: string }) => x.id)).not.toContain(c);
    expect((await get(`/conversations/${c}`)).statusCode).toBe(404);
    expect((await w.t.app.inject({ method: 'POST', url: `/messages/${messageId}/hide`, headers: w.steward.auth, payload: { reason: 'x' } })).statusCode).toBe(404);
    // Outsiders cannot report it.
    expect((await w.t.app.inject({ method: 'POST', url: `/messages/${messageId}/report`, headers: w.otherClient.auth, payload: { reason: 'Grossier' } })).statusCode).toBe(404);

    const report = await w.t.app.inject({ method: 'POST', url: `/messages/${messageId}/report`, headers: w.client.auth, payload: { reason: 'Grossier' } });
    expect(report.statusCode, report.body).toBe(200);
    const twice = await w.t.app.inject({ method: 'POST', url: `/messages/${messageId}/report`, headers: w.client.auth, payload: { reason: 'Encore' } });
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('already_reported');

    const listed = (await get('/conversations?reported=true')).json().conversations;
    expect(listed.map((x: { id: string }) => x.id)).toEqual([c]);
    expect(listed[0].reports).toBe(1);
    // reported=false is the steward's own conversations (none), not the reported ones.
    expect((await get('/conversations?reported=false')).json().conversations).toEqual([]);
    // Only stewards ask for reported conversations.
    expect((await get('/conversations?reported=true', w.adminA)).statusCode).toBe(403);
    const seen = (await get(`/conversations/${c}`)).json();
    expect(seen.reports).toMatchObject([{ messageId, reporterName: 'Claire Cliente', reason: 'Grossier', resolvedAt: null }]);
    expect(seen.can).toEqual({ post: false, offer: false, hide: true });
    // The client sees that she reported it, not the report list.
    const mine = (await get(`/conversations/${c}`, w.client)).json();
    expect(mine.reports).toEqual([]);
    expect(mine.feed.find((i: { message?: { id: string } }) => i.message?.id === messageId).message.reportedByMe).toBe(true);
    // A steward does not write in it; the admin cannot hide.
    expect((await post(w, w.steward, c, 'Je passe')).statusCode).toBe(403);
    expect((await w.t.app.inject({ method: 'POST', url: `/messages/${messageId}/hide`, headers: w.adminA.auth, payload: { reason: 'x' } })).statusCode).toBe(403);

    const hide = await w.t.app.inject({ method: 'POST', url: `/messages/${messageId}/hide`, headers: w.steward.auth, payload: { reason: 'Propos insultants' } });
    expect(hide.statusCode, hide.body).toBe(200);
    expect(hide.json()).toMatchObject({ id: messageId, hidden: true, body: 'Un message grossier' });
    expect((await get('/conversations?reported=true')).json().conversations).toEqual([]);
    // Its reports resolved, the steward has no more reason to read it.
    const [resolved] = await w.t.database.sql`SELECT resolved_at FROM message_reports WHERE message_id = ${messageId}`;
    expect(resolved!.resolved_at).not.toBeNull();
    expect((await get(`/conversations/${c}`)).statusCode).toBe(404);

    const forClient = (await get(`/conversations/${c}`, w.client)).json();
    const hidden = forClient.feed.find((i: { message?: { id: string } }) => i.message?.id === messageId).message;
    expect(hidden).toMatchObject({ hidden: true, body: null });
    expect(forClient.feed.find((i: { message?: { id: string } }) => i.message?.id === fine.json().id).message.body).toBe('Un message correct');
    // The list's preview skips the hidden message.
    const line = (await get('/conversations', w.client)).json().conversations.find((x: { id: string }) => x.id === c);
    expect(line.lastMessage.preview).toBe('Un message correct');
  });
});
