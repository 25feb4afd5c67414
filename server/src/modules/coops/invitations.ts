import { fieldError } from '@tissu/shared';
import { createHash, randomBytes } from 'node:crypto';
import type { CoopMemberList, CoopRole, Invitation, User } from '@tissu/shared';
import type { Tx } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { HttpError, conflict, forbidden, notFound } from '../../errors.js';
import { confirmEmail, findUserById, membershipsOf, userDto } from '../accounts/index.js';
import { requireCoopRole } from './access.js';
import { enqueue } from '../notifications/index.js';
import * as repo from './repository.js';
import type { CoopsDeps } from './service.js';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
/**
 * One address gets at most this many invitations from one co-op a day, withdrawn ones included
 * (invite, withdraw, invite again would otherwise fill a stranger's mailbox).
 */
export const MAX_INVITATIONS_PER_ADDRESS_PER_DAY = 3;
/** Open invitations one co-op may hold at once: a co-op invites the people it works with, not a mailing list. */
export const MAX_OPEN_INVITATIONS = 50;
const DAY_MS = 24 * 3600 * 1000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function toInvitation(row: repo.InvitationRow): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

function invitationStatus(row: repo.InvitationRow, now: Date) {
  if (row.acceptedAt) return 'accepted' as const;
  if (row.revokedAt) return 'revoked' as const;
  if (row.expiresAt <= now) return 'expired' as const;
  return 'open' as const;
}

const gone = (message: string) => new HttpError(410, 'invitation_gone', message);

/** Checked again under the co-op's lock: an admin removed a moment ago no longer acts for it. */
async function stillAdmin(tx: Tx, coopId: string, userId: string) {
  if ((await repo.roleIn(tx, coopId, userId)) !== 'admin') throw forbidden("Only this co-op's admins can do this");
}

