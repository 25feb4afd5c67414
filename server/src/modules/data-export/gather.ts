import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { schema, type Tx } from '@tissu/db';

/**
 * Everything Tissu holds about one person, read in one snapshot (the caller's repeatable-read
 * transaction), grouped as data.json shows it. What is hers: her account, her sessions and links
 * (never a token, a hash or a feed's seed), what she booked, paid, wrote, voted, worked and asked
 * for. What others wrote in her conversations is there as she already sees it (not a hidden
 * message of someone else, no other person's name); a co-op's own records are not hers.
 *
 * Columns are read with `*` where a table is hers alone, so a column added later is in the archive
 * without anyone remembering to add it here; SECRET drops what must never leave the database.
 */
const SECRET = /(hash|token|seed|secret)$|^archive$/i;

type Row = Record<string, unknown>;

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A timestamptz as PostgreSQL writes it ("2026-03-08 14:00:00.5+00"): raw reads leave it so (Drizzle's driver setting). */
const PG_INSTANT = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(:?\d\d)?$/;

function instantText(v: string): string {
  const m = PG_INSTANT.exec(v);
  return m ? new Date(`${m[1]}T${m[2]}${m[3]}:${(m[4] ?? '00').replace(':', '')}`).toISOString() : v;
}

/** A row as JSON shows it: camelCase keys, instants in UTC ISO, bigints as numbers, no secrets. */
export function plain(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (SECRET.test(k)) continue;
    out[camel(k)] = v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? instantText(v) : v;
  }
  return out;
}

async function rows(tx: Tx, query: SQL): Promise<Row[]> {
  return ((await tx.execute(query)) as unknown as Row[]).map(plain);
}

/** "2026-03-08T09:00:00.000-04:00": the instant on the listing's wall clock, with its offset. */
export const local = (iso: unknown, zone: unknown) =>
  typeof iso === 'string' && typeof zone === 'string' ? DateTime.fromISO(iso, { zone }).toISO() : null;

