import { fieldError } from '@tissu/shared';
import type { FiscalRecordBody, FiscalYear, YearFigures } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireSteward, type Actor } from '../../actor.js';
import { badRequest, conflict, HttpError, notFound } from '../../errors.js';
import { ACCOUNTS, postEntry } from '../ledger/index.js';
import { readCoopSettings } from '../membership/index.js';
import { addDays, addMonths, booksDate, patronagePaymentDeadline, startOfBooksDay, yearBounds, yearFrom } from '../../lib/calendar.js';
import * as repo from './repository.js';
import { freezeMeasures } from './measures.js';
import { toFiscalRecord } from './dto.js';

/**
 * The year's result from the ledger: revenue is the platform fee net of fee refunds plus other
 * income; expenses are the processor's fees plus the platform's own expenses.
 */
export async function yearFigures(tx: Tx, year: { startsOn: string; endsOn: string }): Promise<YearFigures> {
  const { from, to } = yearBounds(year);
  const t = await repo.incomeStatementTotals(tx, from, to);
  const feeRevenueCents = -(t.get('platform_fee_revenue') ?? 0);
  const otherIncomeCents = -(t.get('other_income') ?? 0);
  const processorFeesCents = t.get('processor_fees') ?? 0;
  const platformExpensesCents = t.get('platform_expenses') ?? 0;
  const revenueCents = feeRevenueCents + otherIncomeCents;
  const expensesCents = processorFeesCents + platformExpensesCents;
  return { feeRevenueCents, otherIncomeCents, revenueCents, processorFeesCents, platformExpensesCents, expensesCents, surplusCents: revenueCents - expensesCents };
}

/**
 * Closes the year's income-statement accounts into undistributed surplus (kind year_close, which
 * the year figures leave out): Dr revenue, Cr expenses, Cr undistributed_surplus by the result.
 */
export async function closeIntoSurplus(tx: Tx, year: repo.FiscalYearRow, f: YearFigures, at: Date) {
  await postEntry(tx, {
    kind: 'year_close', source: `fiscal_year:${year.id}:close`, memo: `Result of fiscal year ${year.label} closed into undistributed surplus`, occurredAt: at,
    lines: [
      { account: ACCOUNTS.platformFeeRevenue, amount: f.feeRevenueCents },
      { account: ACCOUNTS.otherIncome, amount: f.otherIncomeCents },
      { account: ACCOUNTS.processorFees, amount: -f.processorFeesCents },
      { account: ACCOUNTS.platformExpenses, amount: -f.platformExpensesCents },
      { account: ACCOUNTS.undistributedSurplus, amount: -f.surplusCents },
    ],
  });
}

export type RecordInput = FiscalRecordBody;

/**
 * Fiscal years: open (the books take entries) → closing (the year is over, its patronage is
 * frozen, a surplus plan is drafted and voted) → closed (the plan is paid, or there was no surplus).
 */
