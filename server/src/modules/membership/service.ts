import type { Membership } from '@tissu/shared';
import type { Db } from '@tissu/db';
import { requireActor, requireSteward, type Actor } from '../../actor.js';
import { badRequest, conflict, notFound, pgErrorCode } from '../../errors.js';
import { ACCOUNTS, memberCapital } from '../ledger/accounts.js';
import { postEntry } from '../ledger/post.js';
import { booksDate, startOfBooksDay } from '../fiscal/calendar.js';
import { readCoopSettings } from './settings.js';
import * as repo from './repository.js';

type MemberClass = 'producer' | 'worker' | 'user' | 'supporting';

export interface JoinRequest {
  class: MemberClass;
  userId?: string;
  coopId?: string;
  paidBy: 'cheque' | 'cash' | 'transfer';
  startedOn: string;
}

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

/** Membership of the platform co-op: joining with the class's qualifying share, leaving, the register. */
export function createMembershipService(deps: { db: Db; now: () => Date }) {
  const { db } = deps;
  const today = () => booksDate(deps.now());

  /** Producer members are approved co-ops; worker-members work in a member co-op; anyone may be a user or supporting member. */
  async function checkEligible(req: JoinRequest) {
    if (req.class === 'producer') {
      const status = await repo.coopStatus(db, req.coopId!);
      if (!status) throw badRequest('Some fields are not valid', { coopId: ['No such co-op'] });
      if (status !== 'approved') throw conflict('Only an approved co-op can be a producer member', 'coop_not_approved');
      return;
    }
    if (!(await repo.userExists(db, req.userId!))) throw badRequest('Some fields are not valid', { userId: ['No such person'] });
    if (req.class === 'worker' && !(await repo.worksInMemberCoop(db, req.userId!))) {
      throw conflict('A worker-member must work in an approved co-op that is a member', 'not_eligible');
    }
  }

  return {
    /**
     * A steward records a new member once the qualifying share is received; the share is booked
     * to the member's capital in the same transaction (Dr bank, Cr member_capital:<membership>).
     */
    async join(actor: Actor | null, req: JoinRequest): Promise<Membership> {
      const a = requireSteward(actor);
      if (req.startedOn > today()) throw badRequest('Some fields are not valid', { startedOn: ['A membership starts once the share is paid: not in the future'] });
      await checkEligible(req);
      const settings = await readCoopSettings(db);
      const shareCents = settings.qualifyingShareCents[req.class];
      try {
        const id = await db.transaction(async (tx) => {
          const m = await repo.insertMembership(tx, {
            memberClass: req.class, userId: req.class === 'producer' ? null : req.userId!, coopId: req.class === 'producer' ? req.coopId! : null,
            shareCents, paidBy: req.paidBy, startedOn: req.startedOn, recordedBy: a.userId,
          });
          await postEntry(tx, {
            kind: 'member_share', source: `membership:${m.id}:share`, memo: `Qualifying share (${req.class}), paid by ${req.paidBy}`,
            occurredAt: startOfBooksDay(req.startedOn),
            lines: [
              { account: ACCOUNTS.bank, amount: shareCents },
              { account: memberCapital(m), amount: -shareCents },
            ],
          });
          return m.id;
        });
        return toMembership((await repo.membershipWithHolder(db, id))!);
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
        if (endedOn <= m.startedOn) throw badRequest('Some fields are not valid', { endedOn: ['Must be after the day the membership started'] });
        if (endedOn > today()) throw badRequest('Some fields are not valid', { endedOn: ['Cannot be in the future'] });
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

    /** The signed-in person's memberships (their own and their co-ops'), each with its capital history. */
    async mine(actor: Actor | null) {
      const a = requireActor(actor);
      const rows = await repo.membershipsOfPerson(db, a.userId);
      const moves = await repo.capitalMovements(db, rows.map((r) => r.id));
      return {
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
