// What the flows may use of patronage: a plan, its allocations, and what a vote on it changes.
export { frozenResult } from './allocation.js';
export { planDecided } from './decision.js';
export { allocationsForPayment, findPlan, updatePlan, type PlanRow } from './repository.js';
