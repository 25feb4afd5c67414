import { fieldError } from '@tissu/shared';
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { AuthResult, PasswordResetBody, PasswordResetRequestBody, SignInBody, SignUpBody, User, VerifyEmailBody } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { HttpError, notFound, unauthorized } from '../../errors.js';
import { enqueue } from '../notifications/index.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';
import * as repo from './repository.js';
import * as throttle from './throttle.js';
import { userDto } from './user-dto.js';

export interface AccountsDeps {
  db: Db;
  signAccessToken(claims: { sub: string; sid: string }): string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** Keys the derivation of each refresh token from the one it replaces (the JWT secret will do). */
  refreshTokenSecret: string;
  webOrigin: string;
  log: { error(o: object, m: string): void };
  now?: () => Date;
  /** Tells the mail worker that the outbox has something new. */
  wake?: () => void;
}

const RESET_LINK_MINUTES = 60;
const VERIFY_LINK_HOURS = 48;
/**
 * At most one reset link, and one confirmation link, per account in this time: asking again
 * sooner answers the same and sends nothing, so nobody can fill a mailbox through us (the link
 * already sent keeps working).
 */
const ACCOUNT_EMAIL_EVERY_MS = 5 * 60_000;
/**
 * How long a refresh token that was just swapped may come back without ending the session: two
 * tabs (or a retried request) refreshing at once present the same token, and all of them get the
 * session's live token rather than the owner being signed out as a thief.
 */
const REFRESH_GRACE_MS = 10_000;
/** How many swaps a late copy may be behind within the grace window. */
const REFRESH_GRACE_STEPS = 5;
/** Stands in for the account id of an unknown email, so both take the same queries. */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

/** Where a sign-in comes from: the client address and the browser's User-Agent (the web forwards both). */
interface Device {
  address: string;
  userAgent?: string;
}