export async function gatherPersonData(tx: Tx, userId: string) {
  const [account] = await rows(tx, sql`SELECT * FROM users WHERE id = ${userId}`);
  if (!account) return null;

  const bookings = await rows(tx, sql`
    SELECT b.*, l.title_fr AS listing_title_fr, l.title_en AS listing_title_en, c.legal_name AS coop_name
    FROM bookings b JOIN listings l ON l.id = b.listing_id JOIN coops c ON c.id = b.coop_id
    WHERE b.client_id = ${userId} ORDER BY b.starts_at, b.id`);
  const events = await rows(tx, sql`
    SELECT e.booking_id, e.from_state, e.to_state, e.kind, e.actor_role, e.reason, e.created_at, coalesce(e.actor_id = ${userId}, false) AS by_me
    FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE b.client_id = ${userId} ORDER BY e.id`);
  const payments = await rows(tx, sql`
    SELECT p.id, p.booking_id, p.status, p.service_cents, p.gst_cents, p.qst_cents, p.total_cents, p.refunded_cents,
           p.receipt_number, p.created_at, p.paid_at, c.legal_name AS coop_name
    FROM payments p JOIN bookings b ON b.id = p.booking_id JOIN coops c ON c.id = p.coop_id
    WHERE b.client_id = ${userId} ORDER BY p.created_at, p.id`);
  const refunds = await rows(tx, sql`
    SELECT r.id, r.payment_id, r.booking_id, r.kind, r.service_cents, r.gst_cents, r.qst_cents, r.total_cents, r.reason, r.created_at
    FROM refunds r JOIN bookings b ON b.id = r.booking_id WHERE b.client_id = ${userId} ORDER BY r.created_at, r.id`);
  const savedAddresses = await rows(tx, sql`SELECT * FROM client_addresses WHERE user_id = ${userId} ORDER BY created_at, id`);
  const addons = await rows(tx, sql`
    SELECT a.booking_id, a.name_fr, a.name_en, a.price_cents, a.extra_minutes
    FROM booking_addons a JOIN bookings b ON b.id = a.booking_id WHERE b.client_id = ${userId} ORDER BY a.booking_id, a.position`);
  const tips = await rows(tx, sql`
    SELECT t.id, t.booking_id, c.legal_name AS coop_name, t.amount_cents, t.status, t.created_at, t.paid_at
    FROM tips t JOIN coops c ON c.id = t.coop_id WHERE t.client_id = ${userId} ORDER BY t.created_at, t.id`);
  const quotes = await rows(tx, sql`
    SELECT q.id, q.listing_id, l.title_fr AS listing_title_fr, l.title_en AS listing_title_en, c.legal_name AS coop_name, q.state,
           q.description, q.address, q.preferred_dates, q.dates_note, q.answers, q.created_at, q.updated_at
    FROM quote_requests q JOIN listings l ON l.id = q.listing_id JOIN coops c ON c.id = q.coop_id
    WHERE q.client_id = ${userId} ORDER BY q.created_at, q.id`);
  const offers = await rows(tx, sql`
    SELECT o.quote_id, o.version, o.state, o.lines, o.service_cents, o.gst_cents, o.qst_cents, o.total_cents, o.platform_fee_cents,
           o.deposit_percent, o.duration_minutes, o.proposed_times, o.recurrence, o.valid_until, o.message, o.sent_at, o.closed_at, o.close_reason
    FROM quote_offers o JOIN quote_requests q ON q.id = o.quote_id WHERE q.client_id = ${userId} ORDER BY o.quote_id, o.version`);
  const [card] = await rows(tx, sql`
    SELECT card_brand, card_last4, card_exp_month, card_exp_year, card_set_at FROM payment_customers WHERE user_id = ${userId} AND card_last4 IS NOT NULL`);

  const series = await rows(tx, sql`
    SELECT s.*, l.title_fr AS listing_title_fr, l.title_en AS listing_title_en, c.legal_name AS coop_name
    FROM booking_series s JOIN listings l ON l.id = s.listing_id JOIN coops c ON c.id = s.coop_id
    WHERE s.client_id = ${userId} ORDER BY s.created_at, s.id`);
  const seriesRules = await rows(tx, sql`
    SELECT r.* FROM booking_series_rules r JOIN booking_series s ON s.id = r.series_id WHERE s.client_id = ${userId} ORDER BY r.series_id, r.starts_on`);
  const seriesEvents = await rows(tx, sql`
    SELECT e.series_id, e.kind, e.actor_role, e.from_date::text AS from_date, e.detail, e.reason, e.created_at
    FROM booking_series_events e JOIN booking_series s ON s.id = e.series_id WHERE s.client_id = ${userId} ORDER BY e.id`);

  // Her conversations, as the conversations module decides who is in one.
  const conversations = await rows(tx, sql`
    SELECT c.id, c.coop_id, co.legal_name AS coop_name, c.listing_id, c.booking_id, c.series_id, c.created_at, c.last_message_at,
           (c.client_id = ${userId}) AS as_client
    FROM conversations c JOIN coops co ON co.id = c.coop_id
    WHERE ${schema.inConversation(sql`c`, userId)} ORDER BY c.created_at, c.id`);
  const messages = await rows(tx, sql`
    SELECT m.id, m.conversation_id, m.author_role, (m.author_id = ${userId}) AS mine,
           CASE WHEN m.hidden_at IS NULL OR m.author_id = ${userId} THEN m.body END AS body,
           m.offer_listing_id, m.offer_starts_at, m.created_at, m.hidden_at
    FROM messages m
    -- Her own conversations as a client whole; where she answered for a co-op, only what she wrote:
    -- the rest is the co-op's record of its clients, not her personal data.
    WHERE m.conversation_id IN (SELECT c.id FROM conversations c WHERE ${schema.inConversation(sql`c`, userId)})
      AND (m.author_id = ${userId} OR m.conversation_id IN (SELECT c.id FROM conversations c WHERE c.client_id = ${userId}))
    ORDER BY m.created_at, m.id`);
  const reports = await rows(tx, sql`SELECT message_id, conversation_id, reason, created_at, resolved_at FROM message_reports WHERE reporter_id = ${userId} ORDER BY created_at`);

  const reviews = await rows(tx, sql`
    SELECT r.id, r.booking_id, l.title_fr AS listing_title_fr, l.title_en AS listing_title_en, c.legal_name AS coop_name,
           r.rating, r.body, r.reply, r.replied_at, r.created_at
    FROM reviews r JOIN listings l ON l.id = r.listing_id JOIN coops c ON c.id = r.coop_id
    WHERE r.client_id = ${userId} ORDER BY r.created_at`);

  const memberships = await rows(tx, sql`
    SELECT id, member_class, share_cents, paid_by, started_on::text AS started_on, ended_on::text AS ended_on, created_at
    FROM memberships WHERE user_id = ${userId} ORDER BY started_on, id`);
  const capital = await rows(tx, sql`
    SELECT substr(a.code, length('member_capital:') + 1) AS membership_id, e.kind, e.memo, e.occurred_at, (-l.amount_cents)::bigint AS amount_cents
    FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id JOIN journal_entries e ON e.id = l.entry_id
    WHERE a.code IN (SELECT 'member_capital:' || id FROM memberships WHERE user_id = ${userId})
    ORDER BY e.occurred_at, e.id`);
  const statements = await rows(tx, sql`
    SELECT fy.label AS fiscal_year, fy.starts_on::text AS year_starts_on, fy.ends_on::text AS year_ends_on, sp.id AS plan_id, sp.status AS plan_status,
           pa.membership_id, pa.member_class, pa.units, pa.allocation_cents, pa.cash_cents, pa.retained_cents, pa.carried_in_cents,
           pa.paid_cents, pa.withholding_cents, pa.carried_forward_cents, sp.paid_at
    FROM plan_allocations pa JOIN surplus_plans sp ON sp.id = pa.plan_id AND sp.status IN ('proposed', 'approved', 'paid')
    JOIN fiscal_years fy ON fy.id = sp.fiscal_year_id JOIN memberships m ON m.id = pa.membership_id
    WHERE m.user_id = ${userId} ORDER BY fy.starts_on, pa.membership_id`);
  const applications = await rows(tx, sql`
    SELECT id, member_class, share_cents, status, created_at, paid_at, expires_at FROM membership_applications
    WHERE user_id = ${userId} OR requested_by = ${userId} ORDER BY created_at`);
  const votes = await rows(tx, sql`
    SELECT v.proposal_id, p.title AS proposal_title, v.membership_id, v.choice, v.cast_at
    FROM votes v JOIN proposals p ON p.id = v.proposal_id WHERE v.cast_by = ${userId} ORDER BY v.cast_at`);

  const coopRoles = await rows(tx, sql`
    SELECT m.coop_id, c.legal_name AS coop_name, m.role, m.joined_at FROM coop_members m JOIN coops c ON c.id = m.coop_id
    WHERE m.user_id = ${userId} ORDER BY m.joined_at`);
  const visits = await rows(tx, sql`
    SELECT w.booking_id, b.starts_at, b.ends_at, b.time_zone, b.state, l.title_fr AS listing_title_fr, l.title_en AS listing_title_en,
           c.legal_name AS coop_name, w.assigned_at, w.minutes_reported, w.reported_at, w.minutes_delivered
    FROM booking_workers w JOIN bookings b ON b.id = w.booking_id JOIN listings l ON l.id = b.listing_id JOIN coops c ON c.id = b.coop_id
    WHERE w.user_id = ${userId} ORDER BY b.starts_at`);
  const seriesTeams = await rows(tx, sql`
    SELECT sw.series_id, c.legal_name AS coop_name FROM booking_series_workers sw JOIN booking_series s ON s.id = sw.series_id
    JOIN coops c ON c.id = s.coop_id WHERE sw.user_id = ${userId}`);
  const timeOff = await rows(tx, sql`
    SELECT t.id, t.coop_id, c.legal_name AS coop_name, t.starts_at, t.ends_at, t.all_day, t.note, t.created_at
    FROM time_off t JOIN coops c ON c.id = t.coop_id WHERE t.user_id = ${userId} ORDER BY t.starts_at`);

  const invitations = await rows(tx, sql`
    SELECT i.id, c.legal_name AS coop_name, i.email, i.role, (i.invited_by = ${userId}) AS sent_by_me, i.created_at, i.expires_at, i.accepted_at, i.revoked_at
    FROM coop_invitations i JOIN coops c ON c.id = i.coop_id
    WHERE i.invited_by = ${userId} OR i.accepted_by = ${userId} OR lower(i.email) = lower(${account.email as string})
    ORDER BY i.created_at`);
  const feeds = await rows(tx, sql`
    SELECT f.kind, c.legal_name AS coop_name, f.created_at FROM calendar_feeds f LEFT JOIN coops c ON c.id = f.coop_id
    WHERE f.user_id = ${userId} ORDER BY f.created_at`);

  const sessions = await rows(tx, sql`SELECT * FROM sessions WHERE user_id = ${userId} ORDER BY created_at`);
  const signInAddresses = await rows(tx, sql`SELECT address, last_sign_in_at FROM trusted_sign_in_addresses WHERE user_id = ${userId} ORDER BY last_sign_in_at`);
  const emailLinks = await rows(tx, sql`
    SELECT 'email_verification' AS kind, created_at, expires_at, used_at FROM email_verifications WHERE user_id = ${userId}
    UNION ALL SELECT 'password_reset', created_at, expires_at, used_at FROM password_resets WHERE user_id = ${userId}
    ORDER BY created_at`);
  const emailChanges = await rows(tx, sql`
    SELECT new_email, created_at, expires_at, used_at FROM email_changes WHERE user_id = ${userId} ORDER BY created_at`);
  const dataExports = await rows(tx, sql`
    SELECT id, requested_at, ready_at, expires_at, failed_at, deleted_at, size_bytes FROM data_exports WHERE user_id = ${userId} ORDER BY requested_at`);

  const eventsOf = new Map<string, Row[]>();
  for (const e of events) eventsOf.set(e.bookingId as string, [...(eventsOf.get(e.bookingId as string) ?? []), e]);
  const refundsOf = new Map<string, Row[]>();
  for (const r of refunds) refundsOf.set(r.paymentId as string, [...(refundsOf.get(r.paymentId as string) ?? []), r]);

  return {
    account,
    sessions,
    signInAddresses,
    emailLinks,
    emailChanges,
    bookings: bookings.map((b): Row => ({
      ...b,
      startsAtLocal: local(b.startsAt, b.timeZone),
      endsAtLocal: local(b.endsAt, b.timeZone),
      history: (eventsOf.get(b.id as string) ?? []).map(({ bookingId: _, ...e }) => e),
      addons: addons.filter((a) => a.bookingId === b.id).map(({ bookingId: _, ...a }) => a),
    })),
    tips,
    quotes: quotes.map((q): Row => ({ ...q, offers: offers.filter((o) => o.quoteId === q.id).map(({ quoteId: _, ...o }) => o) })),
    payments: payments.map((p): Row => ({ ...p, refunds: (refundsOf.get(p.id as string) ?? []).map(({ paymentId: _, ...r }) => r) })),
    savedCard: card ?? null,
    savedAddresses,
    series: series.map((s): Row => ({
      ...s,
      rules: seriesRules.filter((r) => r.seriesId === s.id).map(({ seriesId: _, ...r }) => r),
      history: seriesEvents.filter((e) => e.seriesId === s.id).map(({ seriesId: _, ...e }) => e),
    })),
    conversations: conversations.map((c): Row => ({
      ...c,
      messages: messages.filter((m) => m.conversationId === c.id).map(({ conversationId: _, ...m }) => m),
    })),
    messageReports: reports,
    reviews,
    membership: { memberships, capitalMovements: capital, patronageStatements: statements, applications, votes },
    work: { coopRoles, visits: visits.map((v): Row => ({ ...v, startsAtLocal: local(v.startsAt, v.timeZone) })), seriesTeams, timeOff },
    invitations,
    calendarFeeds: feeds,
    dataExports,
  };
}

export type PersonData = NonNullable<Awaited<ReturnType<typeof gatherPersonData>>>;
