export * from './money.js';
export * from './locale.js';
export * from './taxonomy.js';
export * from './schemas/common.js';
export * from './schemas/auth.js';
export * from './schemas/coops.js';
export * from './schemas/listings.js';
