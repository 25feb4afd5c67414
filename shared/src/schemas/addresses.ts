/**
 * A client's saved addresses (issue 16): where the co-op comes, and how to get in. A booking copies
 * the address and its entry notes when it is made, so editing or deleting a saved one changes no
 * booking; the co-op reads the entry notes only until ENTRY_NOTES_VISIBLE_DAYS after the visit.
 */
import { z } from 'zod';
import { Id, Timestamp, text } from './common.js';

/** How many addresses one person keeps. */
export const MAX_SAVED_ADDRESSES = 10;
/** The co-op (its admins, the assigned workers) reads a booking's entry notes until this many days after the visit ends. */
export const ENTRY_NOTES_VISIBLE_DAYS = 3;
/** The retention job erases a booking's entry notes this many days after the visit ends (README, "Personal data and retention"). */
export const ENTRY_NOTES_KEPT_DAYS = 7;

/** A Canadian postal code, loosely: "h2x 1y4", "H2X1Y4", "H2X-1Y4" are read as "H2X 1Y4". */
export const PostalCode = z
  .string()
  .transform((s) => s.replace(/[\s-]+/g, '').toUpperCase())
  .pipe(z.string().regex(/^[A-Z]\d[A-Z]\d[A-Z]\d$/, { error: 'invalid_postal_code' }))
  .transform((s) => `${s.slice(0, 3)} ${s.slice(3)}`);

export const AddressBody = z.object({
  /** What she calls it: "Maison", "Chalet". */
  label: text(1, 60),
  street: text(1, 150),
  /** Apartment, suite, floor; empty when none. */
  unit: text(0, 30).default(''),
  city: text(1, 80),
  postalCode: PostalCode,
  /** Door code, pets, parking: read by the co-op's team for the visit only. */
  entryNotes: text(0, 1000).default(''),
});
export type AddressBody = z.infer<typeof AddressBody>;

/** What changes; a field left out stays as it is (no defaults here, or a change of label would empty the notes). */
export const UpdateAddressBody = z.object({
  label: text(1, 60).optional(),
  street: text(1, 150).optional(),
  unit: text(0, 30).optional(),
  city: text(1, 80).optional(),
  postalCode: PostalCode.optional(),
  entryNotes: text(0, 1000).optional(),
});
export type UpdateAddressBody = z.infer<typeof UpdateAddressBody>;

export const SavedAddress = z.object({
  id: Id,
  label: z.string(),
  street: z.string(),
  unit: z.string(),
  city: z.string(),
  postalCode: z.string(),
  entryNotes: z.string(),
  /** The address as a booking copies it, on one line. */
  text: z.string(),
  /** When she last booked with it (null: never); the booking form offers the latest first. */
  lastUsedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type SavedAddress = z.infer<typeof SavedAddress>;

export const SavedAddressList = z.object({ items: z.array(SavedAddress), max: z.int() });
export type SavedAddressList = z.infer<typeof SavedAddressList>;

/** The one-line form a booking keeps: "1234 rue Rachel Est, app. 3, Montréal H2J 2J3". */
export function addressText(a: { street: string; unit: string; city: string; postalCode: string }): string {
  return [a.street, a.unit, `${a.city} ${a.postalCode}`].filter((p) => p.trim() !== '').join(', ');
}
