import { sql } from 'drizzle-orm';
import type { Db } from '@tissu/db';
import { ENTRY_NOTES_KEPT_DAYS } from '@tissu/shared';

const DAY = 86_400_000;

/**
 * How long what only serves signing in and sending mail is kept once it has served, as the README's
 * retention table says ("Personal data and retention"). Everything else is kept while the account
 * exists, or for the legal period of the record it belongs to.
 */
export const RETENTION_DAYS = {
  /** Wrong sign-ins count for 15 minutes (accounts/throttle.ts); the row goes a day later. */
  signInThrottles: 1,
  /** A signed-out or expired device: kept a month for the owner's security questions, then gone with its spent tokens. */
  endedSessions: 30,
  /** Address-confirmation, address-change and password-reset links, once expired. */
  expiredLinks: 30,
  /** An address trusted for sign-in stops counting after 90 days (accounts/throttle.ts); then it goes. */
  trustedAddresses: 90,
  /** Emails sent: the row (ids, no link secret) proves what was sent, for a year. */
  sentEmails: 365,
  /** A booking's entry notes (door code, pets, parking), counted from the end of the visit; the co-op stops reading them after ENTRY_NOTES_VISIBLE_DAYS. */
  entryNotes: ENTRY_NOTES_KEPT_DAYS,
} as const;

export interface PurgeResult {
  throttles: number;
  sessions: number;
  links: number;
  trustedAddresses: number;
  emails: number;
  entryNotes: number;
}

const count = async (db: Db, q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as unknown[]).length;

/** Deletes what is past its retention limit; the job runs it hourly, any instance. */
export async function purgeExpired(db: Db, now: Date): Promise<PurgeResult> {
  const before = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  const d = RETENTION_DAYS;
  return {
    throttles: await count(db, sql`DELETE FROM sign_in_throttles WHERE last_failure_at < ${before(d.signInThrottles)}::timestamptz RETURNING key`),
    sessions: await count(db, sql`
      DELETE FROM sessions WHERE expires_at < ${before(d.endedSessions)}::timestamptz OR revoked_at < ${before(d.endedSessions)}::timestamptz RETURNING id`),
    links:
      (await count(db, sql`DELETE FROM email_verifications WHERE expires_at < ${before(d.expiredLinks)}::timestamptz RETURNING id`)) +
      (await count(db, sql`DELETE FROM password_resets WHERE expires_at < ${before(d.expiredLinks)}::timestamptz RETURNING id`)) +
      (await count(db, sql`DELETE FROM email_changes WHERE expires_at < ${before(d.expiredLinks)}::timestamptz RETURNING id`)),
    trustedAddresses: await count(db, sql`
      DELETE FROM trusted_sign_in_addresses WHERE last_sign_in_at < ${before(d.trustedAddresses)}::timestamptz RETURNING user_id`),
    emails: await count(db, sql`DELETE FROM outbox WHERE sent_at < ${before(d.sentEmails)}::timestamptz RETURNING id`),
    entryNotes: await count(db, sql`
      UPDATE bookings SET entry_notes = '' WHERE entry_notes <> '' AND ends_at < ${before(d.entryNotes)}::timestamptz RETURNING id`),
  };
}
