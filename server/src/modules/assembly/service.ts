import { fieldError } from '@tissu/shared';
import type { CreateProposalBody, Proposal, VoteChoice } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireSteward, requireVerifiedEmail, type Actor } from '../../actor.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { booksDate } from '../../lib/calendar.js';
import { isMemberPerson, readCoopSettings } from '../membership/index.js';
import { insertFeeRate } from '../fees/index.js';
import * as repo from './repository.js';

export type ProposalInput = CreateProposalBody;

type Tally = { yes: number; no: number; abstain: number };

/** Quorum: ballots cast (abstentions count) over members who could vote; adopted when more say yes than no. */
export function outcome(eligible: number, t: Tally, quorumBps: number) {
  const cast = t.yes + t.no + t.abstain;
  const quorumReached = eligible > 0 && cast * 10_000 >= quorumBps * eligible;
  const status = !quorumReached ? 'no_quorum' : t.yes > t.no ? 'adopted' : 'rejected';
  return { eligible, cast, ...t, quorumReached, status } as const;
}

export interface AssemblyDeps {
  db: Db;
  now: () => Date;
  /** What a vote on a surplus plan changes in the plan, in the vote's transaction (flows/assembly-decisions.ts). */
  planDecided: (tx: Tx, planId: string, adopted: boolean, at: Date) => Promise<void>;
}

