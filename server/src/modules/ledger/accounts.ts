import type { LedgerAccountKind } from '@tissu/shared';

/** The chart of accounts. Debits are positive amounts, credits negative. */
export type AccountKind = LedgerAccountKind;

export interface AccountRef {
  code: string;
  kind: AccountKind;
  name: string;
  coopId?: string;
  userId?: string;
}

export const ACCOUNTS = {
  /** Money received from clients and held on the platform's Stripe balance. */
  clientPayments: { code: 'client_payments', kind: 'asset', name: 'Client payments (Stripe balance)' },
  platformFeeRevenue: { code: 'platform_fee_revenue', kind: 'revenue', name: 'Platform fee revenue' },
  processorFees: { code: 'processor_fees', kind: 'expense', name: 'Payment processor fees' },
  platformExpenses: { code: 'platform_expenses', kind: 'expense', name: 'Platform expenses' },
  otherIncome: { code: 'other_income', kind: 'revenue', name: 'Other income' },
  generalReserve: { code: 'general_reserve', kind: 'equity', name: 'General reserve' },
  bank: { code: 'bank', kind: 'asset', name: 'Bank account' },
  /** The year's result once its revenue and expense accounts are closed into it, until appropriated. */
  undistributedSurplus: { code: 'undistributed_surplus', kind: 'equity', name: 'Undistributed surplus' },
  /** A qualifying share paid online by someone who had become a member meanwhile: owed back to them. */
  sharePaymentsToRefund: { code: 'share_payments_to_refund', kind: 'liability', name: 'Share payments to refund' },
  /** Tax withheld from patronage refunds (ITA s.135(3)), owed to the tax authorities. */
  withholdingPayable: { code: 'withholding_payable', kind: 'liability', name: 'Withholding tax payable' },
} as const satisfies Record<string, AccountRef>;

export const coopPayable = (coopId: string): AccountRef => ({ code: `coop_payable:${coopId}`, kind: 'liability', name: 'Co-op payable', coopId });
/** Tips clients gave for a co-op's workers: owed to the co-op (no fee, no tax), moved to it by Stripe with the charge. */
export const tipsPayable = (coopId: string): AccountRef => ({ code: `tips_payable:${coopId}`, kind: 'liability', name: 'Tips payable to the co-op for its workers', coopId });
export const taxesCollected = (coopId: string): AccountRef => ({ code: `taxes_collected:${coopId}`, kind: 'liability', name: 'GST/QST collected for the co-op', coopId });

/** A membership of the platform co-op: per-member accounts are keyed by the membership, held by a person or a co-op. */
export interface MemberRef {
  id: string;
  userId?: string | null;
  coopId?: string | null;
}
const holder = (m: MemberRef) => ({ ...(m.userId ? { userId: m.userId } : {}), ...(m.coopId ? { coopId: m.coopId } : {}) });
export const patronagePayable = (m: MemberRef): AccountRef => ({ code: `patronage_payable:${m.id}`, kind: 'liability', name: 'Patronage refund payable', ...holder(m) });
/** Qualifying shares and retained patronage: the member's capital in the co-op. */
export const memberCapital = (m: MemberRef): AccountRef => ({ code: `member_capital:${m.id}`, kind: 'equity', name: 'Member capital', ...holder(m) });
