// What other modules may use of tips: the service (the payments webhook hands Stripe's events about a tip to it).
export { createTipsService, type TipsService } from './service.js';
export { createTipFees, type TipFees } from './fees.js';
