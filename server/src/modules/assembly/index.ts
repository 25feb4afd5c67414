// What other modules and the flows may use of the assembly: a plan is put to the vote as a proposal.
export { createAssemblyService, type AssemblyDeps } from './service.js';
export { insertProposal, latestProposalOfPlan, type ProposalRow } from './repository.js';
