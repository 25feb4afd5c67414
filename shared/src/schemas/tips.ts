import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/**
 * Tips: a client's voluntary gift to the workers of a completed visit. No platform fee and no tax
 * (a gratuity freely given is not consideration for the supply: see README, "Tips"), one per booking.
 */
export const TIP_STATUSES = ['open', 'paid', 'failed'] as const;
export type TipStatus = (typeof TIP_STATUSES)[number];

/** At least 1 $; at most the booking's price or 500 $, whichever is larger (a tip above the visit's price is a typo more often than a gift). */
export const TIP_MIN_CENTS = 100;
export const TIP_MAX_CENTS = 50_000;
export const tipMaxCents = (priceCents: number) => Math.max(TIP_MAX_CENTS, priceCents);
/** The presets the booking page offers, in percent of the service price. */
export const TIP_PRESET_PERCENTS = [10, 15, 20] as const;
/** A preset's amount: the percentage of the service, rounded half up to the cent, never under the minimum. */
export const tipPresetCents = (priceCents: number, percent: number) => Math.max(TIP_MIN_CENTS, Math.floor((priceCents * percent + 50) / 100));

export const TipBody = z.object({
  amountCents: z.number({ error: 'invalid_amount' }).int({ error: 'invalid_amount' }).min(TIP_MIN_CENTS, { error: 'amount_too_small' }).max(1_000_000, { error: 'amount_too_large' }),
});
export type TipBody = z.infer<typeof TipBody>;

export const Tip = z.object({
  id: Id,
  bookingId: Id,
  amountCents: z.number().int(),
  status: z.enum(TIP_STATUSES),
  /** Where to pay it when no saved card could: Stripe Checkout (null once paid, or paid by card). */
  checkoutUrl: z.string().nullable(),
  /** Why the last try failed (a card's decline code), null otherwise. */
  lastError: z.string().nullable(),
  paidAt: Timestamp.nullable(),
});
export type Tip = z.infer<typeof Tip>;

/** What the booking page needs: the tip if any, whether one may be given now, the presets in cents, the bounds. */
export const TipOptions = z.object({
  tip: Tip.nullable(),
  allowed: z.boolean(),
  presets: z.array(z.object({ percent: z.number().int(), amountCents: z.number().int() })),
  minCents: z.number().int(),
  maxCents: z.number().int(),
  /** The saved card it would be charged to, else null (Checkout then). */
  card: z.object({ brand: z.string(), last4: z.string() }).nullable(),
});
export type TipOptions = z.infer<typeof TipOptions>;

/** A co-op's (or one worker's) tips of a year, per worker: each tip split among the visit's workers by largest remainder. */
export const TipsByWorker = z.object({
  year: z.number().int(),
  totalCents: z.number().int(),
  workers: z.array(z.object({ userId: Id, name: z.string(), cents: z.number().int(), tips: z.number().int() })),
  /** Tips on visits nobody was assigned to: the co-op's to share. */
  unassignedCents: z.number().int(),
});
export type TipsByWorker = z.infer<typeof TipsByWorker>;
