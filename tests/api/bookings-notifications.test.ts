import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';
import type { Mailer } from '../../server/src/plugins/mailer.js';
import { icsProblems, readIcs, uidsAcrossFiles } from '../support/ics.js';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, onboardCoop, payBooking, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let admin: SignedIn, client: SignedIn;
let listingId: string;
let coopId: string;
const webOrigin = 'https://tissu.example';

beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  admin = await signUp(t.app, { locale: 'en', name: 'Alex Admin' });
  client = await signUp(t.app, { locale: 'fr', name: 'Camille Client' });
  const coop = await approvedCoop(t, steward, admin, 'Ménage Éclat');
  await onboardCoop(t, admin, coop.id);
  coopId = coop.id;
  listingId = (await publishListing(t, admin, coop.id, { titleFr: 'Grand ménage de printemps', titleEn: 'Spring deep cleaning' })).id;
  await setSchedule(t, admin, listingId);
});
afterAll(() => t.close());

const book = async (hours: number, who = client) => {
  const res = await t.app.inject({ method: 'POST', url: '/bookings', headers: who.auth, payload: bookingBody(listingId, hourFromNow(hours)) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
};

describe('emails', () => {
  it('writes each message in its recipient’s language, with a calendar invitation once confirmed', async () => {
    const b = await book(72);
    await t.app.inject({ method: 'POST', url: `/bookings/${b.id}/accept`, headers: admin.auth, payload: {} });
    await payBooking(t, client, b.id);
    const r = await dispatchOutbox(t.db, t.mailer, { webOrigin });
    // received (client), requested (admin), accepted with the pay link (client), confirmed once paid
    // (client) and paid (admin); and the co-op's approval (admin), queued by the setup in the outbox.
    // The three sign-ups' address links are skipped: the setup confirmed those addresses first.
    expect(r).toEqual({ sent: 6, failed: 0, skipped: 3 });
    const mails = await t.mailer.list();
    const toAdmin = mails.find((m) => m.to === admin.email && m.subject.startsWith('New booking request'))!;
    expect(toAdmin.subject).toBe('New booking request: Spring deep cleaning');
    expect(toAdmin.text).toContain('Camille Client asks for Spring deep cleaning');
    const confirmed = mails.find((m) => m.to === client.email && m.subject.startsWith('Réservation confirmée'))!;
    expect(confirmed.subject).toBe('Réservation confirmée : Grand ménage de printemps');
    expect(confirmed.text).toContain(`${webOrigin}/bookings/${b.id}`);
    expect(confirmed.text).toMatch(/45,00\s\$/);
    const ics = confirmed.attachments!.find((a) => a.filename.endsWith('.ics'))!;
    const start = b.startsAt.replace(/[-:]/g, '').replace('.000', '');
    expect(ics.content).toContain('BEGIN:VEVENT');
    expect(ics.content).toContain(`UID:booking-${b.id}@tissu.coop`);
    expect(ics.content).toMatch(new RegExp(`DTSTART[^:]*:${start.slice(0, 8)}`));
    const received = mails.find((m) => m.to === client.email && m.subject.startsWith('Demande envoyée'))!;
    expect(received.attachments ?? []).toEqual([]);
    const accepted = mails.find((m) => m.to === client.email && m.subject.startsWith('Demande acceptée'))!;
    expect(accepted.text).toContain(`${webOrigin}/bookings/${b.id}/pay`);
  });

  it('says before payment that no taxes come on top when the co-op collects none', async () => {
    const b = await book(40);
    await t.app.inject({ method: 'POST', url: `/bookings/${b.id}/accept`, headers: admin.auth, payload: {} });
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const mails = (await t.mailer.list()).filter((m) => m.text.includes(b.id));
    // Ménage Éclat is not registered for GST or QST: the price is all the client pays, and the email says so.
    const accepted = mails.find((m) => m.to === client.email && m.subject.startsWith('Demande acceptée'))!;
    expect(accepted.text.replace(/[\u00a0\u202f]/g, ' ')).toContain('Prix : 45,00 $ (sans taxes)');
    const toAdmin = mails.find((m) => m.to === admin.email && m.subject.startsWith('New booking request'))!;
    expect(toAdmin.text).toContain('Price: $45.00 (no taxes)');
  });

  it('tells an instant booking as booked and waiting for payment, not as a request the co-op accepted', async () => {
    const instant = (await publishListing(t, admin, coopId, { titleFr: 'Ménage express', titleEn: 'Express cleaning' })).id;
    await setSchedule(t, admin, instant, { instantBooking: true });
    const res = await t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: bookingBody(instant, hourFromNow(50)) });
    expect(res.json().state, res.body).toBe('accepted');
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const mails = (await t.mailer.list()).filter((m) => m.to === client.email && m.text.includes(res.json().id));
    expect(mails.map((m) => m.subject)).toEqual(['Réservation faite : Ménage express — il reste à payer']);
    const text = mails[0]!.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(text).not.toMatch(/accept/i);
    expect(text).toContain('Votre créneau pour Ménage express le ');
    expect(text).toMatch(/Payez en ligne d'ici (le|la fin du) .+ pour confirmer la réservation/);
    expect(text).toContain(`${webOrigin}/bookings/${res.json().id}/pay`);
  });

  // Issue 13 walk: SEQUENCE was the Unix time in seconds (past 2^31 in 2038, refused by some
  // calendars), no STATUS, and the CANCEL had no ORGANIZER, which Outlook needs to remove the event.
  it('sends valid calendar files for a booking paid, moved, then cancelled: a small SEQUENCE that grows with each change, STATUS, the platform as ORGANIZER', async () => {
    const b = await book(130);
    await t.app.inject({ method: 'POST', url: `/bookings/${b.id}/accept`, headers: admin.auth, payload: {} });
    await payBooking(t, client, b.id);
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const moved = await t.app.inject({ method: 'POST', url: `/bookings/${b.id}/reschedule`, headers: client.auth, payload: { startsAt: hourFromNow(134) } });
    expect(moved.statusCode, moved.body).toBe(200);
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    await t.app.inject({ method: 'POST', url: `/bookings/${b.id}/cancel`, headers: client.auth, payload: {} });
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    const mails = (await t.mailer.list()).filter((m) => m.to === client.email && m.text.includes(b.id) && m.attachments?.length).reverse();
    const files = mails.map((m) => {
      expect(m.attachments!.map((a) => a.filename)).toEqual(['reservation.ics']);
      expect(uidsAcrossFiles(m.attachments)).toEqual([`booking-${b.id}@tissu.coop`]);
      const ics = m.attachments![0]!.content;
      expect(icsProblems(ics), m.subject).toEqual([]);
      const parsed = readIcs(ics);
      return { method: parsed.method, sequence: parsed.events[0]!.sequence, status: parsed.events[0]!.props.get('STATUS')![0], organizer: parsed.events[0]!.props.get('ORGANIZER')![0] };
    });
    // Confirmed (accepted then paid: 2 changes), moved (3), cancelled (4).
    expect(files.map((f) => [f.method, f.sequence, f.status])).toEqual([['PUBLISH', 2, ':CONFIRMED'], ['PUBLISH', 3, ':CONFIRMED'], ['CANCEL', 4, ':CANCELLED']]);
    expect(new Set(files.map((f) => f.organizer))).toEqual(new Set([`;CN="Tissu":mailto:bonjour@tissu.coop`]));
  });

  it('queues a reminder for the day before, and skips it if the booking was cancelled', async () => {
    const b = await book(100);
    await t.app.inject({ method: 'POST', url: `/bookings/${b.id}/accept`, headers: admin.auth, payload: {} });
    await payBooking(t, client, b.id);
    const [reminder] = await t.database.sql`SELECT not_before FROM outbox WHERE payload->>'bookingId' = ${b.id} AND payload->>'message' = 'reminder'`;
    expect(new Date(reminder!.not_before).toISOString()).toBe(new Date(Date.parse(b.startsAt) - 86_400_000).toISOString());
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    await t.app.inject({ method: 'POST', url: `/bookings/${b.id}/cancel`, headers: client.auth, payload: {} });
    const due = await dispatchOutbox(t.db, t.mailer, { webOrigin, now: new Date(Date.parse(b.startsAt) - 3_600_000) });
    expect(due.skipped).toBe(1); // the reminder: nobody is reminded of a cancelled booking
  });

  it('sends a message once even when the worker fails after handing it over and retries', async () => {
    const b = await book(130);
    await dispatchOutbox(t.db, t.mailer, { webOrigin }); // flush earlier messages
    await t.app.inject({ method: 'POST', url: `/bookings/${b.id}/decline`, headers: admin.auth, payload: { reason: 'Complet' } });
    let crashes = 1;
    const crashing: Mailer = {
      ...t.mailer,
      async send(mail) {
        await t.mailer.send(mail);
        if (crashes-- > 0) throw new Error('worker died before recording the send');
      },
    };
    const first = await dispatchOutbox(t.db, crashing, { webOrigin });
    expect(first.failed).toBe(1);
    const later = new Date(Date.now() + 10 * 60_000);
    const second = await dispatchOutbox(t.db, crashing, { webOrigin, now: later });
    expect(second.sent).toBe(1);
    const declined = (await t.mailer.list()).filter((m) => m.subject.startsWith('Demande refusée'));
    expect(declined).toHaveLength(1);
    expect(declined[0]!.text).toContain('Complet');
  });

  it('concurrent workers never send the same message twice', async () => {
    // Six requests from six people: one person may hold only a few open (OPEN_BOOKINGS_PER_LISTING).
    // Their sign-up emails are sent first, so only the bookings' twelve are left.
    const people = await Promise.all(Array.from({ length: 6 }, () => signUp(t.app)));
    await dispatchOutbox(t.db, t.mailer, { webOrigin });
    for (const [i, who] of people.entries()) await book(160 + i * 2, who);
    let sends = 0;
    const counting: Mailer = { ...t.mailer, async send(m) { sends++; await t.mailer.send(m); } };
    const results = await Promise.all([1, 2, 3].map(() => dispatchOutbox(t.db, counting, { webOrigin })));
    const [{ pending }] = (await t.database.sql`SELECT count(*)::int AS pending FROM outbox WHERE sent_at IS NULL AND not_before <= now()`) as unknown as [{ pending: number }];
    expect(pending).toBe(0);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(12);
    expect(sends).toBe(12);
  });
});

describe('request expiry by the job worker', () => {
  it('expires an unanswered request and tells the client, through pg-boss', async () => {
    const jobs = await createTestApp({ JOBS: 'on' });
    try {
      const steward = await signUp(jobs.app);
      await makeSteward(jobs, steward.userId);
      const a = await signUp(jobs.app);
      const c = await signUp(jobs.app, { locale: 'en' });
      const coop = await approvedCoop(jobs, steward, a);
      const l = (await publishListing(jobs, a, coop.id)).id;
      await setSchedule(jobs, a, l, { requestTtlHours: 1 });
      const res = await jobs.app.inject({ method: 'POST', url: '/bookings', headers: c.auth, payload: bookingBody(l, hourFromNow(30)) });
      const id = res.json().id;
      // An hour and a bit later, nobody has answered.
      await jobs.database.sql`UPDATE bookings SET expires_at = now() - interval '1 minute' WHERE id = ${id}`;
      await jobs.app.jobs.boss!.send('bookings-expire', {});
      let state = 'requested';
      for (let i = 0; i < 100 && state === 'requested'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        state = (await jobs.database.sql`SELECT state FROM bookings WHERE id = ${id}`)[0]!.state;
      }
      expect(state).toBe('expired');
      const booking = await jobs.app.inject({ method: 'GET', url: `/bookings/${id}`, headers: c.auth });
      expect(booking.json().events.at(-1)).toMatchObject({ from: 'requested', to: 'expired', actorRole: 'system' });
      let mails: Awaited<ReturnType<Mailer['list']>> = [];
      for (let i = 0; i < 100 && !mails.some((m) => m.subject.startsWith('Request expired')); i++) {
        await new Promise((r) => setTimeout(r, 200));
        mails = await jobs.mailer.list();
      }
      expect(mails.filter((m) => m.to === c.email && m.subject.startsWith('Request expired'))).toHaveLength(1);
    } finally {
      await jobs.close();
    }
  });
});
