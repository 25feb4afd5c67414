// What other modules and the flows may use of the team: who is free when, and the automatic choice.
export { assignsAutomatically, automaticPick, coopTimeZone, freeTeams, lockWorkers, requireFree, unavailableAt, type Span } from './availability.js';
