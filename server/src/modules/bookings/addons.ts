import { and, asc, eq, inArray } from 'drizzle-orm';
import { addonTotals, bookingPrice, fieldError, MAX_DURATION_MINUTES, type BookingAddon } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import { badRequest } from '../../errors.js';
import type { VisitAddon } from './repository.js';

const { listingAddons, bookingAddons } = schema;

/** An add-on as the booking copies it when made. */
export interface ChosenAddon {
  addonId: string;
  nameFr: string;
  nameEn: string;
  priceCents: number;
  extraMinutes: number;
}

const unavailable = () => badRequest('Some add-ons are not offered by this listing', { addonIds: [fieldError('addon_unavailable')] });

/**
 * The listing's active add-ons among `ids`, in the listing's order. An id that is unknown,
 * inactive or another listing's is refused (400 on `addonIds`): a client chooses among what the
 * listing's page shows. No query when nothing was chosen.
 */
export async function chosenAddons(db: Tx, listingId: string, ids: readonly string[]): Promise<ChosenAddon[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ addonId: listingAddons.id, nameFr: listingAddons.nameFr, nameEn: listingAddons.nameEn, priceCents: listingAddons.priceCents, extraMinutes: listingAddons.extraMinutes })
    .from(listingAddons)
    .where(and(eq(listingAddons.listingId, listingId), eq(listingAddons.active, true), inArray(listingAddons.id, [...ids])))
    .orderBy(asc(listingAddons.position));
  if (rows.length !== new Set(ids).size) throw unavailable();
  return rows;
}

/** The visit's minutes with these add-ons; one longer than the longest service is refused (400), as the database would. */
export function visitLength(serviceMinutes: number, chosen: readonly ChosenAddon[]): number {
  const minutes = serviceMinutes + addonTotals(chosen).minutes;
  if (minutes > MAX_DURATION_MINUTES) {
    throw badRequest('With these add-ons the visit is too long', { addonIds: [fieldError('too_large', { maximum: MAX_DURATION_MINUTES - serviceMinutes })] });
  }
  return minutes;
}

/**
 * A booking's length and price with its add-ons: the service's (hourly rates charged for the
 * service's own minutes, shared/booking/price) plus each add-on's minutes and price. Taxes and the
 * platform fee then apply to the whole price, as to the service alone.
 */
export function withAddons(listing: { priceKind: 'hourly' | 'fixed'; priceCents: number; durationMinutes: number }, chosen: readonly ChosenAddon[]) {
  const durationMinutes = visitLength(listing.durationMinutes, chosen);
  return { durationMinutes, priceCents: bookingPrice(listing.priceKind, listing.priceCents, listing.durationMinutes) + addonTotals(chosen).cents };
}

export async function saveBookingAddons(db: Tx, bookingId: string, chosen: readonly ChosenAddon[]): Promise<void> {
  if (chosen.length === 0) return;
  await db.insert(bookingAddons).values(chosen.map((a, position) => ({ bookingId, position, ...a })));
}

/**
 * A series' add-ons onto one of its visits (the horizon job copies them in its own statement,
 * repository.insertVisits). An add-on the listing removed since the series was booked is copied
 * with no id, as a booking's copy loses it then.
 */
export async function copyVisitAddons(db: Tx, bookingId: string, addons: readonly VisitAddon[]): Promise<void> {
  if (addons.length === 0) return;
  const ids = addons.flatMap((a) => (a.addonId ? [a.addonId] : []));
  const still = new Set(ids.length ? (await db.select({ id: listingAddons.id }).from(listingAddons).where(inArray(listingAddons.id, ids))).map((r) => r.id) : []);
  await db.insert(bookingAddons).values(addons.map((a, position) => ({ bookingId, position, ...a, addonId: a.addonId && still.has(a.addonId) ? a.addonId : null })));
}

/** What these bookings' clients chose, each booking's in order (one query for any number). */
export async function addonsOfBookings(db: Tx, bookingIds: string[]) {
  if (bookingIds.length === 0) return [];
  return db
    .select({ bookingId: bookingAddons.bookingId, addonId: bookingAddons.addonId, nameFr: bookingAddons.nameFr, nameEn: bookingAddons.nameEn, priceCents: bookingAddons.priceCents, extraMinutes: bookingAddons.extraMinutes })
    .from(bookingAddons)
    .where(inArray(bookingAddons.bookingId, bookingIds))
    .orderBy(asc(bookingAddons.bookingId), asc(bookingAddons.position));
}
export type BookingAddonRow = Awaited<ReturnType<typeof addonsOfBookings>>[number];

/** A booking's add-ons as its answer carries them: a worker (`amounts` false) reads what and how long, never prices. */
export function toBookingAddons(rows: readonly BookingAddonRow[], amounts: boolean): BookingAddon[] {
  return rows.map((r) => ({ addonId: r.addonId, nameFr: r.nameFr, nameEn: r.nameEn, priceCents: amounts ? r.priceCents : null, extraMinutes: r.extraMinutes }));
}

/**
 * A solidarity rate granted on acceptance replaces the service's price, not the add-ons': the
 * service is charged at the rate for its own minutes, each add-on at the price it was booked at.
 */
export async function solidarityPrice(db: Tx, b: { id: string; durationMinutes: number }, kind: 'hourly' | 'fixed', rateCents: number): Promise<number> {
  const extra = addonTotals(await addonsOfBookings(db, [b.id]));
  return bookingPrice(kind, rateCents, b.durationMinutes - extra.minutes) + extra.cents;
}
