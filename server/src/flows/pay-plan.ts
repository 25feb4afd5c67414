import type { Db, Tx } from '@tissu/db';
import { requireSteward, type Actor } from '../actor.js';
import { conflict, HttpError, notFound } from '../errors.js';
import type { PaymentGateway } from '../plugins/stripe.js';
import { type AccountRef, ACCOUNTS, type Line, memberCapital, patronagePayable, postEntry } from '../modules/ledger/index.js';
import * as fiscalRepo from '../modules/fiscal/index.js';
import { closeIntoSurplus } from '../modules/fiscal/index.js';
import * as repo from '../modules/patronage/index.js';
import { frozenResult } from '../modules/patronage/index.js';

/** Members per journal entry: keeps each entry's statements under PostgreSQL's parameter limit. */
const MEMBERS_PER_ENTRY = 1000;

type Payee = Awaited<ReturnType<typeof repo.allocationsForPayment>>[number];

const chunks = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
const memberRef = (p: Payee) => ({ id: p.a.membershipId, userId: p.userId, coopId: p.coopId });
/** A member co-op with a Stripe account that takes payouts is paid by transfer; everyone else by the bank. */
const paidByTransfer = (p: Payee) => Boolean(p.coopId && p.stripeAccountId && p.payoutsEnabled);

/**
 * Pays an approved plan, in one transaction:
 *   1. year_close — the year's revenue and expenses closed into undistributed_surplus;
 *   2. surplus_appropriation — Dr undistributed_surplus, Cr general_reserve (reserve),
 *      Cr patronage_payable:<membership> (each allocation);
 *   3. patronage_payment — Dr patronage_payable (cash paid + retained), Cr member_capital
 *      (retained), Cr withholding_payable (tax withheld), Cr client_payments (Stripe transfers to
 *      member co-ops) or Cr bank (people and co-ops without Stripe payouts, recorded as paid).
 * What stays in patronage_payable is exactly what is carried forward to next year. Stripe
 * transfers are made last, inside the transaction, with idempotency keys per plan and member: if
 * one fails everything rolls back, and a retry gets the transfers already made back from Stripe.
 */
export function createPlanPayments(deps: { db: Db; gateway: PaymentGateway; now: () => Date }) {
  async function postAppropriation(tx: Tx, planId: string, reserveCents: number, payees: Payee[]) {
    const withAllocation = payees.filter((p) => p.a.allocationCents > 0);
    const slices = chunks(withAllocation, MEMBERS_PER_ENTRY);
    if (slices.length === 0) slices.push([]);
    for (const [i, slice] of slices.entries()) {
      const reserve = i === 0 ? reserveCents : 0;
      const allocated = slice.reduce((s, p) => s + p.a.allocationCents, 0);
      await postEntry(tx, {
        kind: 'surplus_appropriation', source: `plan:${planId}:appropriation:${i}`, memo: 'Surplus appropriated to the reserve and patronage refunds', occurredAt: deps.now(),
        lines: [
          { account: ACCOUNTS.undistributedSurplus, amount: reserve + allocated },
          { account: ACCOUNTS.generalReserve, amount: -reserve },
          ...slice.map((p) => ({ account: patronagePayable(memberRef(p)), amount: -p.a.allocationCents })),
        ],
      });
    }
  }

  async function postPayments(tx: Tx, planId: string, payees: Payee[]) {
    const settled = payees.filter((p) => p.a.paidCents + p.a.retainedCents > 0);
    for (const [i, slice] of chunks(settled, MEMBERS_PER_ENTRY).entries()) {
      const lines: Line[] = [];
      let withheld = 0, byBank = 0, byTransfer = 0;
      for (const p of slice) {
        const m = memberRef(p);
        const net = p.a.paidCents - p.a.withholdingCents;
        lines.push({ account: patronagePayable(m), amount: p.a.paidCents + p.a.retainedCents });
        lines.push({ account: memberCapital(m), amount: -p.a.retainedCents });
        withheld += p.a.withholdingCents;
        if (paidByTransfer(p)) byTransfer += net;
        else byBank += net;
      }
      const totals: [AccountRef, number][] = [[ACCOUNTS.withholdingPayable, withheld], [ACCOUNTS.bank, byBank], [ACCOUNTS.clientPayments, byTransfer]];
      for (const [account, amount] of totals) lines.push({ account, amount: -amount });
      await postEntry(tx, { kind: 'patronage_payment', source: `plan:${planId}:payment:${i}`, memo: 'Patronage refunds paid, retained in capital, withheld', occurredAt: deps.now(), lines });
    }
  }

  return {
    async pay(actor: Actor | null, planId: string) {
      requireSteward(actor);
      return deps.db.transaction(async (tx) => {
        const plan = await repo.findPlan(tx, planId, true);
        if (!plan) throw notFound('Plan');
        if (plan.status === 'paid') throw conflict('This plan has already been paid', 'already_paid');
        if (plan.status !== 'approved') throw conflict('Only a plan the members approved can be paid', 'not_approved');
        const year = (await fiscalRepo.lockYear(tx, plan.fiscalYearId))!;
        const result = frozenResult(plan);
        const payees = await repo.allocationsForPayment(tx, planId);

        await closeIntoSurplus(tx, year, result.figures, deps.now());
        await postAppropriation(tx, planId, result.allocation.reserveCents, payees);
        await postPayments(tx, planId, payees);
        await repo.updatePlan(tx, planId, { status: 'paid', paidAt: deps.now() });
        await fiscalRepo.setYearStatus(tx, year.id, 'closed');

        let transfers = 0;
        for (const p of payees) {
          const net = p.a.paidCents - p.a.withholdingCents;
          if (net <= 0 || !paidByTransfer(p)) continue;
          try {
            await deps.gateway.transfer({
              destination: p.stripeAccountId!, amountCents: net, idempotencyKey: `patronage:${planId}:${p.a.membershipId}`,
              description: `Ristourne ${year.label} / Patronage refund ${year.label}`, metadata: { planId, membershipId: p.a.membershipId },
            });
          } catch (err) {
            throw new HttpError(502, 'payment_processor_unavailable', `The payment processor did not answer (${(err as Error).message}). Nothing was paid; please try again.`);
          }
          transfers++;
        }
        const sum = (k: 'paidCents' | 'withholdingCents' | 'retainedCents' | 'carriedForwardCents') => payees.reduce((s, p) => s + p.a[k], 0);
        return {
          transfers,
          recordedAsPaid: payees.filter((p) => p.a.paidCents > p.a.withholdingCents && !paidByTransfer(p)).length,
          netPaidCents: sum('paidCents') - sum('withholdingCents'),
          withholdingCents: sum('withholdingCents'),
          retainedCents: sum('retainedCents'),
          carriedForwardCents: sum('carriedForwardCents'),
        };
      });
    },
  };
}
