/** The chart of accounts. Debits are positive amounts, credits negative. */

export type AccountKind = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';

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
} as const satisfies Record<string, AccountRef>;

export const coopPayable = (coopId: string): AccountRef => ({ code: `coop_payable:${coopId}`, kind: 'liability', name: 'Co-op payable', coopId });
export const taxesCollected = (coopId: string): AccountRef => ({ code: `taxes_collected:${coopId}`, kind: 'liability', name: 'GST/QST collected for the co-op', coopId });
export const patronagePayable = (userId: string): AccountRef => ({ code: `patronage_payable:${userId}`, kind: 'liability', name: 'Patronage refund payable', userId });
export const memberCapital = (userId: string): AccountRef => ({ code: `member_capital:${userId}`, kind: 'equity', name: 'Member capital', userId });
