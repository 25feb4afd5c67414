/**
 * Every link in every email opens a real page. Each kind of email the code knows is rendered with
 * the demo stack's data (the outbox's list of kinds: every email goes through the outbox), every address in it is requested from the running web as its recipient, signed in,
 * and signed out: 200, or a 303 to sign-in that lands on the page once signed in. A kind with no
 * sample here fails the test, so a new email cannot be added without its links being opened.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { createDb, schema, type Database } from '@tissu/db';
import { MESSAGE_KINDS, renderMessage, type MessagePayload } from '../../server/src/modules/notifications/messages.js';
import type { OutgoingMail } from '../../server/src/plugins/mailer.js';
import { launchBrowser } from '../support/browser.js';
import { adminCoopId, apiAs, bookableListings, freeSlots, mailedLink, signIn, wallDate, type ApiSession } from '../support/booking-world.js';

const CLIENT = 'client@tissu.demo';
const ADMIN = 'admin@tissu.demo';
const MOVERS = 'demenageurs-solidaires@tissu.demo';
const WORKER = 'travailleuse@tissu.demo';
const web = () => inject('webUrl');

let browser: Browser;
let database: Database;
let client: ApiSession;
let admin: ApiSession;
let movers: ApiSession;
let coopId: string;
/** A series of regular visits the demo client asked for (every series email is about one). */
let seriesId = '';
let seriesDate = '';
/** Demo bookings in the states the messages are sent in. */
const bookingIn: Record<'requested' | 'accepted' | 'completed', string> = { requested: '', accepted: '', completed: '' };

beforeAll(async () => {
  browser = await launchBrowser();
  database = createDb(inject('databaseUrl'));
  [client, admin, movers] = await Promise.all([apiAs(CLIENT), apiAs(ADMIN), apiAs(MOVERS)]);
  coopId = await adminCoopId(admin);
  const listing = (await bookableListings(coopId)).find((l) => !l.schedule.instantBooking)!;
  const body = (startsAt: string) => ({ listingId: listing.listing.id, startsAt, address: '4521 rue Fabre, Montréal', contactName: 'Jonathan Roy', contactEmail: CLIENT });
  const last = (await freeSlots(listing.listing.id)).slots.at(-1)!.start;
  bookingIn.requested = (await client.post<{ id: string }>('/bookings', body(last))).id;
  // Another day, from the slots as they are now: a time overlapping the first may have lost its last
  // free team to it (earlier test files book the same listing's last days).
  const day = (s: string) => wallDate(s, listing.schedule.timeZone);
  const other = (await freeSlots(listing.listing.id)).slots.filter((s) => day(s.start) !== day(last)).at(-1)!.start;
  bookingIn.accepted = (await client.post<{ id: string }>('/bookings', body(other))).id;
  await admin.post(`/bookings/${bookingIn.accepted}/accept`);
  const [done] = await database.db
    .select({ id: schema.bookings.id })
    .from(schema.bookings)
    .where(and(eq(schema.bookings.clientId, client.userId), eq(schema.bookings.coopId, coopId), eq(schema.bookings.state, 'completed')))
    .limit(1);
  bookingIn.completed = done!.id;

  // Weekly visits on a listing that offers them, each date that is not free skipped.
  const regular = (await bookableListings(coopId)).find((l) => l.schedule.seriesFrequencies.includes('weekly'))!;
  expect(regular, 'a listing of the demo co-op offers weekly visits').toBeTruthy();
  const first = (await freeSlots(regular.listing.id)).slots.at(-8)!.start;
  const preview = await client.get<{ visits: { date: string; status: string }[] }>(
    `/listings/${regular.listing.id}/series-preview?startsAt=${encodeURIComponent(first)}&frequency=weekly`,
  );
  const series = await client.post<{ id: string; visits: { date: string }[] }>('/series', {
    ...body(first), listingId: regular.listing.id, frequency: 'weekly',
    choices: preview.visits.filter((v) => v.status !== 'free').map((v) => ({ date: v.date, action: 'skip' })),
  });
  seriesId = series.id;
  seriesDate = series.visits[0]!.date;
});
afterAll(async () => {
  // The client may ask the movers again (one open request per listing): the sample's request is withdrawn.
  if (quoteMade) await client.post(`/quotes/${await quoteMade}/withdraw`, {}).catch(() => undefined);
  // Her two open bookings are cancelled, so files after this one find her under the open-bookings limits.
  for (const id of [bookingIn.requested, bookingIn.accepted]) if (id) await client.post(`/bookings/${id}/cancel`, {}).catch(() => undefined);
  await browser?.close();
  await database?.close();
});

