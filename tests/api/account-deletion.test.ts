import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMER_MEMBER_NAME } from '@tissu/shared';
import { createTestApp, errorOf, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { payBooking, startBooking } from '../support/fixtures.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { saveCard, seriesPaymentsWorld } from '../support/series-payments-world.js';
import { purgeExpired } from '../../server/src/modules/privacy/index.js';
import { dispatchOutbox } from '../../server/src/modules/notifications/outbox.js';

const PASSWORD = 'correct horse battery';

let t: TestApp;
let w: Awaited<ReturnType<typeof paymentsWorld>>;
let kit: PaymentsKit;
const next = slots(30, 2);

beforeAll(async () => {
  t = await createTestApp();
  w = await paymentsWorld(t);
  kit = w.kit;
});
afterAll(() => t.close());

const check = (who: SignedIn) => t.app.inject({ method: 'GET', url: '/me/deletion', headers: who.auth });
const remove = (who: SignedIn, body: object = { password: PASSWORD, confirmation: 'SUPPRIMER' }) =>
  t.app.inject({ method: 'POST', url: '/me/delete', headers: who.auth, payload: body });
const blockerCodes = async (who: SignedIn) => {
  const res = await check(who);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().blockers as { code: string }[]).map((b) => b.code);
};
async function expectBlocked(who: SignedIn, code: string) {
  expect(await blockerCodes(who)).toContain(code);
  const res = await remove(who);
  expect(res.statusCode, res.body).toBe(409);
  const err = errorOf(res);
  expect(err.code).toBe('account_deletion_blocked');
  expect(err.fields?.blockers?.map((f) => f.code)).toContain(code);
  // Nothing was erased.
  const [row] = await t.database.sql`SELECT deleted_at, email FROM users WHERE id = ${who.userId}`;
  expect(row!.deleted_at).toBeNull();
  expect(row!.email).toBe(who.email);
}

