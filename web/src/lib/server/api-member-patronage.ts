/**
 * Members' calls for the platform co-op: their memberships and capital, their patronage
 * statements (and the CSV), the assembly's proposals and their votes, a plan's frozen numbers,
 * and the public transparency report. Every JSON answer is checked against the shared schema.
 */
import { MembershipCheckoutResult, MyMemberships, PlanView, ProposalList, StatementList, TransparencyReport, VoteReceipt, type MemberClass } from '@tissu/shared';
import type { Http } from './api-endpoints';
import type { Query } from './api';

export interface MemberHttp extends Http {
  /** A text answer (CSV), as it came. */
  getText(path: string, query?: Query): Promise<string>;
}

const id = encodeURIComponent;

export function memberPatronageEndpoints({ get, post, getText }: MemberHttp) {
  return {
    membership: {
      mine: () => get('/membership', MyMemberships),
      /** Opens Stripe Checkout for the class's qualifying share; the webhook records the membership. */
      checkout: (body: { class: MemberClass; coopId?: string }) => post('/membership/checkout', MembershipCheckoutResult, body),
    },
    statements: {
      /** The signed-in person's statements (theirs and their co-ops'), oldest year first. */
      mine: (q: { year?: number; membershipId?: string } = {}) => get('/patronage/statements', StatementList, { ...q }),
      csv: (q: { year?: number; membershipId?: string; lang?: 'fr' | 'en' } = {}) => getText('/patronage/statements.csv', { ...q }),
    },
    assembly: {
      proposals: () => get('/proposals', ProposalList),
      vote: (proposalId: string, body: { choice: 'yes' | 'no' | 'abstain'; membershipId?: string }) =>
        post(`/proposals/${id(proposalId)}/votes`, VoteReceipt, body),
    },
    plans: {
      get: (planId: string) => get(`/plans/${id(planId)}`, PlanView),
    },
    transparency: () => get('/transparency', TransparencyReport),
  };
}
