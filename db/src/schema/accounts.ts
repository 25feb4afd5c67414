import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { LOCALES } from '@tissu/shared';
import { instant } from './types.js';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    name: text('name').notNull(),
    locale: text('locale', { enum: LOCALES }).notNull().default('fr'),
    isSteward: boolean('is_steward').notNull().default(false),
    createdAt: instant('created_at').notNull().defaultNow(),
    passwordChangedAt: instant('password_changed_at').notNull().defaultNow(),
    /** Null until the owner opens the link sent at sign-up: until then no booking, payment or vote. */
    emailVerifiedAt: instant('email_verified_at'),
    /** Emails about new messages in her conversations (batched); she may turn them off. */
    messageEmails: boolean('message_emails').notNull().default(true),
    /**
     * Set when she deleted her account: the row stays (bookings, payments, the ledger and the member
     * register point to it) with its email, name and password erased (server/src/modules/privacy).
     */
    deletedAt: instant('deleted_at'),
    /** Reminders the day before a visit; she may turn them off. */
    reminderEmails: boolean('reminder_emails').notNull().default(true),
    /** News of the assembly and the surplus plan put to the vote; she may turn them off. */
    assemblyEmails: boolean('assembly_emails').notNull().default(true),
    /** As she typed it (shared Phone schema); empty when not given. */
    phone: text('phone').notNull().default(''),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

/** One row per signed-in device: the refresh token's hash, so sign-out can revoke it. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
    /** The browser's User-Agent at sign-in (the web forwards it), so the owner can tell her devices apart. */
    userAgent: text('user_agent'),
    /** The client address at sign-in or the latest refresh; shown shortened, as an approximate place. */
    address: text('address'),
    /** Sign-in or the latest refresh of its tokens. */
    lastUsedAt: instant('last_used_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/**
 * Refresh tokens already swapped for a newer one. Presenting one again means two parties hold the
 * session's tokens (one of them stole it), so the whole session ends (OAuth 2.0 security BCP).
 */
export const spentRefreshTokens = pgTable(
  'spent_refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    spentAt: instant('spent_at').notNull().defaultNow(),
  },
  (t) => [index('spent_refresh_tokens_session_idx').on(t.sessionId)],
);

/**
 * Recent wrong sign-ins per key: `email:<address as typed, lower case>` (whether or not it has an
 * account, so the throttle reveals nothing) and `ip:<client address>`. Kept in PostgreSQL so every
 * API instance sees the same counts.
 */
export const signInThrottles = pgTable('sign_in_throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: instant('last_failure_at').notNull(),
});

/**
 * Where an account signed in with its right password: from such an address, strangers' wrong
 * guesses elsewhere do not slow the owner down (OWASP's "trusted device" idea, by address).
 */
export const trustedSignInAddresses = pgTable(
  'trusted_sign_in_addresses',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    address: text('address').notNull(),
    lastSignInAt: instant('last_sign_in_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.address] })],
);

/** "Confirm your address": a link sent at sign-up (and on request); only the token's hash is kept. */
export const emailVerifications = pgTable(
  'email_verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
  },
  (t) => [uniqueIndex('email_verifications_token_hash_key').on(t.tokenHash), index('email_verifications_user_idx').on(t.userId)],
);

/** "Forgot my password": a one-time link sent by email; only the token's hash is kept. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
  },
  (t) => [uniqueIndex('password_resets_token_hash_key').on(t.tokenHash), index('password_resets_user_idx').on(t.userId)],
);

/**
 * "Change my address": a link sent to the new address; the account's email changes only when it
 * is opened. Only the token's hash is kept.
 */
export const emailChanges = pgTable(
  'email_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    newEmail: text('new_email').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
  },
  (t) => [uniqueIndex('email_changes_token_hash_key').on(t.tokenHash), index('email_changes_user_idx').on(t.userId)],
);
