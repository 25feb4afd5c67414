/**
 * Issue 14, conversations of regular visits: one per series, its visits answer the series' own,
 * the series' changes are in its feed, its team is in it; a series booked from an inquiry carries it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboardCoop, publishListing, setSchedule } from '../support/fixtures.js';
import { errorOf } from '../support/test-app.js';
import { conversationWorld, post, start, unreadOf, type ConversationWorld } from '../support/conversation-world.js';

let w: ConversationWorld;
let weekly: string;
beforeAll(async () => {
  w = await conversationWorld();
  await onboardCoop(w.t, w.adminA, w.coopA);
  weekly = (await publishListing(w.t, w.adminA, w.coopA, { titleFr: 'Ménage chaque semaine', titleEn: 'Weekly cleaning', priceKind: 'fixed', priceCents: 9_000 })).id;
  await setSchedule(w.t, w.adminA, weekly, { horizonDays: 366, seriesFrequencies: ['weekly'] });
}, 120_000);
afterAll(() => w?.t.close());

let week = 2;
const seriesBody = (over: Record<string, unknown> = {}) => {
  const d = new Date(Date.now() + (week += 4) * 7 * 86_400_000);
  d.setUTCHours(15, 0, 0, 0);
  return { listingId: weekly, startsAt: d.toISOString(), frequency: 'weekly', count: 3, address: '123 rue Test', contactName: 'Claire', contactEmail: 'claire@example.org', ...over };
};

describe("a series' conversation", () => {
  it('is made from an inquiry, answered for its visits too, and shows the series changes', async () => {
    const c = (await start(w, w.client, 'Chaque semaine, possible ?', weekly)).conversation.id;
    const made = await w.t.app.inject({ method: 'POST', url: '/series', headers: w.client.auth, payload: seriesBody({ conversationId: c }) });
    expect(made.statusCode, made.body).toBe(201);
    const series = made.json();
    const accepted = await w.t.app.inject({ method: 'POST', url: `/series/${series.id}/accept`, headers: w.adminA.auth, payload: {} });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const team = await w.t.app.inject({ method: 'PUT', url: `/series/${series.id}/workers`, headers: w.adminA.auth, payload: { userIds: [w.worker.userId] } });
    expect(team.statusCode, team.body).toBe(200);

    const ofSeries = await w.t.app.inject({ method: 'GET', url: `/series/${series.id}/conversation`, headers: w.client.auth });
    expect(ofSeries.statusCode, ofSeries.body).toBe(200);
    expect(ofSeries.json().conversation).toMatchObject({ id: c, subject: 'series', seriesId: series.id });
    const kinds = ofSeries.json().feed.map((i: { type: string; event?: { kind: string }; message?: { body: string } }) => (i.type === 'message' ? `m:${i.message!.body}` : `${i.type}:${i.event!.kind}`));
    expect(kinds[0]).toBe('m:Chaque semaine, possible ?');
    expect(kinds).toContain('series_event:accepted');

    // A visit of the series answers the series' conversation, for the client and the team.
    const visit = series.visits[0].bookingId as string;
    const ofVisit = await w.t.app.inject({ method: 'GET', url: `/bookings/${visit}/conversation`, headers: w.worker.auth });
    expect(ofVisit.statusCode, ofVisit.body).toBe(200);
    expect(ofVisit.json().conversation.id).toBe(c);
    const before = await unreadOf(w, w.worker);
    expect((await post(w, w.client, c, 'La clé est chez la voisine')).statusCode).toBe(201);
    expect(await unreadOf(w, w.worker)).toBe(before + 1);
    const lines = await w.t.app.inject({ method: 'GET', url: `/bookings?as=coop&coopId=${w.coopA}&scope=all`, headers: w.worker.auth });
    expect(lines.json().items.find((b: { id: string }) => b.id === visit)?.unreadMessages).toBe(1);

    // Not the other worker, another client or another co-op.
    for (const who of [w.otherWorker, w.otherClient, w.adminB]) {
      expect((await w.t.app.inject({ method: 'GET', url: `/series/${series.id}/conversation`, headers: who.auth })).statusCode).toBe(404);
      expect((await w.t.app.inject({ method: 'GET', url: `/bookings/${visit}/conversation`, headers: who.auth })).statusCode).toBe(404);
    }
  });

  it("an inquiry already bound, or another co-op's, cannot be booked from", async () => {
    const elsewhere = await w.t.app.inject({ method: 'POST', url: '/conversations', headers: w.client.auth, payload: { coopId: w.coopB, body: 'Bonjour B' } });
    const res = await w.t.app.inject({ method: 'POST', url: '/series', headers: w.client.auth, payload: seriesBody({ conversationId: elsewhere.json().conversation.id }) });
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).fields?.conversationId?.[0]?.code).toBe('not_your_conversation');
  });
});
