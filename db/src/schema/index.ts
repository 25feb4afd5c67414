// One file per server module (server/src/modules/<name>), each holding the tables that module owns.
export * from './accounts.js';
export * from './coops.js';
export * from './listings.js';
export * from './bookings.js';
export * from './series.js';
export * from './reviews.js';
export * from './notifications.js';
export * from './ledger.js';
export * from './payments.js';
export * from './membership.js';
export * from './fiscal.js';
export * from './patronage.js';
export * from './assembly.js';
export * from './idempotency.js';
export * from './feeds.js';
export * from './conversations.js';
