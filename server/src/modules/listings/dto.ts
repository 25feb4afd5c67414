import type { Listing, Photo } from '@tissu/shared';
import type { ListingWithCoop } from './repository.js';

/** `photos` in order; `cover` is the co-op's, shown on the card of a listing without photos. */
export function toListing(row: ListingWithCoop, photos: Photo[] = [], cover: Photo | null = null): Listing {
  return {
    id: row.id,
    coop: { id: row.coop.id, slug: row.coop.slug, name: row.coop.name, languages: row.coop.languages },
    titleFr: row.titleFr,
    titleEn: row.titleEn,
    descriptionFr: row.descriptionFr,
    descriptionEn: row.descriptionEn,
    category: row.category,
    priceKind: row.priceKind,
    priceCents: row.priceCents,
    durationMinutes: row.durationMinutes,
    locationMode: row.locationMode,
    boroughs: row.boroughs,
    solidarityPriceCents: row.solidarityPriceCents,
    quoteMode: row.quoteMode,
    depositPercent: row.depositPercent,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    hasHours: row.hasHours,
    seriesDiscountBps: row.seriesDiscountBps,
    takesSeries: row.takesSeries,
    photos,
    photo: photos[0] ?? cover,
  };
}