describe('what must be settled before an account is deleted', () => {
  it('a booking still to come (requested or paid) blocks it, and so does an accepted one not paid', async () => {
    const client = await signUp(t.app);
    expect(await blockerCodes(client)).toEqual([]);
    const booking = await kit.book(client, w.listingId, next());
    await expectBlocked(client, 'coming_booking');
    await kit.accept(w.admin, booking.id);
    expect(await blockerCodes(client)).toEqual(['unpaid_booking']);
    await expectBlocked(client, 'unpaid_booking');
    await payBooking(t, client, booking.id);
    expect(await blockerCodes(client)).toEqual(['coming_booking']);
    // Cancelled, it no longer holds anything up.
    const cancel = await t.app.inject({ method: 'POST', url: `/bookings/${booking.id}/cancel`, headers: client.auth, payload: { reason: 'Plus besoin' } });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(await blockerCodes(client)).toEqual([]);
  });

  it('the only admin of a co-op is told to make another admin first; a steward to hand over the role', async () => {
    await expectBlocked(w.admin, 'only_coop_admin');
    await expectBlocked(w.steward, 'steward_role');
  });

  it('a worker on a coming visit is told to ask the co-op to assign someone else', async () => {
    const client = await signUp(t.app);
    const worker = await signUp(t.app);
    const booking = await kit.book(client, w.listingId, next());
    await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${w.coopId}, ${worker.userId}, 'worker')`;
    await t.database.sql`INSERT INTO booking_workers (booking_id, user_id) VALUES (${booking.id}, ${worker.userId})`;
    expect(await blockerCodes(worker)).toEqual(['assigned_visit']);
    await expectBlocked(worker, 'assigned_visit');
  });

  it('a member of the platform co-op ends her membership first, and her capital is redeemed before she can go', async () => {
    const member = await signUp(t.app);
    const yesterday = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const join = await t.app.inject({
      method: 'POST', url: '/steward/memberships', headers: w.steward.auth,
      payload: { class: 'supporting', userId: member.userId, paidBy: 'cheque', startedOn: yesterday },
    });
    expect(join.statusCode, join.body).toBe(201);
    expect(await blockerCodes(member)).toEqual(['open_membership', 'capital_balance']);
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Toronto' });
    const end = await t.app.inject({ method: 'POST', url: `/steward/memberships/${join.json().id}/end`, headers: w.steward.auth, payload: { endedOn: today } });
    expect(end.statusCode, end.body).toBe(200);
    // The share stays her capital until the by-laws' redemption: still a blocker.
    await expectBlocked(member, 'capital_balance');
  });

  it('money Tissu owes her (a payment to return) is paid to her first', async () => {
    const client = await signUp(t.app);
    const booking = await kit.book(client, w.listingId, next());
    await kit.accept(w.admin, booking.id);
    await payBooking(t, client, booking.id);
    await t.database.sql`UPDATE bookings SET state = 'cancelled_by_coop' WHERE id = ${booking.id}`;
    await t.database.sql`UPDATE payments SET status = 'to_return' WHERE booking_id = ${booking.id} AND status = 'paid'`;
    await expectBlocked(client, 'money_owed_to_you');
    // Put back, so the ledger check of the other tests holds.
    await t.database.sql`UPDATE payments SET status = 'paid' WHERE booking_id = ${booking.id} AND status = 'to_return'`;
  });
});

describe('each blocker names what it is about, so the page can link to it', () => {
  it('her bookings (soonest first, the listing in her language, when), her visits, the co-ops she alone runs; nothing of anyone else', async () => {
    const client = await signUp(t.app, { locale: 'en' });
    const first = await kit.book(client, w.listingId, next());
    const second = await kit.book(client, w.listingId, next());
    const res = await check(client);
    expect(res.statusCode).toBe(200);
    const [listing] = await t.database.sql`SELECT title_en FROM listings WHERE id = ${w.listingId}`;
    const [b1] = await t.database.sql`SELECT starts_at FROM bookings WHERE id = ${first.id}`;
    expect(res.json().blockers).toEqual([{
      code: 'coming_booking', count: 2,
      items: [
        { id: first.id, name: listing!.title_en, startsAt: new Date(b1!.starts_at as string).toISOString() },
        { id: second.id, name: listing!.title_en, startsAt: expect.any(String) },
      ],
    }]);
    const admin = (await check(w.admin)).json().blockers as { code: string; items: { id: string; name: string }[] }[];
    const [coop] = await t.database.sql`SELECT legal_name FROM coops WHERE id = ${w.coopId}`;
    expect(admin.find((b) => b.code === 'only_coop_admin')!.items).toEqual([{ id: w.coopId, name: coop!.legal_name, startsAt: null }]);
    // Blockers about the account as a whole (a steward's role) have nothing to link to.
    expect((await check(w.steward)).json().blockers.find((b: { code: string }) => b.code === 'steward_role').items).toEqual([]);
    // A stranger's check names none of her bookings.
    const stranger = await signUp(t.app);
    expect((await check(stranger)).json()).toEqual({ blockers: [] });
    for (const id of [first.id, second.id]) {
      await t.app.inject({ method: 'POST', url: `/bookings/${id}/cancel`, headers: client.auth, payload: { reason: 'Plus besoin' } });
    }
  });
});

describe('regular visits', () => {
  it('a live series blocks the deletion until it is ended', async () => {
    const sw = await seriesPaymentsWorld(t, 3);
    const codes = await blockerCodes(sw.client);
    expect(codes).toContain('live_series');
    await expectBlocked(sw.client, 'live_series');
    await t.database.sql`UPDATE booking_series SET state = 'ended' WHERE id = ${sw.series.id}`;
    await t.database.sql`UPDATE bookings SET state = 'cancelled_by_client' WHERE series_id = ${sw.series.id}`;
    expect(await blockerCodes(sw.client)).toEqual([]);
  });
});

describe('the request itself', () => {
  it("two admins deleting their accounts at once, while a third leaves, never leave a co-op without an admin", async () => {
    const coop = (await t.database.sql`
      INSERT INTO coops (slug, legal_name, legal_form, region, languages, description_fr, description_en, founded_year, status, created_by)
      SELECT 'course-' || gen_random_uuid(), 'Coop Course', legal_form, region, languages, description_fr, description_en, founded_year, status, created_by
      FROM coops WHERE id = ${w.coopId} RETURNING id`)[0]!.id as string;
    const admins = await Promise.all(['Ana Un', 'Béa Deux', 'Cléo Trois'].map((name) => signUp(t.app, { name })));
    for (const a of admins) await t.database.sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${coop}, ${a.userId}, 'admin')`;
    const [one, two, three] = admins as [SignedIn, SignedIn, SignedIn];
    const answers = await Promise.all([
      remove(one),
      remove(two),
      t.app.inject({ method: 'POST', url: `/coops/${coop}/leave`, headers: three.auth, payload: {} }),
    ]);
    expect(answers.map((r) => r.statusCode).filter((c) => c >= 500)).toEqual([]);
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(2);
    const [n] = await t.database.sql`SELECT count(*)::int AS n FROM coop_members WHERE coop_id = ${coop} AND role = 'admin'`;
    expect(n!.n).toBe(1);
  });

  it('wants her password and the typed word; a wrong one erases nothing', async () => {
    const client = await signUp(t.app);
    const wrong = await remove(client, { password: 'not my password', confirmation: 'SUPPRIMER' });
    expect(wrong.statusCode).toBe(400);
    expect(errorOf(wrong).fields?.password?.[0]?.code).toBe('wrong_password');
    const word = await remove(client, { password: PASSWORD, confirmation: 'oui' });
    expect(word.statusCode).toBe(400);
    expect(errorOf(word).fields?.confirmation?.[0]?.code).toBe('confirmation_mismatch');
    const [row] = await t.database.sql`SELECT deleted_at FROM users WHERE id = ${client.userId}`;
    expect(row!.deleted_at).toBeNull();
    // English, any case.
    expect((await remove(client, { password: PASSWORD, confirmation: ' delete ' })).statusCode).toBe(200);
  });

  it('asks who is asking first', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/me/delete', payload: {} })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/me/deletion' })).statusCode).toBe(401);
  });
});

