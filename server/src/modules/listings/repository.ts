import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { listings, coops, bookings } = schema;

/** A listing as read: every column but the tsvector (and the flag below), and whether it has opening hours. */
export type ListingRow = Omit<typeof listings.$inferSelect, 'search' | 'hasWeeklyHours' | 'extraHoursUntil' | 'coopApproved'> & { hasHours: boolean };
export type ListingStatus = ListingRow['status'];
export type ListingWithCoop = ListingRow & {
  coop: { id: string; slug: string; name: string; languages: string[]; status: 'pending' | 'approved' | 'rejected' };
};

/**
 * Whether the listing can offer a time at all: weekly hours, or special opening hours ("extra") on
 * today or a later day in its zone (as slots.ts opens them). A listing without hours is not found
 * by search and its co-op is told to add some. Both are copies on the listing, kept by the database
 * from listing_schedules (migrations 0022, 0056): `extra_hours_until` is the end of the last extra
 * day in the schedule's zone, so special hours stop counting once that day has passed, with no read
 * of the schedule per match.
 */
export const listingHasHours = sql<boolean>`(${listings.hasWeeklyHours} OR coalesce(${listings.extraHoursUntil} > now(), false))`;

/** Every column but the tsvector, which only the database reads. */
export const listingColumns = {
  id: listings.id,
  coopId: listings.coopId,
  titleFr: listings.titleFr,
  titleEn: listings.titleEn,
  descriptionFr: listings.descriptionFr,
  descriptionEn: listings.descriptionEn,
  category: listings.category,
  priceKind: listings.priceKind,
  priceCents: listings.priceCents,
  durationMinutes: listings.durationMinutes,
  locationMode: listings.locationMode,
  boroughs: listings.boroughs,
  solidarityPriceCents: listings.solidarityPriceCents,
  quoteMode: listings.quoteMode,
  depositPercent: listings.depositPercent,
  status: listings.status,
  createdAt: listings.createdAt,
  updatedAt: listings.updatedAt,
  seriesDiscountBps: listings.seriesDiscountBps,
  takesSeries: listings.takesSeries,
  hasHours: listingHasHours,
};

export const listingCoopColumns = {
  id: coops.id,
  slug: coops.slug,
  name: coops.legalName,
  languages: coops.languages,
  status: coops.status,
};

function selectWithCoop(db: Tx) {
  return db
    .select({ listing: listingColumns, coop: listingCoopColumns })
    .from(listings)
    .innerJoin(coops, eq(coops.id, listings.coopId));
}

const flatten = (r: { listing: ListingRow; coop: ListingWithCoop['coop'] }): ListingWithCoop => ({ ...r.listing, coop: r.coop });

/** `lock` holds the listing row until the surrounding transaction ends. */
export async function findListing(db: Tx, id: string, lock = false): Promise<ListingWithCoop | undefined> {
  const query = selectWithCoop(db).where(eq(listings.id, id));
  const [row] = lock ? await query.for('update', { of: listings }) : await query;
  return row && flatten(row);
}

export async function insertListing(db: Tx, values: typeof listings.$inferInsert): Promise<string> {
  const [row] = await db.insert(listings).values(values).returning({ id: listings.id });
  return row!.id;
}

export async function updateListing(db: Tx, id: string, values: Partial<typeof listings.$inferInsert>): Promise<void> {
  await db.update(listings).set({ ...values, updatedAt: new Date() }).where(eq(listings.id, id));
}

export async function listingsOfCoop(db: Tx, coopId: string, statuses: ListingStatus[]): Promise<ListingWithCoop[]> {
  const rows = await selectWithCoop(db)
    .where(and(eq(listings.coopId, coopId), inArray(listings.status, statuses)))
    .orderBy(desc(listings.createdAt), desc(listings.id));
  return rows.map(flatten);
}

/**
 * The co-op's region, its row held against changes (FOR SHARE) until the transaction ends, so a
 * listing held at the co-op cannot be written with a region that is being replaced.
 */
export async function lockCoopRegion(db: Tx, coopId: string): Promise<string | undefined> {
  const [row] = await db.select({ region: coops.region }).from(coops).where(eq(coops.id, coopId)).for('share');
  return row?.region;
}

/** A co-op moved: the listings held at its premises now happen in its new region. */
export async function moveListingsHeldAtCoop(db: Tx, coopId: string, region: string): Promise<void> {
  await db
    .update(listings)
    .set({ boroughs: [region] })
    .where(and(eq(listings.coopId, coopId), eq(listings.locationMode, 'at_coop')));
}

/** Whether this person booked this listing, in any state: they keep seeing what they booked. */
export async function hasBookingOn(db: Tx, listingId: string, clientId: string): Promise<boolean> {
  const [row] = await db.select({ id: bookings.id }).from(bookings).where(and(eq(bookings.listingId, listingId), eq(bookings.clientId, clientId))).limit(1);
  return row !== undefined;
}