/** The demo client's quote request on the movers' listing on quote, with offer version 1 (made once). */
let quoteMade: Promise<string> | null = null;
function quoteWithOffer(): Promise<string> {
  quoteMade ??= (async () => {
    const [row] = (await database.sql`SELECT id FROM listings WHERE quote_mode = 'only' AND status = 'active' ORDER BY created_at LIMIT 1`) as unknown as { id: string }[];
    expect(row, 'the demo has a listing on quote').toBeTruthy();
    const listingId = row!.id;
    const quote = await client.post<{ id: string }>('/quotes', {
      listingId, description: 'Un 4 et demi au 3e étage, sans ascenseur, et un piano droit.', address: '4521 rue Fabre, Montréal',
    });
    const at = new Date(Date.now() + 10 * 86_400_000);
    at.setUTCHours(14, 0, 0, 0);
    await movers.post(`/quotes/${quote.id}/offers`, {
      lines: [{ label: 'Trois déménageurs', quantity: 5, unitPriceCents: 14_500 }, { label: 'Piano', unitPriceCents: 25_000 }],
      validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(), durationMinutes: 300, proposedTimes: [at.toISOString()],
    });
    return quote.id;
  })();
  return quoteMade;
}

/** The booking a message is sent about: it goes out when the booking is in that state. */
const STATE_OF: Record<string, keyof typeof bookingIn> = {
  requested: 'requested', booked: 'accepted', received: 'requested', accepted: 'accepted', confirmed: 'accepted',
  declined: 'requested', expired: 'requested', cancelled: 'accepted', rescheduled: 'accepted', completed: 'completed', no_show: 'completed',
  reminder: 'accepted',
};

/** Renders an outbox message in a transaction that is rolled back, so the demo data stays as it was. */
async function renderRolledBack(payload: MessagePayload, prepare?: (tx: Parameters<Parameters<Database['db']['transaction']>[0]>[0]) => Promise<void>) {
  let mail: OutgoingMail | null = null;
  await database.db
    .transaction(async (tx) => {
      await prepare?.(tx);
      mail = await renderMessage(tx, payload, web(), 'Tissu <bonjour@tissu.coop>');
      throw new RollBack();
    })
    .catch((e) => {
      if (!(e instanceof RollBack)) throw e;
    });
  return mail as OutgoingMail | null;
}
class RollBack extends Error {}

interface Sample {
  recipient: string | null; // null: someone with no account yet
  mail: OutgoingMail;
}

