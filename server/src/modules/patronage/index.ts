// What the flows may use of patronage.
export type { FrozenResult } from './allocation.js';
export { planDecided } from './decision.js';
