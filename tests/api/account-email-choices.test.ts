/**
 * The account page's email choices are kept when the mail leaves: a reminder turned off is not
 * sent, while booking changes and payment receipts always are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, onboardCoop, payBooking, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let admin: SignedIn;
let listingId: string;
const webOrigin = 'https://tissu.example';

beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  admin = await signUp(t.app, { name: 'Alex Admin' });
  const coop = await approvedCoop(t, steward, admin, 'Ménage Choix');
  await onboardCoop(t, admin, coop.id);
  listingId = (await publishListing(t, admin, coop.id, { titleFr: 'Ménage du samedi', titleEn: 'Saturday cleaning' })).id;
  await setSchedule(t, admin, listingId);
});
afterAll(() => t.close());

/** A paid booking `hours` from now for a new client, and what her mailbox got up to the day before. */
async function paidBooking(hours: number, choices: { reminderEmails: boolean }) {
  const client = await signUp(t.app, { name: 'Camille Choix' });
  const patched = await t.app.inject({ method: 'PATCH', url: '/me', headers: client.auth, payload: choices });
  expect(patched.statusCode).toBe(200);
  const res = await t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: bookingBody(listingId, hourFromNow(hours)) });
  expect(res.statusCode, res.body).toBe(201);
  const b = res.json();
  await t.app.inject({ method: 'POST', url: `/bookings/${b.id}/accept`, headers: admin.auth, payload: {} });
  await payBooking(t, client, b.id);
  await dispatchOutbox(t.db, t.mailer, { webOrigin });
  await dispatchOutbox(t.db, t.mailer, { webOrigin, now: new Date(Date.parse(b.startsAt) - 3_600_000) });
  const subjects = (await t.mailer.list()).filter((m) => m.to === client.email).map((m) => m.subject);
  return { client, subjects };
}

describe('email choices', () => {
  it('a reminder turned off is not sent; the booking’s changes and its receipt still are', async () => {
    const off = await paidBooking(80, { reminderEmails: false });
    expect(off.subjects.some((s) => s.startsWith('Rappel'))).toBe(false);
    expect(off.subjects.some((s) => s.startsWith('Demande acceptée'))).toBe(true);
    expect(off.subjects.some((s) => s.startsWith('Réservation confirmée'))).toBe(true); // the receipt
    const [{ n }] = (await t.database.sql`
      SELECT count(*)::int AS n FROM outbox o JOIN users u ON u.id = (o.payload->>'recipientId')::uuid
      WHERE u.email = ${off.client.email} AND o.payload->>'message' = 'reminder' AND o.sent_at IS NOT NULL`) as unknown as [{ n: number }];
    expect(n).toBe(1); // queued and done with (skipped), never sent later

    const on = await paidBooking(110, { reminderEmails: true });
    expect(on.subjects.filter((s) => s.startsWith('Rappel'))).toHaveLength(1);
  });
});
