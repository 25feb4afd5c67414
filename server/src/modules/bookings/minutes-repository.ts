import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { schema, type Tx } from '@tissu/db';

const { bookings, bookingWorkers, listings, coops, coopMembers } = schema;

/** The states of a visit that is, was or may still be worked: the others never took place. */
const WORKED_OR_COMING = ['requested', 'accepted', 'paid', 'completed', 'no_show'] as const;

export interface VisitsFilter {
  userId: string;
  when: 'upcoming' | 'past';
  now: Date;
  limit: number;
  offset: number;
  bookingId?: string;
}

/**
 * The visits a person is assigned to, in co-ops she still belongs to (someone who left no longer
 * sees its clients). "Today" is the listing's day: a visit this morning stays in the upcoming
 * list until midnight where it takes place.
 */
export async function visitsOf(db: Tx, f: VisitsFilter) {
  const today = sql`(date_trunc('day', ${f.now.toISOString()}::timestamptz AT TIME ZONE ${bookings.timeZone}) AT TIME ZONE ${bookings.timeZone})`;
  return db
    .select({
      booking: {
        id: bookings.id, state: bookings.state, startsAt: bookings.startsAt, endsAt: bookings.endsAt, timeZone: bookings.timeZone,
        durationMinutes: bookings.durationMinutes, listingId: bookings.listingId, coopId: bookings.coopId, address: bookings.address,
        notes: bookings.notes, entryNotes: bookings.entryNotes, contactName: bookings.contactName, contactPhone: bookings.contactPhone, seriesId: bookings.seriesId,
        answers: bookings.answers,
      },
      listingTitleFr: listings.titleFr,
      listingTitleEn: listings.titleEn,
      coopSlug: coops.slug,
      coopName: coops.legalName,
      minutesReported: bookingWorkers.minutesReported,
      reportedAt: bookingWorkers.reportedAt,
      minutesDelivered: bookingWorkers.minutesDelivered,
    })
    .from(bookingWorkers)
    .innerJoin(bookings, eq(bookings.id, bookingWorkers.bookingId))
    .innerJoin(coopMembers, and(eq(coopMembers.coopId, bookings.coopId), eq(coopMembers.userId, bookingWorkers.userId)))
    .innerJoin(listings, eq(listings.id, bookings.listingId))
    .innerJoin(coops, eq(coops.id, bookings.coopId))
    .where(and(
      eq(bookingWorkers.userId, f.userId),
      inArray(bookings.state, [...WORKED_OR_COMING]),
      f.bookingId ? eq(bookings.id, f.bookingId) : f.when === 'upcoming' ? sql`${bookings.startsAt} >= ${today}` : sql`${bookings.startsAt} < ${today}`,
    ))
    .orderBy(f.when === 'upcoming' ? asc(bookings.startsAt) : desc(bookings.startsAt), asc(bookings.id))
    .limit(f.limit)
    .offset(f.offset);
}
export type VisitRowJoined = Awaited<ReturnType<typeof visitsOf>>[number];

/** One worker's line on a booking, locked: her report and the co-op's confirmation are written one at a time. */
export async function lockWorkerLine(db: Tx, bookingId: string, userId: string) {
  const [row] = await db.select().from(bookingWorkers)
    .where(and(eq(bookingWorkers.bookingId, bookingId), eq(bookingWorkers.userId, userId)))
    .for('update');
  return row;
}

export async function saveReport(db: Tx, bookingId: string, userId: string, minutes: number, at: Date) {
  await db.update(bookingWorkers).set({ minutesReported: minutes, reportedAt: at })
    .where(and(eq(bookingWorkers.bookingId, bookingId), eq(bookingWorkers.userId, userId)));
}

export async function confirmMinutes(db: Tx, bookingId: string, userId: string, minutes: number) {
  await db.update(bookingWorkers).set({ minutesDelivered: minutes })
    .where(and(eq(bookingWorkers.bookingId, bookingId), eq(bookingWorkers.userId, userId)));
}
