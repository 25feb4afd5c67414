/**
 * The end email, to the client: it lists no visit on or after the end's date (those it cancelled),
 * only the ones still to come before it, and it says what the paid visits it cancelled were
 * refunded. The paid visits are cancelled and refunded after the end's commit, so the email may be
 * written while they are still live (the mail worker wakes at the commit): it must not read them
 * as coming then, and it says how they are refunded without a figure it does not know yet.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '@tissu/shared';
import { createSeriesService } from '../../server/src/modules/series/index.js';
import { createTestApp, type SignedIn, type TestApp } from '../support/test-app.js';
import { seriesPaymentsWorld } from '../support/series-payments-world.js';
import { payBooking } from '../support/fixtures.js';

let t: TestApp;
const TORONTO = 'America/Toronto';
const squeeze = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const dateOf = async (bookingId: string) => (await t.database.sql<{ d: string }[]>`SELECT series_date::text AS d FROM bookings WHERE id = ${bookingId}`)[0]!.d;
/** "lundi 7 décembre 2026": how the visits' lines and dates read in French. */
const dayFr = (date: string) => DateTime.fromISO(date, { zone: TORONTO }).setLocale('fr-CA').toFormat('d LLLL yyyy');
const endMail = async (seriesId: string, who: SignedIn) => {
  const found = (await t.sentMail()).filter((m) => m.to === who.email && m.text.includes(`/series/${seriesId}`) && /^Fin des visites régulières/.test(m.subject));
  expect(found).toHaveLength(1);
  return squeeze(found[0]!.text);
};

/** Four weekly visits, the second and third paid; the end is from the second's date. */
async function world() {
  const w = await seriesPaymentsWorld(t, 4);
  await payBooking(t, w.client, w.visits[1]!.id);
  await payBooking(t, w.client, w.visits[2]!.id);
  const dates = await Promise.all(w.visits.map((v) => dateOf(v.id)));
  return { ...w, dates, from: dates[1]! };
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the end email', () => {
  it('written before the paid visits are cancelled: lists only the visit before the end, and says the paid ones are refunded by the policy', async () => {
    const w = await world();
    // The end's own transaction alone (what the mail worker can read once it commits): the paid
    // visits are still paid.
    const series = createSeriesService({ db: t.db });
    await series.end({ userId: w.client.userId, sessionId: 'test', isSteward: false, emailVerified: true }, w.series.id, { from: w.from });
    const paid = await t.database.sql<{ state: string }[]>`SELECT state FROM bookings WHERE id IN ${t.database.sql([w.visits[1]!.id, w.visits[2]!.id])}`;
    expect(paid.map((p) => p.state)).toEqual(['paid', 'paid']);

    const text = await endMail(w.series.id, w.client);
    expect(text).toContain(`la dernière possible est le ${dayFr(DateTime.fromISO(w.from).minus({ days: 1 }).toISODate()!)}`);
    expect(text).toContain('Prochaines visites :');
    expect(text).toContain(dayFr(w.dates[0]!));
    for (const d of w.dates.slice(1)) expect(text).not.toContain(dayFr(d));
    expect(text).toContain('remboursées selon la politique d’annulation');
  });

  it('written after the refunds: gives their total, taxes included, from the refunds themselves; the co-op\'s end refunds in full', async () => {
    const w = await world();
    const res = await t.app.inject({ method: 'POST', url: `/series/${w.series.id}/end`, headers: w.admin.auth, payload: { from: w.from, reason: 'Équipe réduite' } });
    expect(res.statusCode, res.body).toBe(200);
    const [r] = await t.database.sql<{ n: number; c: number }[]>`
      SELECT coalesce(sum(total_cents), 0)::int AS n, count(*)::int AS c FROM refunds WHERE booking_id IN ${t.database.sql([w.visits[1]!.id, w.visits[2]!.id])}`;
    expect(r!.c).toBe(2);
    expect(r!.n).toBeGreaterThan(0);

    const text = await endMail(w.series.id, w.client);
    expect(text).toContain(`Remboursé pour les 2 visites payées annulées : ${squeeze(formatMoney(r!.n, 'fr'))}, taxes comprises.`);
    expect(text).toContain(dayFr(w.dates[0]!));
    for (const d of w.dates.slice(1)) expect(text).not.toContain(dayFr(d));
  });
});
