export * from './accounts.js';
export * from './coops.js';
export * from './listings.js';
export * from './bookings.js';
export * from './ledger.js';
export * from './payments.js';
export * from './membership.js';
export * from './assembly.js';
