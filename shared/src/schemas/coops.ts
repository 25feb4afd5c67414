import { z } from 'zod';
import { LEGAL_FORMS, REGION_SLUGS, SERVICE_LANGUAGES } from '../taxonomy.js';
import { Id, Timestamp, text } from './common.js';
import { CoopRole, CoopStatus, Email } from './auth.js';
import { Photo } from './photos.js';

export const LegalForm = z.enum(LEGAL_FORMS);

/**
 * Québec enterprise number (NEQ): 10 digits. People often type it with spaces or dashes,
 * so those are removed before checking.
 */
export const Neq = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{10}$/, { error: 'neq_digits' }));

const currentYear = () => new Date().getUTCFullYear();

const coopProfileFields = {
  legalName: text(2, 200),
  legalForm: LegalForm,
  neq: z.union([Neq, z.literal('').transform(() => undefined)]).optional().nullable(),
  region: z.enum(REGION_SLUGS, { error: 'choose_region' }),
  languages: z.array(z.enum(SERVICE_LANGUAGES)).min(1, { error: 'choose_language' }).max(10),
  descriptionFr: text(20, 5000),
  descriptionEn: text(20, 5000),
  commitments: text(0, 2000),
  foundedYear: z.coerce
    .number({ error: 'invalid_year' })
    .int({ error: 'invalid_year' })
    .min(1850, { error: 'year_too_early' })
    .refine((y) => y <= currentYear(), { error: 'year_in_future' }),
};

export const CoopProfileBody = z.object({ ...coopProfileFields, commitments: coopProfileFields.commitments.default('') });
export type CoopProfileBody = z.infer<typeof CoopProfileBody>;
export const CoopApplicationBody = CoopProfileBody;
/** Built from the fields without their defaults: a PATCH that leaves a field out must not reset it. */
export const UpdateCoopBody = z.object(coopProfileFields).partial();
export type UpdateCoopBody = z.infer<typeof UpdateCoopBody>;

export const Coop = z.object({
  id: Id,
  slug: z.string(),
  legalName: z.string(),
  legalForm: LegalForm,
  neq: z.string().nullable(),
  region: z.string(),
  languages: z.array(z.string()),
  descriptionFr: z.string(),
  descriptionEn: z.string(),
  commitments: z.string(),
  foundedYear: z.number().int(),
  status: CoopStatus,
  decisionReason: z.string().nullable(),
  decidedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  listingCount: z.number().int(),
  logo: Photo.nullable(),
  cover: Photo.nullable(),
  /** Who applied for the co-op: only in the stewards' pending and rejected lists. */
  applicant: z.object({ name: z.string(), email: z.string() }).nullable().optional(),
});
export type Coop = z.infer<typeof Coop>;

export const CoopList = z.object({ items: z.array(Coop) });
export const CoopParams = z.object({ idOrSlug: z.string().min(1).max(120) });
export const CoopListQuery = z.object({ status: CoopStatus.optional() });

export const RejectBody = z.object({ reason: text(5, 2000) });

export const CoopMember = z.object({
  userId: Id,
  name: z.string(),
  email: z.string(),
  role: CoopRole,
  joinedAt: Timestamp,
});
export const Invitation = z.object({ id: Id, email: z.string(), role: CoopRole, createdAt: Timestamp, expiresAt: Timestamp });
export type Invitation = z.infer<typeof Invitation>;

export const CoopMemberList = z.object({
  members: z.array(CoopMember),
  invitations: z.array(Invitation),
});
export type CoopMemberList = z.infer<typeof CoopMemberList>;

export const InviteBody = z.object({ email: Email, role: CoopRole.default('worker') });
export const MemberParams = z.object({ id: Id, userId: Id });
export const InvitationIdParams = z.object({ id: Id, invitationId: Id });
export const InvitationParams = z.object({ token: z.string().min(20).max(200) });
export const InvitationPreview = z.object({
  coopId: Id,
  coopName: z.string(),
  email: z.string(),
  role: CoopRole,
  expiresAt: Timestamp,
  status: z.enum(['open', 'accepted', 'expired', 'revoked']),
});
