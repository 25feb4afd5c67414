/**
 * The stewards' calls for the platform co-op's own business: the member register, settings,
 * fiscal years and their records, surplus plans (draft, simulate, propose, pay) and the
 * assembly's proposals. Every answer is checked against the shared zod schema of the API contract.
 */
import {
  CoopSettings,
  FiscalRecord,
  FiscalRecordList,
  FiscalYear,
  FiscalYearList,
  MemberRegister,
  Membership,
  PlanPayment,
  PlanView,
  Proposal,
  ProposalList,
  SimulationResult,
  type ClassWeights,
  type MemberClass,
} from '@tissu/shared';
import { z } from 'zod';
import type { Http } from './api-endpoints';
import type { Query } from './api';

export interface StewardHttp extends Http {
  patch<S extends z.ZodType>(path: string, schema: S, body: unknown): Promise<z.output<S>>;
  /** A text answer (CSV), as it came. */
  getText(path: string, query?: Query): Promise<string>;
}

export interface PlanParams {
  reserveBps: number;
  weights: ClassWeights;
  cashBps: number;
  thresholdCents: number;
}

export interface MembershipInput {
  class: MemberClass;
  userId?: string;
  coopId?: string;
  paidBy: 'cheque' | 'cash' | 'transfer';
  startedOn: string;
}

export interface FiscalRecordInput {
  kind: 'expense' | 'income';
  occurredOn: string;
  category: string;
  amountCents: number;
  note: string;
}

export interface ProposalInput {
  kind: 'fee_rate' | 'bylaw' | 'resolution';
  title: string;
  body: string;
  feeRateBps?: number;
  feeEffectiveFrom?: string;
  opensAt: string;
  closesAt: string;
}

const id = encodeURIComponent;

export function stewardPatronageEndpoints({ get, post, put, patch, getText }: StewardHttp) {
  return {
    coopSettings: {
      get: () => get('/steward/settings', CoopSettings),
      update: (body: Partial<CoopSettings>) => put('/steward/settings', CoopSettings, body),
    },
    register: {
      list: () => get('/steward/members', MemberRegister),
      join: (body: MembershipInput, idempotencyKey?: string) => post('/steward/memberships', Membership, body, idempotencyKey),
      end: (membershipId: string, endedOn: string) => post(`/steward/memberships/${id(membershipId)}/end`, Membership, { endedOn }),
    },
    fiscal: {
      years: () => get('/steward/fiscal-years', FiscalYearList),
      year: (yearId: number) => get(`/steward/fiscal-years/${yearId}`, FiscalYear),
      createYear: (startsOn?: string, confirmPastDeadline = false, idempotencyKey?: string) =>
        post('/steward/fiscal-years', FiscalYear, { ...(startsOn ? { startsOn } : {}), ...(confirmPastDeadline ? { confirmPastDeadline } : {}) }, idempotencyKey),
      closeYear: (yearId: number) => post(`/steward/fiscal-years/${yearId}/close`, FiscalYear),
      records: (yearId?: number) => get('/steward/fiscal-records', FiscalRecordList, { yearId }),
      record: (body: FiscalRecordInput, idempotencyKey?: string) => post('/steward/fiscal-records', FiscalRecord, body, idempotencyKey),
    },
    plans: {
      create: (yearId: number, params: PlanParams, idempotencyKey?: string) =>
        post(`/steward/fiscal-years/${yearId}/plans`, PlanView, params, idempotencyKey),
      get: (planId: string) => get(`/plans/${id(planId)}`, PlanView),
      update: (planId: string, params: Partial<PlanParams>) => patch(`/steward/plans/${id(planId)}`, PlanView, params),
      simulate: (planId: string, variations: (Partial<PlanParams> & { label?: string })[]) =>
        post(`/steward/plans/${id(planId)}/simulate`, SimulationResult, { variations }),
      propose: (planId: string, body: { opensAt?: string; closesAt?: string } = {}) =>
        post(`/steward/plans/${id(planId)}/propose`, PlanView, body),
      pay: (planId: string) => post(`/steward/plans/${id(planId)}/pay`, PlanPayment),
      statementsCsv: (planId: string, lang?: 'fr' | 'en') => getText('/steward/statements.csv', { planId, lang }),
    },
    assembly: {
      list: () => get('/proposals', ProposalList),
      propose: (body: ProposalInput, idempotencyKey?: string) => post('/steward/proposals', Proposal, body, idempotencyKey),
      close: (proposalId: string) => post(`/steward/proposals/${id(proposalId)}/close`, Proposal),
    },
  };
}
