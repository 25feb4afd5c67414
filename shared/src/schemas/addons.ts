import { z } from 'zod';
import { ADDON_MINUTES_STEP, MAX_ADDON_MINUTES, MAX_ADDON_PRICE_CENTS, MAX_ADDONS_PER_LISTING } from '../booking/addons.js';
import { Id, text } from './common.js';
import { Listing } from './listings.js';

/** One add-on as its co-op writes it; `id` names one it already has (left out: a new one). */
export const AddonInput = z.object({
  id: Id.optional(),
  nameFr: text(2, 80),
  nameEn: text(2, 80),
  priceCents: z
    .number({ error: 'invalid_amount' })
    .int({ error: 'invalid_amount' })
    .min(0, { error: 'amount_too_small' })
    .max(MAX_ADDON_PRICE_CENTS, { error: 'amount_too_large' }),
  extraMinutes: z
    .number({ error: 'invalid_minutes' })
    .int({ error: 'invalid_minutes' })
    .min(0, { error: 'too_small' })
    .max(MAX_ADDON_MINUTES, { error: 'too_large' })
    .multipleOf(ADDON_MINUTES_STEP, { error: 'minutes_step' }),
  /** An inactive add-on is kept (and shown to the co-op) but not offered. */
  active: z.boolean().default(true),
});

/** The listing's whole list of add-ons, in the order offered: the ones left out are removed. */
export const PutAddonsBody = z.object({
  addons: z
    .array(AddonInput)
    .max(MAX_ADDONS_PER_LISTING, { error: 'too_many' })
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((a, i) => {
        if (!a.id) return;
        if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: 'duplicate_addon' });
        seen.add(a.id);
      });
    }),
});
export type PutAddonsBody = z.infer<typeof PutAddonsBody>;

export const ListingAddon = z.object({
  id: Id,
  nameFr: z.string(),
  nameEn: z.string(),
  priceCents: z.number().int(),
  extraMinutes: z.number().int(),
  position: z.number().int(),
  active: z.boolean(),
});
export type ListingAddon = z.infer<typeof ListingAddon>;
export const ListingAddonList = z.object({ items: z.array(ListingAddon) });

/**
 * An add-on as the booking keeps it: what was chosen, at its price then (editing the listing's
 * add-ons later changes no booking). `priceCents` is null for an assigned worker, who sees what to
 * do and how long, never amounts.
 */
export const BookingAddon = z.object({
  addonId: Id.nullable(),
  nameFr: z.string(),
  nameEn: z.string(),
  priceCents: z.number().int().nullable(),
  extraMinutes: z.number().int(),
});
export type BookingAddon = z.infer<typeof BookingAddon>;

/** The chosen add-ons of a booking: ids, each once (`addonIds` on POST /bookings). */
export const AddonIds = z
  .array(Id)
  .max(MAX_ADDONS_PER_LISTING, { error: 'too_many' })
  .refine((ids) => new Set(ids).size === ids.length, { error: 'duplicate_addon' });

/** `addons=<id>,<id>` in a query string (the slots for a visit lengthened by them). */
export const AddonIdsQuery = z
  .string()
  .max(40 * MAX_ADDONS_PER_LISTING)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(AddonIds);

/** One listing as its page reads it: with its add-ons (the inactive ones only for its co-op's members and the stewards). */
export const ListingDetail = Listing.extend({ addons: z.array(ListingAddon) });
export type ListingDetail = z.infer<typeof ListingDetail>;