describe('at the same time as a booking', () => {
  it('a deletion racing her own booking request never deadlocks or answers 5xx; a booking made first blocks it', async () => {
    for (let i = 0; i < 4; i++) {
      const client = await signUp(t.app);
      const [del, book] = await Promise.all([
        remove(client),
        t.app.inject({ method: 'POST', url: '/bookings', headers: client.auth, payload: { listingId: w.listingId, startsAt: next(), address: '1 rue Test', contactName: 'X', contactEmail: 'x@example.org' } }),
      ]);
      expect(del.statusCode, del.body).toBeLessThan(500);
      expect(book.statusCode, book.body).toBeLessThan(500);
      expect([200, 409]).toContain(del.statusCode);
      if (del.statusCode === 409) expect(book.statusCode).toBe(201);
    }
  });
});

describe('a deletion, end to end', () => {
  it('erases her, keeps the records anonymised, the ledger still checks, and the address can sign up again', async () => {
    const client = await signUp(t.app, { name: 'Josée Lavoie' });
    const other = await signUp(t.app, { name: 'Paul Autre' });
    // Her past: a paid visit done and reviewed, a conversation, a calendar feed, a saved card.
    const booking = await kit.book(client, w.listingId, next(), { contactName: 'Josée Lavoie', contactEmail: client.email, address: '12 rue Rachel' });
    await kit.accept(w.admin, booking.id);
    await payBooking(t, client, booking.id);
    await kit.chargeDetailsRecorded();
    await startBooking(t, booking.id, 180);
    expect((await t.app.inject({ method: 'POST', url: `/bookings/${booking.id}/complete`, headers: w.admin.auth, payload: {} })).statusCode).toBe(200);
    const review = await t.app.inject({ method: 'POST', url: `/bookings/${booking.id}/review`, headers: client.auth, payload: { rating: 5, body: 'Impeccable, merci !' } });
    expect(review.statusCode, review.body).toBe(201);
    const conv = await t.app.inject({ method: 'POST', url: '/conversations', headers: client.auth, payload: { coopId: w.coopId, body: 'Bonjour, une question.' } });
    expect(conv.statusCode, conv.body).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/me/calendar-feeds', headers: client.auth, payload: { kind: 'client' } })).statusCode).toBe(200);
    await saveCard(t, client);
    const [card] = await t.database.sql`SELECT payment_method_id FROM payment_customers WHERE user_id = ${client.userId}`;
    expect(card!.payment_method_id).toBeTruthy();
    // The other client's booking, to see it untouched.
    const theirs = await kit.book(other, w.listingId, next(), { address: '99 avenue du Parc' });
    const receiptBefore = await kit.payment(booking.id);
    // Her phone, an archive of her data asked for, an address change waiting for its link.
    expect((await t.app.inject({ method: 'PATCH', url: '/me', headers: client.auth, payload: { phone: '514 555 0199' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/me/data-exports', headers: client.auth })).statusCode).toBe(202);
    expect((await t.app.inject({ method: 'POST', url: '/me/email', headers: client.auth, payload: { newEmail: `new-${client.email}`, currentPassword: PASSWORD } })).statusCode).toBe(202);
    // A wrong password once: a throttle row keyed by her address.
    expect((await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: client.email, password: 'typo typo typo' } })).statusCode).toBe(401);

    await dispatchOutbox(t.db, t.mailer, { webOrigin: t.config.webOrigin });
    const res = await remove(client);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.cookies.map((c) => c.name)).toEqual(expect.arrayContaining(['tissu_access', 'tissu_refresh']));

    // No email sent to her keeps her address (the address change was asked, and mailed, before the deletion).
    const [kept] = await t.database.sql`SELECT count(*)::int AS n FROM outbox WHERE payload::text ILIKE ${'%' + client.email + '%'}`;
    expect(kept!.n).toBe(0);
    const [throttle] = await t.database.sql`SELECT count(*)::int AS n FROM sign_in_throttles WHERE key = ${`email:${client.email}`}`;
    expect(throttle!.n).toBe(0);
    // Signed out everywhere, and cannot sign in.
    expect((await t.app.inject({ method: 'GET', url: '/me', headers: client.auth })).statusCode).toBe(401);
    const refresh = await t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: client.refreshToken } });
    expect(refresh.statusCode).toBe(401);
    const signIn = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: client.email, password: PASSWORD } });
    expect(signIn.statusCode).toBe(401);
    expect(errorOf(signIn).code).toBe('invalid_credentials');

    // What identified her is gone; the row stays, anonymised.
    const [user] = await t.database.sql`SELECT email, name, password_hash, deleted_at, is_steward, phone FROM users WHERE id = ${client.userId}`;
    expect(user!.phone).toBe('');
    expect(user!.name).toBe(FORMER_MEMBER_NAME);
    expect(user!.email).not.toContain(client.email);
    expect(user!.password_hash).toBe('!');
    expect(user!.deleted_at).not.toBeNull();
    for (const [table, column] of [['sessions', 'user_id'], ['trusted_sign_in_addresses', 'user_id'], ['calendar_feeds', 'user_id'], ['email_verifications', 'user_id'], ['conversation_reads', 'user_id'], ['data_exports', 'user_id'], ['email_changes', 'user_id']] as const) {
      const [n] = await t.database.sql`SELECT count(*)::int AS n FROM ${t.database.sql(table)} WHERE ${t.database.sql(column)} = ${client.userId}`;
      expect(n!.n, table).toBe(0);
    }
    // The card is forgotten here and detached at Stripe.
    const [customer] = await t.database.sql`SELECT payment_method_id, card_last4 FROM payment_customers WHERE user_id = ${client.userId}`;
    expect(customer).toMatchObject({ payment_method_id: null, card_last4: null });
    const detached = await kit.stripeApi('GET', `/payment_methods/${card!.payment_method_id}`);
    expect(detached.customer ?? null).toBeNull();

    // Her booking stays for the co-op and the books, without her address or contact details.
    const [b] = await t.database.sql`SELECT state, address, notes, contact_name, contact_phone, contact_email, client_id FROM bookings WHERE id = ${booking.id}`;
    expect(b).toMatchObject({ state: 'completed', address: '', notes: '', contact_name: FORMER_MEMBER_NAME, contact_phone: '', contact_email: '', client_id: client.userId });
    const receiptAfter = await kit.payment(booking.id);
    expect(receiptAfter).toMatchObject({ receipt_number: receiptBefore!.receipt_number, total_cents: receiptBefore!.total_cents, status: 'paid' });
    const seen = await t.app.inject({ method: 'GET', url: `/bookings/${booking.id}`, headers: w.admin.auth });
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toContain('Josée');
    // Her review stays on the listing under "former member"; her message in the co-op's inbox too.
    const reviews = await t.app.inject({ method: 'GET', url: `/listings/${w.listingId}/reviews` });
    expect(reviews.body).toContain('Impeccable');
    expect(reviews.body).not.toContain('Josée');
    expect(reviews.body).toContain(FORMER_MEMBER_NAME);
    const inbox = await t.app.inject({ method: 'GET', url: `/conversations/${conv.json().conversation.id}`, headers: w.admin.auth });
    expect(inbox.statusCode, inbox.body).toBe(200);
    expect(inbox.body).not.toContain('Josée');
    expect(inbox.body).toContain('Bonjour, une question.');
    // Closed to new messages: nobody writes to someone who has left.
    expect(inbox.json()).toMatchObject({ clientLeft: true, can: { post: false, offer: false } });
    const reply = await t.app.inject({ method: 'POST', url: `/conversations/${conv.json().conversation.id}/messages`, headers: w.admin.auth, payload: { body: 'Toujours là ?' } });
    expect(reply.statusCode).toBe(409);
    expect(errorOf(reply).code).toBe('conversation_closed');

    // Nothing in the ledger breaks.
    await kit.ledgerOk(w.steward);

    // The other client is untouched: her session, her booking's address.
    expect((await t.app.inject({ method: 'GET', url: '/me', headers: other.auth })).json().name).toBe('Paul Autre');
    const [ob] = await t.database.sql`SELECT address FROM bookings WHERE id = ${theirs.id}`;
    expect(ob!.address).toBe('99 avenue du Parc');
    const [admin] = await t.database.sql`SELECT name, deleted_at FROM users WHERE id = ${w.admin.userId}`;
    expect(admin!.deleted_at).toBeNull();

    // The address is free for a new account.
    const again = await signUp(t.app, { email: client.email, name: 'Josée Nouvelle' });
    expect(again.userId).not.toBe(client.userId);
    const me = await t.app.inject({ method: 'GET', url: '/me', headers: again.auth });
    expect(me.json()).toMatchObject({ email: client.email, name: 'Josée Nouvelle' });
    const [n] = await t.database.sql`SELECT count(*)::int AS n FROM bookings WHERE client_id = ${again.userId}`;
    expect(n!.n).toBe(0);
  });
});

