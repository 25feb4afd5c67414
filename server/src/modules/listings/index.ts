// What other modules and the flows may use of listings.
export { moveListingsHeldAtCoop } from './repository.js';
