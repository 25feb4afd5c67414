/**
 * Issue 14, conversations, what an attack found: posting while someone marks the conversation read
 * never deadlocks; a worker of one visit of a series is in its conversation only while the visit is
 * live and not long past; resolved reports give stewards nothing; a steward who is a party does not
 * moderate; emails go only to people still in the conversation; invisible or NUL text is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';
import { onboardCoop, publishListing, setSchedule } from '../support/fixtures.js';
import { errorOf, type SignedIn } from '../support/test-app.js';
import { bookAt, conversationWorld, declineAll, post, start, unreadOf, type ConversationWorld } from '../support/conversation-world.js';

let w: ConversationWorld;
beforeAll(async () => { w = await conversationWorld(); }, 120_000);
afterAll(() => w?.t.close());

const MINUTE = 60_000;
const get = (url: string, who: SignedIn) => w.t.app.inject({ method: 'GET', url, headers: who.auth });
const read = (c: string, who: SignedIn) => w.t.app.inject({ method: 'POST', url: `/conversations/${c}/read`, headers: who.auth });
const hide = (m: string, who: SignedIn) => w.t.app.inject({ method: 'POST', url: `/messages/${m}/hide`, headers: who.auth, payload: { reason: 'Propos insultants' } });
const report = (m: string, who: SignedIn) => w.t.app.inject({ method: 'POST', url: `/messages/${m}/report`, headers: who.auth, payload: { reason: 'Grossier' } });

describe('posting while others read', () => {
  it('never deadlocks: every post and read answers 2xx and every message is kept', async () => {
    for (let round = 0; round < 8; round++) {
      const b = await bookAt(w, w.client);
      const c = (await get(`/bookings/${b.id}/conversation`, w.client)).json().conversation.id as string;
      const res = await Promise.all([post(w, w.client, c, `Client ${round}`), read(c, w.adminA), post(w, w.adminA, c, `Admin ${round}`), read(c, w.client)]);
      expect(res.map((r) => r.statusCode), res.map((r) => r.body).join('\n')).toEqual([201, 200, 201, 200]);
      const feed = (await get(`/conversations/${c}`, w.client)).json().feed.filter((i: { type: string }) => i.type === 'message');
      expect(feed).toHaveLength(2);
      if (round % 3 === 2) await declineAll(w);
    }
    await declineAll(w);
  });
});

describe('stewards', () => {
  it('lose a conversation once its reports are resolved', async () => {
    const c = (await start(w, w.client, 'Bonjour, rapport')).conversation.id;
    const rude = (await post(w, w.adminA, c, 'Grossier')).json().id as string;
    expect((await report(rude, w.client)).statusCode).toBe(200);
    expect((await get(`/conversations/${c}`, w.steward)).statusCode).toBe(200);
    expect((await hide(rude, w.steward)).statusCode).toBe(200);
    expect((await get(`/conversations/${c}`, w.steward)).statusCode).toBe(404);
    expect((await get('/conversations?reported=true', w.steward)).json().conversations.map((x: { id: string }) => x.id)).not.toContain(c);
    const other = (await post(w, w.adminA, c, 'Encore')).json().id as string;
    expect((await hide(other, w.steward)).statusCode).toBe(404);
  });

  it('who is a party to a conversation does not moderate it', async () => {
    const c = (await start(w, w.steward, 'Bonjour, je suis cliente')).conversation.id;
    const mine = (await get(`/conversations/${c}`, w.steward)).json().feed[0].message.id as string;
    expect((await post(w, w.adminA, c, 'Réponse')).statusCode).toBe(201);
    expect((await report(mine, w.adminA)).statusCode).toBe(200);
    const seen = (await get(`/conversations/${c}`, w.steward)).json();
    expect(seen.can.hide).toBe(false);
    expect(seen.reports).toEqual([]);
    expect([403, 404]).toContain((await hide(mine, w.steward)).statusCode);
    const still = (await get(`/conversations/${c}`, w.adminA)).json();
    expect(still.feed.find((i: { message?: { id: string } }) => i.message?.id === mine).message.hidden).toBe(false);
  });
});

describe('emails', () => {
  it('a worker taken off the booking gets neither the pending email nor the follow-up', async () => {
    const b = await bookAt(w, w.client);
    expect((await w.t.app.inject({ method: 'PUT', url: `/bookings/${b.id}/workers`, headers: w.adminA.auth, payload: { userIds: [w.worker.userId] } })).statusCode).toBe(200);
    const c = (await get(`/bookings/${b.id}/conversation`, w.client)).json().conversation.id as string;
    expect((await post(w, w.client, c, 'Premier')).statusCode).toBe(201);
    expect((await post(w, w.client, c, 'Le code est 4321')).statusCode).toBe(201);
    const off = await w.t.app.inject({ method: 'PUT', url: `/bookings/${b.id}/workers`, headers: w.adminA.auth, payload: { userIds: [], reason: 'Plus disponible' } });
    expect(off.statusCode, off.body).toBe(200);
    await dispatchOutbox(w.t.db, w.t.mailer, { webOrigin: w.t.config.webOrigin });
    await dispatchOutbox(w.t.db, w.t.mailer, { webOrigin: w.t.config.webOrigin, now: new Date(Date.now() + 20 * MINUTE) });
    const mails = (await w.t.mailer.list()).filter((m) => m.text.includes(`/messages/${c}`));
    expect(mails.filter((m) => m.to === w.worker.email)).toEqual([]);
    // The others still get theirs.
    expect(mails.filter((m) => m.to === w.adminA.email).length).toBeGreaterThan(0);
    await declineAll(w);
  });
});

describe('bad text', () => {
  it('a message of invisible characters only is required; a NUL is refused on its field', async () => {
    const c = (await start(w, w.otherClient, 'Hello')).conversation.id;
    for (const body of ['\u200b\u200b', '\u2060', '\ufeff \u200d', '\u00a0\u3000\u200c']) {
      const res = await post(w, w.otherClient, c, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).fields?.body?.[0]?.code).toBe('required');
    }
    expect((await post(w, w.otherClient, c, 'ok\u200b')).statusCode).toBe(201);
    const nul = await w.t.app.inject({ method: 'POST', url: `/conversations/${c}/messages`, headers: { ...w.otherClient.auth, 'content-type': 'application/json' }, payload: '{"body":"a\\u0000b"}' });
    expect(nul.statusCode).toBe(400);
    expect(errorOf(nul).fields?.body?.[0]?.code).toBe('invalid_value');
    const m = (await post(w, w.adminA, c, 'Réponse')).json().id as string;
    const bad = await w.t.app.inject({ method: 'POST', url: `/messages/${m}/report`, headers: { ...w.otherClient.auth, 'content-type': 'application/json' }, payload: '{"reason":"bad\\u0000"}' });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).fields?.reason?.[0]?.code).toBe('invalid_value');
  });
});

describe("a worker of one visit of a series", () => {
  it('is in its conversation while the visit is live and for 7 days after it, not after, nor once it is cancelled', async () => {
    const weekly = (await publishListing(w.t, w.adminA, w.coopA, { titleFr: 'Chaque semaine', titleEn: 'Weekly', priceKind: 'fixed', priceCents: 9_000 })).id;
    await setSchedule(w.t, w.adminA, weekly, { horizonDays: 366, seriesFrequencies: ['weekly'] });
    await onboardCoop(w.t, w.adminA, w.coopA);
    const d = new Date(Date.now() + 10 * 7 * 86_400_000);
    d.setUTCHours(15, 0, 0, 0);
    const made = await w.t.app.inject({ method: 'POST', url: '/series', headers: w.client.auth, payload: { listingId: weekly, startsAt: d.toISOString(), frequency: 'weekly', count: 3, address: '123 rue Test', contactName: 'Claire', contactEmail: 'claire@example.org' } });
    expect(made.statusCode, made.body).toBe(201);
    const series = made.json();
    const accepted = await w.t.app.inject({ method: 'POST', url: `/series/${series.id}/accept`, headers: w.adminA.auth, payload: {} });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const visit = series.visits[0].bookingId as string;
    const assign = await w.t.app.inject({ method: 'PUT', url: `/bookings/${visit}/workers`, headers: w.adminA.auth, payload: { userIds: [w.otherWorker.userId] } });
    expect(assign.statusCode, assign.body).toBe(200);
    const c = (await get(`/series/${series.id}/conversation`, w.client)).json().conversation.id as string;
    const sees = async () => (await get(`/series/${series.id}/conversation`, w.otherWorker)).statusCode;
    const listed = async () => (await get('/conversations', w.otherWorker)).json().conversations.some((x: { id: string }) => x.id === c);
    // Listed once someone wrote in it.
    expect((await post(w, w.client, c, 'Bonjour')).statusCode).toBe(201);
    expect(await sees()).toBe(200);
    expect(await listed()).toBe(true);

    // The visit ended two days ago: still in it.
    const endedAgo = (days: number) => w.t.database.sql`UPDATE bookings SET starts_at = now() - make_interval(days => ${days}) - interval '2 hours',
      ends_at = now() - make_interval(days => ${days}), blocked_until = now() - make_interval(days => ${days}) WHERE id = ${visit}`;
    await endedAgo(2);
    expect(await sees()).toBe(200);
    // More than 7 days ago: out of it, in every count and list, and not emailed.
    await endedAgo(8);
    expect(await sees()).toBe(404);
    expect(await listed()).toBe(false);
    const before = await unreadOf(w, w.otherWorker);
    expect((await post(w, w.client, c, 'Nouveau code : 1234')).statusCode).toBe(201);
    expect(await unreadOf(w, w.otherWorker)).toBe(before);
    const lines = await get(`/bookings?as=coop&coopId=${w.coopA}&scope=all`, w.otherWorker);
    expect(lines.json().items.find((b: { id: string }) => b.id === visit)?.unreadMessages ?? 0).toBe(0);
    await dispatchOutbox(w.t.db, w.t.mailer, { webOrigin: w.t.config.webOrigin, now: new Date(Date.now() + 20 * MINUTE) });
    expect((await w.t.mailer.list()).filter((m) => m.to === w.otherWorker.email && m.text.includes(`/messages/${c}`))).toEqual([]);
    // A cancelled visit is not live, even a coming one.
    await endedAgo(-30);
    expect(await sees()).toBe(200);
    await w.t.database.sql`UPDATE bookings SET state = 'cancelled' WHERE id = ${visit}`;
    expect(await sees()).toBe(404);
  });
});
