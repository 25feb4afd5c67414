/**
 * "Download my data" (issue 15, Law 25 portability): a person with data in every area asks for her
 * archive, the job builds it, the emailed link downloads it for her alone; the archive is read
 * back and checked against the database (counts, amounts to the cent, accents), never holds a
 * secret; another person's link answers 404, an expired one 410; a few requests a day at most.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { createDataExports } from '../../server/src/modules/data-export/index.js';
import { createTestApp, errorOf, signUp, type SignedIn, type TestApp } from '../support/test-app.js';
import { PASSWORD } from '../support/authz-world.js';
import { paymentsWorld, slots, type PaymentsKit } from '../support/payments.js';
import { payBooking, startBooking } from '../support/fixtures.js';

let t: TestApp;
let kit: PaymentsKit;
let client: SignedIn;
let stranger: SignedIn;
let admin: SignedIn;
const NAME = 'Éloïse Brûlé-Gagnon';
const next = slots(72, 3);

const req = (method: 'GET' | 'POST', url: string, who: SignedIn | null) =>
  t.app.inject({ method, url, headers: who?.auth ?? {} });
/** UTF-8 as written, the byte-order mark kept (TextDecoder drops it by default). */
const strFromU8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
const exportsJob = () => createDataExports({ db: t.db });

