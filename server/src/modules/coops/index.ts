// What other modules and the flows may use of coops: who holds which role, and the co-op itself.
export { canSeeCoop, requireCoopRole, roleOf, type RequiredRole } from './access.js';
export { findCoopById, roleIn, type CoopRow, type MemberRole } from './repository.js';
export { looksLikeSlug } from './slug.js';
export { createCoopsService, type CoopsService } from './service.js';
export type { MembershipService } from './invitations.js';
