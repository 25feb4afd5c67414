import { z } from 'zod';
import { Id, LocaleSchema, text } from './common.js';

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'invalid_email' }).max(254));

/**
 * A new password (sign-up, change, reset). Spaces are welcome in a passphrase, but a password of
 * blanks only is none: anyone could guess it. Said once: a short one is only "too short".
 */
export const Password = z
  .string()
  .min(10, { error: 'too_short' })
  .max(200, { error: 'too_long' })
  .refine((p) => p.length < 10 || p.trim() !== '', { error: 'password_blank' });

export const SignUpBody = z.object({
  email: Email,
  password: Password,
  name: text(1, 100),
  locale: LocaleSchema.default('fr'),
});
export type SignUpBody = z.infer<typeof SignUpBody>;

export const SignInBody = z.object({
  email: Email,
  password: z.string().min(1, { error: 'required' }).max(200),
});
export type SignInBody = z.infer<typeof SignInBody>;

/** The refresh token comes in the body (API clients) or in the httpOnly cookie (browsers). */
export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(500).optional() }).default({});

export const COOP_ROLES = ['admin', 'worker'] as const;
export const CoopRole = z.enum(COOP_ROLES);
export type CoopRole = z.infer<typeof CoopRole>;
/** A co-op applies, then stewards approve or reject it. Here beside CoopRole: coops.ts imports this file. */
export const COOP_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const CoopStatus = z.enum(COOP_STATUSES);

export const UserCoopMembership = z.object({
  coopId: Id,
  coopSlug: z.string(),
  coopName: z.string(),
  coopStatus: CoopStatus,
  role: CoopRole,
  /** She is this co-op's only admin: she may not leave it (or delete her account) until another is named. */
  lastAdmin: z.boolean(),
});

export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  locale: LocaleSchema,
  isSteward: z.boolean(),
  /** Until the owner opens the link sent at sign-up, booking, paying and voting answer 403 email_not_verified. */
  emailVerified: z.boolean(),
  /** Emails about new messages in her conversations (batched); off when she turned them off. */
  messageEmails: z.boolean(),
  /** Reminders the day before a visit; off when she turned them off. */
  reminderEmails: z.boolean(),
  /** Assembly and surplus-plan news; off when she turned them off. Booking changes and receipts are always sent. */
  assemblyEmails: z.boolean(),
  /** As she typed it; empty when not given. */
  phone: z.string(),
  coops: z.array(UserCoopMembership),
});
export type User = z.infer<typeof User>;

/** What waits for the signed-in person's answer (the header's badges): counts only. */
export const Waiting = z.object({
  /** Booking requests not yet answered, per co-op this person administers (co-ops with none are left out). */
  bookingRequests: z.array(z.object({ coopId: Id, count: z.int() })),
  /** Co-op applications waiting for a decision; null for anyone who is not a steward. */
  coopApplications: z.int().nullable(),
  /** Whether the person is assigned to visits at a co-op she belongs to (the header's "Mes visites", admins who work included). */
  assignedVisits: z.boolean(),
  /** Messages from others the person has not read, in every conversation she is in. */
  unreadMessages: z.int(),
});
export type Waiting = z.infer<typeof Waiting>;

export const AuthResult = z.object({
  user: User,
  accessToken: z.string(),
  accessTokenExpiresAt: z.iso.datetime(),
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.iso.datetime(),
});
export type AuthResult = z.infer<typeof AuthResult>;


export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1, { error: 'required' }).max(200),
  newPassword: Password,
});

/** "Forgot my password": always answered the same way, whether or not the email has an account. */
export const PasswordResetRequestBody = z.object({ email: Email, locale: LocaleSchema.optional() });
export type PasswordResetRequestBody = z.infer<typeof PasswordResetRequestBody>;

export const PasswordResetBody = z.object({
  token: z.string().min(20, { error: 'invalid_link' }).max(200, { error: 'invalid_link' }),
  password: Password,
});
export type PasswordResetBody = z.infer<typeof PasswordResetBody>;

/** The link sent at sign-up to confirm the address. */
export const VerifyEmailBody = z.object({
  token: z.string().min(20, { error: 'invalid_link' }).max(200, { error: 'invalid_link' }),
});
export type VerifyEmailBody = z.infer<typeof VerifyEmailBody>;
