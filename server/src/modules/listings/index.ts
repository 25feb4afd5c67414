// What other modules and the flows may use of listings.
export { moveListingsHeldAtCoop } from './repository.js';
export { questionsOfListing } from './questions.js';
export { questionsColumn as listingQuestionsColumn } from './questions-repository.js';