/** The general assembly: proposals, one member one vote, and what an adopted proposal changes. */
export function createAssemblyService(deps: AssemblyDeps) {
  const { db } = deps;

  async function tallyOf(tx: Tx, id: string): Promise<Tally> {
    const t: Tally = { yes: 0, no: 0, abstain: 0 };
    for (const r of await repo.tallies(tx, [id])) t[r.choice] = r.count;
    return t;
  }

  /** Decides a locked, open proposal whose vote is over, and carries out its effect in the same transaction. */
  async function decide(tx: Tx, p: repo.ProposalRow) {
    const now = deps.now();
    const result = outcome(await repo.eligibleCount(tx, booksDate(p.opensAt)), await tallyOf(tx, p.id), p.quorumBps);
    await repo.decideProposal(tx, p.id, result.status, now);
    if (p.kind === 'surplus_plan' && p.planId) await deps.planDecided(tx, p.planId, result.status === 'adopted', now);
    if (p.kind === 'fee_rate' && result.status === 'adopted' && p.feeRateBps !== null) {
      const from = p.feeEffectiveFrom && p.feeEffectiveFrom > now ? p.feeEffectiveFrom : now;
      await insertFeeRate(tx, { rateBps: p.feeRateBps, effectiveFrom: from, reason: `Adopted by the members: ${p.title}`, createdBy: p.createdBy });
    }
    return result;
  }

  async function toProposal(tx: Tx, p: repo.ProposalRow, actor: Actor): Promise<Proposal> {
    const t = await tallyOf(tx, p.id);
    const now = deps.now();
    const mine = await repo.votingMemberships(tx, actor.userId, booksDate(p.opensAt));
    const myVotes = await repo.votesOfMemberships(tx, [p.id], mine.map((m) => m.id));
    const voted = new Set(myVotes.map((v) => v.membershipId));
    const inWindow = p.status === 'open' && p.opensAt <= now && now < p.closesAt;
    const decided = p.status !== 'open';
    const results = decided ? outcome(await repo.eligibleCount(tx, booksDate(p.opensAt)), t, p.quorumBps) : null;
    return {
      id: p.id, kind: p.kind, title: p.title, body: p.body, planId: p.planId, feeRateBps: p.feeRateBps,
      feeEffectiveFrom: p.feeEffectiveFrom?.toISOString() ?? null, opensAt: p.opensAt.toISOString(), closesAt: p.closesAt.toISOString(),
      quorumBps: p.quorumBps, status: p.status, decidedAt: p.decidedAt?.toISOString() ?? null,
      votesCast: t.yes + t.no + t.abstain,
      results: results && { eligible: results.eligible, cast: results.cast, yes: results.yes, no: results.no, abstain: results.abstain, quorumReached: results.quorumReached },
      canVoteAs: inWindow ? mine.filter((m) => !voted.has(m.id)).map((m) => ({ membershipId: m.id, holderName: m.holderName })) : [],
      myVotes: myVotes.map((v) => ({ membershipId: v.membershipId, choice: v.choice })),
    };
  }

  return {
    async create(actor: Actor | null, input: ProposalInput): Promise<Proposal> {
      const a = requireSteward(actor);
      const closesAt = new Date(input.closesAt);
      if (closesAt <= deps.now()) throw badRequest('Some fields are not valid', { closesAt: [fieldError('close_in_past')] });
      const { quorumBps } = await readCoopSettings(db);
      const p = await repo.insertProposal(db, {
        kind: input.kind, title: input.title, body: input.body, opensAt: new Date(input.opensAt), closesAt, quorumBps, createdBy: a.userId,
        feeRateBps: input.kind === 'fee_rate' ? input.feeRateBps! : null,
        feeEffectiveFrom: input.kind === 'fee_rate' ? new Date(input.feeEffectiveFrom!) : null,
      });
      return toProposal(db, p, a);
    },

    /** Members (and stewards) see what is open and what was decided, with results once a vote is over. */
    async list(actor: Actor | null) {
      const a = requireActor(actor);
      if (!a.isSteward && !(await isMemberPerson(db, a.userId))) throw forbidden('Only members of the platform co-op take part in the assembly');
      const all = await Promise.all((await repo.listProposals(db)).map((p) => toProposal(db, p, a)));
      return { open: all.filter((p) => p.status === 'open'), past: all.filter((p) => p.status !== 'open') };
    },

    /**
     * One member, one vote: memberships in force on the day the vote opened may vote once, a
     * member co-op by one of its admins. A person who holds several (their own, their co-op's)
     * says which one they vote for.
     */
    async vote(actor: Actor | null, id: string, body: { choice: VoteChoice; membershipId?: string }) {
      const a = requireVerifiedEmail(actor);
      const p = await repo.findProposal(db, id);
      if (!p) throw notFound('Proposal');
      const eligible = await repo.votingMemberships(db, a.userId, booksDate(p.opensAt));
      if (eligible.length === 0) throw forbidden('Only members in good standing on the day the vote opened can vote');
      const now = deps.now();
      if (p.status !== 'open' || now < p.opensAt || now >= p.closesAt) throw conflict('This vote is not open', 'vote_not_open');
      let membershipId = body.membershipId;
      if (membershipId) {
        if (!eligible.some((m) => m.id === membershipId)) throw forbidden('You cannot vote for this membership');
      } else {
        const voted = new Set((await repo.votesOfMemberships(db, [id], eligible.map((m) => m.id))).map((v) => v.membershipId));
        const left = eligible.filter((m) => !voted.has(m.id));
        if (left.length === 0) throw conflict('You have already voted', 'already_voted');
        if (left.length > 1) throw badRequest('Some fields are not valid', { membershipId: [fieldError('choose_membership')] });
        membershipId = left[0]!.id;
      }
      const v = await repo.insertVote(db, { proposalId: id, membershipId, choice: body.choice, castBy: a.userId, castAt: now });
      if (!v) throw conflict('This membership has already voted', 'already_voted');
      return { proposalId: id, membershipId, choice: v.choice, castAt: v.castAt.toISOString() };
    },

    async close(actor: Actor | null, id: string): Promise<Proposal> {
      const a = requireSteward(actor);
      await db.transaction(async (tx) => {
        const p = await repo.findProposal(tx, id, true);
        if (!p) throw notFound('Proposal');
        if (p.status !== 'open') throw conflict('This proposal has already been decided', 'already_decided');
        if (deps.now() < p.closesAt) throw conflict(`The vote is open until ${p.closesAt.toISOString()}`, 'vote_still_open');
        await decide(tx, p);
      });
      return toProposal(db, (await repo.findProposal(db, id))!, a);
    },

    /** The job: decides every proposal whose vote is over (several workers may run it at once). */
    async closeDue(): Promise<number> {
      let n = 0;
      for (;;) {
        const done = await db.transaction(async (tx) => {
          const due = await repo.lockDueProposals(tx, deps.now());
          for (const p of due) await decide(tx, p);
          return due.length;
        });
        n += done;
        if (done < 20) return n;
      }
    },
  };
}
