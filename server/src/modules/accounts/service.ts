import { createHash, randomBytes } from 'node:crypto';
import type { AppLocale, AuthResult, PasswordResetBody, PasswordResetRequestBody, SignInBody, SignUpBody, User } from '@tissu/shared';
import type { Db } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { HttpError, notFound, unauthorized } from '../../errors.js';
import type { Mailer } from '../../plugins/mailer.js';
import { sendAfterCommit } from '../coops/service.js';
import { passwordResetMail } from './mail.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';
import * as repo from './repository.js';

export interface AccountsDeps {
  db: Db;
  signAccessToken(claims: { sub: string; sid: string }): string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  mailer: Mailer;
  webOrigin: string;
  log: { error(o: object, m: string): void };
  now?: () => Date;
}

/** Five wrong passwords in a row lock the account for 15 minutes (a reset link still works). */
const LOCK_AFTER_FAILURES = 5;
const LOCK_MINUTES = 15;
const RESET_LINK_MINUTES = 60;

function accountLocked(until: Date, now: Date) {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new HttpError(
    429, 'account_locked',
    `Too many wrong passwords: this account is locked for ${Math.ceil(seconds / 60)} minutes. You can also reset your password.`,
    undefined, { 'retry-after': String(seconds) },
  );
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createAccountsService(deps: AccountsDeps) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  async function toUser(row: repo.UserRow): Promise<User> {
    const coops = await repo.membershipsOf(db, row.id);
    return { id: row.id, email: row.email, name: row.name, locale: row.locale, isSteward: row.isSteward, coops };
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

  async function openSession(row: repo.UserRow): Promise<AuthResult> {
    const refreshToken = randomBytes(32).toString('base64url');
    const expiresAt = refreshExpiry();
    const session = await repo.insertSession(db, { userId: row.id, tokenHash: hashToken(refreshToken), expiresAt });
    return { user: await toUser(row), ...tokens(row.id, session.id, refreshToken, expiresAt) };
  }

  return {
    async signUp(body: SignUpBody): Promise<AuthResult> {
      const passwordHash = await hashPassword(body.password);
      const row = await repo.insertUser(db, { email: body.email, passwordHash, name: body.name, locale: body.locale });
      if (!row) {
        throw new HttpError(409, 'email_taken', 'An account already uses this email', {
          email: ['An account already uses this email'],
        });
      }
      return openSession(row);
    },

    async signIn(body: SignInBody): Promise<AuthResult> {
      const row = await repo.findUserByEmail(db, body.email);
      const ok = await verifyPassword(row?.passwordHash ?? DUMMY_HASH, body.password);
      const at = now();
      if (row?.lockedUntil && row.lockedUntil > at) throw accountLocked(row.lockedUntil, at);
      if (!row || !ok) {
        if (row) {
          const failed = await repo.recordFailedSignIn(db, row.id, LOCK_AFTER_FAILURES, new Date(at.getTime() + LOCK_MINUTES * 60_000));
          if (failed?.lockedUntil && failed.lockedUntil > at) throw accountLocked(failed.lockedUntil, at);
        }
        throw unauthorized('Wrong email or password', 'invalid_credentials');
      }
      if (row.failedSignIns > 0) await repo.updateUser(db, row.id, { failedSignIns: 0 });
      return openSession(row);
    },

    /**
     * Sends a one-time link to set a new password. The answer is the same whether or not the
     * address has an account, and the email leaves after the answer, so neither tells.
     */
    async requestPasswordReset(body: PasswordResetRequestBody): Promise<void> {
      const row = await repo.findUserByEmail(db, body.email);
      if (!row) return;
      const token = randomBytes(32).toString('base64url');
      const at = now();
      const expiresAt = new Date(at.getTime() + RESET_LINK_MINUTES * 60_000);
      await db.transaction(async (tx) => {
        await repo.voidPasswordResets(tx, row.id, at);
        await repo.insertPasswordReset(tx, { userId: row.id, tokenHash: hashToken(token), expiresAt });
      });
      const locale: AppLocale = row.locale;
      void sendAfterCommit(deps, passwordResetMail({ email: row.email, name: row.name, locale }, `${deps.webOrigin}/reset-password/${token}`, expiresAt), 'password reset');
    },

    /** A reset link sets the password once, unlocks the account and signs out every device. */
    async resetPassword(body: PasswordResetBody): Promise<void> {
      const passwordHash = await hashPassword(body.password);
      const at = now();
      const done = await db.transaction(async (tx) => {
        const reset = await repo.usePasswordReset(tx, hashToken(body.token), at);
        if (!reset) return false;
        await repo.updateUser(tx, reset.userId, { passwordHash, passwordChangedAt: at, failedSignIns: 0, lockedUntil: null });
        await repo.voidPasswordResets(tx, reset.userId, at);
        await repo.revokeAllSessions(tx, reset.userId);
        return true;
      });
      if (!done) {
        throw new HttpError(400, 'invalid_reset_link', 'This link is not valid or has expired', {
          token: ['This link is not valid or has expired; ask for a new one'],
        });
      }
    },

    async refresh(refreshToken: string | undefined): Promise<AuthResult> {
      if (!refreshToken) throw unauthorized('No refresh token', 'invalid_refresh_token');
      const next = randomBytes(32).toString('base64url');
      const expiresAt = refreshExpiry();
      const session = await repo.rotateSession(db, hashToken(refreshToken), hashToken(next), expiresAt);
      if (!session) throw unauthorized('Sign in again', 'invalid_refresh_token');
      const row = await repo.findUserById(db, session.userId);
      if (!row) throw unauthorized('Sign in again', 'invalid_refresh_token');
      return { user: await toUser(row), ...tokens(row.id, session.id, next, expiresAt) };
    },

    async signOut(actor: Actor | null): Promise<void> {
      await repo.revokeSession(db, requireActor(actor).sessionId);
    },

    async me(actor: Actor | null): Promise<User> {
      const row = await repo.findUserById(db, requireActor(actor).userId);
      if (!row) throw notFound('Account');
      return toUser(row);
    },

    async updateMe(actor: Actor | null, body: { name?: string; locale?: 'fr' | 'en' }): Promise<User> {
      const row = await repo.updateUser(db, requireActor(actor).userId, body);
      if (!row) throw notFound('Account');
      return toUser(row);
    },

    /** Changing the password signs out every device, including this one's other sessions. */
    async changePassword(actor: Actor | null, current: string, next: string): Promise<void> {
      const a = requireActor(actor);
      const row = await repo.findUserById(db, a.userId);
      if (!row || !(await verifyPassword(row.passwordHash, current))) {
        throw new HttpError(400, 'validation_failed', 'The current password is wrong', {
          currentPassword: ['The current password is wrong'],
        });
      }
      const passwordHash = await hashPassword(next);
      await db.transaction(async (tx) => {
        await repo.updateUser(tx, a.userId, { passwordHash, passwordChangedAt: new Date() });
        await repo.revokeAllSessions(tx, a.userId);
      });
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