/** Samples of each outbox kind, for every person it can go to. */
async function outboxSamples(kind: { type: string; message: string }): Promise<Sample[]> {
  if (kind.type === 'booking') {
    const bookingId = bookingIn[STATE_OF[kind.message] ?? 'accepted'];
    const [b] = await database.db.select().from(schema.bookings).where(eq(schema.bookings.id, bookingId));
    const out: Sample[] = [];
    for (const [email, recipientId] of [[CLIENT, client.userId], [ADMIN, admin.userId]] as const) {
      const mail = await renderRolledBack({
        type: 'booking', message: kind.message as never, bookingId, recipientId, startsAt: b!.startsAt.toISOString(), reason: 'Un empêchement',
      });
      expect(mail, `${kind.type}/${kind.message} renders`).not.toBeNull();
      out.push({ recipient: email, mail: mail! });
    }
    return out;
  }
  if (kind.type === 'surplus_plan') {
    // The demo's voted plan, its vote reopened for the rendering only; the recipient is a person
    // holding a line in it.
    const [row] = (await database.sql`
      SELECT p.id AS proposal_id, p.plan_id, pa.membership_id, u.id AS user_id, u.email
      FROM proposals p JOIN plan_allocations pa ON pa.plan_id = p.plan_id
      JOIN memberships m ON m.id = pa.membership_id JOIN users u ON u.id = m.user_id
      WHERE p.kind = 'surplus_plan' ORDER BY (u.email = ${CLIENT}) DESC LIMIT 1`) as unknown as { proposal_id: string; plan_id: string; membership_id: string; user_id: string; email: string }[];
    expect(row, 'the demo has a surplus plan put to the vote').toBeTruthy();
    const mail = await renderRolledBack(
      { type: 'surplus_plan', message: kind.message as never, planId: row!.plan_id, proposalId: row!.proposal_id, membershipIds: [row!.membership_id], recipientId: row!.user_id },
      async (tx) => {
        await tx.execute(sql`UPDATE proposals SET status = 'open', closes_at = now() + interval '7 days' WHERE id = ${row!.proposal_id}`);
      },
    );
    expect(mail, 'the plan email renders').not.toBeNull();
    return [{ recipient: row!.email, mail: mail! }];
  }
  if (kind.type === 'coop_decision') {
    // The demo admin's co-op, decided as this message says, to the admin who applied.
    const mail = await renderRolledBack({ type: 'coop_decision', message: kind.message as never, coopId, recipientId: admin.userId });
    expect(mail, 'the co-op decision renders').not.toBeNull();
    return [{ recipient: ADMIN, mail: mail! }];
  }
  if (kind.type === 'account') {
    // A newcomer really signs up; her confirmation link carries the token the outbox mailed her,
    // and a reset link the token of a reset she really asked for. The other notices go to someone
    // signed out (a session just ended, or a sign-up by mistake).
    const email = `nouveau-${Date.now()}-${kind.message}@example.org`;
    const res = await fetch(`${inject('apiUrl')}/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'une phrase de passe 2026', name: 'Nouvelle Personne', locale: 'fr' }),
    });
    expect(res.status, 'sign-up').toBeLessThan(300);
    let token = new URL((await mailedLink(email, /https?:\/\/\S+\/verify-email\/\S+/))[0]).pathname.split('/').pop();
    if (kind.message === 'password_reset') {
      const asked = await fetch(`${inject('apiUrl')}/auth/password-reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
      expect(asked.status, 'password reset').toBeLessThan(300);
      token = new URL((await mailedLink(email, /https?:\/\/\S+\/reset-password\/\S+/))[0]).pathname.split('/').pop();
    }
    const [user] = await database.db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, email));
    const mail = await renderRolledBack({ type: 'account', message: kind.message as never, recipientId: user!.id, token, expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(mail, `account/${kind.message} renders`).not.toBeNull();
    return [{ recipient: null, mail: mail! }];
  }
  if (kind.type === 'coop_invitation') {
    // An invitation really sent by the demo admin to someone without an account, with its token.
    const email = `invitee-${Date.now()}@example.org`;
    const invitation = await admin.post<{ id: string }>(`/coops/${coopId}/invitations`, { email, role: 'worker' });
    const token = new URL((await mailedLink(email, /https?:\/\/\S+\/invitations\/\S+/))[0]).pathname.split('/').pop();
    const mail = await renderRolledBack({ type: 'coop_invitation', message: kind.message as never, invitationId: invitation.id, token });
    expect(mail, 'the invitation renders').not.toBeNull();
    return [{ recipient: null, mail: mail! }];
  }
  if (kind.type === 'series') {
    const out: Sample[] = [];
    for (const [email, recipientId] of [[CLIENT, client.userId], [ADMIN, admin.userId]] as const) {
      const mail = await renderRolledBack({ type: 'series', message: kind.message as never, seriesId, recipientId, reason: 'Un empêchement', date: seriesDate });
      expect(mail, `${kind.type}/${kind.message} renders`).not.toBeNull();
      out.push({ recipient: email, mail: mail! });
    }
    return out;
  }
  if (kind.type === 'data_export') {
    // The demo client really asks for her data; the job builds the archive and mails her the link with its token.
    const asked = await client.post<{ id: string }>('/me/data-exports');
    const token = (await mailedLink(CLIENT, /\/account\/data\/([\w-]{43})/))[1];
    const mail = await renderRolledBack({ type: 'data_export', message: kind.message as never, exportId: asked.id, recipientId: client.userId, token });
    expect(mail, 'the data export email renders').not.toBeNull();
    return [{ recipient: CLIENT, mail: mail! }];
  }
  if (kind.type === 'quote') {
    // A move quoted by the demo movers for the demo client, with one offer; withdrawn once rendered so
    // the client may ask again (one open request per listing), in afterAll. Both sides open the quote's page.
    const quote = await quoteWithOffer();
    const out: Sample[] = [];
    for (const [email, recipientId] of [[CLIENT, client.userId], [MOVERS, movers.userId]] as const) {
      const mail = await renderRolledBack({ type: 'quote', message: kind.message as never, quoteId: quote, recipientId, reason: 'Un empêchement', offerVersion: 1 });
      expect(mail, `quote/${kind.message} renders`).not.toBeNull();
      out.push({ recipient: email, mail: mail! });
    }
    return out;
  }
  if (kind.type === 'tip') {
    // A tip on the demo client's completed visit, paid, with the demo worker on the visit: the
    // client opens her receipt, the worker her visits (where her tips are), each signed in.
    const worker = await apiAs(WORKER);
    const bookingId = bookingIn.completed;
    const [tip] = (await database.sql`SELECT id FROM tips WHERE booking_id = ${bookingId}`) as unknown as { id: string }[];
    const tipId = tip?.id ?? crypto.randomUUID();
    const out: Sample[] = [];
    for (const [email, recipientId] of (kind.message === 'thanks' ? [[CLIENT, client.userId]] : [[WORKER, worker.userId]]) as [string, string][]) {
      const mail = await renderRolledBack({ type: 'tip', message: kind.message as never, tipId, recipientId }, async (tx) => {
        if (tip) await tx.execute(sql`UPDATE tips SET status = 'paid', paid_at = coalesce(paid_at, now()) WHERE id = ${tipId}`);
        else await tx.execute(sql`INSERT INTO tips (id, booking_id, coop_id, client_id, amount_cents, status, paid_at) VALUES (${tipId}, ${bookingId}, ${coopId}, ${client.userId}, 1800, 'paid', now())`);
        await tx.execute(sql`INSERT INTO booking_workers (booking_id, user_id) VALUES (${bookingId}, ${worker.userId}) ON CONFLICT DO NOTHING`);
      });
      expect(mail, `tip/${kind.message} renders`).not.toBeNull();
      out.push({ recipient: email, mail: mail! });
    }
    return out;
  }
  throw new Error(`No sample for the email kind ${kind.type}/${kind.message}: add one to this test`);
}

