import type { Listing } from '@tissu/shared';
import type { ListingWithCoop } from './repository.js';

export function toListing(row: ListingWithCoop): Listing {
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
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    hasHours: row.hasHours,
    seriesDiscountBps: row.seriesDiscountBps,
    takesSeries: row.takesSeries,
  };
}
