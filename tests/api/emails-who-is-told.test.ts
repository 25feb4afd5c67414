/**
 * Who is told what at each event of a booking (README, "Who is told what"): one outbox row per
 * person per event, queued in the transaction of the change, and what the email says about money.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';
import { createTestApp, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { bookingBody, hourFromNow, payBooking, startBooking } from '../support/fixtures.js';
import { paymentsWorld } from '../support/payments.js';

let t: TestApp;
let admin: SignedIn, admin2: SignedIn, client: SignedIn, worker: SignedIn;
let coopId: string, listingId: string;
const webOrigin = 'https://tissu.example';
let nextHour = 30;

beforeAll(async () => {
  t = await createTestApp();
  // 72.00 $ registered for GST and QST: 82.78 $ paid (3.60 + 7.18 of taxes).
  const w = await paymentsWorld(t, { priceCents: 7_200, schedule: { freeCancellationHours: 24, lateCancellationPercent: 50 } });
  ({ admin, client, coopId, listingId } = w);
  admin2 = await signUp(t.app, { name: 'Bea Admin', locale: 'en' });
  worker = await signUp(t.app, { name: 'Wes Worker', locale: 'fr' });
  await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coopId}, ${admin2.userId}, 'admin'), (${coopId}, ${worker.userId}, 'worker')`;
}, 120_000);
afterAll(() => t.close());
// Each test is another client: one person may hold only a few bookings open (OPEN_BOOKINGS_PER_LISTING).
beforeEach(async () => {
  client = await signUp(t.app);
});

const inject = async (method: 'POST' | 'PUT', url: string, who: SignedIn, payload: object = {}) => {
  const res = await t.app.inject({ method, url, headers: who.auth, payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
};
const book = async (who = client) => inject('POST', '/bookings', who, bookingBody(listingId, hourFromNow((nextHour += 3))));
const paid = async () => {
  const b = await book();
  await inject('POST', `/bookings/${b.id}/accept`, admin);
  await payBooking(t, client, b.id);
  return b as { id: string };
};

let seen = 0;
/** The messages queued since the last call, as "message → email", in the order queued. */
async function told(): Promise<string[]> {
  const rows = await t.database.sql`
    SELECT o.id, o.payload->>'message' AS message, u.email FROM outbox o JOIN users u ON u.id::text = o.payload->>'recipientId'
    WHERE o.id > ${seen} AND o.payload->>'type' = 'booking' AND o.payload->>'message' <> 'reminder' ORDER BY o.id`;
  if (rows.length) seen = Number(rows.at(-1)!.id);
  return rows.map((r) => `${r.message} → ${r.email}`).sort();
}
const to = (message: string, ...people: SignedIn[]) => people.map((p) => `${message} → ${p.email}`);
const sorted = (...lists: string[][]) => lists.flat().sort();

