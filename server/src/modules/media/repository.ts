import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { schema, type Tx } from '@tissu/db';

const { listingPhotos, coopImages, listings } = schema;

export type ListingPhotoRow = typeof listingPhotos.$inferSelect;
export type CoopImageRow = typeof coopImages.$inferSelect;
export type CoopImageKind = CoopImageRow['kind'];

export async function photosOfListings(db: Tx, listingIds: string[]): Promise<ListingPhotoRow[]> {
  if (listingIds.length === 0) return [];
  return db.select().from(listingPhotos).where(inArray(listingPhotos.listingId, listingIds)).orderBy(asc(listingPhotos.listingId), asc(listingPhotos.position));
}

export async function imagesOfCoops(db: Tx, coopIds: string[]): Promise<CoopImageRow[]> {
  if (coopIds.length === 0) return [];
  return db.select().from(coopImages).where(inArray(coopImages.coopId, coopIds));
}

/**
 * For cards: the listings' photos and their co-ops' covers in one round trip (search answers in a
 * few milliseconds; a second query would be a good part of them). `owner` is the listing's id for
 * a photo, the co-op's for a cover.
 */
export async function cardPhotos(db: Tx, listingIds: string[], coopIds: string[]) {
  const photos = db.select({
    isCover: sql<boolean>`false`.as('is_cover'), owner: listingPhotos.listingId, id: listingPhotos.id, position: listingPhotos.position,
    altFr: listingPhotos.altFr, altEn: listingPhotos.altEn, width: listingPhotos.width, height: listingPhotos.height, widths: listingPhotos.widths,
  }).from(listingPhotos).where(inArray(listingPhotos.listingId, listingIds));
  const covers = db.select({
    isCover: sql<boolean>`true`.as('is_cover'), owner: coopImages.coopId, id: coopImages.id, position: sql<number>`0`.as('position'),
    altFr: coopImages.altFr, altEn: coopImages.altEn, width: coopImages.width, height: coopImages.height, widths: coopImages.widths,
  }).from(coopImages).where(and(inArray(coopImages.coopId, coopIds), eq(coopImages.kind, 'cover')));
  const rows = await unionAll(photos, covers);
  return rows.sort((a, b) => a.position - b.position);
}

/** A photo as `cardPhotoColumns` sends it: the columns `toPhoto` reads, in JSON. */
export type CardPhotoJson = Pick<ListingPhotoRow, 'id' | 'altFr' | 'altEn' | 'width' | 'height' | 'widths'> & { position?: number };

/** A cover has no position (`toPhoto` gives it 0). */
const photoJson = (t: string, position: boolean) =>
  sql.raw(`json_build_object('id', ${t}.id, ${position ? `'position', ${t}.position, ` : ''}'altFr', ${t}.alt_fr, 'altEn', ${t}.alt_en, 'width', ${t}.width, 'height', ${t}.height, 'widths', ${t}.widths)`);

/**
 * For cards, as two columns of the statement that reads the listings (search sends one statement):
 * `photos`, the listing's photos in order as a JSON array (null without any), and `cover`, its
 * co-op's cover as a JSON object (null without one). Each reads its index for the page's rows only.
 */
export function cardPhotoColumns(listingId: SQL, coopId: SQL): { photos: SQL; cover: SQL } {
  return {
    photos: sql`(SELECT json_agg(${photoJson('p', true)} ORDER BY p.position) FROM ${listingPhotos} p WHERE p.listing_id = ${listingId})`,
    cover: sql`(SELECT ${photoJson('ci', false)} FROM ${coopImages} ci WHERE ci.coop_id = ${coopId} AND ci.kind = 'cover')`,
  };
}

/** Holds the listing row until the transaction ends: every change to its photos takes this lock first. */
export async function lockListing(db: Tx, listingId: string): Promise<{ status: string } | undefined> {
  const [row] = await db.select({ status: listings.status }).from(listings).where(eq(listings.id, listingId)).for('update');
  return row;
}

export async function insertListingPhoto(db: Tx, values: typeof listingPhotos.$inferInsert): Promise<ListingPhotoRow> {
  const [row] = await db.insert(listingPhotos).values(values).returning();
  return row!;
}

export async function updateListingPhoto(db: Tx, listingId: string, id: string, values: { altFr?: string; altEn?: string }): Promise<ListingPhotoRow | undefined> {
  const [row] = await db.update(listingPhotos).set(values).where(and(eq(listingPhotos.id, id), eq(listingPhotos.listingId, listingId))).returning();
  return row;
}

/** Removes the photo and closes the gap it leaves in the order. */
export async function deleteListingPhoto(db: Tx, listingId: string, id: string): Promise<ListingPhotoRow | undefined> {
  const [row] = await db.delete(listingPhotos).where(and(eq(listingPhotos.id, id), eq(listingPhotos.listingId, listingId))).returning();
  if (row) {
    await db.update(listingPhotos).set({ position: sql`${listingPhotos.position} - 1` })
      .where(and(eq(listingPhotos.listingId, listingId), sql`${listingPhotos.position} > ${row.position}`));
  }
  return row;
}

export async function setPositions(db: Tx, listingId: string, orderedIds: string[]): Promise<void> {
  if (orderedIds.length === 0) return;
  await db.execute(sql`
    UPDATE listing_photos p SET position = o.position - 1
    FROM jsonb_array_elements_text(${JSON.stringify(orderedIds)}::jsonb) WITH ORDINALITY AS o(id, position)
    WHERE p.id = o.id::uuid AND p.listing_id = ${listingId}`);
}

export async function findCoopImage(db: Tx, coopId: string, kind: CoopImageKind, lock = false): Promise<CoopImageRow | undefined> {
  const q = db.select().from(coopImages).where(and(eq(coopImages.coopId, coopId), eq(coopImages.kind, kind)));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function upsertCoopImage(db: Tx, values: typeof coopImages.$inferInsert): Promise<CoopImageRow> {
  const { coopId: _c, kind: _k, ...rest } = values;
  const [row] = await db.insert(coopImages).values(values)
    .onConflictDoUpdate({ target: [coopImages.coopId, coopImages.kind], set: { ...rest, createdAt: new Date() } })
    .returning();
  return row!;
}

export async function deleteCoopImage(db: Tx, coopId: string, kind: CoopImageKind): Promise<CoopImageRow | undefined> {
  const [row] = await db.delete(coopImages).where(and(eq(coopImages.coopId, coopId), eq(coopImages.kind, kind))).returning();
  return row;
}
