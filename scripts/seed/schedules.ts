import { schema, type Tx } from '@tissu/db';
import { DEMO_COOPS } from './data.js';

/**
 * Opening hours for every demo listing: weekdays for most, Saturdays for some, a few with
 * instant booking and some with two or three teams, so the week view has something to show; the
 * regular services offer regular visits with a small discount.
 */
export async function seedDemoSchedules(tx: Tx): Promise<void> {
  const listings = await tx
    .select({ id: schema.listings.id, titleFr: schema.listings.titleFr, category: schema.listings.category, durationMinutes: schema.listings.durationMinutes })
    .from(schema.listings);
  // Regular visits (the weekly cleaning, the dog walked every weekday) as the demo data offers them.
  const series = new Map(DEMO_COOPS.flatMap((c) => c.listings.flatMap((l) => (l.series ? [[l.titleFr, l.series] as const] : []))));
  if (listings.length === 0) return;
  await tx
    .insert(schema.listingSchedules)
    .values(
      listings.map((l, i) => {
        const weekdays = i % 3 === 0 ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5];
        const long = l.durationMinutes > 240;
        return {
          listingId: l.id,
          timeZone: 'America/Toronto',
          weekly: weekdays.map((weekday) => ({ weekday, start: long ? '08:00' : '09:00', end: long ? '18:00' : '17:00' })),
          exceptions: [{ date: '2026-12-25', kind: 'closed' as const }, { date: '2027-01-01', kind: 'closed' as const }],
          slotIntervalMinutes: l.durationMinutes >= 120 ? 60 : 30,
          bufferMinutes: l.category === 'menage' || l.category === 'demenagement' ? 30 : 0,
          minNoticeMinutes: 24 * 60,
          horizonDays: 60,
          capacity: l.category === 'menage' ? 3 : l.category === 'demenagement' ? 2 : 1,
          instantBooking: i % 4 === 1,
          requestTtlHours: 48,
          freeCancellationHours: l.category === 'demenagement' ? 72 : 24,
          lateCancellationPercent: l.category === 'demenagement' ? 30 : 50,
          seriesFrequencies: series.get(l.titleFr)?.frequencies ?? [],
          seriesDiscountBps: series.get(l.titleFr)?.discountBps ?? 0,
        };
      }),
    )
    .onConflictDoNothing();
}