describe('who is told what', () => {
  it('a request: the client that it was sent, every admin that it waits for an answer', async () => {
    await told();
    await book();
    expect(await told()).toEqual(sorted(to('received', client), to('requested', admin, admin2)));
  });

  it('accept, decline: the client', async () => {
    const a = await book();
    const d = await book();
    await told();
    await inject('POST', `/bookings/${a.id}/accept`, admin);
    expect(await told()).toEqual(to('accepted', client));
    await inject('POST', `/bookings/${d.id}/decline`, admin, { reason: 'Complet' });
    expect(await told()).toEqual(to('declined', client));
  });

  it('before payment: the request and the acceptance say what the client will pay, taxes included, and the time as the web writes it', async () => {
    // 9:00 in Montréal three weeks ahead, whatever the offset that day: a time with one digit for its hour.
    const day = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
    const nine = [13, 14].map((h) => `${day}T${h}:00:00.000Z`).find((iso) =>
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'America/Toronto' }).format(new Date(iso)) === '09:00')!;
    const b = await inject('POST', '/bookings', client, bookingBody(listingId, nine));
    await inject('POST', `/bookings/${b.id}/accept`, admin);
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const mails = (await t.mailer.list()).filter((m) => m.text.includes(b.id)).map((m) => ({ ...m, text: m.text.replace(/[\u00a0\u202f]/g, ' ') }));
    const received = mails.find((m) => m.to === client.email && m.subject.startsWith('Demande envoyée'))!;
    const accepted = mails.find((m) => m.to === client.email && m.subject.startsWith('Demande acceptée'))!;
    const requested = mails.find((m) => m.to === admin2.email && m.subject.startsWith('New booking request'))!;
    // 72.00 $ of service + GST 3.60 $ + QST 7.18 $: what the pay page charges, to the cent.
    for (const mail of [received, accepted]) {
      expect(mail.text).toContain('Prix : 82,78 $ taxes comprises (service 72,00 $ + TPS 3,60 $ + TVQ 7,18 $)');
      expect(mail.text).toMatch(/ le [a-z]+ \d+ \S+ \d{4} à 9 h 00\b/);
      expect(mail.text).not.toMatch(/\b0\d h \d\d/);
    }
    expect(requested.text).toContain('Price: $82.78 taxes included (service $72.00 + GST $3.60 + QST $7.18)');
    expect(requested.text).toMatch(/ on [A-Z][a-z]+, [A-Z][a-z]+ \d+, \d{4} at 9:00 a\.m\./);
    // The answer is due before a deadline written the same way; "a.m." ends the sentence with its own period.
    expect(requested.text).not.toMatch(/\b0\d:\d\d/);
    expect(requested.text).toMatch(/at 9:00 a\.m\. Please answer before /);
    expect(requested.text).not.toContain('..');
    expect(requested.text).toContain('Address: 4321 rue Saint-Denis');
    expect(requested.text).toContain(`See the booking: ${webOrigin}/bookings/${b.id}`);
  });

  it('payment: the client gets the confirmation with what was paid, taxes included, and every admin is told', async () => {
    const b = await book();
    await inject('POST', `/bookings/${b.id}/accept`, admin);
    await told();
    await payBooking(t, client, b.id);
    expect(await told()).toEqual(sorted(to('confirmed', client), to('paid', admin, admin2)));
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const mails = (await t.mailer.list()).filter((m) => m.text.includes(b.id));
    const confirmed = mails.find((m) => m.to === client.email && m.subject.startsWith('Réservation confirmée'))!;
    const text = confirmed.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain('Montant payé : 82,78 $ (service 72,00 $ + TPS 3,60 $ + TVQ 7,18 $)');
    expect(text).not.toContain('Prix');
    const toAdmin = mails.find((m) => m.to === admin2.email)!;
    expect(toAdmin.subject).toMatch(/^Booking paid: /);
  });

  it('assignment: the newly assigned worker only, with the calendar invitation', async () => {
    const b = await paid();
    await told();
    await inject('PUT', `/bookings/${b.id}/workers`, admin, { userIds: [worker.userId] });
    expect(await told()).toEqual(to('assigned', worker));
    await inject('PUT', `/bookings/${b.id}/workers`, admin, { userIds: [worker.userId, admin2.userId] });
    expect(await told()).toEqual(to('assigned', admin2));
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const mail = (await t.mailer.list()).find((m) => m.to === worker.email && m.text.includes(b.id))!;
    expect(mail.subject).toMatch(/^Vous êtes affecté·e à /);
    expect(mail.attachments?.map((a) => a.filename)).toEqual(['reservation.ics']);
    // The worker is told what doing the visit needs: the client's public name, not what she paid.
    const text = mail.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain('chez Test U.');
    expect(text).not.toContain('Test User');
    expect(text).not.toMatch(/Montant payé|82,78|TPS/);
    // An admin put on it keeps the co-op's view.
    const toAdmin = (await t.mailer.list()).find((m) => m.to === admin2.email && m.text.includes(b.id) && m.subject.startsWith('You are assigned'))!;
    expect(toAdmin.text).toContain('for Test User');
    expect(toAdmin.text.replace(/[\u00a0\u202f]/g, ' ')).toContain('Amount paid: $82.78');
  });

  it('cancellation of a paid booking by the client: the client with the refund, the admins and the assigned worker', async () => {
    const b = await paid();
    await inject('PUT', `/bookings/${b.id}/workers`, admin, { userIds: [worker.userId] });
    await told();
    await inject('POST', `/bookings/${b.id}/cancel`, client, {});
    expect(await told()).toEqual(sorted(to('cancelled', client, admin, admin2, worker)));
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const mail = (await t.mailer.list()).find((m) => m.to === client.email && m.subject.startsWith('Réservation annulée') && m.text.includes(b.id))!;
    // More than 24 hours ahead: everything paid comes back.
    expect(mail.text.replace(/[\u00a0\u202f]/g, ' ')).toContain('Remboursé : 82,78 $');
  });

  it('cancellation by the co-op with a refund: the client with the refund, and the admins', async () => {
    const b = await paid();
    await told();
    await inject('POST', `/bookings/${b.id}/cancel`, admin, { reason: 'Employée malade' });
    expect(await told()).toEqual(sorted(to('cancelled', client, admin, admin2)));
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const mail = (await t.mailer.list()).find((m) => m.to === client.email && m.subject.startsWith('Réservation annulée') && m.text.includes(b.id))!;
    const text = mail.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain('Remboursé : 82,78 $');
    expect(text).toContain('Employée malade');
  });

  it('completion: the client, asked for a review', async () => {
    const b = await paid();
    await told();
    await startBooking(t, b.id, 7);
    await inject('POST', `/bookings/${b.id}/complete`, admin, { hours: [] });
    expect(await told()).toEqual(to('completed', client));
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const mail = (await t.mailer.list()).find((m) => m.to === client.email && m.text.includes(b.id) && m.subject.startsWith('Merci'))!;
    expect(mail.text).toContain('Votre avis aide');
  });

  it('expiry of an unanswered request: the client', async () => {
    const b = await book();
    await told();
    await t.database.sql`UPDATE bookings SET expires_at = now() - interval '1 minute' WHERE id = ${b.id}`;
    const { createBookingPayments } = await import('../../server/src/flows/booking-payments.js');
    await createBookingPayments({ db: t.db, gateway: t.app.payments, paymentWindowHours: 24 }).expireRequests();
    expect(await told()).toEqual(to('expired', client));
  });

  it('an accepted booking not paid by its deadline: the client reads it is cancelled for want of payment, the admins and the team that the client did not pay', async () => {
    const b = await book();
    await inject('POST', `/bookings/${b.id}/accept`, admin);
    await inject('PUT', `/bookings/${b.id}/workers`, admin, { userIds: [worker.userId] });
    await told();
    await t.database.sql`UPDATE bookings SET expires_at = now() - interval '1 minute' WHERE id = ${b.id}`;
    const { createBookingPayments } = await import('../../server/src/flows/booking-payments.js');
    await createBookingPayments({ db: t.db, gateway: t.app.payments, paymentWindowHours: 24 }).expireRequests();
    expect(await told()).toEqual(sorted(to('unpaid', client), to('unpaid_coop', admin, admin2, worker)));
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const about = (await t.mailer.list()).filter((m) => m.text.includes(`/bookings/${b.id}`));
    const count = (email: string, subject: RegExp) => about.filter((m) => m.to === email && subject.test(m.subject)).length;
    expect(count(client.email, /^Annulée faute de paiement : /)).toBe(1);
    expect(count(admin2.email, /^Cancelled, the client did not pay: /)).toBe(1);
    expect(count(worker.email, /^Annulée, le client n’a pas payé : /)).toBe(1);
    // Nobody reads that a request went unanswered.
    expect(about.filter((m) => /expir/i.test(m.subject))).toEqual([]);
    const toClient = about.find((m) => m.to === client.email)!.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(toClient).toMatch(/est annulée : elle n’a pas été payée avant le [a-z]+ \d+ \S+ \d{4} à \d+ h \d\d/);
    expect(toClient).toContain(`${webOrigin}/bookings/${b.id}`);
    expect(about.find((m) => m.to === admin2.email)!.text).toMatch(/did not pay for it by [A-Z][a-z]+, /);
    // The worker's event (sent with the assignment) is taken back; the admins never had one.
    const forWorker = about.find((m) => m.to === worker.email)!.attachments ?? [];
    expect(forWorker.map((a) => [a.filename, a.contentType.includes('method=CANCEL')])).toEqual([['reservation.ics', true]]);
    expect(about.find((m) => m.to === admin2.email)!.attachments ?? []).toEqual([]);
  });

  it('a cancellation by the co-op says the co-op cancelled, to the client and to the team', async () => {
    const b = await paid();
    await inject('PUT', `/bookings/${b.id}/workers`, admin, { userIds: [worker.userId] });
    await inject('POST', `/bookings/${b.id}/cancel`, admin, { reason: 'Dégât d’eau' });
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const about = (await t.mailer.list()).filter((m) => m.text.includes(`/bookings/${b.id}`) && /annulée|cancelled/i.test(m.subject));
    const one = (email: string) => {
      const mine = about.filter((m) => m.to === email);
      expect(mine, email).toHaveLength(1);
      return mine[0]!;
    };
    expect(one(client.email).subject).toMatch(/^Réservation annulée par la coopérative : /);
    expect(one(client.email).text).toMatch(/ a annulé la réservation d/);
    expect(one(worker.email).text).toMatch(/ a annulé la réservation .* chez /);
    expect(one(admin2.email).subject).toMatch(/^Booking cancelled by the co-op: /);
  });

  it('a move says from which date to which', async () => {
    const b = await paid();
    const from = new Date((await t.database.sql<{ starts_at: string }[]>`SELECT starts_at FROM bookings WHERE id = ${b.id}`)[0]!.starts_at);
    await inject('POST', `/bookings/${b.id}/reschedule`, client, { startsAt: hourFromNow((nextHour += 3)) });
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const about = (await t.mailer.list()).filter((m) => m.text.includes(`/bookings/${b.id}`) && /Nouvel horaire|New time/.test(m.subject));
    const fr = about.filter((m) => m.to === client.email);
    const en = about.filter((m) => m.to === admin2.email);
    expect([fr.length, en.length]).toEqual([1, 1]);
    const day = (locale: string) => new Intl.DateTimeFormat(locale, { day: 'numeric', timeZone: 'America/Toronto' }).format(from);
    expect(fr[0]!.text.replace(/[\u00a0\u202f]/g, ' ')).toMatch(new RegExp(`a été déplacée du [a-z]+ ${day('fr-CA')} \\S+ \\d{4} à .+ au `));
    expect(en[0]!.text.replace(/[\u00a0\u202f]/g, ' ')).toMatch(/was moved from [A-Z][a-z]+, .+ to [A-Z][a-z]+, /);
  });

  it('one email per person per event: an admin who books at their own co-op is told once', async () => {
    await told();
    await book(admin2);
    expect(await told()).toEqual(sorted(to('received', admin2), to('requested', admin)));
  });
});
