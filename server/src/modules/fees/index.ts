// The platform's fee rates over time: set by the stewards or adopted by the assembly, read by bookings and reports.
export { feeRateAtSql, feeRates, insertFeeRate } from './repository.js';
