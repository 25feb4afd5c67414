import { createHash, randomBytes } from 'node:crypto';
import type { AuthResult, SignInBody, SignUpBody, User } from '@tissu/shared';
import type { Db } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { HttpError, notFound, unauthorized } from '../../errors.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';
import * as repo from './repository.js';

export interface AccountsDeps {
  db: Db;
  signAccessToken(claims: { sub: string; sid: string }): string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createAccountsService(deps: AccountsDeps) {
  const { db } = deps;

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
      if (!row || !ok) throw unauthorized('Wrong email or password', 'invalid_credentials');
      return openSession(row);
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