/**
 * Every email goes through the outbox, so a module sends none itself: a function exported by a
 * module's mail.ts is an email this test cannot open the links of.
 */
async function moduleMailSamples(): Promise<{ kind: string; samples: Sample[] }[]> {
  const modules = path.resolve('server/src/modules');
  for (const mod of await readdir(modules)) {
    const exported = (await import(path.join(modules, mod, 'mail.ts')).catch(() => null)) as Record<string, unknown> | null;
    const sent = Object.entries(exported ?? {}).filter(([, f]) => typeof f === 'function').map(([name]) => name);
    if (sent.length) throw new Error(`${mod}/mail.ts sends ${sent.join(', ')} outside the outbox: queue it (MESSAGE_KINDS) instead`);
  }
  return [];
}

/**
 * Every address in the text and the attachments (calendar lines unfolded first). A time zone's
 * TZURL (where the VTIMEZONE of a recurring event comes from, tzurl.org) is for calendar programs,
 * not a link a person opens.
 */
function linksIn(mail: OutgoingMail): string[] {
  const calendar = (content: string) => content.replace(/\r?\n[ \t]/g, '').replace(/^TZURL:.*$/gm, '');
  const texts = [mail.text, mail.html ?? '', ...(mail.attachments ?? []).map((a) => calendar(a.content))];
  const found = texts.flatMap((t) => t.match(/https?:\/\/[^\s<>"')]+/g) ?? []).map((u) => u.replace(/[.,;:]+$/, ''));
  return [...new Set(found)];
}

const contexts = new Map<string, BrowserContext>();
async function contextOf(recipient: string | null): Promise<BrowserContext> {
  const key = recipient ?? '';
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = await browser.newContext({ locale: 'fr-CA' });
    if (recipient) await signIn(await ctx.newPage(), recipient);
    contexts.set(key, ctx);
  }
  return ctx;
}

/** Opens a link as this person: the page itself, and the fragment's target when there is one. */
async function opens(recipient: string | null, url: string): Promise<string | null> {
  const ctx = await contextOf(recipient);
  const res = await ctx.request.get(url, { maxRedirects: 0 });
  if (res.status() !== 200) return `${res.status()} ${res.headers().location ?? ''}`;
  const hash = new URL(url).hash.slice(1);
  if (hash && !(await res.text()).includes(`id="${hash}"`)) return `200 without #${hash}`;
  return null;
}

/** Signed out, the link answers the page or a 303 to sign-in that comes back to it. */
async function opensSignedOut(url: string): Promise<string | null> {
  const ctx = await contextOf(null);
  const res = await ctx.request.get(url, { maxRedirects: 0 });
  if (res.status() === 200) return null;
  const location = res.headers().location ?? '';
  if (res.status() !== 303 || !location.startsWith('/sign-in')) return `${res.status()} ${location}`;
  const back = new URL(location, web()).searchParams.get('redirectTo');
  const target = new URL(url);
  if (back !== target.pathname + target.search) return `303 to ${location}, which does not come back to ${target.pathname}`;
  const signInPage = await ctx.request.get(new URL(location, web()).href, { maxRedirects: 0 });
  return signInPage.status() === 200 ? null : `sign-in page ${signInPage.status()}`;
}

describe('every link in every email', () => {
  it('opens a real page for its recipient, and a way there when signed out', async () => {
    const all: { kind: string; samples: Sample[] }[] = [];
    for (const kind of MESSAGE_KINDS) all.push({ kind: `${kind.type}.${kind.message}`, samples: await outboxSamples(kind) });
    all.push(...(await moduleMailSamples()));

    const broken: string[] = [];
    let checked = 0;
    for (const { kind, samples } of all) {
      for (const { recipient, mail } of samples) {
        const links = linksIn(mail);
        for (const url of links) {
          if (!url.startsWith(web())) {
            broken.push(`${kind}: ${url} is not on the web`);
            continue;
          }
          checked++;
          const asRecipient = await opens(recipient, url);
          if (asRecipient) broken.push(`${kind} to ${recipient ?? 'a newcomer'}: ${url} → ${asRecipient}`);
          const signedOut = recipient ? await opensSignedOut(url) : null;
          if (signedOut) broken.push(`${kind} signed out: ${url} → ${signedOut}`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(all.length);
  });
});
