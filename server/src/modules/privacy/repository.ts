import { sql } from 'drizzle-orm';
import type { Tx } from '@tissu/db';
import type { DeletionBlockerCode, DeletionBlockerItem } from '@tissu/shared';

/**
 * An account's erasure reaches every module's tables by design: it is the one operation whose
 * subject is the person herself, wherever she appears. Each statement says why it keeps or erases.
 */

type Row = Record<string, unknown>;
const rows = async (tx: Tx, q: ReturnType<typeof sql>) => (await tx.execute(q)) as unknown as Row[];

/**
 * The lock a client's new bookings and series take first (bookings and series repositories,
 * CLIENT_LOCK): taken here before the account's row, in the same order as theirs (their insert then
 * key-shares the row), so no deadlock, and a booking being made now is either committed and seen by
 * the blockers' check, or waits until the deletion is over. (That one is then still made: the
 * bookings service does not look at `deleted_at`; its request had passed its session check a moment
 * before. A check there would close this.)
 */
export async function lockClient(tx: Tx, userId: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(7316483, hashtext(${userId}::text))`);
}

export async function lockUser(tx: Tx, userId: string) {
  return findUser(tx, userId, true);
}

export async function findUser(tx: Tx, userId: string, forUpdate = false) {
  const [row] = await rows(tx, sql`
    SELECT id, email, password_hash, is_steward, deleted_at FROM users WHERE id = ${userId} ${forUpdate ? sql`FOR UPDATE` : sql``}`);
  return row
    ? { id: String(row.id), email: String(row.email), passwordHash: String(row.password_hash), isSteward: Boolean(row.is_steward), deleted: row.deleted_at !== null }
    : undefined;
}

/** Everything that must be settled first, with how many of each. */
export async function blockers(tx: Tx, userId: string, now: Date): Promise<{ code: DeletionBlockerCode; count: number }[]> {
  const at = now.toISOString();
  const [r] = await rows(tx, sql`
    SELECT
      (SELECT count(*) FROM bookings WHERE client_id = ${userId} AND state IN ('requested', 'paid') AND ends_at > ${at}::timestamptz)::int AS coming_booking,
      (SELECT count(*) FROM bookings WHERE client_id = ${userId} AND state = 'accepted')::int AS unpaid_booking,
      (SELECT count(*) FROM booking_series WHERE client_id = ${userId} AND state IN ('requested', 'active', 'paused'))::int AS live_series,
      (SELECT count(*) FROM booking_workers w JOIN bookings b ON b.id = w.booking_id
        WHERE w.user_id = ${userId} AND b.state IN ('requested', 'accepted', 'paid') AND b.ends_at > ${at}::timestamptz)::int AS assigned_visit,
      (SELECT count(*) FROM coop_members m JOIN coops c ON c.id = m.coop_id
        WHERE m.user_id = ${userId} AND m.role = 'admin' AND c.status <> 'rejected'
          AND NOT EXISTS (SELECT 1 FROM coop_members o WHERE o.coop_id = m.coop_id AND o.role = 'admin' AND o.user_id <> ${userId}))::int AS only_coop_admin,
      (SELECT count(*) FROM memberships WHERE user_id = ${userId} AND ended_on IS NULL)::int AS open_membership,
      (SELECT count(*) FROM (
        SELECT a.id FROM ledger_accounts a JOIN journal_lines l ON l.account_id = a.id
        WHERE a.user_id = ${userId} AND a.code LIKE 'member_capital:%' GROUP BY a.id HAVING sum(l.amount_cents) <> 0) x)::int AS capital_balance,
      ((SELECT count(*) FROM (
        SELECT a.id FROM ledger_accounts a JOIN journal_lines l ON l.account_id = a.id
        WHERE a.user_id = ${userId} AND a.code LIKE 'patronage_payable:%' GROUP BY a.id HAVING sum(l.amount_cents) <> 0) x)
       + (SELECT count(*) FROM payments p JOIN bookings b ON b.id = p.booking_id WHERE b.client_id = ${userId} AND p.status = 'to_return')
       + (SELECT count(*) FROM membership_applications WHERE user_id = ${userId} AND status = 'unapplied'))::int AS money_owed_to_you,
      (SELECT count(*) FROM users WHERE id = ${userId} AND is_steward)::int AS steward_role
  `);
  const order: DeletionBlockerCode[] = [
    'coming_booking', 'unpaid_booking', 'live_series', 'assigned_visit', 'only_coop_admin',
    'open_membership', 'capital_balance', 'money_owed_to_you', 'steward_role',
  ];
  return order.filter((code) => Number(r?.[code] ?? 0) > 0).map((code) => ({ code, count: Number(r![code]) }));
}

/** How many of each blocker's things the page links to. */
const ITEMS_PER_BLOCKER = 5;

/**
 * The things behind the blockers that have a page of their own (her bookings, series and visits,
 * the co-ops she alone runs), the soonest first, so the deletion page can link to each. The same
 * conditions as `blockers` above.
 */
export async function blockerItems(tx: Tx, userId: string, now: Date): Promise<Partial<Record<DeletionBlockerCode, DeletionBlockerItem[]>>> {
  const at = now.toISOString();
  const title = sql`CASE WHEN (SELECT locale FROM users WHERE id = ${userId}) = 'en' THEN l.title_en ELSE l.title_fr END`;
  const list = async (q: ReturnType<typeof sql>) =>
    (await rows(tx, q)).map((r) => ({ id: String(r.id), name: String(r.name), startsAt: r.starts_at ? new Date(String(r.starts_at)).toISOString() : null }));
  return {
    coming_booking: await list(sql`
      SELECT b.id, ${title} AS name, b.starts_at FROM bookings b JOIN listings l ON l.id = b.listing_id
      WHERE b.client_id = ${userId} AND b.state IN ('requested', 'paid') AND b.ends_at > ${at}::timestamptz
      ORDER BY b.starts_at LIMIT ${ITEMS_PER_BLOCKER}`),
    unpaid_booking: await list(sql`
      SELECT b.id, ${title} AS name, b.starts_at FROM bookings b JOIN listings l ON l.id = b.listing_id
      WHERE b.client_id = ${userId} AND b.state = 'accepted' ORDER BY b.starts_at LIMIT ${ITEMS_PER_BLOCKER}`),
    live_series: await list(sql`
      SELECT s.id, ${title} AS name, NULL AS starts_at FROM booking_series s JOIN listings l ON l.id = s.listing_id
      WHERE s.client_id = ${userId} AND s.state IN ('requested', 'active', 'paused') ORDER BY s.created_at LIMIT ${ITEMS_PER_BLOCKER}`),
    assigned_visit: await list(sql`
      SELECT b.id, ${title} AS name, b.starts_at FROM booking_workers w JOIN bookings b ON b.id = w.booking_id JOIN listings l ON l.id = b.listing_id
      WHERE w.user_id = ${userId} AND b.state IN ('requested', 'accepted', 'paid') AND b.ends_at > ${at}::timestamptz
      ORDER BY b.starts_at LIMIT ${ITEMS_PER_BLOCKER}`),
    only_coop_admin: await list(sql`
      SELECT c.id, c.legal_name AS name, NULL AS starts_at FROM coop_members m JOIN coops c ON c.id = m.coop_id
      WHERE m.user_id = ${userId} AND m.role = 'admin' AND c.status <> 'rejected'
        AND NOT EXISTS (SELECT 1 FROM coop_members o WHERE o.coop_id = m.coop_id AND o.role = 'admin' AND o.user_id <> ${userId})
      ORDER BY c.legal_name LIMIT ${ITEMS_PER_BLOCKER}`),
  };
}

export async function savedCard(tx: Tx, userId: string): Promise<string | null> {
  const [r] = await rows(tx, sql`SELECT payment_method_id FROM payment_customers WHERE user_id = ${userId}`);
  return r?.payment_method_id ? String(r.payment_method_id) : null;
}

/**
 * Locks the co-ops she runs (their rows, in id order), as leaving a co-op and removing a member do:
 * two admins deleting their accounts at once, or one deleting while the other leaves, then see each
 * other, and a co-op is never left without an admin.
 */
export async function lockAdminCoops(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`
    SELECT c.id FROM coops c JOIN coop_members m ON m.coop_id = c.id
    WHERE m.user_id = ${userId} AND m.role = 'admin' ORDER BY c.id FOR UPDATE OF c`);
}

/**
 * Erases what identifies her and what only served her, keeps what others and the law need, all in
 * the caller's transaction. README, "Personal data and retention", is the table this follows.
 */
export async function eraseAccount(tx: Tx, userId: string, email: string, formerName: string, now: Date) {
  const at = now.toISOString();
  // Sign-in: every device signed out (spent refresh tokens go with their sessions), links void.
  await tx.execute(sql`DELETE FROM sessions WHERE user_id = ${userId}`);
  await tx.execute(sql`DELETE FROM trusted_sign_in_addresses WHERE user_id = ${userId}`);
  await tx.execute(sql`DELETE FROM email_verifications WHERE user_id = ${userId}`);
  await tx.execute(sql`DELETE FROM password_resets WHERE user_id = ${userId}`);
  await tx.execute(sql`DELETE FROM email_changes WHERE user_id = ${userId}`);
  // Archives of her data ("Download my data") hold everything above: none outlives the account.
  await tx.execute(sql`DELETE FROM data_exports WHERE user_id = ${userId}`);
  await tx.execute(sql`DELETE FROM sign_in_throttles WHERE key = ${`email:${email.trim().toLowerCase()}`}`);
  await tx.execute(sql`DELETE FROM idempotent_requests WHERE user_id = ${userId}`);
  // Her calendars stop answering; her own read marks and absences mean nothing to anyone else.
  await tx.execute(sql`DELETE FROM calendar_feeds WHERE user_id = ${userId}`);
  await tx.execute(sql`DELETE FROM conversation_reads WHERE user_id = ${userId}`);
  await tx.execute(sql`DELETE FROM time_off WHERE user_id = ${userId}`);
  // Her saved addresses and their entry notes (bookings keep their own copies, erased just below).
  await tx.execute(sql`DELETE FROM client_addresses WHERE user_id = ${userId}`);
  // She leaves her co-ops (none is left without an admin: a blocker) and their regular visits' teams.
  await tx.execute(sql`DELETE FROM booking_series_workers WHERE user_id = ${userId}`);
  await tx.execute(sql`DELETE FROM coop_members WHERE user_id = ${userId}`);
  // The saved card is forgotten (detached at Stripe by the caller); the customer id stays, as the
  // payments made with it are accounting records.
  await tx.execute(sql`
    UPDATE payment_customers SET payment_method_id = NULL, card_brand = NULL, card_last4 = NULL,
      card_exp_month = NULL, card_exp_year = NULL, card_set_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
    WHERE user_id = ${userId}`);
  // Her bookings and series stay (payments, receipts and the ledger point to them, and the co-op
  // keeps its record of work done), without her address, notes, phone or email.
  await tx.execute(sql`
    UPDATE bookings SET address = '', notes = '', entry_notes = '', answers = '[]'::jsonb, contact_name = ${formerName}, contact_phone = '', contact_email = '',
      organization_name = NULL, updated_at = ${at}::timestamptz
    WHERE client_id = ${userId}`);
  // Her open quote requests are withdrawn (their open offer with them), as if she had withdrawn them herself.
  await tx.execute(sql`
    WITH open AS (
      UPDATE quote_requests SET state = 'withdrawn', expires_at = NULL, updated_at = ${at}::timestamptz
      WHERE client_id = ${userId} AND state IN ('requested', 'offered', 'changes_requested')
      RETURNING id, (SELECT q.state FROM quote_requests q WHERE q.id = quote_requests.id) AS from_state),
    offers AS (
      UPDATE quote_offers SET state = 'withdrawn', closed_at = ${at}::timestamptz, close_reason = 'account_deleted'
      WHERE state = 'sent' AND quote_id IN (SELECT id FROM open))
    INSERT INTO quote_events (quote_id, actor_id, actor_role, kind, from_state, to_state, reason, created_at)
    SELECT id, ${userId}, 'client', 'transition', from_state, 'withdrawn', 'account_deleted', ${at}::timestamptz FROM open`);
  // Her quote requests stay with their offers (the co-op's record), without her words, address or answers.
  await tx.execute(sql`
    UPDATE quote_requests SET description = '', address = '', dates_note = '', preferred_dates = '[]'::jsonb, answers = '[]'::jsonb, updated_at = ${at}::timestamptz
    WHERE client_id = ${userId}`);
  await tx.execute(sql`
    UPDATE booking_series SET address = '', notes = '', entry_notes = '', answers = '[]'::jsonb, contact_name = ${formerName}, contact_phone = '', contact_email = ''
    WHERE client_id = ${userId}`);
  // Emails not yet sent to her are not sent; sent ones keep no token or text about her (below).
  await tx.execute(sql`DELETE FROM outbox WHERE sent_at IS NULL AND payload->>'recipientId' = ${userId}`);
  // The record of sent account emails (address changes) keeps no address of hers.
  await tx.execute(sql`
    UPDATE outbox SET payload = payload - 'address' - 'newEmail'
    WHERE payload->>'recipientId' = ${userId} AND payload->>'type' = 'account' AND (payload ? 'address' OR payload ? 'newEmail')`);
  // The account row stays, as every record above points to it; what identifies her goes. The
  // address becomes free for a new account; no password can match '!'.
  await tx.execute(sql`
    UPDATE users SET email = ${`deleted-${userId}@deleted.invalid`}, name = ${formerName}, password_hash = '!', phone = '',
      is_steward = false, message_emails = false, reminder_emails = false, assembly_emails = false,
      email_verified_at = NULL, deleted_at = ${at}::timestamptz
    WHERE id = ${userId}`);
}