/** The download link of the newest "data ready" email to `email`. */
async function mailedToken(email: string): Promise<string> {
  const mails = (await t.sentMail()).filter((m) => m.to === email.toLowerCase() && /\/account\/data\//.test(m.text));
  const match = /\/account\/data\/([A-Za-z0-9_-]{43})/.exec(mails.at(-1)?.text ?? '');
  if (!match) throw new Error(`no data export email to ${email}`);
  return match[1]!;
}

/** A CSV of the archive as rows of cells (the French one: ";" and RFC 4180 quotes). */
function parseCsv(text: string, sep = ';'): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.slice(1);
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(cell); cell = ''; } else if (c === '\r' && s[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  return rows;
}

beforeAll(async () => {
  t = await createTestApp();
  const w = await paymentsWorld(t);
  kit = w.kit;
  admin = w.admin;
  stranger = w.stranger;
  client = await signUp(t.app, { name: NAME, email: `eloise-${Date.now()}@example.org` });
  const sql = t.database.sql;
  const contact = { contactName: NAME, notes: 'Sonnez deux fois; le chien s’appelle "Biscuit"', address: '12, rue de l’Église, Montréal' };
  // Her phone, and an address change waiting for its link (the account page's data).
  expect((await t.app.inject({ method: 'PATCH', url: '/me', headers: client.auth, payload: { phone: '514 555 0142' } })).statusCode).toBe(200);
  const moving = await t.app.inject({ method: 'POST', url: '/me/email', headers: client.auth, payload: { newEmail: `eloise-nouvelle-${Date.now()}@example.org`, currentPassword: PASSWORD } });
  expect(moving.statusCode, moving.body).toBe(202);

  // A booking paid, done and reviewed; one paid then cancelled early (refunded in full); one only asked for.
  const done = await kit.book(client, w.listingId, next(), contact);
  await kit.accept(admin, done.id);
  await payBooking(t, client, done.id);
  await startBooking(t, done.id, 120);
  const complete = await t.app.inject({ method: 'POST', url: `/bookings/${done.id}/complete`, headers: admin.auth, payload: { hours: [] } });
  expect(complete.statusCode, complete.body).toBe(200);
  const review = await t.app.inject({ method: 'POST', url: `/bookings/${done.id}/review`, headers: client.auth, payload: { rating: 5, body: 'Très bien, merci à l’équipe !' } });
  expect(review.statusCode, review.body).toBe(201);
  const cancelled = await kit.book(client, w.listingId, next(), contact);
  await kit.accept(admin, cancelled.id);
  await payBooking(t, client, cancelled.id);
  const cancel = await t.app.inject({ method: 'POST', url: `/bookings/${cancelled.id}/cancel`, headers: client.auth, payload: { reason: 'Empêchement' } });
  expect(cancel.statusCode, cancel.body).toBe(200);
  await kit.book(client, w.listingId, next(), contact);

  // A conversation: she writes, the co-op answers.
  const conv = await t.app.inject({ method: 'POST', url: '/conversations', headers: client.auth, payload: { coopId: w.coopId, listingId: w.listingId, body: 'Bonjour, faites-vous les fenêtres ?' } });
  expect(conv.statusCode, conv.body).toBe(201);
  const convId = conv.json().conversation.id as string;
  const answer = await t.app.inject({ method: 'POST', url: `/conversations/${convId}/messages`, headers: admin.auth, payload: { body: 'Oui, à l’intérieur.' } });
  expect(answer.statusCode, answer.body).toBe(201);

  // A user-member with her share in her capital account, and a patronage statement of a paid plan.
  const m = await t.app.inject({ method: 'POST', url: '/steward/memberships', headers: w.steward.auth, payload: { class: 'user', userId: client.userId, startedOn: '2020-01-01', paidBy: 'cheque' } });
  expect(m.statusCode, m.body).toBe(201);
  const membershipId = m.json().id as string;
  const [year] = await sql`INSERT INTO fiscal_years (label, starts_on, ends_on, status, closed_at) VALUES ('2021', '2021-01-01', '2021-12-31', 'closed', now()) RETURNING id`;
  const [plan] = await sql`INSERT INTO surplus_plans (fiscal_year_id, status, reserve_bps, weights, cash_bps, threshold_cents, proposed_at)
    VALUES (${year!.id}, 'draft', 2000, '{"producer":4000,"worker":4000,"user":2000}', 3000, 0, now()) RETURNING id`;
  await sql`INSERT INTO plan_allocations (plan_id, membership_id, member_class, units, allocation_cents, cash_cents, retained_cents, carried_in_cents, paid_cents, carried_forward_cents, withholding_cents)
    VALUES (${plan!.id}, ${membershipId}, 'user', 27000, 3334, 1001, 2333, 0, 1001, 0, 0)`;
  await sql`UPDATE surplus_plans SET status = 'proposed' WHERE id = ${plan!.id}`;

  // She is also a worker-member of the co-op, with a time off noted.
  await sql`INSERT INTO coop_members (coop_id, user_id, role) VALUES (${w.coopId}, ${client.userId}, 'worker')`;
  await sql`INSERT INTO time_off (coop_id, user_id, starts_at, ends_at, note, created_by) VALUES (${w.coopId}, ${client.userId}, now() + interval '40 days', now() + interval '41 days', 'Rendez-vous médical', ${client.userId})`;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('download my data', () => {
  let token: string;
  let files: Record<string, Uint8Array>;

  it('she asks, the job builds one archive, and the emailed link downloads it for her', async () => {
    const asked = await req('POST', '/me/data-exports', client);
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json().state).toBe('preparing');
    // One being prepared at a time.
    const again = await req('POST', '/me/data-exports', client);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('export_in_progress');
    expect((await req('GET', '/me/data-exports', client)).json().exports.map((e: { state: string }) => e.state)).toEqual(['preparing']);

    expect(await exportsJob().buildPending()).toEqual({ built: 1, failed: 0 });
    const list = (await req('GET', '/me/data-exports', client)).json();
    expect(list.exports[0].state).toBe('ready');
    expect(new Date(list.exports[0].expiresAt).getTime() - new Date(list.exports[0].readyAt).getTime()).toBe(7 * 86_400_000);

    const mail = (await t.sentMail()).find((m) => m.to === client.email.toLowerCase() && m.text.includes('/account/data/'))!;
    expect(mail.subject).toBe('Vos données Tissu sont prêtes');
    expect(mail.text).toContain(`${t.config.webOrigin}/account/data/`);
    token = await mailedToken(client.email);
    // The secret left the outbox once the email was sent; only its hash is kept.
    const [row] = await t.database.sql`SELECT token_hash FROM data_exports WHERE user_id = ${client.userId}`;
    expect(row!.token_hash).not.toContain(token);
    expect(JSON.stringify(await t.database.sql`SELECT payload FROM outbox WHERE dedupe_key LIKE 'data_export:%'`)).not.toContain(token);

    const link = await req('GET', `/me/data-exports/link/${token}`, client);
    expect(link.statusCode, link.body).toBe(200);
    expect(link.json()).toMatchObject({ state: 'ready', sizeBytes: expect.any(Number) });
    const res = await req('GET', `/me/data-exports/archive/${token}`, client);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.rawPayload.length).toBe(link.json().sizeBytes);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['cache-control']).toBe('private, no-store');
    files = unzipSync(new Uint8Array(res.rawPayload));
    expect(Object.keys(files).sort()).toEqual(['LISEZ-MOI.txt', 'bookings.csv', 'data.json', 'payments.csv', 'statements.csv']);
  });

  it('data.json holds what the database holds about her, and no secret', async () => {
    const sql = t.database.sql;
    const text = strFromU8(files['data.json']!);
    const data = JSON.parse(text);
    expect(data.account.name).toBe(NAME);
    expect(data.account.email).toBe(client.email);
    expect(data.account.locale).toBe('fr');
    expect(data.account.phone).toBe('514 555 0142');
    expect(data.emailChanges).toHaveLength(1);
    expect(data.emailChanges[0].newEmail).toMatch(/^eloise-nouvelle-/);
    expect(data.emailChanges[0]).not.toHaveProperty('tokenHash');
    expect(data.account).not.toHaveProperty('passwordHash');
    // No hash of a password, a session, a link or a feed, whatever its key.
    const secrets = await sql`
      SELECT password_hash AS h FROM users WHERE id = ${client.userId}
      UNION ALL SELECT token_hash FROM sessions WHERE user_id = ${client.userId}
      UNION ALL SELECT token_hash FROM email_verifications WHERE user_id = ${client.userId}
      UNION ALL SELECT token_hash FROM data_exports WHERE user_id = ${client.userId}`;
    expect(secrets.length).toBeGreaterThan(2);
    for (const s of secrets) expect(text).not.toContain(s.h);
    expect(text).not.toMatch(/"(passwordHash|tokenHash|seed)"/);
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(data.sessions[0]).toHaveProperty('createdAt');

    const bookings = await sql`SELECT id, state, price_cents, starts_at, time_zone FROM bookings WHERE client_id = ${client.userId} ORDER BY starts_at`;
    expect(data.bookings.map((b: { id: string }) => b.id)).toEqual(bookings.map((b) => b.id));
    expect(data.bookings.map((b: { state: string }) => b.state)).toEqual(bookings.map((b) => b.state));
    const first = data.bookings[0];
    expect(first.startsAt).toBe(new Date(bookings[0]!.starts_at as string).toISOString());
    expect(first.startsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(first.timeZone).toBe('America/Toronto');
    expect(first.startsAtLocal).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[45]:00$/);
    expect(new Date(first.startsAtLocal).getTime()).toBe(new Date(first.startsAt).getTime());
    expect(first.notes).toBe('Sonnez deux fois; le chien s’appelle "Biscuit"');
    expect(first.history.map((e: { toState: string }) => e.toState)).toEqual(['requested', 'accepted', 'paid', 'completed']);

    const payments = await sql`SELECT p.total_cents, p.refunded_cents, p.receipt_number FROM payments p JOIN bookings b ON b.id = p.booking_id WHERE b.client_id = ${client.userId} ORDER BY p.created_at`;
    expect(data.payments.map((p: { totalCents: number }) => p.totalCents)).toEqual(payments.map((p) => p.total_cents));
    expect(data.payments.map((p: { receiptNumber: string }) => p.receiptNumber)).toEqual(payments.map((p) => p.receipt_number));
    const [refunded] = await sql`SELECT sum(r.total_cents)::int AS cents, count(*)::int AS n FROM refunds r JOIN bookings b ON b.id = r.booking_id WHERE b.client_id = ${client.userId}`;
    const refunds = data.payments.flatMap((p: { refunds: { totalCents: number }[] }) => p.refunds);
    expect(refunds.length).toBe(refunded!.n);
    expect(refunded!.n).toBeGreaterThan(0);
    expect(refunds.reduce((s: number, r: { totalCents: number }) => s + r.totalCents, 0)).toBe(refunded!.cents);

    expect(data.reviews.map((r: { body: string }) => r.body)).toEqual(['Très bien, merci à l’équipe !']);
    const messages = data.conversations.flatMap((c: { messages: { body: string; mine: boolean }[] }) => c.messages);
    expect(messages.map((m: { body: string; mine: boolean }) => [m.mine, m.body])).toEqual([[true, 'Bonjour, faites-vous les fenêtres ?'], [false, 'Oui, à l’intérieur.']]);
    expect(messages[1]).not.toHaveProperty('authorId');

    expect(data.membership.memberships).toHaveLength(1);
    const [capital] = await sql`SELECT -sum(l.amount_cents)::int AS c FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE a.code = ${`member_capital:${data.membership.memberships[0].id}`}`;
    expect(data.membership.capitalMovements.reduce((s: number, m: { amountCents: number }) => s + m.amountCents, 0)).toBe(capital!.c);
    expect(capital!.c).toBeGreaterThan(0);
    expect(data.membership.patronageStatements).toEqual([expect.objectContaining({ fiscalYear: '2021', allocationCents: 3334, cashCents: 1001, retainedCents: 2333 })]);
    expect(data.work.coopRoles).toEqual([expect.objectContaining({ role: 'worker', coopName: 'Ménage Éclat' })]);
    expect(data.work.timeOff.map((o: { note: string }) => o.note)).toEqual(['Rendez-vous médical']);
    expect(data.dataExports).toHaveLength(1);
  });

  it('the CSVs agree with the database to the cent, accents and quotes intact', async () => {
    const sql = t.database.sql;
    const bookings = parseCsv(strFromU8(files['bookings.csv']!));
    const [head, ...lines] = bookings;
    expect(head).toContain('Prix ($)');
    expect(head).toContain('Prix (¢)');
    const rows = await sql`SELECT id, price_cents FROM bookings WHERE client_id = ${client.userId} ORDER BY starts_at`;
    expect(lines.map((l) => l[0])).toEqual(rows.map((r) => r.id));
    const col = (name: string) => head!.indexOf(name);
    expect(lines.map((l) => Number(l[col('Prix (¢)')]))).toEqual(rows.map((r) => r.price_cents));
    expect(lines.map((l) => l[col('Prix ($)')])).toEqual(rows.map((r) => ((r.price_cents as number) / 100).toFixed(2).replace('.', ',')));
    expect(lines[0]![col('Nom de contact')]).toBe(NAME);
    expect(lines[0]![col('Notes')]).toBe('Sonnez deux fois; le chien s’appelle "Biscuit"');

    const [pHead, ...pLines] = parseCsv(strFromU8(files['payments.csv']!));
    const total = pHead!.indexOf('Total (¢)');
    const paid = pLines.filter((l) => l[0] === 'paiement');
    const back = pLines.filter((l) => l[0] === 'remboursement');
    const [sums] = await sql`SELECT sum(p.total_cents)::int AS paid, (SELECT sum(r.total_cents)::int FROM refunds r JOIN bookings b ON b.id = r.booking_id WHERE b.client_id = ${client.userId}) AS back
      FROM payments p JOIN bookings b ON b.id = p.booking_id WHERE b.client_id = ${client.userId}`;
    expect(paid.reduce((s, l) => s + Number(l[total]), 0)).toBe(sums!.paid);
    expect(back.reduce((s, l) => s + Number(l[total]), 0)).toBe(sums!.back);

    const [sHead, ...sLines] = parseCsv(strFromU8(files['statements.csv']!));
    expect(sLines).toHaveLength(1);
    expect(sLines[0]![sHead!.indexOf('Ristourne ($)')]).toBe('33,34');
    expect(sLines[0]![sHead!.indexOf('Ristourne (¢)')]).toBe('3334');
  });

  it('nobody else opens it: another person 404, a visitor 401, a made-up token 404', async () => {
    const other = await req('GET', `/me/data-exports/archive/${token}`, stranger);
    expect(other.statusCode).toBe(404);
    expect(errorOf(other).code).toBe('not_found');
    expect((await req('GET', `/me/data-exports/link/${token}`, stranger)).statusCode).toBe(404);
    expect((await req('GET', `/me/data-exports/archive/${token}`, null)).statusCode).toBe(401);
    expect((await req('GET', `/me/data-exports/archive/${'A'.repeat(43)}`, client)).statusCode).toBe(404);
    expect((await req('GET', '/me/data-exports/archive/short', client)).statusCode).toBe(404);
    expect((await req('GET', '/me/data-exports', stranger)).json().exports).toEqual([]);
  });

  it('after its expiry the link says so (410) and the job deletes the archive', async () => {
    await t.database.sql`UPDATE data_exports SET expires_at = now() - interval '1 second' WHERE user_id = ${client.userId}`;
    const res = await req('GET', `/me/data-exports/archive/${token}`, client);
    expect(res.statusCode).toBe(410);
    expect(errorOf(res).code).toBe('export_expired');
    expect(errorOf(await req('GET', `/me/data-exports/link/${token}`, client)).code).toBe('export_expired');
    expect((await req('GET', '/me/data-exports', client)).json().exports[0].state).toBe('expired');
    expect(await exportsJob().deleteExpired()).toBe(1);
    const [row] = await t.database.sql`SELECT archive, deleted_at FROM data_exports WHERE user_id = ${client.userId}`;
    expect(row!.archive).toBeNull();
    expect(row!.deleted_at).not.toBeNull();
    expect((await req('GET', `/me/data-exports/archive/${token}`, client)).statusCode).toBe(410);
  });

  it('a few a day: the fourth request within 24 hours is refused with a clear code and when to retry', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await req('POST', '/me/data-exports', client)).statusCode).toBe(202);
      await exportsJob().buildPending();
    }
    const fourth = await req('POST', '/me/data-exports', client);
    expect(fourth.statusCode).toBe(429);
    expect(errorOf(fourth).code).toBe('export_limit_reached');
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await req('GET', '/me/data-exports', client)).json().nextRequestAt).not.toBeNull();
    // Another person is not held back by her requests.
    expect((await req('POST', '/me/data-exports', admin)).statusCode).toBe(202);
  });

  it('two tabs asking at once make one request; two workers build it once and email it once', async () => {
    const twice = await signUp(t.app, { name: 'Double Clic' });
    await exportsJob().buildPending(); // the requests of the tests before
    const answers = await Promise.all([req('POST', '/me/data-exports', twice), req('POST', '/me/data-exports', twice)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([202, 409]);
    const built = await Promise.all([exportsJob().buildPending(), exportsJob().buildPending()]);
    expect(built.reduce((n, r) => n + r.built, 0)).toBe(1);
    const mails = (await t.sentMail()).filter((m) => m.to === twice.email.toLowerCase() && m.text.includes('/account/data/'));
    expect(mails).toHaveLength(1);
    const [row] = await t.database.sql`SELECT count(*)::int AS n, count(archive)::int AS built FROM data_exports WHERE user_id = ${twice.userId}`;
    expect(row).toEqual({ n: 1, built: 1 });
  });

  it('an English speaker gets her email and her archive in English', async () => {
    const en = await signUp(t.app, { name: 'Zoë Smith', locale: 'en' });
    expect((await req('POST', '/me/data-exports', en)).statusCode).toBe(202);
    await exportsJob().buildPending();
    const mail = (await t.sentMail()).find((m) => m.to === en.email.toLowerCase() && m.text.includes('/account/data/'))!;
    expect(mail.subject).toBe('Your Tissu data is ready');
    const res = await req('GET', `/me/data-exports/archive/${await mailedToken(en.email)}`, en);
    const zip = unzipSync(new Uint8Array(res.rawPayload));
    expect(Object.keys(zip)).toContain('README.txt');
    expect(strFromU8(zip['bookings.csv']!).split('\r\n')[0]).toContain('Price ($),Price (¢)');
  });
});

describe("a co-op admin's archive", () => {
  it('holds what she wrote for the co-op, not her clients\' messages (the co-op\'s record, not her data)', async () => {
    expect((await req('POST', '/me/data-exports', admin)).statusCode).toBe(202);
    await exportsJob().buildPending();
    const token = await mailedToken(admin.email);
    const res = await req('GET', `/me/data-exports/archive/${token}`, admin);
    expect(res.statusCode, res.body).toBe(200);
    const data = JSON.parse(strFromU8(unzipSync(new Uint8Array(res.rawPayload))['data.json']!));
    const bodies = data.conversations.flatMap((c: { messages: { body: string }[] }) => c.messages.map((m) => m.body));
    expect(bodies).toContain('Oui, à l’intérieur.');
    expect(bodies).not.toContain('Bonjour, faites-vous les fenêtres ?');
  });
});
