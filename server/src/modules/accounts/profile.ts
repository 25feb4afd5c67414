import { createHash, randomBytes } from 'node:crypto';
import { approximateAddress, deviceOf, fieldError } from '@tissu/shared';
import type { ChangeEmailBody, ConfirmEmailChangeBody, DeviceSessionList, PendingEmailChange, UpdateMeBody, User } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { HttpError, notFound, pgErrorCode } from '../../errors.js';
import { enqueue } from '../notifications/index.js';
import { verifyPassword } from './password.js';
import * as repo from './repository.js';
import { userDto } from './user-dto.js';

/** How long the link sent to a new address works. */
const EMAIL_CHANGE_LINK_HOURS = 24;
/** A new link to the same address no sooner than this after the last one. */
const RESEND_EVERY_MS = 5 * 60_000;

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

  /**
   * A new link to the new address (older ones stop working), and the notice to the current one; if
   * the new address has an account, its owner is told instead (at most once an hour) and no link goes.
   */
  async function sendChangeLink(tx: Tx, row: repo.UserRow, newEmail: string, at: Date) {
    const owner = await repo.findUserByEmail(tx, newEmail);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(at.getTime() + EMAIL_CHANGE_LINK_HOURS * 3_600_000);
    const link = await repo.insertEmailChange(tx, { userId: row.id, newEmail, tokenHash: hashToken(token), createdAt: at, expiresAt });
    await enqueue(tx, `email-change-requested:${link.id}`, {
      type: 'account', message: 'email_change_requested', recipientId: row.id, address: row.email, newEmail,
    });
    if (owner) {
      const hour = at.toISOString().slice(0, 13);
      await enqueue(tx, `email-change-taken:${owner.id}:${hour}`, { type: 'account', message: 'email_change_taken', recipientId: owner.id });
    } else {
      await enqueue(tx, `email-change:${link.id}`, {
        type: 'account', message: 'email_change', recipientId: row.id, address: newEmail, newEmail, token,
      });
    }
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
        await sendChangeLink(tx, row, body.newEmail, at);
      });
      deps.wake?.();
    },

    /**
     * The link from the new address's mailbox: the account moves to it, from any device, signed
     * in or not, and the address counts as confirmed. The old address is told. Every device is
     * signed out, as after a password change (whoever was in under the old address is out), but
     * the one opening the link when it is her own signed-in session.
     */
    async confirmEmailChange(actor: Actor | null, body: ConfirmEmailChangeBody): Promise<{ email: string }> {
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
          if (actor?.userId === before.id) await repo.revokeOtherSessions(tx, before.id, actor.sessionId);
          else await repo.revokeAllSessions(tx, before.id);
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

    /** The address the account is waiting to move to, until its link is opened, expires or is cancelled. */
    async pendingEmailChange(actor: Actor | null): Promise<PendingEmailChange> {
      const a = requireActor(actor);
      const link = await repo.pendingEmailChange(db, a.userId, now());
      return { pending: link ? { newEmail: link.newEmail, expiresAt: link.expiresAt.toISOString() } : null };
    },

    /** "Cancel": the link mailed to the new address stops working. Nothing pending answers the same. */
    async cancelEmailChange(actor: Actor | null): Promise<void> {
      const a = requireActor(actor);
      await repo.voidEmailChanges(db, a.userId, now());
    },

    /**
     * "Send the link again" (it was lost, or expired from the inbox): a fresh link to the same new
     * address, the older one void. At most one per RESEND_EVERY_MS; sooner answers the same and
     * sends nothing (the link already sent keeps working), so nobody fills a mailbox through us.
     * Nothing pending answers 404.
     */
    async resendEmailChange(actor: Actor | null): Promise<void> {
      const a = requireActor(actor);
      const at = now();
      const sent = await db.transaction(async (tx) => {
        await repo.lockUser(tx, a.userId);
        const row = await repo.findUserById(tx, a.userId);
        const link = await repo.pendingEmailChange(tx, a.userId, at);
        if (!row || !link) throw notFound('Email change');
        if (at.getTime() - link.createdAt.getTime() < RESEND_EVERY_MS) return false;
        await sendChangeLink(tx, row, link.newEmail, at);
        return true;
      });
      if (sent) deps.wake?.();
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
