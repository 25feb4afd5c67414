/** The kinds of account in the platform's double-entry ledger (see DESIGN: Ledger). */
export const LEDGER_ACCOUNT_KINDS = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];
