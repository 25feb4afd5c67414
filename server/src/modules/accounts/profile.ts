import { createHash, randomBytes } from 'node:crypto';
import { approximateAddress, deviceOf, fieldError } from '@tissu/shared';
import type { ChangeEmailBody, ConfirmEmailChangeBody, DeviceSessionList, UpdateMeBody, User } from '@tissu/shared';
import type { Db } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { HttpError, notFound, pgErrorCode } from '../../errors.js';
import { enqueue } from '../notifications/index.js';
import { verifyPassword } from './password.js';
import * as repo from './repository.js';
import { userDto } from './user-dto.js';

/** How long the link sent to a new address works. */
const EMAIL_CHANGE_LINK_HOURS = 24;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function invalidChangeLink() {
  return new HttpError(400, 'invalid_email_change_link', 'This link is not valid or has expired', { token: [fieldError('invalid_link')] });
}

export interface ProfileDeps {
  db: Db;
  now?: () => Date;
  /** Tells the mail worker that the outbox has something new. */
  wake?: () => void;
}

/**
 * The account page's rules: the profile and the emails she chooses, moving the account to another
 * address (only once the new one's link is opened), and her signed-in devices.
 */
export function createProfileService(deps: ProfileDeps) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  async function current(userId: string): Promise<User> {
    const row = await repo.findUserById(db, userId);
    if (!row) throw notFound('Account');
    return userDto(row, await repo.membershipsOf(db, row.id));
  }

  return {
    async updateMe(actor: Actor | null, body: UpdateMeBody): Promise<User> {
      const a = requireActor(actor);
      const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      const row = await repo.updateUser(db, a.userId, changes);
      if (!row) throw notFound('Account');
      return current(a.userId);
    },

    /**
     * Sends a link to the new address; nothing changes until it is opened. The current address is
     * told at once, with what to do if it was not her. An address that already has an account is
     * answered the same (202, the same notice to the current address); only that address's owner
     * learns of it, as sign-up tells them, so nobody learns here which addresses have accounts.
     */
    async requestEmailChange(actor: Actor | null, body: ChangeEmailBody): Promise<void> {
      const a = requireActor(actor);
      const row = await repo.findUserById(db, a.userId);
      if (!row || !(await verifyPassword(row.passwordHash, body.currentPassword))) {
        throw new HttpError(400, 'validation_failed', 'The current password is wrong', { currentPassword: [fieldError('wrong_password')] });
      }
      if (row.email.toLowerCase() === body.newEmail.toLowerCase()) {
        throw new HttpError(400, 'validation_failed', 'This is already the account’s address', { newEmail: [fieldError('same_email')] });
      }
      const at = now();
      await db.transaction(async (tx) => {
        await repo.lockUser(tx, row.id);
        const owner = await repo.findUserByEmail(tx, body.newEmail);
        const token = randomBytes(32).toString('base64url');
        const expiresAt = new Date(at.getTime() + EMAIL_CHANGE_LINK_HOURS * 3_600_000);
        const link = await repo.insertEmailChange(tx, { userId: row.id, newEmail: body.newEmail, tokenHash: hashToken(token), createdAt: at, expiresAt });
        await enqueue(tx, `email-change-requested:${link.id}`, {
          type: 'account', message: 'email_change_requested', recipientId: row.id, address: row.email, newEmail: body.newEmail,
        });
        if (owner) {
          const hour = at.toISOString().slice(0, 13);
          await enqueue(tx, `email-change-taken:${owner.id}:${hour}`, { type: 'account', message: 'email_change_taken', recipientId: owner.id });
        } else {
          await enqueue(tx, `email-change:${link.id}`, {
            type: 'account', message: 'email_change', recipientId: row.id, address: body.newEmail, newEmail: body.newEmail, token,
          });
        }
      });
      deps.wake?.();
    },

    /**
     * The link from the new address's mailbox: the account moves to it, from any device, signed
     * in or not, and the address counts as confirmed. The old address is told.
     */
    async confirmEmailChange(body: ConfirmEmailChangeBody): Promise<{ email: string }> {
      const at = now();
      let email: string;
      try {
        email = await db.transaction(async (tx) => {
          const link = await repo.useEmailChange(tx, hashToken(body.token), at);
          if (!link) throw invalidChangeLink();
          const before = await repo.findUserById(tx, link.userId);
          const taken = await repo.findUserByEmail(tx, link.newEmail);
          if (!before || (taken && taken.id !== before.id)) throw invalidChangeLink();
          await repo.updateUser(tx, before.id, { email: link.newEmail, emailVerifiedAt: before.emailVerifiedAt ?? at });
          await repo.voidEmailChanges(tx, before.id, at);
          await enqueue(tx, `email-changed:${before.id}:${at.toISOString()}`, {
            type: 'account', message: 'email_changed', recipientId: before.id, address: before.email, newEmail: link.newEmail,
          });
          return link.newEmail;
        });
      } catch (err) {
        // Taken by a sign-up between the check and the update: the unique index decided.
        if (pgErrorCode(err) === '23505') throw invalidChangeLink();
        throw err;
      }
      deps.wake?.();
      return { email };
    },

    async sessions(actor: Actor | null): Promise<DeviceSessionList> {
      const a = requireActor(actor);
      const rows = await repo.liveSessions(db, a.userId, now());
      return {
        items: rows.map((s) => ({
          id: s.id,
          ...deviceOf(s.userAgent),
          approximateAddress: approximateAddress(s.address),
          createdAt: s.createdAt.toISOString(),
          lastUsedAt: s.lastUsedAt.toISOString(),
          current: s.id === a.sessionId,
        })),
      };
    },

    /** Signs one of her devices out (this one too, if she picks it); another person's answers 404. */
    async endSession(actor: Actor | null, sessionId: string): Promise<void> {
      const a = requireActor(actor);
      if (!(await repo.endSessionOf(db, a.userId, sessionId))) throw notFound('Session');
    },

    /** "Sign out everywhere else": every session of hers but the one asking. */
    async endOtherSessions(actor: Actor | null): Promise<{ revoked: number }> {
      const a = requireActor(actor);
      return { revoked: await repo.revokeOtherSessions(db, a.userId, a.sessionId) };
    },
  };
}
