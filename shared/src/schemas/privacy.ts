import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/**
 * What must happen before an account can be deleted, one code each (their words are field errors
 * in shared/errors.ts): a deletion never leaves a visit without its client, a co-op without an
 * admin, or money owed either way.
 */
export const DELETION_BLOCKERS = [
  'coming_booking', 'unpaid_booking', 'live_series', 'assigned_visit', 'only_coop_admin',
  'open_membership', 'capital_balance', 'money_owed_to_you', 'steward_role',
] as const;
export const DeletionBlockerCode = z.enum(DELETION_BLOCKERS);
export type DeletionBlockerCode = z.infer<typeof DeletionBlockerCode>;

/** One of the things a blocker is about (a booking, a series, a co-op), so the page can link to it. */
export const DeletionBlockerItem = z.object({
  id: Id,
  /** The listing's title in her language, or the co-op's name. */
  name: z.string(),
  /** When the visit starts (bookings and visits); null otherwise. */
  startsAt: Timestamp.nullable(),
});
export type DeletionBlockerItem = z.infer<typeof DeletionBlockerItem>;

export const AccountDeletionCheck = z.object({
  blockers: z.array(z.object({
    code: DeletionBlockerCode,
    count: z.number().int().min(1),
    /** The first few of them, soonest first (empty for a blocker about the account as a whole). */
    items: z.array(DeletionBlockerItem),
  })),
});
export type AccountDeletionCheck = z.infer<typeof AccountDeletionCheck>;

/** The word typed to confirm, in either language, in any case. */
export const DELETION_WORDS = ['SUPPRIMER', 'DELETE'] as const;

export const DeleteAccountBody = z.object({
  password: z.string().min(1, { error: 'required' }).max(200, { error: 'too_long' }),
  confirmation: z
    .string()
    .max(40, { error: 'too_long' })
    .refine((s) => (DELETION_WORDS as readonly string[]).includes(s.trim().toUpperCase()), { error: 'confirmation_mismatch' }),
});
export type DeleteAccountBody = z.infer<typeof DeleteAccountBody>;

/** The person in charge of the protection of personal information (Law 25), shown on the privacy page. */
export const PrivacyContact = z.object({ name: z.string(), title: z.string(), email: z.string() });
export type PrivacyContact = z.infer<typeof PrivacyContact>;
