/**
 * Add-ons of a listing ("inside the fridge", "+30 min"): chosen at booking, each adds its price to
 * the booking's and its minutes to the visit's length. Pure: the server computes a booking's price
 * and length with these, the web shows the same total before the client books.
 */

/** The most add-ons a listing offers (a form a client reads on a phone). */
export const MAX_ADDONS_PER_LISTING = 20;
/** One add-on lengthens a visit by at most 8 hours, in steps of 5 minutes (as slots are drawn). */
export const MAX_ADDON_MINUTES = 8 * 60;
export const ADDON_MINUTES_STEP = 5;
/** One add-on costs at most 10 000 $: above it is a typo (or a probe), not an extra. */
export const MAX_ADDON_PRICE_CENTS = 1_000_000;

export interface AddonAmounts {
  priceCents: number;
  extraMinutes: number;
}

/** What the chosen add-ons add: their prices and their minutes, summed (integer cents and minutes). */
export function addonTotals(chosen: readonly AddonAmounts[]): { cents: number; minutes: number } {
  let cents = 0;
  let minutes = 0;
  for (const a of chosen) {
    cents += a.priceCents;
    minutes += a.extraMinutes;
  }
  return { cents, minutes };
}
