/** The account page: profile, emails she chooses, address change, signed-in devices. */
import { z } from 'zod';
import { Id, LocaleSchema, Timestamp, text } from './common.js';
import { Email } from './auth.js';
import { Phone } from './bookings.js';

export const UpdateMeBody = z
  .object({
    name: text(1, 100).optional(),
    locale: LocaleSchema.optional(),
    phone: Phone.optional(),
    messageEmails: z.boolean().optional(),
    reminderEmails: z.boolean().optional(),
    assemblyEmails: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { error: 'nothing_to_change' });
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

/** A new address is confirmed by a link sent to it; the current password proves it is the owner asking. */
export const ChangeEmailBody = z.object({
  newEmail: Email,
  currentPassword: z.string().min(1, { error: 'required' }).max(200),
});
export type ChangeEmailBody = z.infer<typeof ChangeEmailBody>;

/** The link mailed to the new address. */
export const ConfirmEmailChangeBody = z.object({
  token: z.string().min(20, { error: 'invalid_link' }).max(200, { error: 'invalid_link' }),
});
export type ConfirmEmailChangeBody = z.infer<typeof ConfirmEmailChangeBody>;

/** What the address change did: the account's address now. */
export const EmailChanged = z.object({ email: z.string() });

/** One signed-in device. */
export const DeviceSession = z.object({
  id: Id,
  /** The browser and system read from its User-Agent ("Firefox", "Android"); null when unknown. */
  browser: z.string().nullable(),
  os: z.string().nullable(),
  /** The address it signed in or last refreshed from, shortened ("203.0.113.x"); null when unknown. */
  approximateAddress: z.string().nullable(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  /** The session making this request. */
  current: z.boolean(),
});
export type DeviceSession = z.infer<typeof DeviceSession>;

export const DeviceSessionList = z.object({ items: z.array(DeviceSession) });
export type DeviceSessionList = z.infer<typeof DeviceSessionList>;

/** How many other devices were signed out. */
export const RevokedSessions = z.object({ revoked: z.int() });

/** The move to another address waiting for its link to be opened, if any (the account page shows it). */
export const PendingEmailChange = z.object({
  pending: z.object({ newEmail: z.string(), expiresAt: Timestamp }).nullable(),
});
export type PendingEmailChange = z.infer<typeof PendingEmailChange>;

/** A password change also drops a pending change of address: the answer says whether it did. */
export const PasswordChanged = z.object({ ok: z.literal(true), emailChangeCancelled: z.boolean() });
export type PasswordChanged = z.infer<typeof PasswordChanged>;
