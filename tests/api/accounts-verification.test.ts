import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';
import { createTestApp, errorOf, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let listingId: string;
beforeAll(async () => {
  t = await createTestApp();
  const steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  const admin = await signUp(t.app);
  const coop = await approvedCoop(t, steward, admin);
  listingId = (await publishListing(t, admin, coop.id)).id;
  await setSchedule(t, admin, listingId);
});
afterAll(() => t.close());

const post = (who: SignedIn, url: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: who.auth, payload });

async function latestLink(email: string): Promise<string | undefined> {
  await dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });
  const mails = (await t.mailer.list()).filter((m) => m.to === email);
  return mails.map((m) => /\/verify-email\/([\w-]+)/.exec(m.text)?.[1]).find(Boolean);
}

describe('an account whose address is not confirmed yet', () => {
  it('can sign in and browse, but booking, paying, voting and buying a share answer 403 email_not_verified', async () => {
    const u = await signUp(t.app, { verified: false });
    expect((await t.app.inject({ method: 'GET', url: '/me', headers: u.auth })).json().emailVerified).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: `/listings/${listingId}`, headers: u.auth })).statusCode).toBe(200);

    const refusals = [
      await post(u, '/bookings', bookingBody(listingId, hourFromNow(30))),
      await post(u, `/bookings/${randomUUID()}/checkout`),
      await post(u, `/proposals/${randomUUID()}/votes`, { choice: 'yes' }),
      await post(u, '/membership/checkout', { class: 'user' }),
    ];
    expect(refusals.map((r) => [r.statusCode, errorOf(r).code])).toEqual(Array(4).fill([403, 'email_not_verified']));
    const [{ n }] = (await t.database.sql`SELECT count(*)::int AS n FROM bookings WHERE client_id = ${u.userId}`) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  it('asks for a new link (the older one stops working); with it the same booking goes through', async () => {
    const u = await signUp(t.app, { verified: false });
    const first = await latestLink(u.email);
    expect(first).toBeTruthy();
    // One link per five minutes (accounts-email-limits.test.ts): this ask comes that much later.
    await t.database.sql`UPDATE email_verifications SET created_at = created_at - interval '6 minutes' WHERE user_id = ${u.userId}`;
    expect((await post(u, '/auth/verify-email/resend')).statusCode).toBe(202);
    const second = await latestLink(u.email);
    expect(second).not.toBe(first);
    expect((await t.app.inject({ method: 'POST', url: '/auth/verify-email', payload: { token: first } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/auth/verify-email', payload: { token: second } })).statusCode).toBe(200);

    const booked = await post(u, '/bookings', bookingBody(listingId, hourFromNow(31)));
    expect(booked.statusCode).toBe(201);
    // Once confirmed, asking again sends nothing (the two links above were the only ones).
    expect((await post(u, '/auth/verify-email/resend')).statusCode).toBe(202);
    await dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });
    expect((await t.mailer.list()).filter((m) => m.to === u.email && /Confirm/.test(m.subject)).length).toBe(2);
  });

  it('a confirmation link expires after 48 hours', async () => {
    const u = await signUp(t.app, { verified: false });
    const token = await latestLink(u.email);
    await t.database.sql`UPDATE email_verifications SET expires_at = now() - interval '1 minute' WHERE user_id = ${u.userId}`;
    const late = await t.app.inject({ method: 'POST', url: '/auth/verify-email', payload: { token } });
    expect(late.statusCode).toBe(400);
    expect(errorOf(late).code).toBe('invalid_verification_link');
  });
});
