import { z } from 'zod';
import { CATEGORY_SLUGS, REGION_SLUGS, SERVICE_LANGUAGES } from '../taxonomy.js';
import { MAX_DURATION_MINUTES } from '../booking/hold.js';
import { Id, Timestamp, text } from './common.js';
import { Photo } from './photos.js';
import { ListingQuestion } from './questions.js';

export const PRICE_KINDS = ['hourly', 'fixed'] as const;
export const LOCATION_MODES = ['client_place', 'at_coop', 'remote'] as const;
export const LISTING_STATUSES = ['active', 'paused', 'archived'] as const;
/**
 * Quotes: 'none' (booked at its price only), 'also' (its price, or "ask for a quote"), 'only' (on
 * quote: no booking at a price; its price is shown as "from"). Kept apart from the price kind so search,
 * price sorting and the price of bookings stay as they are.
 */
export const QUOTE_MODES = ['none', 'also', 'only'] as const;
export const QuoteMode = z.enum(QUOTE_MODES);
export const PriceKind = z.enum(PRICE_KINDS);
export const LocationMode = z.enum(LOCATION_MODES);
export const ListingStatus = z.enum(LISTING_STATUSES);
export type ListingStatus = z.infer<typeof ListingStatus>;

const cents = () =>
  z.coerce
    .number({ error: 'invalid_amount' })
    .int({ error: 'invalid_amount' })
    .min(100, { error: 'price_too_low' })
    .max(10_000_000, { error: 'price_too_high' });

const listingShape = {
  titleFr: text(3, 120),
  titleEn: text(3, 120),
  descriptionFr: text(20, 5000),
  descriptionEn: text(20, 5000),
  category: z.enum(CATEGORY_SLUGS, { error: 'choose_category' }),
  priceKind: PriceKind,
  priceCents: cents(),
  durationMinutes: z.coerce
    .number({ error: 'invalid_minutes' })
    .int()
    .min(15, { error: 'duration_too_short' })
    .max(MAX_DURATION_MINUTES, { error: 'duration_too_long' }),
  locationMode: LocationMode,
  boroughs: z.array(z.enum(REGION_SLUGS)).max(REGION_SLUGS.length),
  solidarityPriceCents: cents().nullable().optional(),
  quoteMode: QuoteMode,
  /** Paid when a quote is accepted, the rest charged at completion to the saved card; 0: all at acceptance. */
  depositPercent: z.number({ error: 'invalid_number' }).int({ error: 'invalid_number' })
    .min(0, { error: 'too_small' }).max(100, { error: 'too_large' }),
};
const ListingFields = z.object({
  ...listingShape,
  boroughs: listingShape.boroughs.default([]),
  quoteMode: listingShape.quoteMode.default('none'),
  depositPercent: listingShape.depositPercent.default(0),
});

function checkListing(l: Partial<z.infer<typeof ListingFields>>, ctx: z.RefinementCtx) {
  if (l.locationMode === 'client_place' && l.boroughs !== undefined && l.boroughs.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['boroughs'], message: 'choose_borough' });
  }
  if (l.solidarityPriceCents != null && l.priceCents !== undefined && l.solidarityPriceCents >= l.priceCents) {
    ctx.addIssue({ code: 'custom', path: ['solidarityPriceCents'], message: 'solidarity_not_lower' });
  }
}

export const CreateListingBody = ListingFields.superRefine(checkListing);
export type CreateListingBody = z.infer<typeof CreateListingBody>;

/**
 * Editing also moves a listing between active and paused, or archives it for good. Built from the
 * fields without their defaults: a PATCH that leaves `boroughs` out must not empty it.
 */
export const UpdateListingBody = z
  .object(listingShape)
  .partial()
  .extend({ status: ListingStatus.optional() })
  .superRefine(checkListing);
export type UpdateListingBody = z.infer<typeof UpdateListingBody>;

export const ListingCoop = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  languages: z.array(z.string()),
});

export const Listing = z.object({
  id: Id,
  coop: ListingCoop,
  titleFr: z.string(),
  titleEn: z.string(),
  descriptionFr: z.string(),
  descriptionEn: z.string(),
  category: z.string(),
  priceKind: PriceKind,
  priceCents: z.number().int(),
  durationMinutes: z.number().int(),
  locationMode: LocationMode,
  boroughs: z.array(z.string()),
  solidarityPriceCents: z.number().int().nullable(),
  quoteMode: QuoteMode,
  depositPercent: z.number().int(),
  status: ListingStatus,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** Weekly or upcoming special opening hours: without them the listing is not found by search. */
  hasHours: z.boolean(),
  /** Its discount on regular visits, in basis points (1000 = 10 %); 0 when it has none or takes no regular visits. */
  seriesDiscountBps: z.number().int(),
  /** It takes regular visits (at the frequencies its schedule offers). */
  takesSeries: z.boolean(),
  /** Its photos in order (at most 8). */
  photos: z.array(Photo),
  /** The photo a card shows: its first photo, else its co-op's cover, else none. */
  photo: Photo.nullable(),
  /** Its booking questions in order: in the answer about one listing (GET, POST, PATCH), left out of lists and search. */
  questions: z.array(ListingQuestion).optional(),
});
export type Listing = z.infer<typeof Listing>;

const boolish = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const SearchSort = z.enum(['relevance', 'price_asc', 'price_desc', 'newest']);

export const SearchQuery = z
  .object({
    q: z.string().trim().max(200, { error: 'too_long' }).optional(),
    category: z.enum(CATEGORY_SLUGS).optional(),
    borough: z.enum(REGION_SLUGS).optional(),
    minPrice: z.coerce.number().int().min(0).max(10_000_000).optional(),
    maxPrice: z.coerce.number().int().min(0).max(10_000_000).optional(),
    language: z.enum(SERVICE_LANGUAGES).optional(),
    coop: z.string().min(1).max(120).optional(),
    remote: boolish.optional(),
    /** Only listings taking regular visits. */
    regular: boolish.optional(),
    sort: SearchSort.default('relevance'),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .superRefine((q, ctx) => {
    if (q.minPrice !== undefined && q.maxPrice !== undefined && q.minPrice > q.maxPrice) {
      ctx.addIssue({ code: 'custom', path: ['maxPrice'], message: 'below_minimum_price' });
    }
  });
export type SearchQuery = z.infer<typeof SearchQuery>;

/** Search counts matches up to this many, and says when there are more ("1 000+"). */
export const SEARCH_TOTAL_CAP = 1000;

export const SearchResult = z.object({
  items: z.array(Listing),
  total: z.number().int().describe(`The matching listings, counted up to ${SEARCH_TOTAL_CAP.toLocaleString('en')}`),
  totalCapped: z.boolean().describe(`More listings match than \`total\`: counting stops at ${SEARCH_TOTAL_CAP.toLocaleString('en')}`),
  nextCursor: z.string().nullable(),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const CoopListingsQuery = z.object({ status: ListingStatus.optional() });
export const ListingList = z.object({ items: z.array(Listing) });

export const Category = z.object({ slug: z.string(), fr: z.string(), en: z.string() });
export const Taxonomy = z.object({
  categories: z.array(Category),
  regions: z.array(Category),
  languages: z.array(z.string()),
});