/** Who belongs to a co-op, and how people join it: by an emailed, single-use invitation. */
export function createMembershipService(deps: CoopsDeps) {
  const { db } = deps;

  return {
    async members(actor: Actor | null, coopId: string): Promise<CoopMemberList> {
      await requireCoopRole(db, actor, coopId, 'admin');
      const [members, invitations] = await Promise.all([repo.membersOf(db, coopId), repo.openInvitationsOf(db, coopId)]);
      return {
        members: members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() })),
        invitations: invitations.map(toInvitation),
      };
    },

    /**
     * Only the token's hash is stored: the emailed link is the one copy of the token. The email is
     * queued in the same transaction (with the token, which the outbox drops once it is sent).
     */
    async invite(actor: Actor | null, coopId: string, body: { email: string; role: CoopRole }): Promise<Invitation> {
      const { actor: admin } = await requireCoopRole(db, actor, coopId, 'admin');
      const token = randomBytes(32).toString('base64url');
      const invitation = await db.transaction(async (tx) => {
        const coop = await repo.lockCoop(tx, coopId);
        if (!coop) throw notFound('Co-op');
        await stillAdmin(tx, coopId, admin.userId);
        if (coop.status !== 'approved') throw conflict('A co-op can invite its members once a steward has approved it', 'coop_not_approved');
        if (await repo.isMemberByEmail(tx, coopId, body.email)) {
          throw new HttpError(409, 'already_member', 'This person is already a member of the co-op', { email: [fieldError('already_member')] });
        }
        if (await repo.hasOpenInvitation(tx, coopId, body.email)) {
          throw new HttpError(409, 'already_invited', 'This email already has an open invitation; revoke it to send a new one', {
            email: [fieldError('already_invited')],
          });
        }
        const now = new Date();
        const recent = await repo.invitationTimesSince(tx, coopId, body.email, new Date(now.getTime() - DAY_MS));
        if (recent.length >= MAX_INVITATIONS_PER_ADDRESS_PER_DAY) {
          const retryAfter = Math.max(1, Math.ceil((recent[0]!.getTime() + DAY_MS - now.getTime()) / 1000));
          throw new HttpError(
            429, 'rate_limited', `This address was invited ${MAX_INVITATIONS_PER_ADDRESS_PER_DAY} times in the last 24 hours; try again later`,
            { email: [fieldError('invited_too_often', { maximum: MAX_INVITATIONS_PER_ADDRESS_PER_DAY })] },
            { 'retry-after': String(retryAfter) },
          );
        }
        if ((await repo.countOpenInvitations(tx, coopId, now)) >= MAX_OPEN_INVITATIONS) {
          throw conflict(
            `This co-op already has ${MAX_OPEN_INVITATIONS} open invitations; withdraw some, or wait for them to be accepted or expire`,
            'too_many_open_invitations',
          );
        }
        const invitation = await repo.insertInvitation(tx, {
          coopId,
          email: body.email,
          role: body.role,
          tokenHash: hashToken(token),
          invitedBy: admin.userId,
          expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        });
        await enqueue(tx, `invitation:${invitation.id}`, { type: 'coop_invitation', message: 'invitation', invitationId: invitation.id, token });
        return invitation;
      });
      deps.wake?.();
      return toInvitation(invitation);
    },

    async revoke(actor: Actor | null, coopId: string, invitationId: string): Promise<void> {
      await requireCoopRole(db, actor, coopId, 'admin');
      const invitation = await repo.findInvitation(db, coopId, invitationId);
      if (!invitation) throw notFound('Invitation');
      if (invitation.revokedAt) return; // revoking twice is the same as once
      if (invitation.acceptedAt || !(await repo.revokeUnusedInvitation(db, invitationId))) {
        const now = await repo.findInvitation(db, coopId, invitationId);
        if (now?.acceptedAt) throw conflict('This invitation was already accepted; remove the member instead', 'invitation_used');
      }
    },

    /**
     * A co-op always keeps an admin, so its last one cannot be removed. `left` runs in the same
     * transaction (the flow that takes the person off the co-op's live bookings).
     */
    async removeMember(actor: Actor | null, coopId: string, userId: string, left: (tx: Tx) => Promise<unknown> = async () => {}): Promise<void> {
      const { actor: remover } = await requireCoopRole(db, actor, coopId, 'admin');
      await db.transaction(async (tx) => {
        await repo.lockCoop(tx, coopId);
        await stillAdmin(tx, coopId, remover.userId);
        const role = await repo.roleIn(tx, coopId, userId);
        if (!role) throw notFound('Member');
        if (role === 'admin' && (await repo.countAdmins(tx, coopId)) <= 1) {
          throw conflict('A co-op needs at least one admin: make someone else admin first', 'last_admin');
        }
        await repo.deleteMember(tx, coopId, userId);
        await left(tx);
      });
    },

    /**
     * A member leaves a co-op herself. Its last admin may not (409 last_admin): someone else must
     * be made admin first. Someone who is not a member learns nothing (404). `left` runs in the
     * same transaction, as for a removal.
     */
    async leave(actor: Actor | null, coopId: string, left: (tx: Tx, userId: string) => Promise<unknown> = async () => {}): Promise<void> {
      const a = requireActor(actor);
      await db.transaction(async (tx) => {
        await repo.lockCoop(tx, coopId);
        const role = await repo.roleIn(tx, coopId, a.userId);
        if (!role) throw notFound('Co-op');
        if (role === 'admin' && (await repo.countAdmins(tx, coopId)) <= 1) {
          throw conflict('A co-op needs at least one admin: make someone else admin before you leave', 'last_admin');
        }
        await repo.deleteMember(tx, coopId, a.userId);
        await left(tx, a.userId);
      });
    },

    async preview(token: string) {
      const row = await repo.findInvitationByTokenHash(db, hashToken(token));
      if (!row) throw notFound('Invitation');
      const { invitation } = row;
      return {
        coopId: invitation.coopId,
        coopName: row.coopName,
        email: invitation.email,
        role: invitation.role,
        expiresAt: invitation.expiresAt.toISOString(),
        status: invitationStatus(invitation, new Date()),
      };
    },

    /** Joins the co-op with the account the invitation was sent to; the token works once. */
    async accept(actor: Actor | null, token: string): Promise<User> {
      const a = requireActor(actor);
      await db.transaction(async (tx) => {
        const row = await repo.findInvitationByTokenHash(tx, hashToken(token), true);
        if (!row) throw notFound('Invitation');
        const { invitation } = row;
        const status = invitationStatus(invitation, new Date());
        if (status === 'accepted') throw conflict('This invitation was already used', 'invitation_used');
        if (status === 'revoked') throw gone('This invitation was withdrawn by the co-op');
        if (status === 'expired') throw gone('This invitation has expired; ask the co-op for a new one');
        const user = await findUserById(tx, a.userId);
        if (!user) throw notFound('Account');
        if (user.email.toLowerCase() !== invitation.email.toLowerCase()) {
          throw forbidden(`This invitation was sent to ${invitation.email}; sign in with the account that uses that email address`);
        }
        const member = await repo.insertMember(tx, { coopId: invitation.coopId, userId: a.userId, role: invitation.role });
        if (!member) throw conflict('You are already a member of this co-op', 'already_member');
        await repo.updateInvitation(tx, invitation.id, { acceptedAt: new Date(), acceptedBy: a.userId });
        // The link reached this address's mailbox: the address is confirmed, as its own link would.
        await confirmEmail(tx, a.userId, new Date());
      });
      const user = await findUserById(db, a.userId);
      if (!user) throw notFound('Account');
      const coops = await membershipsOf(db, user.id);
      return userDto(user, coops);
    },
  };
}

export type MembershipService = ReturnType<typeof createMembershipService>;