export function createFiscalService(deps: { db: Db; now: () => Date }) {
  const { db } = deps;
  const today = () => booksDate(deps.now());

  async function view(tx: Tx, y: repo.FiscalYearRow): Promise<FiscalYear> {
    const measures = y.status === 'open' ? null : await repo.measureSummary(tx, y.id);
    return {
      id: y.id, label: y.label, startsOn: y.startsOn, endsOn: y.endsOn, status: y.status, closedAt: y.closedAt?.toISOString() ?? null,
      figures: await yearFigures(tx, y),
      paymentDeadline: patronagePaymentDeadline(y.endsOn),
      measures: measures && {
        members: measures.reduce((s, m) => s + m.members, 0),
        byClass: Object.fromEntries(measures.map((m) => [m.memberClass, { members: m.members, units: m.units }])),
      },
      plans: (await repo.plansOfYear(tx, y.id)).map((p) => ({ id: p.id, status: p.status, createdAt: p.createdAt.toISOString() })),
    };
  }

  /** Without a date: the day after the last year, or the most recent start date (settings) on or before today. */
  async function defaultStart(): Promise<string> {
    const [last] = await repo.listYears(db);
    if (last) return addDays(last.endsOn, 1);
    const { fiscalYearStart } = await readCoopSettings(db);
    const t = today();
    const thisYear = `${t.slice(0, 4)}-${fiscalYearStart}`;
    return thisYear <= t ? thisYear : `${Number(t.slice(0, 4)) - 1}-${fiscalYearStart}`;
  }

  return {
    async list(actor: Actor | null) {
      requireSteward(actor);
      const years = await repo.listYears(db);
      return { years: await Promise.all(years.map((y) => view(db, y))) };
    },

    async get(actor: Actor | null, id: number) {
      requireSteward(actor);
      const y = await repo.findYear(db, id);
      if (!y) throw notFound('Fiscal year');
      return view(db, y);
    },

    /**
     * A new fiscal year. One whose patronage payment deadline (ITA s.135(1): 12 months after its
     * end) has already passed is most often a typo in the year; it could no longer pay refunds
     * that count as patronage deductions, so it is refused until the steward confirms.
     */
    async create(actor: Actor | null, startsOn?: string, confirmPastDeadline = false): Promise<FiscalYear> {
      requireSteward(actor);
      const y = yearFrom(startsOn ?? (await defaultStart()));
      // The next year may be opened ahead of time; one beyond it is a typo, and each call would open another.
      const latestStart = addMonths(today(), 12);
      if (y.startsOn > latestStart) {
        throw badRequest(`A fiscal year can be opened at most one year ahead: it must start by ${latestStart}`, {
          startsOn: [fieldError('year_too_far_ahead', { date: latestStart })],
        });
      }
      const deadline = patronagePaymentDeadline(y.endsOn);
      if (deadline < today() && !confirmPastDeadline) {
        throw new HttpError(409, 'payment_deadline_passed', `The refunds of this year had to be paid by ${deadline}: that date has passed`, {
          startsOn: [fieldError('payment_deadline_passed', { date: deadline })],
        });
      }
      const row = await db.transaction(async (tx) => {
        const clash = await repo.overlappingYear(tx, y.startsOn, y.endsOn);
        if (clash) throw conflict(`This year would overlap fiscal year ${clash.label}`, 'overlapping_year');
        return repo.insertYear(tx, y);
      });
      return view(db, row);
    },

    /** An expense or other income: the record and its ledger entry commit together. */
    async record(actor: Actor | null, input: RecordInput) {
      const a = requireSteward(actor);
      if (input.occurredOn > today()) throw badRequest('Some fields are not valid', { occurredOn: [fieldError('date_in_future')] });
      const row = await db.transaction(async (tx) => {
        const year = await repo.yearOfDate(tx, input.occurredOn);
        /*
         * Every entry belongs to one fiscal year: the year page lists its records, and its close
         * reads the year's result from the ledger between its first and last day. An entry dated
         * in no year would be in the bank account and in no year's result, never put to a vote.
         * This holds also before the first year exists: the books start with a year, and costs
         * incurred before the co-op's first year (organisation costs) are booked in that first
         * year, on its first day. So the steward opens the year (Intendance › Exercices) first.
         */
        if (!year) {
          throw badRequest(`No fiscal year covers ${input.occurredOn}: open its fiscal year first`, { occurredOn: [fieldError('no_fiscal_year')] });
        }
        if (year.status === 'closing') {
          throw conflict(`Fiscal year ${year.label} is closing: its result is frozen for its surplus plan and takes no more entries`, 'year_closing');
        }
        if (year.status !== 'open') throw conflict(`Fiscal year ${year.label} is closed: its books take no more entries`, 'year_closed');
        const r = await repo.insertRecord(tx, { ...input, recordedBy: a.userId });
        const expense = input.kind === 'expense';
        await postEntry(tx, {
          kind: expense ? 'expense' : 'other_income', source: `fiscal:${r.id}`, memo: `${input.category}${input.note ? ` — ${input.note}` : ''}`,
          occurredAt: startOfBooksDay(input.occurredOn),
          lines: expense
            ? [{ account: ACCOUNTS.platformExpenses, amount: input.amountCents }, { account: ACCOUNTS.bank, amount: -input.amountCents }]
            : [{ account: ACCOUNTS.bank, amount: input.amountCents }, { account: ACCOUNTS.otherIncome, amount: -input.amountCents }],
        });
        return r;
      });
      return toFiscalRecord(row);
    },

    async records(actor: Actor | null, yearId?: number) {
      requireSteward(actor);
      const year = yearId === undefined ? undefined : await repo.findYear(db, yearId);
      if (yearId !== undefined && !year) throw notFound('Fiscal year');
      const rows = await repo.listRecords(db, year);
      return { records: rows.map(toFiscalRecord) };
    },

    /**
     * Once the year is over: freezes every member's patronage per month, in one transaction that
     * holds the year's row (a concurrent close waits, then finds it closed; a fiscal record dated
     * in the year waits, then is refused). Without a surplus there is nothing to distribute and
     * the year closes for good.
     */
    async close(actor: Actor | null, id: number): Promise<FiscalYear> {
      requireSteward(actor);
      const row = await db.transaction(async (tx) => {
        const y = await repo.lockYear(tx, id);
        if (!y) throw notFound('Fiscal year');
        if (y.status !== 'open') throw conflict(`Fiscal year ${y.label} is already closed`, 'already_closed');
        if (today() <= y.endsOn) throw conflict(`Fiscal year ${y.label} ends on ${y.endsOn}: it can be closed from the next day`, 'year_not_over');
        const { from, to } = yearBounds(y);
        await freezeMeasures(tx, y.id, from, to);
        const figures = await yearFigures(tx, y);
        const at = deps.now();
        if (figures.surplusCents > 0) {
          await repo.setYearStatus(tx, y.id, 'closing', at);
        } else {
          await closeIntoSurplus(tx, y, figures, at);
          await repo.setYearStatus(tx, y.id, 'closed', at);
        }
        return (await repo.findYear(tx, y.id))!;
      });
      return view(db, row);
    },
  };
}
