export * from './schemas.js';
export { allocatePatronage, classPools, effectiveReserveBps, reserveAndPool, resolveSettings, totalsOf, DEFAULT_PATRONAGE_SETTINGS } from './allocate.js';
export { cashPart, memberPayout, withholdingFor, WITHHOLDING_EXEMPT_CENTS, WITHHOLDING_RATE_BPS } from './payout.js';
export { largestRemainder, mulDivCeil, mulDivFloor, mulDivHalfUp } from './arithmetic.js';
export { simulate, type SimulationBase } from './simulate.js';
export { exactCents, exactDollars, roundingOf, type ExactCents } from './explain.js';
export { patronageRateText } from './rate-text.js';
export { addCalendarDays, addCalendarMonths, patronagePaymentDeadline, yearFrom } from './fiscal-year.js';
