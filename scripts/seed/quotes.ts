import { and, eq } from 'drizzle-orm';
import { schema, type Db } from '@tissu/db';
import { CreateListingBody } from '@tissu/shared';
import { demenageursSolidaires } from './coops-trades.js';

/**
 * A listing priced on quote, so quotes can be tried (and are, by the quotes browser test): a move of
 * any size with Les Déménageurs Solidaires — the co-op answers with lines (movers' hours, the truck,
 * the piano), a quarter paid as a deposit on accepting, the rest when the move is done. Also added to
 * a database seeded before quotes existed.
 */
export const QUOTE_DEMO_LISTING = {
  titleFr: 'Déménagement sur mesure (sur devis)',
  titleEn: 'Custom move (on quote)',
  descriptionFr:
    "Un piano, un 3e étage sans ascenseur, un trajet hors de l'île ou un entreposage de quelques semaines ? Décrivez votre déménagement : on vous envoie un devis détaillé, ligne par ligne, en général sous 48 heures. Un acompte de 25 % à l'acceptation, le solde à la fin du travail.",
  descriptionEn:
    "A piano, a third floor with no elevator, a trip off the island or a few weeks of storage? Describe your move: we send you a detailed quote, line by line, usually within 48 hours. A 25% deposit on accepting, the rest when the job is done.",
  category: 'demenagement',
  priceKind: 'hourly',
  // Shown nowhere as a price (the listing is on quote); the hourly rate of the co-op's other moves.
  priceCents: 14500,
  durationMinutes: 240,
  locationMode: 'client_place',
  boroughs: ['mercier-hochelaga-maisonneuve', 'rosemont-petite-patrie', 'plateau-mont-royal', 'villeray-saint-michel-parc-extension', 'ville-marie', 'anjou', 'saint-leonard'],
  quoteMode: 'only',
  depositPercent: 25,
} as const;

export async function seedQuoteDemo(db: Db): Promise<void> {
  const listing = CreateListingBody.parse(QUOTE_DEMO_LISTING);
  const [coop] = await db.select({ id: schema.coops.id }).from(schema.coops).where(eq(schema.coops.slug, demenageursSolidaires.slug));
  if (!coop) return;
  await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: schema.listings.id })
      .from(schema.listings)
      .where(and(eq(schema.listings.coopId, coop.id), eq(schema.listings.titleFr, listing.titleFr)));
    if (existing) return;
    const [row] = await tx
      .insert(schema.listings)
      .values({ coopId: coop.id, ...listing, solidarityPriceCents: null, status: 'active' })
      .returning({ id: schema.listings.id });
    // Opening hours like the co-op's other moves: the proposed times of an offer fall in them.
    await tx.insert(schema.listingSchedules).values({
      listingId: row!.id,
      timeZone: 'America/Toronto',
      weekly: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })),
      exceptions: [{ date: '2026-12-25', kind: 'closed' as const }, { date: '2027-01-01', kind: 'closed' as const }],
      slotIntervalMinutes: 60,
      bufferMinutes: 30,
      minNoticeMinutes: 24 * 60,
      horizonDays: 60,
      capacity: 2,
      instantBooking: false,
      requestTtlHours: 48,
      freeCancellationHours: 72,
      lateCancellationPercent: 30,
      seriesFrequencies: [],
      seriesDiscountBps: 0,
    }).onConflictDoNothing();
  });
}