describe('retention limits', () => {
  it('the hourly purge deletes what is past its limit and keeps what is not', async () => {
    const someone = await signUp(t.app);
    const old = new Date(Date.now() - 400 * 86_400_000).toISOString();
    await t.database.sql`INSERT INTO sign_in_throttles (key, failures, last_failure_at) VALUES ('email:old@example.org', 3, ${old}), ('email:new@example.org', 1, now())`;
    await t.database.sql`INSERT INTO sessions (user_id, token_hash, expires_at, created_at) VALUES (${someone.userId}, 'old-session', ${old}, ${old})`;
    await t.database.sql`INSERT INTO trusted_sign_in_addresses (user_id, address, last_sign_in_at) VALUES (${someone.userId}, '203.0.113.9', ${old})`;
    await t.database.sql`INSERT INTO password_resets (user_id, token_hash, expires_at, created_at) VALUES (${someone.userId}, 'old-reset', ${old}, ${old})`;
    await t.database.sql`INSERT INTO outbox (kind, dedupe_key, payload, created_at, sent_at) VALUES ('email', 'old-mail-purge-test', '{}', ${old}, ${old})`;
    await t.database.sql`INSERT INTO email_changes (user_id, new_email, token_hash, expires_at, created_at) VALUES (${someone.userId}, 'ancienne@example.org', 'old-change', ${old}, ${old}), (${someone.userId}, 'nouvelle@example.org', 'live-change', now() + interval '1 day', now())`;
    const r = await purgeExpired(t.db, new Date());
    expect(r.throttles).toBeGreaterThanOrEqual(1);
    expect(r.sessions).toBeGreaterThanOrEqual(1);
    expect(r.trustedAddresses).toBeGreaterThanOrEqual(1);
    expect(r.links).toBeGreaterThanOrEqual(1);
    expect(r.emails).toBeGreaterThanOrEqual(1);
    const left = await t.database.sql`SELECT key FROM sign_in_throttles WHERE key IN ('email:old@example.org', 'email:new@example.org')`;
    expect(left.map((x) => x.key)).toEqual(['email:new@example.org']);
    // Her live session still works.
    expect((await t.app.inject({ method: 'GET', url: '/me', headers: someone.auth })).statusCode).toBe(200);
    const [s] = await t.database.sql`SELECT count(*)::int AS n FROM sessions WHERE token_hash = 'old-session'`;
    expect(s!.n).toBe(0);
    // An address change's link long expired goes (it names the address she wanted); a live one stays.
    const changes = await t.database.sql`SELECT token_hash FROM email_changes WHERE user_id = ${someone.userId}`;
    expect(changes.map((c) => c.token_hash)).toEqual(['live-change']);
  });
});

describe('the privacy page’s contact', () => {
  it('names the person in charge of personal information, from the configuration', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/privacy/contact' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: t.config.privacyOfficer.name, title: t.config.privacyOfficer.title, email: t.config.privacyOfficer.email });
  });
});
