import type { CategorySlug, RegionSlug, SeriesFrequency, ServiceLanguage } from '@tissu/shared';

export interface DemoPerson {
  email: string;
  name: string;
  locale: 'fr' | 'en';
}

export interface DemoListing {
  titleFr: string;
  titleEn: string;
  descriptionFr: string;
  descriptionEn: string;
  category: CategorySlug;
  priceKind: 'hourly' | 'fixed';
  priceCents: number;
  durationMinutes: number;
  locationMode: 'client_place' | 'at_coop' | 'remote';
  /** Where the service is delivered; for `at_coop` it is the co-op's own borough, for `remote` none. */
  boroughs: RegionSlug[];
  solidarityPriceCents?: number;
  /** Regular visits offered on the listing's schedule, with the discount on each visit. */
  series?: { frequencies: SeriesFrequency[]; discountBps: number };
}

export interface DemoCoop {
  slug: string;
  legalName: string;
  legalForm: 'worker_coop' | 'solidarity_coop' | 'producer_coop' | 'non_profit';
  neq?: string;
  region: RegionSlug;
  languages: ServiceLanguage[];
  descriptionFr: string;
  descriptionEn: string;
  commitments: string;
  foundedYear: number;
  /** The first admin applied for the co-op on Tissu (`coops.created_by`). */
  admin: DemoPerson;
  workers?: DemoPerson[];
  listings: DemoListing[];
}
