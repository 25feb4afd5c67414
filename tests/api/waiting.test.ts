/**
 * Issue 10 item 26: the header's badges. GET /me/waiting counts what waits for the signed-in
 * person's answer: each co-op's unanswered booking requests for its admins, and the co-op
 * applications for stewards. A worker, a client or another co-op's admin sees none of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeSteward, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { approvedCoop, bookingBody, hourFromNow, publishListing, setSchedule } from '../support/fixtures.js';

let t: TestApp;
let steward: SignedIn;
let adminA: SignedIn;
let adminB: SignedIn;
let client: SignedIn;
let coopA: string;
let listingA: string;

const waiting = async (who: SignedIn) => {
  const res = await t.app.inject({ method: 'GET', url: '/me/waiting', headers: who.auth });
  expect(res.statusCode).toBe(200);
  return res.json() as { bookingRequests: { coopId: string; count: number }[]; coopApplications: number | null };
};

const book = async (hoursAhead: number) => {
  const res = await t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: bookingBody(listingA, hourFromNow(hoursAhead)) });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string };
};

beforeAll(async () => {
  t = await createTestApp();
  steward = await signUp(t.app);
  await makeSteward(t, steward.userId);
  steward = { ...steward, ...(await signIn(steward.email)) };
  adminA = await signUp(t.app);
  adminB = await signUp(t.app);
  client = await signUp(t.app);
  coopA = (await approvedCoop(t, steward, adminA, 'Coop A')).id;
  await approvedCoop(t, steward, adminB, 'Coop B');
  listingA = (await publishListing(t, adminA, coopA)).id;
  await setSchedule(t, adminA, listingA);
}, 60_000);
afterAll(() => t?.close());

/** A fresh token after becoming a steward (the flag travels in the token). */
async function signIn(email: string) {
  const res = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email, password: 'correct horse battery' } });
  const body = res.json();
  return { token: body.accessToken, auth: { authorization: `Bearer ${body.accessToken}` } };
}

describe('GET /me/waiting', () => {
  it('counts the co-op\'s unanswered requests for its admins only, and drops an answered one', async () => {
    expect((await waiting(adminA)).bookingRequests).toEqual([]);
    const first = await book(30);
    await book(40);
    expect((await waiting(adminA)).bookingRequests).toEqual([{ coopId: coopA, count: 2 }]);
    expect((await waiting(adminB)).bookingRequests).toEqual([]);
    expect((await waiting(client)).bookingRequests).toEqual([]);

    const decline = await t.app.inject({ method: 'POST', url: `/bookings/${first.id}/decline`, headers: adminA.auth, payload: { reason: 'Équipe complète ce jour-là' } });
    expect(decline.statusCode).toBe(200);
    expect((await waiting(adminA)).bookingRequests).toEqual([{ coopId: coopA, count: 1 }]);
  });

  it('counts pending co-op applications for stewards, and for nobody else', async () => {
    expect((await waiting(steward)).coopApplications).toBe(0);
    const applicant = await signUp(t.app);
    const res = await t.app.inject({
      method: 'POST', url: '/coops', headers: applicant.auth,
      payload: {
        legalName: 'Coop en attente', legalForm: 'worker_coop', region: 'plateau-mont-royal', languages: ['fr'], foundedYear: 2020,
        descriptionFr: 'Une coopérative qui attend sa réponse.', descriptionEn: 'A co-op waiting for its answer.',
      },
    });
    expect(res.statusCode).toBe(201);
    expect((await waiting(steward)).coopApplications).toBe(1);
    expect((await waiting(applicant)).coopApplications).toBeNull();
    expect((await waiting(adminA)).coopApplications).toBeNull();
  });

  it('asks an anonymous caller to sign in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/me/waiting' });
    expect(res.statusCode).toBe(401);
  });
});
