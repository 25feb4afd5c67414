// The double-entry ledger every money movement posts to.
export { ACCOUNTS, coopPayable, memberCapital, patronagePayable, taxesCollected, tipsPayable, type AccountRef, type MemberRef } from './accounts.js';
export { postEntries, postEntry, type EntryInput, type Line } from './post.js';
export { checkLedger, type LedgerCheck } from './check.js';
