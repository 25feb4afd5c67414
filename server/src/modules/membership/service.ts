import { fieldError } from '@tissu/shared';
import type { CreateMembershipBody, MemberClass, Membership, SharePaymentMethod } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireSteward, type Actor } from '../../actor.js';
import { badRequest, conflict, HttpError, notFound, pgErrorCode } from '../../errors.js';
import { ACCOUNTS, memberCapital, postEntry } from '../ledger/index.js';
import { booksDate, startOfBooksDay } from '../../lib/calendar.js';
import { readCoopSettings } from './settings.js';
import * as repo from './repository.js';

export type JoinRequest = CreateMembershipBody;

export function toMembership(r: repo.MembershipWithHolder): Membership {
  return {
    id: r.id,
    memberClass: r.memberClass,
    holder: r.coopId ? { kind: 'coop', id: r.coopId, name: r.holderName } : { kind: 'person', id: r.userId!, name: r.holderName },
    shareCents: r.shareCents,
    paidBy: r.paidBy,
    startedOn: r.startedOn,
    endedOn: r.endedOn,
    open: r.endedOn === null,
    capitalCents: r.capitalCents,
    patronagePayableCents: r.payableCents,
  };
}

/** Who joins: a co-op for the producer class, a person for the others. */
export interface Applicant {
  class: MemberClass;
  userId?: string | null;
  coopId?: string | null;
}

export interface NewMember extends Applicant {
  shareCents: number;
  paidBy: SharePaymentMethod;
  startedOn: string;
  recordedBy: string;
  /** When the share was received; the start of `startedOn` when a steward records it. */
  receivedAt?: Date;
}

const holderOf = (a: Applicant) => (a.class === 'producer' ? { userId: null, coopId: a.coopId! } : { userId: a.userId!, coopId: null });

/**
 * Producer members are approved co-ops; worker-members work in a member co-op; anyone may be a
 * user or supporting member. The same rules whether a steward records the share or it is paid online.
 */
export async function checkEligible(db: Tx, a: Applicant): Promise<void> {
  if (a.class === 'producer') {
    const status = await repo.coopStatus(db, a.coopId!);
    if (!status) throw badRequest('Some fields are not valid', { coopId: [fieldError('no_such_coop')] });
    if (status !== 'approved') throw new HttpError(409, 'coop_not_approved', 'Only an approved co-op can be a producer member', { coopId: [fieldError('coop_not_approved')] });
    return;
  }
  if (!(await repo.userExists(db, a.userId!))) throw badRequest('Some fields are not valid', { userId: [fieldError('no_such_person')] });
  if (a.class === 'worker' && !(await repo.worksInMemberCoop(db, a.userId!))) {
    throw new HttpError(409, 'not_eligible', 'A worker-member must work in an approved co-op that is a member', {
      class: [fieldError('worker_not_in_member_coop')],
    });
  }
}

/** 409 when the person or co-op already holds an open membership (the database also refuses a second one). */
export async function checkNotMember(db: Tx, a: Applicant): Promise<void> {
  const open = await repo.openMembershipOf(db, holderOf(a));
  if (!open) return;
  const who = a.class === 'producer' ? 'This co-op is' : 'You are';
  throw conflict(`${who} already a member of the platform co-op (${open.memberClass} member since ${open.startedOn})`, 'already_member');
}

/**
 * A new member and their qualifying share, in the caller's transaction: the share goes to the
 * member's capital (Dr bank, or the Stripe balance when paid online; Cr member_capital:<membership>).
 */
export async function recordMembership(tx: Tx, m: NewMember): Promise<repo.MembershipRow> {
  const row = await repo.insertMembership(tx, {
    memberClass: m.class, ...holderOf(m), shareCents: m.shareCents, paidBy: m.paidBy, startedOn: m.startedOn, recordedBy: m.recordedBy,
  });
  await postEntry(tx, {
    kind: 'member_share', source: `membership:${row.id}:share`, memo: `Qualifying share (${m.class}), paid by ${m.paidBy}`,
    occurredAt: m.receivedAt ?? startOfBooksDay(m.startedOn),
    lines: [
      { account: m.paidBy === 'stripe' ? ACCOUNTS.clientPayments : ACCOUNTS.bank, amount: m.shareCents },
      { account: memberCapital(row), amount: -m.shareCents },
    ],
  });
  return row;
}

/** Membership of the platform co-op: joining with the class's qualifying share, leaving, the register. */
export function createMembershipService(deps: { db: Db; now: () => Date }) {
  const { db } = deps;
  const today = () => booksDate(deps.now());

  return {
    /** A steward records a new member once the qualifying share is received (cheque, cash, transfer). */
    async join(actor: Actor | null, req: JoinRequest): Promise<Membership> {
      const a = requireSteward(actor);
      if (req.startedOn > today()) throw badRequest('Some fields are not valid', { startedOn: [fieldError('membership_start_in_future')] });
      await checkEligible(db, req);
      const settings = await readCoopSettings(db);
      try {
        const m = await db.transaction((tx) => recordMembership(tx, {
          ...req, shareCents: settings.qualifyingShareCents[req.class], recordedBy: a.userId,
        }));
        return toMembership((await repo.membershipWithHolder(db, m.id))!);
      } catch (err) {
        if (pgErrorCode(err) === '23505') throw conflict('This person or co-op already has an open membership', 'already_member');
        throw err;
      }
    },

    /**
     * Ends a membership. `endedOn` is the first day the holder is no longer a member: business
     * before it still counts for that year's patronage, and the capital stays on the books
     * until the by-laws' redemption.
     */
    async end(actor: Actor | null, id: string, endedOn: string): Promise<Membership> {
      requireSteward(actor);
      await db.transaction(async (tx) => {
        const m = await repo.lockMembership(tx, id);
        if (!m) throw notFound('Membership');
        if (m.endedOn) throw conflict('This membership has already ended', 'already_ended');
        if (endedOn <= m.startedOn) throw badRequest('Some fields are not valid', { endedOn: [fieldError('end_before_membership_start')] });
        if (endedOn > today()) throw badRequest('Some fields are not valid', { endedOn: [fieldError('date_in_future')] });
        await repo.endMembership(tx, id, endedOn);
      });
      return toMembership((await repo.membershipWithHolder(db, id))!);
    },

    async register(actor: Actor | null) {
      requireSteward(actor);
      const rows = await repo.register(db);
      const counts = { producer: 0, worker: 0, user: 0, supporting: 0, open: 0 };
      for (const r of rows) {
        if (r.endedOn !== null) continue;
        counts[r.memberClass]++;
        counts.open++;
      }
      return { members: rows.map(toMembership), counts };
    },

    /** The signed-in person's memberships (their own and their co-ops'), each with its capital history, and what joining costs. */
    async mine(actor: Actor | null) {
      const a = requireActor(actor);
      const rows = await repo.membershipsOfPerson(db, a.userId);
      const moves = await repo.capitalMovements(db, rows.map((r) => r.id));
      const { qualifyingShareCents } = await readCoopSettings(db);
      return {
        qualifyingShareCents,
        memberships: rows.map((r) => ({
          ...toMembership(r),
          history: moves
            .filter((mv) => mv.code === `member_capital:${r.id}`)
            .map((mv) => ({ occurredAt: mv.occurredAt.toISOString(), kind: mv.kind, memo: mv.memo, amountCents: mv.amountCents })),
        })),
      };
    },
  };
}
