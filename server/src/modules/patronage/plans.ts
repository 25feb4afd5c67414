import { randomUUID } from 'node:crypto';
import type { FrozenPlanResult, PlanParams, PlanView } from '@tissu/shared';
import { formatMoney, fieldError } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireActor, requireSteward, type Actor } from '../../actor.js';
import { badRequest, conflict, notFound, pgErrorCode } from '../../errors.js';
import * as assemblyRepo from '../assembly/index.js';
import { addDays, booksDate, patronagePaymentDeadline, startOfBooksDay } from '../../lib/calendar.js';
import * as fiscalRepo from '../fiscal/index.js';
import { yearFigures } from '../fiscal/index.js';
import { isMemberPerson, readCoopSettings } from '../membership/index.js';
import { allocate, allocationMembers, paramsOf, planFigures } from './allocation.js';
import * as repo from './repository.js';

export interface ProposeOptions { opensAt?: string; closesAt?: string; title?: string; body?: string }

/** Surplus plans: drafted and simulated by stewards, frozen when proposed, seen by members once proposed. */
export function createPlansService(deps: { db: Db; now: () => Date; wake?: () => void }) {
  const { db } = deps;

  async function closingYear(tx: Tx, yearId: number) {
    const year = await fiscalRepo.findYear(tx, yearId);
    if (!year) throw notFound('Fiscal year');
    if (year.status === 'open') throw conflict(`Fiscal year ${year.label} is not closed yet: close it to freeze its patronage first`, 'year_open');
    if (year.status === 'closed') throw conflict(`Fiscal year ${year.label} is closed: its surplus was already distributed or there was none`, 'year_closed');
    return year;
  }

  async function draftPlan(tx: Tx, id: string, lock = false) {
    const plan = await repo.findPlan(tx, id, lock);
    if (!plan) throw notFound('Plan');
    if (plan.status !== 'draft') throw conflict(`This plan is ${plan.status}: its numbers are frozen`, 'plan_frozen');
    return plan;
  }

  /**
   * The plan as members see it: frozen numbers once proposed; a draft shows what it would give today.
   * `known`: its year and latest proposal, when the caller has just read or written them.
   */
  async function view(tx: Tx, plan: repo.PlanRow, known?: { year: fiscalRepo.FiscalYearRow; proposal: assemblyRepo.ProposalRow }): Promise<PlanView> {
    const year = known?.year ?? (await fiscalRepo.findYear(tx, plan.fiscalYearId))!;
    let frozen = plan.result;
    if (!frozen) {
      const settings = await readCoopSettings(tx);
      const figures = await yearFigures(tx, year);
      const { input } = await allocationMembers(tx, year, settings, deps.now());
      frozen = { figures, settings, allocation: planFigures(allocate(paramsOf(plan), figures.surplusCents, settings, input)) };
    }
    const proposal = known ? known.proposal : await assemblyRepo.latestProposalOfPlan(tx, plan.id);
    return {
      id: plan.id,
      fiscalYear: { id: year.id, label: year.label, startsOn: year.startsOn, endsOn: year.endsOn },
      status: plan.status,
      params: paramsOf(plan),
      figures: frozen.figures,
      allocation: frozen.allocation,
      proposal: proposal ? { id: proposal.id, status: proposal.status, opensAt: proposal.opensAt.toISOString(), closesAt: proposal.closesAt.toISOString() } : null,
      paymentDeadline: patronagePaymentDeadline(year.endsOn),
      proposedAt: plan.proposedAt?.toISOString() ?? null,
      approvedAt: plan.approvedAt?.toISOString() ?? null,
      paidAt: plan.paidAt?.toISOString() ?? null,
    };
  }

  return {
    view,

    async create(actor: Actor | null, yearId: number, params: PlanParams): Promise<PlanView> {
      const a = requireSteward(actor);
      const year = await closingYear(db, yearId);
      // The unique index decides, so twenty clicks at once still make one draft.
      const plan = await repo.insertPlan(db, { fiscalYearId: year.id, status: 'draft', ...params, createdBy: a.userId }).catch((err: unknown) => {
        if (pgErrorCode(err) === '23505') throw conflict(`Fiscal year ${year.label} already has a draft plan, or one put to the vote: open it and change it`, 'plan_exists');
        throw err;
      });
      return view(db, plan);
    },

    async update(actor: Actor | null, id: string, changes: Partial<PlanParams>): Promise<PlanView> {
      requireSteward(actor);
      const plan = await db.transaction(async (tx) => {
        const draft = await draftPlan(tx, id, true);
        const values = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
        // An empty change leaves the draft as it is (an UPDATE with nothing to set is not SQL).
        return Object.keys(values).length > 0 ? repo.updatePlan(tx, id, values) : draft;
      });
      return view(db, plan);
    },

    /** What-if: the plan and each variation of it, side by side, on the same year and members. */
    async simulate(actor: Actor | null, id: string, variations: (Partial<PlanParams> & { label?: string })[]) {
      requireSteward(actor);
      const plan = await repo.findPlan(db, id);
      if (!plan) throw notFound('Plan');
      const year = (await fiscalRepo.findYear(db, plan.fiscalYearId))!;
      const settings = await readCoopSettings(db);
      const surplusCents = plan.result?.figures.surplusCents ?? (await yearFigures(db, year)).surplusCents;
      const { input } = await allocationMembers(db, year, settings, deps.now());
      const base = paramsOf(plan);
      const columns = [{ label: 'Plan', ...base }, ...variations.map((v, i) => ({ ...base, ...stripUndefined(v), label: v.label ?? `Variation ${i + 1}` }))].map((c) => {
        const params: PlanParams = { reserveBps: c.reserveBps, weights: c.weights, cashBps: c.cashBps, thresholdCents: c.thresholdCents };
        return { label: c.label, params, ...planFigures(allocate(params, surplusCents, settings, input)) };
      });
      return { surplusCents, columns };
    },

    /**
     * Freezes the plan: the year's figures and everyone's allocation are stored, the plan is put
     * to the members' vote and every member is told by email — all in one transaction.
     */
    async propose(actor: Actor | null, id: string, opts: ProposeOptions): Promise<PlanView> {
      const a = requireSteward(actor);
      const now = deps.now();
      const settings = await readCoopSettings(db);
      const opensAt = opts.opensAt ? new Date(opts.opensAt) : now;
      // By default the vote runs to the end of the day `votingDays` after it opens (midnight in
      // Montréal), as the form's hint says: "14 days, until 18 December" means all of the 18th.
      const closesAt = opts.closesAt ? new Date(opts.closesAt) : startOfBooksDay(addDays(booksDate(opensAt), settings.votingDays + 1));
      if (closesAt <= opensAt) throw badRequest('Some fields are not valid', { closesAt: [fieldError('close_before_open')] });
      if (closesAt <= now) throw badRequest('Some fields are not valid', { closesAt: [fieldError('close_in_past')] });
      try {
        const { proposed, ...known } = await db.transaction(async (tx) => {
          const draft = await draftPlan(tx, id, true);
          const year = await closingYear(tx, draft.fiscalYearId);
          const figures = await yearFigures(tx, year);
          const { members, input } = await allocationMembers(tx, year, settings, now);
          // Every member of the allocation gets a line (allocate's members[i] is input[i]'s), so the
          // emails can be queued before the lines exist: PostgreSQL writes them while the allocation
          // is computed here, instead of after it (the connection runs the statements in order).
          const proposalId = randomUUID();
          const emails = repo.queuePlanEmails(tx, id, proposalId, members.map((m) => m.membershipId));
          emails.catch(() => {}); // awaited below, after the statements queued behind it
          const allocation = allocate(paramsOf(draft), figures.surplusCents, settings, input);
          await repo.insertAllocations(tx, id, allocation.members.map((m) => ({
            membershipId: m.memberId, memberClass: m.memberClass, units: m.patronageUnits, allocationCents: m.allocationCents,
            cashCents: m.cashPartCents, retainedCents: m.retainedPartCents, carriedInCents: m.carriedInCents, paidCents: m.paidCents,
            carriedForwardCents: m.carryForwardCents, withholdingCents: m.withholdingCents,
          })));
          const result: FrozenPlanResult = {
            figures,
            settings: { legalMinimumReserveBps: settings.legalMinimumReserveBps, legalMinimumReserveApplies: settings.legalMinimumReserveApplies, minimumCashBps: settings.minimumCashBps },
            allocation: planFigures(allocation),
          };
          const proposed = await repo.updatePlan(tx, id, { status: 'proposed', result, surplusCents: figures.surplusCents, proposedAt: now });
          const proposal = await assemblyRepo.insertProposal(tx, {
            id: proposalId, kind: 'surplus_plan', planId: id, opensAt, closesAt, quorumBps: settings.quorumBps, createdBy: a.userId,
            title: opts.title ?? `Répartition des trop-perçus ${year.label} / Surplus plan ${year.label}`,
            body: opts.body ?? planSummary(year.label, result),
          });
          await emails;
          return { proposed, year, proposal };
        });
        deps.wake?.();
        return view(db, proposed, known);
      } catch (err) {
        if (pgErrorCode(err) === '23505') throw conflict('Another plan of this year is already proposed, approved or paid', 'plan_exists');
        throw err;
      }
    },

    /** Members see proposed, approved and paid plans; stewards also see drafts. */
    async get(actor: Actor | null, id: string): Promise<PlanView> {
      const a = requireActor(actor);
      const plan = await repo.findPlan(db, id);
      if (!plan) throw notFound('Plan');
      if (!a.isSteward && (plan.status === 'draft' || !(await isMemberPerson(db, a.userId)))) throw notFound('Plan');
      return view(db, plan);
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'label')) as Partial<T>;
}

/** The default text put to the vote, in both languages. */
function planSummary(label: string, r: FrozenPlanResult): string {
  const a = r.allocation;
  const m = (c: number, l: 'fr' | 'en') => formatMoney(c, l);
  return [
    `Trop-perçu ${label} : ${m(r.figures.surplusCents, 'fr')}. Réserve générale : ${m(a.reserveCents, 'fr')}. Ristournes aux membres : ${m(a.patronagePoolCents, 'fr')} (${a.cashBps / 100} % en argent, le reste porté au capital social).`,
    `Surplus ${label}: ${m(r.figures.surplusCents, 'en')}. General reserve: ${m(a.reserveCents, 'en')}. Patronage refunds to members: ${m(a.patronagePoolCents, 'en')} (${a.cashBps / 100}% in cash, the rest credited to member capital).`,
  ].join('\n\n');
}