function signInDelayed(seconds: number) {
  return new HttpError(
    429, 'sign_in_delayed',
    `Too many wrong passwords: wait ${seconds} seconds before trying again, or reset your password.`,
    undefined, { 'retry-after': String(seconds) },
  );
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const sentWithin = (last: Date | null, at: Date, ms: number) => last !== null && at.getTime() - last.getTime() < ms;

export function createAccountsService(deps: AccountsDeps) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  async function toUser(row: repo.UserRow): Promise<User> {
    const coops = await repo.membershipsOf(db, row.id);
    return userDto(row, coops);
  }

  function refreshExpiry() {
    return new Date(Date.now() + deps.refreshTokenTtlDays * 86_400_000);
  }

  function tokens(userId: string, sessionId: string, refreshToken: string, refreshExpiresAt: Date) {
    return {
      accessToken: deps.signAccessToken({ sub: userId, sid: sessionId }),
      accessTokenExpiresAt: new Date(Date.now() + deps.accessTokenTtlSeconds * 1000).toISOString(),
      refreshToken,
      refreshTokenExpiresAt: refreshExpiresAt.toISOString(),
    };
  }

  /**
   * The token that replaces a refresh token is derived from it (keyed with a server secret), so
   * every request that presents the same token within the grace window can be given the same
   * successor, though only its hash is stored.
   */
  const successorOf = (refreshToken: string) =>
    createHmac('sha256', deps.refreshTokenSecret).update(`tissu-refresh:${refreshToken}`).digest('base64url');

  async function queueVerification(tx: Tx, userId: string, at: Date) {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(at.getTime() + VERIFY_LINK_HOURS * 3_600_000);
    const link = await repo.insertEmailVerification(tx, { userId, tokenHash: hashToken(token), expiresAt, createdAt: at });
    await enqueue(tx, `verify-email:${link.id}`, { type: 'account', message: 'verify_email', recipientId: userId, token });
  }

  async function openSession(row: repo.UserRow, device: Device): Promise<AuthResult> {
    const refreshToken = randomBytes(32).toString('base64url');
    const expiresAt = refreshExpiry();
    const session = await repo.insertSession(db, {
      userId: row.id, tokenHash: hashToken(refreshToken), expiresAt,
      userAgent: device.userAgent?.slice(0, 500) ?? null, address: device.address,
    });
    return { user: await toUser(row), ...tokens(row.id, session.id, refreshToken, expiresAt) };
  }

  return {
    /**
     * Answered the same whether or not the address has an account, so sign-up reveals nothing:
     * a new account gets a link to confirm its address; the owner of an existing one is told that
     * someone tried (at most once an hour). Both emails go through the outbox with the change.
     */
    async signUp(body: SignUpBody): Promise<void> {
      const passwordHash = await hashPassword(body.password);
      const at = now();
      await db.transaction(async (tx) => {
        const row = await repo.insertUser(tx, { email: body.email, passwordHash, name: body.name, locale: body.locale });
        if (row) return queueVerification(tx, row.id, at);
        const owner = await repo.findUserByEmail(tx, body.email);
        if (owner) {
          const hour = at.toISOString().slice(0, 13);
          await enqueue(tx, `sign-up-attempt:${owner.id}:${hour}`, { type: 'account', message: 'sign_up_attempt', recipientId: owner.id });
        }
      });
      deps.wake?.();
    },

    /** The link from the sign-up email: the address is confirmed, from any device, signed in or not. */
    async verifyEmail(body: VerifyEmailBody): Promise<void> {
      const at = now();
      const done = await db.transaction(async (tx) => {
        const link = await repo.useEmailVerification(tx, hashToken(body.token), at);
        if (!link) return false;
        await repo.confirmEmail(tx, link.userId, at);
        return true;
      });
      if (!done) {
        throw new HttpError(400, 'invalid_verification_link', 'This link is not valid or has expired', { token: [fieldError('invalid_link')] });
      }
    },

    /**
     * A fresh link to the signed-in account's address (the older ones stop working); nothing if
     * already confirmed, or if a link was sent less than five minutes ago.
     */
    async resendVerification(actor: Actor | null): Promise<void> {
      const a = requireActor(actor);
      const at = now();
      const queued = await db.transaction(async (tx) => {
        await repo.lockUser(tx, a.userId);
        const row = await repo.findUserById(tx, a.userId);
        if (!row || row.emailVerifiedAt) return false;
        if (sentWithin(await repo.lastEmailVerificationAt(tx, row.id), at, ACCOUNT_EMAIL_EVERY_MS)) return false;
        await queueVerification(tx, row.id, at);
        return true;
      });
      if (queued) deps.wake?.();
    },

    /**
     * Throttled per account and per address with growing delays (see throttle.ts). Every refusal
     * reads the same for an unknown email as for a wrong password: same status, body and work
     * (a dummy hash is verified, the same queries run).
     */
    async signIn(body: SignInBody, address: string, userAgent?: string): Promise<AuthResult> {
      const at = now();
      const row = await repo.findUserByEmail(db, body.email);
      const trusted = await throttle.isTrustedAddress(db, row?.id ?? NO_ACCOUNT, address, at);
      const keys = [{ key: throttle.addressKey(address), policy: throttle.ADDRESS_POLICY }];
      if (!trusted) keys.push({ key: throttle.accountKey(body.email), policy: throttle.ACCOUNT_POLICY });
      const wait = await throttle.waitSeconds(db, keys, at);
      if (wait > 0) throw signInDelayed(wait);
      const ok = await verifyPassword(row?.passwordHash ?? DUMMY_HASH, body.password);
      if (!row || !ok) {
        await throttle.recordFailure(db, [throttle.accountKey(body.email), throttle.addressKey(address)], at);
        throw unauthorized('Wrong email or password', 'invalid_credentials');
      }
      await throttle.recordSuccess(db, body.email, row.id, address, at);
      return openSession(row, { address, userAgent });
    },

    /**
     * Sends a one-time link to set a new password. The answer is the same whether or not the
     * address has an account, and the email leaves after the answer (through the outbox, queued
     * with the link's token, which is dropped from the row once sent), so neither tells. So does
     * the time it takes (OWASP: same answer, same time): an unknown address runs the same
     * statements in the same kind of transaction, which writes only an outbox row the mail
     * worker skips (it has no recipient). An account sent a link less than five minutes ago takes
     * that same path: same answer, no second email, and its link keeps working.
     */
    async requestPasswordReset(body: PasswordResetRequestBody): Promise<void> {
      const token = randomBytes(32).toString('base64url');
      const at = now();
      const expiresAt = new Date(at.getTime() + RESET_LINK_MINUTES * 60_000);
      await db.transaction(async (tx) => {
        const row = await repo.findUserByEmail(tx, body.email);
        const account = row?.id ?? NO_ACCOUNT;
        await repo.lockUser(tx, account); // parallel requests take turns, so only one of them sends
        const recent = sentWithin(await repo.lastPasswordResetAt(tx, account), at, ACCOUNT_EMAIL_EVERY_MS);
        const recipientId = recent ? NO_ACCOUNT : account;
        await repo.voidPasswordResets(tx, recipientId, at);
        const reset = await repo.insertPasswordReset(tx, { userId: recipientId, tokenHash: hashToken(token), expiresAt, at });
        await enqueue(tx, `password-reset:${reset?.id ?? randomUUID()}`, {
          type: 'account', message: 'password_reset', recipientId, token, expiresAt: expiresAt.toISOString(),
        });
      });
      deps.wake?.();
    },

    /** A reset link sets the password once and signs out every device. */
    async resetPassword(body: PasswordResetBody): Promise<void> {
      const passwordHash = await hashPassword(body.password);
      const at = now();
      const done = await db.transaction(async (tx) => {
        const reset = await repo.usePasswordReset(tx, hashToken(body.token), at);
        if (!reset) return false;
        const user = await repo.updateUser(tx, reset.userId, { passwordHash, passwordChangedAt: at });
        if (user) await throttle.clearAccount(tx, user.email);
        await repo.voidPasswordResets(tx, reset.userId, at);
        // Whoever asked to move the account to another address loses that too.
        await repo.voidEmailChanges(tx, reset.userId, at);
        await repo.revokeAllSessions(tx, reset.userId);
        return true;
      });
      if (!done) {
        throw new HttpError(400, 'invalid_reset_link', 'This link is not valid or has expired', { token: [fieldError('invalid_link')] });
      }
    },

    /**
     * Swaps the refresh token for a new pair. A token swapped less than REFRESH_GRACE_MS ago (two
     * tabs refreshing at once, a retried request) is answered with the session's live token,
     * found by following the successors of the presented one. Any other token that was already
     * swapped means two parties hold this session's tokens, and nobody can tell which is the
     * owner: the whole session ends (the newer token too) and the owner is told by email (OAuth
     * 2.0 security BCP, 4.14.2).
     */
    async refresh(refreshToken: string | undefined, address?: string): Promise<AuthResult> {
      if (!refreshToken) throw unauthorized('No refresh token', 'invalid_refresh_token');
      const at = now();
      const next = successorOf(refreshToken);
      const presented = hashToken(refreshToken);
      const found = await db.transaction(async (tx) => {
        const rotated = await repo.rotateSession(tx, presented, hashToken(next), refreshExpiry(), at, address);
        if (rotated) return { session: rotated, token: next };
        const spent = await repo.sessionOfSpentToken(tx, presented);
        if (!spent) return undefined;
        const since = new Date(at.getTime() - REFRESH_GRACE_MS);
        if (spent.live && spent.spentAt >= since) {
          let token = next;
          for (let step = 0; step < REFRESH_GRACE_STEPS; step++) {
            const hash = hashToken(token);
            if (hash === spent.tokenHash) return { session: spent, token };
            if (!(await repo.spentInSessionSince(tx, spent.id, hash, since))) break;
            token = successorOf(token);
          }
        }
        if (await repo.endSession(tx, spent.id)) {
          await enqueue(tx, `session-reused:${spent.id}`, { type: 'account', message: 'session_reused', recipientId: spent.userId });
        }
        return undefined;
      });
      if (!found) {
        deps.wake?.();
        throw unauthorized('Sign in again', 'invalid_refresh_token');
      }
      const { session, token } = found;
      const row = await repo.findUserById(db, session.userId);
      if (!row) throw unauthorized('Sign in again', 'invalid_refresh_token');
      return { user: await toUser(row), ...tokens(row.id, session.id, token, session.expiresAt) };
    },

    async signOut(actor: Actor | null): Promise<void> {
      await repo.revokeSession(db, requireActor(actor).sessionId);
    },

    async me(actor: Actor | null): Promise<User> {
      const row = await repo.findUserById(db, requireActor(actor).userId);
      if (!row) throw notFound('Account');
      return toUser(row);
    },

    /**
     * Changing the password signs out every other device (whoever knew the old one is out); this
     * one stays signed in. A pending change of address is dropped too (whoever asked for it may be
     * the one the new password shuts out); the answer says so, and the page tells her.
     */
    async changePassword(actor: Actor | null, current: string, next: string): Promise<{ emailChangeCancelled: boolean }> {
      const a = requireActor(actor);
      const row = await repo.findUserById(db, a.userId);
      if (!row || !(await verifyPassword(row.passwordHash, current))) {
        throw new HttpError(400, 'validation_failed', 'The current password is wrong', {
          currentPassword: [fieldError('wrong_password')],
        });
      }
      const passwordHash = await hashPassword(next);
      return db.transaction(async (tx) => {
        const at = now();
        await repo.updateUser(tx, a.userId, { passwordHash, passwordChangedAt: at });
        const emailChangeCancelled = await repo.voidEmailChanges(tx, a.userId, at);
        await repo.revokeOtherSessions(tx, a.userId, a.sessionId);
        return { emailChangeCancelled };
      });
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
