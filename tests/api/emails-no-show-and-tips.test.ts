/**
 * The emails of a no-show and of a tip (issue 16): the client marked absent is told what the
 * listing's policy kept and refunded, to the cent as her booking's payment shows it; a tip paid
 * thanks the client (amount, no fee, no tax, her receipt) and tells each worker on the visit her
 * share. Each through the outbox, once, in the recipient's language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '@tissu/shared';
import { createTestApp, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { payBooking, startBooking } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { saveCard } from '../support/series-payments-world.js';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
let amina: SignedIn, wes: SignedIn;
const next = slots(72);
const webOrigin = 'https://tissu.example';
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const fr = (c: number) => plain(formatMoney(c, 'fr'));

beforeAll(async () => {
  t = await createTestApp();
  // 135.00 $ registered for GST and QST (15 522 paid); absent: half the service kept.
  w = await paymentsWorld(t, { schedule: { noShowPercent: 50 } });
  kit = w.kit;
  amina = await signUp(t.app, { name: 'Amina Diallo', locale: 'fr' });
  wes = await signUp(t.app, { name: 'Wes Worker', locale: 'en' });
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${w.coopId}, ${amina.userId}, 'worker'), (${w.coopId}, ${wes.userId}, 'worker')`;
}, 120_000);
afterAll(() => t?.close());

async function paidVisit(client: SignedIn, team: SignedIn[]) {
  const b = await kit.book(client, w.listingId, next());
  await kit.accept(w.admin, b.id);
  await payBooking(t, client, b.id);
  const put = await kit.put(`/bookings/${b.id}/workers`, w.admin, { userIds: team.map((x) => x.userId) });
  expect(put.statusCode, put.body).toBe(200);
  await startBooking(t, b.id, 120);
  return b.id as string;
}
/** What was sent to her about this booking (`id` in its text), or with no such link (a worker's tip share) all of hers. */
const sentTo = async (who: SignedIn, id: string | null) => {
  await dispatchOutbox(t.db, t.mailer, { webOrigin });
  return (await t.mailer.list()).filter((m) => m.to === who.email && (id === null || m.text.includes(id))).map((m) => ({ ...m, text: plain(m.text) }));
};

describe('a no-show', () => {
  it('tells the client what was kept and refunded, to the cent, with a link to the booking; once', async () => {
    const client = await signUp(t.app, { locale: 'fr' });
    const id = await paidVisit(client, [amina]);
    const marked = await kit.post(`/bookings/${id}/no-show`, w.admin, { reason: 'Personne à la porte à 9 h 15' });
    expect(marked.statusCode, marked.body).toBe(200);
    const payment = (await kit.get(`/bookings/${id}/payment`, client)).json();
    const refunded = payment.refunds.reduce((s: number, r: { totalCents: number }) => s + r.totalCents, 0);
    expect(refunded).toBeGreaterThan(0);
    const kept = 15_522 - refunded;
    const mails = await sentTo(client, id);
    const noShow = mails.filter((m) => m.subject.startsWith('Absence constatée'));
    expect(noShow).toHaveLength(1);
    const text = noShow[0]!.text;
    expect(text).toContain(`50 % du service retenu en cas d’absence), ${fr(kept)} sont retenus et ${fr(refunded)} vous sont remboursés, taxes comprises`);
    expect(text).toContain(`${webOrigin}/bookings/${id}`);
    // The co-op's reason, said once.
    expect(text.split('Personne à la porte à 9 h 15')).toHaveLength(2);
    // The worker is not sent the client's money.
    expect((await sentTo(amina, id)).filter((m) => m.subject.startsWith('Absence'))).toEqual([]);
    // Dispatched again: nothing more.
    expect((await sentTo(client, id)).filter((m) => m.subject.startsWith('Absence constatée'))).toHaveLength(1);
  });
});

describe('a tip paid', () => {
  it('thanks the client with her receipt and tells each worker her share, in her language, once', async () => {
    const client = await signUp(t.app, { locale: 'fr' });
    await saveCard(t, client);
    const id = await paidVisit(client, [amina, wes]);
    expect((await kit.post(`/bookings/${id}/complete`, w.admin, { hours: [] })).statusCode).toBe(200);
    const given = await kit.post(`/bookings/${id}/tip`, client, { amountCents: 2_001 });
    expect(given.statusCode, given.body).toBe(200);
    await t.stripe.webhooks.idle();
    expect(given.json().status === 'paid' || (await kit.get(`/bookings/${id}/tip`, client)).json().tip.status === 'paid').toBe(true);

    const thanks = (await sentTo(client, id)).filter((m) => m.subject.startsWith('Merci pour votre pourboire'));
    expect(thanks).toHaveLength(1);
    expect(thanks[0]!.text).toContain(`Votre pourboire de ${fr(2_001)}`);
    expect(thanks[0]!.text).toContain('aucuns frais de plateforme, aucune taxe');
    expect(thanks[0]!.text).toContain(`${webOrigin}/bookings/${id}/receipt`);

    // 20.01 $ between two: 10.01 / 10.00, the cent to the lower user id (as the tips statement splits it).
    const [first, second] = [amina, wes].sort((a, b) => (a.userId < b.userId ? -1 : 1));
    const shareOf = async (who: SignedIn) => {
      const got = (await sentTo(who, null)).filter((m) => /pourboire pour|tip for/.test(m.subject));
      expect(got, who.email).toHaveLength(1);
      return got[0]!;
    };
    const a = await shareOf(amina);
    const e = await shareOf(wes);
    expect(a.subject).toMatch(/^Un pourboire pour /);
    expect(e.subject).toMatch(/^A tip for /);
    expect(a.text).toContain(`Votre part : ${fr(amina === first ? 1_001 : 1_000)} (partagé à parts égales entre 2 personnes)`);
    expect(e.text).toContain(`Your share: ${plain(formatMoney(wes === second ? 1_000 : 1_001, 'en'))}`);
    expect(a.text).toContain(`${webOrigin}/visits`);
    // Neither is told the price of the visit.
    expect(a.text).not.toContain(fr(15_522));
  });
});
